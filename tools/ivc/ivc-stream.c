/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ivc-stream: bulk transfer over an ftvisor inter-VM channel (docs/ivc.md). Asks member PEER
 * (running `ivc-ping -s`) to stream n bytes of the test pattern through its ring, consumes
 * and checks every byte and the Adler-32 sum, and prints the throughput.
 *
 *   ivc-stream [-n bytes] [-i index] [-w ms] [-p] [-v] PEER
 *   ivc-stream --local [-n bytes] [-S shm-bytes] [-v]
 *
 * --local runs the same producer (a second thread) and consumer through a ring in ordinary
 * memory of this process: the baseline to compare the channel with.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libivc.h"

static void usage(void)
{
	fprintf(stderr,
		"usage: ivc-stream [-n bytes] [-i index] [-w ms] [-p] [-v] PEER\n"
		"       ivc-stream --local [-n bytes] [-S shm-bytes] [-v]\n"
		"  -n  bytes to receive, suffixes K M G (default 64M)\n"
		"  -i  the index-th IVC device (default 0)\n"
		"  -w  time-out of a wait without progress, ms (default 10000)\n"
		"  -p  poll the shared memory instead of sleeping until the doorbell's interrupt\n"
		"  -S  --local: size of the memory holding both halves (default 1M)\n"
		"  -v  also print doorbells and interrupts\n");
	exit(2);
}

struct local {
	struct ivc_chan chan;
	struct ivc_server srv;
	volatile sig_atomic_t stop;
};

static void *local_server(void *arg)
{
	struct local *l = arg;

	ivc_serve(&l->srv, &l->stop, NULL);
	return NULL;
}

static int report(const char *peer, uint64_t n, int err, const struct ivc_stream_result *r,
		  const struct ivc_chan *c, int verbose)
{
	double s = r->ns / 1e9;

	if (err)
		printf("ivc-stream: peer=%s bytes=%" PRIu64 " FAIL %s: %s received=%" PRIu64 "\n",
		       peer, n, ivc_stream_strerror(err), ivc_error(), r->received);
	else
		printf("ivc-stream: peer=%s bytes=%" PRIu64
		       " seconds=%.3f MiB/s=%.1f sum=0x%08x ok\n",
		       peer, n, s, s > 0 ? n / s / (1024.0 * 1024.0) : 0.0, r->sum);
	if (verbose)
		printf("ivc-stream: ring=%" PRIu64 " chunk=%" PRIu64 " doorbells=%" PRIu64
		       " wakeups=%" PRIu64 "\n",
		       c->ring_size, c->chunk, r->doorbells, c->wakeups);
	return err ? 1 : 0;
}

static int run_local(uint64_t n, uint64_t shm_size, int timeout_ms, int verbose)
{
	struct ivc_stream_result r;
	struct ivc_chan cli;
	struct local *l;
	pthread_t t;
	void *shm;
	int err;

	memset(&r, 0, sizeof(r));
	shm = aligned_alloc(4096, (shm_size + 4095) & ~4095ULL);
	l = calloc(1, sizeof(*l));
	if (!shm || !l) {
		fprintf(stderr, "ivc-stream: out of memory\n");
		return 1;
	}
	memset(shm, 0, shm_size);
	if (ivc_chan_init(&l->chan, shm, shm_size, 1, 0, NULL) ||
	    ivc_chan_init(&cli, shm, shm_size, 0, 1, NULL)) {
		fprintf(stderr, "ivc-stream: %s\n", ivc_error());
		return 1;
	}
	ivc_server_init(&l->srv, &l->chan);
	if (pthread_create(&t, NULL, local_server, l)) {
		fprintf(stderr, "ivc-stream: cannot start the producer thread\n");
		return 1;
	}
	if (ivc_wait_peer(&cli, timeout_ms))
		err = IVC_STREAM_E_PEER;
	else
		err = ivc_stream_receive(&cli, n, timeout_ms, &r);
	l->stop = 1;
	pthread_join(t, NULL);
	err = report("local", n, err, &r, &cli, verbose);
	free(l);
	free(shm);
	return err;
}

int main(int argc, char **argv)
{
	int index = 0, timeout_ms = 10000, poll = 0, verbose = 0, local = 0, err;
	int64_t n = 64 << 20, shm_size = 1 << 20;
	struct ivc_stream_result r;
	struct ivc_dev d;
	struct ivc_chan c;
	unsigned int peer;
	char *end, name[16];

	for (int i = 1; i < argc; i++) { /* long options first; getopt does the rest */
		if (!strcmp(argv[i], "--local")) {
			local = 1;
			memmove(&argv[i], &argv[i + 1], (size_t) (argc - i) * sizeof(*argv));
			argc--;
			i--;
		}
	}
	for (int opt; (opt = getopt(argc, argv, "n:i:w:S:pvh")) != -1;) {
		switch (opt) {
		case 'n':
			n = ivc_parse_size(optarg);
			if (n < 0)
				usage();
			break;
		case 'i': index = atoi(optarg); break;
		case 'w':
			timeout_ms = atoi(optarg);
			if (timeout_ms <= 0)
				usage();
			break;
		case 'S':
			shm_size = ivc_parse_size(optarg);
			if (shm_size < 4 * IVC_PROTO_HDR)
				usage();
			break;
		case 'p': poll = 1; break;
		case 'v': verbose = 1; break;
		default: usage();
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (local) {
		if (optind != argc)
			usage();
		return run_local((uint64_t) n, (uint64_t) shm_size, timeout_ms, verbose);
	}
	if (optind != argc - 1)
		usage();
	peer = (unsigned int) strtoul(argv[optind], &end, 0);
	if (*end)
		usage();
	if (ivc_dev_open(&d, index, poll ? IVC_OPEN_NOIRQ : 0)) {
		fprintf(stderr, "ivc-stream: %s\n", ivc_error());
		return 1;
	}
	if (ivc_chan_open(&c, &d, peer)) {
		fprintf(stderr, "ivc-stream: %s\n", ivc_error());
		ivc_dev_close(&d);
		return 1;
	}
	c.poll = poll;
	memset(&r, 0, sizeof(r));
	if (ivc_wait_peer(&c, timeout_ms))
		err = IVC_STREAM_E_PEER;
	else
		err = ivc_stream_receive(&c, (uint64_t) n, timeout_ms, &r);
	snprintf(name, sizeof(name), "%u", peer);
	err = report(name, (uint64_t) n, err, &r, &c, verbose);
	ivc_dev_close(&d);
	return err;
}
