/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Writes a valid boot bundle to seed fuzz_bundle: bundle_seeds {one|two|four} FILE. The two
 * and four seeds have passthrough devices (QEMU virt's PL031 and PL061, a few SPIs), scheduling
 * priorities and templates (VMs without autostart); in four, VMs share physical CPUs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/bundle_builder.h"

#define MIB (1ULL << 20)

static const struct bb_vm one[] = {
	{ "hello", VM_F_AUTOSTART, 1, { 0x0 }, 0x40000000, 16 * MIB, 300, 0, 200 },
};

static const struct bb_vm two[] = {
	{ "victim", VM_F_AUTOSTART, 1, { 0x1 }, 0x40000000, 64 * MIB, 5000, 0, 700 },
	{ "attacker", VM_F_AUTOSTART | VM_F_INTROSPECTION, 2, { 0x2, 0x100 }, 0x100000000ULL,
	  32 * MIB, 4000, 5000, 700 },
};

static const struct bb_vm four[] = {
	{ "a", VM_F_KNOWN, 1, { 0x0 }, 0x40000000, 8 * MIB, 100, 100, 100 },
	{ "b-1", 0, 2, { 0x1, 0x0 }, 0x40000000, 8 * MIB, 100, 100, 100 },
	{ "c_2", VM_F_STOP_ON_UNHANDLED, 1, { 0x200 }, 0x0b000000, 8 * MIB, 100, 100, 100 },
	{ "d", VM_F_AUTOSTART, 8, { 0x3, 0x4, 0x5, 0x6, 0x7, 0x8, 0x1, 0x200 }, 0xfffe000000ULL,
	  32 * MIB, 100, 100, 100 },
};

/* Passthrough devices of the seeds' VMs, by VM index; NULL: none. */
static const struct bb_pt pt_victim = { 1, { { 0x09010000, 0x1000 } }, 1, { 34 } };
static const struct bb_pt pt_a = {
	2, { { 0x09030000, 0x1000 }, { 0x20000000, 2 * MIB } }, 3, { 39, 40, 1019 },
};
static const struct bb_pt pt_d = {
	4, { { 0x09010000, 0x1000 }, { 0x0c000000, 0x10000 }, { 0x10000000, 0x100000 },
	     { 0x4010000000ULL, 0x10000000 } },
	8, { 32, 34, 35, 36, 37, 38, 41, 100 },
};
static const struct bb_pt *const two_pt[] = { &pt_victim, NULL };
static const struct bb_pt *const four_pt[] = { &pt_a, NULL, NULL, &pt_d };

/* Scheduling priorities of the seeds' VMs, by VM index (0..BUNDLE_MAX_PRIORITY). */
static const uint32_t one_prio[] = { 0 };
static const uint32_t two_prio[] = { 2, 0 };
static const uint32_t four_prio[] = { 0, BUNDLE_MAX_PRIORITY, 3, 7 };

int main(int argc, char **argv)
{
	const struct bb_pt *const *pts = NULL;
	const uint32_t *prio;
	const struct bb_vm *vms;
	uint32_t n, i;
	uint8_t *buf;
	size_t size;
	FILE *f;

	if (argc != 3) {
		fprintf(stderr, "usage: %s one|two|four FILE\n", argv[0]);
		return 2;
	}
	if (!strcmp(argv[1], "one")) {
		vms = one, n = 1, prio = one_prio;
	} else if (!strcmp(argv[1], "two")) {
		vms = two, n = 2, pts = two_pt, prio = two_prio;
	} else if (!strcmp(argv[1], "four")) {
		vms = four, n = 4, pts = four_pt, prio = four_prio;
	} else {
		fprintf(stderr, "%s: unknown seed '%s'\n", argv[0], argv[1]);
		return 2;
	}
	size = bb_size(vms, n);
	buf = malloc(size);
	if (!buf)
		return 1;
	bb_build(buf, argv[1][0] == 't' ? BUNDLE_F_CONSOLE_TAGGED : 0, vms, n);
	for (i = 0; pts && i < n; i++)
		if (pts[i])
			bb_put_passthrough(buf, size, i, pts[i]);
	for (i = 0; i < n; i++)
		bb_put32(bb_vm_at(buf, i) + BB_VM(priority), prio[i]);
	bb_fix_crcs(buf, size);
	f = fopen(argv[2], "wb");
	if (!f || fwrite(buf, 1, size, f) != size || fclose(f)) {
		perror(argv[2]);
		return 1;
	}
	free(buf);
	return 0;
}
