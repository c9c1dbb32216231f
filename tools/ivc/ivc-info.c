/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ivc-info: what this VM sees of its ftvisor inter-VM channels, and raw access for tests
 * (any number of members, read-only members included; no protocol).
 *
 *   ivc-info                       one line per IVC device
 *   ivc-info [-i index] [-F] ACTION...   actions run in order:
 *     -r OFF        read the 32-bit word at byte OFF of the shared memory
 *     -w OFF=VAL    write it (-F: map the memory writable even on a read-only member, to
 *                   see the hypervisor refuse the write: SIGBUS)
 *     -d PEER       ring member PEER's doorbell
 *     -W MS         wait up to MS ms for a doorbell (exit 1 on time-out)
 *     -R            the registers
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libivc.h"

static void usage(void)
{
	fprintf(stderr, "usage: ivc-info [-i index] [-F] [-r OFF] [-w OFF=VAL] [-d PEER] "
			"[-W MS] [-R]\n");
	exit(2);
}

static void line(const struct ivc_dev *d, int index)
{
	printf("ivc-info: index=%d pci=%s uio=%d channel=%u member=%u members=0x%x running=0x%x "
	       "flags=0x%x shm_size=%" PRIu64 " sent=%u received=%u limited=%u bad=%u\n",
	       index, d->pci, d->uio, d->channel, d->id, d->members,
	       ivc_dev_reg(d, IVC_REG_RUNNING), d->flags, d->shm_size, ivc_dev_reg(d, IVC_REG_SENT),
	       ivc_dev_reg(d, IVC_REG_RECEIVED), ivc_dev_reg(d, IVC_REG_LIMITED),
	       ivc_dev_reg(d, IVC_REG_BAD));
}

static int list(void)
{
	char names[32][IVC_PCI_NAME_MAX];
	int n = ivc_dev_list(names, 32), rc = 0;
	struct ivc_dev d;

	if (n < 0) {
		fprintf(stderr, "ivc-info: %s\n", ivc_error());
		return 1;
	}
	printf("ivc-info: devices=%d\n", n);
	for (int i = 0; i < n && i < 32; i++) {
		if (ivc_dev_open(&d, i, IVC_OPEN_NOIRQ)) {
			printf("ivc-info: index=%d pci=%s FAIL %s\n", i, names[i], ivc_error());
			rc = 1;
			continue;
		}
		line(&d, i);
		ivc_dev_close(&d);
	}
	return rc;
}

static uint64_t offset(const struct ivc_dev *d, const char *s)
{
	char *end;
	uint64_t off = strtoull(s, &end, 0);

	if ((*end && *end != '=') || off % 4 || off + 4 > d->shm_size) {
		fprintf(stderr, "ivc-info: bad offset %s (a multiple of 4 below %" PRIu64 ")\n", s,
			d->shm_size);
		exit(2);
	}
	return off;
}

int main(int argc, char **argv)
{
	unsigned int flags = IVC_OPEN_NOIRQ;
	int opt, index = 0, rc = 0, actions = 0;
	struct ivc_dev d;

	while ((opt = getopt(argc, argv, "i:Fr:w:d:W:Rh")) != -1) {
		if (opt == 'i')
			index = atoi(optarg);
		else if (opt == 'F')
			flags |= IVC_OPEN_FORCE_RW;
		else if (opt == 'W')
			flags &= ~IVC_OPEN_NOIRQ, actions++;
		else if (strchr("rwdR", opt))
			actions++;
		else
			usage();
	}
	if (optind != argc)
		usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!actions)
		return list();
	if (ivc_dev_open(&d, index, flags)) {
		fprintf(stderr, "ivc-info: %s\n", ivc_error());
		return 1;
	}
	optind = 1;
	while ((opt = getopt(argc, argv, "i:Fr:w:d:W:Rh")) != -1) {
		volatile uint32_t *w;
		uint64_t off;
		uint32_t v;

		switch (opt) {
		case 'r':
			off = offset(&d, optarg);
			w = (volatile uint32_t *) (d.shm + off);
			v = *w;
			printf("ivc-info: shm[0x%" PRIx64 "]=0x%08x\n", off, v);
			break;
		case 'w':
			off = offset(&d, optarg);
			if (!strchr(optarg, '='))
				usage();
			v = (uint32_t) strtoul(strchr(optarg, '=') + 1, NULL, 0);
			w = (volatile uint32_t *) (d.shm + off);
			*w = v;
			ivc_dsb_st();
			printf("ivc-info: shm[0x%" PRIx64 "]=0x%08x written\n", off, v);
			break;
		case 'd':
			ivc_dev_ring(&d, (unsigned int) strtoul(optarg, NULL, 0));
			printf("ivc-info: rang member %s (sent=%u bad=%u limited=%u)\n", optarg,
			       ivc_dev_reg(&d, IVC_REG_SENT), ivc_dev_reg(&d, IVC_REG_BAD),
			       ivc_dev_reg(&d, IVC_REG_LIMITED));
			break;
		case 'W': {
			uint64_t deadline = ivc_now_ns() + strtoull(optarg, NULL, 0) * 1000000u;
			int got = d.open_status & 1;

			/* A doorbell that came before we looked (INTRSTATUS) counts. */
			while (!got) {
				uint64_t now = ivc_now_ns();

				if (ivc_dev_arm(&d) & 1)
					got = 1;
				else if (now >= deadline)
					break;
				else if (ivc_dev_wait(
					     &d, (int) ((deadline - now + 999999) / 1000000)) < 0)
					break;
			}
			printf("ivc-info: %s (received=%u)\n", got ? "doorbell" : "timeout",
			       ivc_dev_reg(&d, IVC_REG_RECEIVED));
			rc |= !got;
			break;
		}
		case 'R': line(&d, index); break;
		default: break;
		}
	}
	ivc_dev_close(&d);
	return rc;
}
