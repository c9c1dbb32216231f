/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Writes a valid boot bundle to seed fuzz_bundle: bundle_seeds {one|two|four|ivc} FILE. The
 * two and four seeds have passthrough devices (QEMU virt's PL031 and PL061, a few SPIs),
 * scheduling priorities and templates (VMs without autostart); in four, VMs share physical
 * CPUs. ivc has three VMs and two inter-VM channels (a channel table between the VM and
 * image tables).
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

static const struct bb_vm ivc[] = {
	{ "linux1", VM_F_AUTOSTART, 2, { 0x0, 0x1 }, 0x40000000, 64 * MIB, 6000, 3000, 900 },
	{ "linux2", VM_F_AUTOSTART, 1, { 0x2 }, 0x40000000, 32 * MIB, 6000, 3000, 900 },
	{ "bm", 0, 1, { 0x3 }, 0x80000000, 16 * MIB, 700, 0, 500 },
};

/* The ivc seed's channels: link (linux1, bm read-only), mesh (all three). */
struct seed_chan {
	const char *name;
	uint64_t size;
	uint32_t rate, n;
	uint32_t vm[BUNDLE_IVC_MAX_MEMBERS], flags[BUNDLE_IVC_MAX_MEMBERS];
};

static const struct seed_chan ivc_chans[] = {
	{ "link", 2 * MIB, 1000, 2, { 0, 2 }, { 0, BUNDLE_IVC_F_READ_ONLY } },
	{ "mesh", 64 << 10, 0, 3, { 1, 2, 0 }, { 0, 0, 0 } },
};

/*
 * A copy of the bundle b (size bytes, as bb_build() lays it out) with a channel table of n
 * entries right after the VM table, as ftvisor-mkimage places it: the image table behind
 * it, the image data moved back by a 4 KiB multiple when needed, offsets, total_size and
 * CRCs updated. *size becomes the new size.
 */
static uint8_t *add_channels(uint8_t *b, size_t *size, const struct seed_chan *ch, uint32_t n)
{
	const size_t chsz = sizeof(struct bundle_channel), imsz = sizeof(struct bundle_image);
	uint32_t n_vms = bb_get32(b + BB_HDR(n_vms)), n_img = bb_get32(b + BB_HDR(n_images));
	size_t ch_off = sizeof(struct bundle_header) + n_vms * sizeof(struct bundle_vm);
	size_t im_off = ch_off + n * chsz;
	size_t old_data = bb_align(ch_off + n_img * imsz, BUNDLE_ALIGN);
	size_t new_data = bb_align(im_off + n_img * imsz, BUNDLE_ALIGN);
	size_t shift = new_data - old_data, new_size = *size + shift;
	uint8_t *nb = calloc(1, new_size), *p;
	uint32_t i, k;

	if (!nb)
		return NULL;
	memcpy(nb, b, ch_off);
	memcpy(nb + im_off, b + ch_off, n_img * imsz);
	memcpy(nb + new_data, b + old_data, *size - old_data);
	bb_put32(nb + BB_HDR(image_offset), im_off);
	bb_put32(nb + BB_HDR(n_channels), n);
	bb_put32(nb + BB_HDR(channel_offset), n ? ch_off : 0);
	bb_put64(nb + BB_HDR(total_size), new_size);
	for (i = 0; i < n_img; i++) {
		p = nb + im_off + i * imsz + BB_IMG(offset);
		bb_put64(p, bb_get64(p) + shift);
	}
	for (i = 0; i < n; i++) {
		p = nb + ch_off + i * chsz;
		strncpy((char *)p, ch[i].name, BUNDLE_NAME_LEN);
		bb_put64(p + offsetof(struct bundle_channel, size), ch[i].size);
		bb_put32(p + offsetof(struct bundle_channel, n_members), ch[i].n);
		bb_put32(p + offsetof(struct bundle_channel, rate), ch[i].rate);
		for (k = 0; k < ch[i].n; k++) {
			bb_put32(p + offsetof(struct bundle_channel, members) + 8 * k, ch[i].vm[k]);
			bb_put32(p + offsetof(struct bundle_channel, members) + 8 * k + 4,
				 ch[i].flags[k]);
		}
	}
	bb_fix_crcs(nb, new_size);
	free(b);
	*size = new_size;
	return nb;
}

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
/* bm: the PL031 and an SPI next to its channels' INTx (INTIDs 48, 49) */
static const struct bb_pt pt_bm = { 1, { { 0x09010000, 0x1000 } }, 1, { 50 } };
static const struct bb_pt *const ivc_pt[] = { NULL, NULL, &pt_bm };

/* Scheduling priorities of the seeds' VMs, by VM index (0..BUNDLE_MAX_PRIORITY). */
static const uint32_t one_prio[] = { 0 };
static const uint32_t two_prio[] = { 2, 0 };
static const uint32_t four_prio[] = { 0, BUNDLE_MAX_PRIORITY, 3, 7 };
static const uint32_t ivc_prio[] = { 1, 0, 2 };

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
		fprintf(stderr, "usage: %s one|two|four|ivc FILE\n", argv[0]);
		return 2;
	}
	if (!strcmp(argv[1], "one")) {
		vms = one, n = 1, prio = one_prio;
	} else if (!strcmp(argv[1], "two")) {
		vms = two, n = 2, pts = two_pt, prio = two_prio;
	} else if (!strcmp(argv[1], "four")) {
		vms = four, n = 4, pts = four_pt, prio = four_prio;
	} else if (!strcmp(argv[1], "ivc")) {
		vms = ivc, n = 3, pts = ivc_pt, prio = ivc_prio;
	} else {
		fprintf(stderr, "%s: unknown seed '%s'\n", argv[0], argv[1]);
		return 2;
	}
	size = bb_size(vms, n);
	buf = malloc(size);
	if (!buf)
		return 1;
	bb_build(buf, argv[1][0] == 't' || argv[1][0] == 'i' ? BUNDLE_F_CONSOLE_TAGGED : 0, vms, n);
	for (i = 0; pts && i < n; i++)
		if (pts[i])
			bb_put_passthrough(buf, size, i, pts[i]);
	for (i = 0; i < n; i++)
		bb_put32(bb_vm_at(buf, i) + BB_VM(priority), prio[i]);
	bb_fix_crcs(buf, size);
	if (vms == ivc)
		buf = add_channels(buf, &size, ivc_chans, ARRAY_SIZE(ivc_chans));
	if (!buf)
		return 1;
	f = fopen(argv[2], "wb");
	if (!f || fwrite(buf, 1, size, f) != size || fclose(f)) {
		perror(argv[2]);
		return 1;
	}
	free(buf);
	return 0;
}
