/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bundle_validate() (core/manifest.c): valid bundles built by bundle_builder.h, then one test
 * per check, each changing one field of a valid bundle (CRCs recomputed unless the CRC is
 * the point) and asserting the exact message; truncations and a byte-mutation sweep.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "bundle_builder.h"
#include "core/bundle.h"
#include "core/ivc_layout.h"

#define MiB_ (1ULL << 20)
#define VM_SIZE sizeof(struct bundle_vm)

/*
 * The standard bundle: images 0 alpha kernel, 1 alpha dtb, 2 beta kernel, 3 beta initrd,
 * 4 beta dtb at 0x1000, 0x3000, 0x4000, 0x7000, 0xa000; total_size 0xb000.
 */
static const struct bb_vm std_vms[] = {
	{ "alpha", VM_F_AUTOSTART, 1, { 0x0 }, 0x40000000, 16 * MiB_, 5000, 0, 300 },
	{ "beta", VM_F_AUTOSTART | VM_F_INTROSPECTION, 2, { 0x1, 0x100 }, 0x100000000ULL,
	  32 * MiB_, 9000, 8193, 600 },
};

static uint8_t *buf;
static size_t len;
static char err[256];

static void build(uint32_t flags, const struct bb_vm *vms, uint32_t n)
{
	free(buf);
	len = bb_size(vms, n);
	buf = aligned_alloc(BUNDLE_ALIGN, bb_align(len, BUNDLE_ALIGN));
	assert_non_null(buf);
	assert_int_equal(bb_build(buf, flags, vms, n), len);
}

static void std_bundle(void)
{
	build(BUNDLE_F_CONSOLE_TAGGED, std_vms, 2);
	assert_int_equal(len, 0xb000);
}

static int teardown(void **state)
{
	(void)state;
	free(buf);
	buf = NULL;
	return 0;
}

static void fix(void)
{
	bb_fix_crcs(buf, len);
}

static void hdr32(size_t off, uint32_t v) { bb_put32(buf + off, v); }
static void hdr64(size_t off, uint64_t v) { bb_put64(buf + off, v); }
static void vm32(uint32_t i, size_t off, uint32_t v) { bb_put32(bb_vm_at(buf, i) + off, v); }
static void vm64(uint32_t i, size_t off, uint64_t v) { bb_put64(bb_vm_at(buf, i) + off, v); }
static void img32(uint32_t i, size_t off, uint32_t v) { bb_put32(bb_img_at(buf, i) + off, v); }
static void img64(uint32_t i, size_t off, uint64_t v) { bb_put64(bb_img_at(buf, i) + off, v); }

static void pt(uint32_t i, const struct bb_pt *p) { bb_put_passthrough(buf, len, i, p); }

static void vmname(uint32_t i, const char *name, size_t n)
{
	memset(bb_vm_at(buf, i), 0, BUNDLE_NAME_LEN);
	memcpy(bb_vm_at(buf, i), name, n);
}

static void expect_ok(void)
{
	int r;

	strcpy(err, "junk");
	r = bundle_validate(buf, len, err, sizeof(err));
	if (r != 0 || err[0])
		fail_msg("got %d \"%s\", expected success", r, err);
}

static void expect_err(const char *msg)
{
	int r = bundle_validate(buf, len, err, sizeof(err));

	if (r != -1 || strcmp(err, msg))
		fail_msg("got %d \"%s\", expected \"%s\"", r, err, msg);
}

/* ---- good bundles ---- */

static void t_good_std(void **state)
{
	(void)state;
	std_bundle();
	expect_ok();
	/* err may be NULL or empty */
	assert_int_equal(bundle_validate(buf, len, NULL, 0), 0);
	assert_int_equal(bundle_validate(buf, len, err, 0), 0);
	/* more bytes available than the bundle needs */
	assert_int_equal(bundle_validate(buf, len + 0, err, sizeof(err)), 0);
}

static void t_good_more_avail(void **state)
{
	uint8_t *big;

	(void)state;
	std_bundle();
	big = aligned_alloc(BUNDLE_ALIGN, len + 0x3000);
	assert_non_null(big);
	memset(big, 0xa5, len + 0x3000);
	memcpy(big, buf, len);
	assert_int_equal(bundle_validate(big, len + 0x3000, err, sizeof(err)), 0);
	free(big);
}

static void t_good_unaligned_pointer(void **state)
{
	uint8_t *raw;

	(void)state;
	std_bundle();
	/* the validator reads byte by byte, so it does not rely on alignment at all */
	for (int shift = 1; shift < 8; shift++) {
		raw = malloc(len + shift);
		assert_non_null(raw);
		memcpy(raw + shift, buf, len);
		assert_int_equal(bundle_validate(raw + shift, len, err, sizeof(err)), 0);
		free(raw);
	}
}

static void t_good_plain_console_and_flags(void **state)
{
	struct bb_vm v = { "a-b_c9", VM_F_KNOWN, 1, { 0x200 }, 0x80000000, 4 * MiB_, 1, 0, 1 };

	(void)state;
	build(0, &v, 1);
	expect_ok();
}

static void t_good_max(void **state)
{
	struct bb_vm vms[BUNDLE_MAX_VMS];
	static char names[BUNDLE_MAX_VMS][8];
	uint32_t i, k;

	(void)state;
	for (i = 0; i < BUNDLE_MAX_VMS; i++) {
		snprintf(names[i], sizeof(names[i]), "vm%u", i);
		vms[i] = (struct bb_vm){ names[i], VM_F_AUTOSTART, BUNDLE_MAX_VCPUS, { 0 },
					 0x40000000 + i * 8 * MiB_, 8 * MiB_, 100, 100, 100 };
		for (k = 0; k < BUNDLE_MAX_VCPUS; k++)
			vms[i].mpidr[k] = (uint64_t)i << 32 | (i << 16) | k; /* Aff3, Aff2, Aff0 */
	}
	build(0, vms, BUNDLE_MAX_VMS);
	assert_int_equal(bb_get32(buf + BB_HDR(n_images)), BUNDLE_MAX_IMAGES);
	expect_ok();
}

static void t_good_memory_edges(void **state)
{
	(void)state;
	std_bundle();
	/* RAM ending exactly at 2^40, and exactly at the device window (both allowed) */
	vm64(1, BB_VM(mem_ipa), BUNDLE_IPA_LIMIT - 32 * MiB_);
	vm64(0, BB_VM(mem_ipa), BUNDLE_DEV_BASE - 16 * MiB_);
	fix();
	expect_ok();
	vm64(0, BB_VM(mem_ipa), BUNDLE_DEV_END);
	fix();
	expect_ok();
	vm64(0, BB_VM(mem_ipa), 0);
	fix();
	expect_ok();
}

static void t_good_layout_edges(void **state)
{
	(void)state;
	std_bundle();
	/* dtb right below the kernel, kernel ending at the end of RAM, initrd right after it */
	vm64(0, BB_VM(dtb_offset), 2 * MiB_ - 304);
	vm64(0, BB_VM(kernel_offset), 16 * MiB_ - 5000);
	vm64(1, BB_VM(initrd_offset), 2 * MiB_ + 9000);
	fix();
	expect_ok();
}

static void t_good_shared_and_unused_images(void **state)
{
	(void)state;
	std_bundle();
	/* beta boots alpha's kernel; image #2 is then used by no VM, which is allowed */
	vm32(1, BB_VM(kernel), 0);
	fix();
	expect_ok();
}

static void t_good_padding_not_covered(void **state)
{
	(void)state;
	std_bundle();
	/* between images: covered by no CRC, ignored */
	buf[0x1000 + 5000] = 0xff;
	expect_ok();
}

/* ---- header ---- */

static void t_null(void **state)
{
	(void)state;
	assert_int_equal(bundle_validate(NULL, 100, err, sizeof(err)), -1);
	assert_string_equal(err, "bundle: none");
}

static void t_truncated(void **state)
{
	char want[128];
	uint8_t *part;
	size_t avail;

	(void)state;
	std_bundle();
	/* exact-size copies, so ASan catches any read past avail */
	for (avail = 0; avail < len; avail += avail < 0x300 ? 1 : 0x3f) {
		part = malloc(avail ? avail : 1);
		assert_non_null(part);
		memcpy(part, buf, avail);
		assert_int_equal(bundle_validate(part, avail, err, sizeof(err)), -1);
		if (avail < 64)
			snprintf(want, sizeof(want),
				 "bundle: truncated: %zu bytes, the header alone is 64", avail);
		else
			snprintf(want, sizeof(want),
				 "bundle: total_size 0xb000 exceeds the 0x%zx bytes available", avail);
		assert_string_equal(err, want);
		free(part);
	}
}

static void t_bad_magic(void **state)
{
	(void)state;
	std_bundle();
	buf[7] = '2';
	fix();
	expect_err("bundle: bad magic (not an ftvisor bundle)");
}

static void t_bad_version(void **state)
{
	(void)state;
	std_bundle();
	hdr32(BB_HDR(version), 2);
	fix();
	expect_err("bundle: version 2, expected 1");
}

static void t_bad_header_size(void **state)
{
	(void)state;
	std_bundle();
	hdr32(BB_HDR(header_size), 72);
	fix();
	expect_err("bundle: header_size 72, expected 64");
}

static void t_bad_reserved(void **state)
{
	(void)state;
	std_bundle();
	buf[63] = 1;
	fix();
	expect_err("bundle: reserved header bytes are not zero");
}

static void t_bad_header_flags(void **state)
{
	(void)state;
	std_bundle();
	hdr32(BB_HDR(flags), 0x7);
	fix();
	expect_err("bundle: unknown flags 0x6");
}

static void t_bad_total_size(void **state)
{
	(void)state;
	std_bundle();
	hdr64(BB_HDR(total_size), 0x9001);
	fix();
	expect_err("bundle: total_size 0x9001 is not a non-zero multiple of 4096");
	hdr64(BB_HDR(total_size), 0);
	fix();
	expect_err("bundle: total_size 0x0 is not a non-zero multiple of 4096");
}

static void t_total_size_past_avail(void **state)
{
	(void)state;
	std_bundle();
	hdr64(BB_HDR(total_size), 0xc000);
	fix();
	expect_err("bundle: total_size 0xc000 exceeds the 0xb000 bytes available");
	hdr64(BB_HDR(total_size), 0xfffffffffffff000ULL);
	fix();
	expect_err("bundle: total_size 0xfffffffffffff000 exceeds the 0xb000 bytes available");
}

static void t_no_vms(void **state)
{
	(void)state;
	std_bundle();
	hdr32(BB_HDR(n_vms), 0);
	fix();
	expect_err("bundle: no VMs");
}

static void t_too_many_vms(void **state)
{
	(void)state;
	std_bundle();
	hdr32(BB_HDR(n_vms), BUNDLE_MAX_VMS + 1);
	fix();
	expect_err("bundle: 17 VMs, at most 16");
	hdr32(BB_HDR(n_vms), 0xffffffff);
	fix();
	expect_err("bundle: 4294967295 VMs, at most 16");
}

static void t_too_many_images(void **state)
{
	(void)state;
	std_bundle();
	hdr32(BB_HDR(n_images), BUNDLE_MAX_IMAGES + 1);
	fix();
	expect_err("bundle: 49 images, at most 48");
}

static void t_bad_vm_offset(void **state)
{
	(void)state;
	std_bundle();
	hdr32(BB_HDR(vm_offset), 68);
	fix();
	expect_err("bundle: vm_offset 0x44 is misaligned or inside the header");
	hdr32(BB_HDR(vm_offset), 56);
	fix();
	expect_err("bundle: vm_offset 0x38 is misaligned or inside the header");
}

static void t_vm_table_past_end(void **state)
{
	(void)state;
	std_bundle();
	hdr32(BB_HDR(vm_offset), 0xb000 - 8);
	fix();
	expect_err("bundle: the VM table runs past total_size");
	hdr32(BB_HDR(vm_offset), 0xfffffff8);
	fix();
	expect_err("bundle: the VM table runs past total_size");
}

static void t_bad_image_offset(void **state)
{
	(void)state;
	std_bundle();
	hdr32(BB_HDR(image_offset), 0x1fc);
	fix();
	expect_err("bundle: image_offset 0x1fc is misaligned or inside the header");
	hdr32(BB_HDR(image_offset), 0);
	fix();
	expect_err("bundle: image_offset 0x0 is misaligned or inside the header");
}

static void t_image_table_past_end(void **state)
{
	(void)state;
	std_bundle();
	hdr32(BB_HDR(image_offset), 0xb000 - 8);
	fix();
	expect_err("bundle: the image table runs past total_size");
}

static void t_tables_overlap(void **state)
{
	(void)state;
	std_bundle();
	hdr32(BB_HDR(image_offset), 64 + VM_SIZE);
	fix();
	expect_err("bundle: the VM and image tables overlap");
	hdr32(BB_HDR(image_offset), 64);
	fix();
	expect_err("bundle: the VM and image tables overlap");
}

/* ---- image table ---- */

static void t_image_bad_kind(void **state)
{
	(void)state;
	std_bundle();
	img32(3, BB_IMG(kind), 7);
	fix();
	expect_err("vm 'beta': initrd image #3: unknown kind 7");
	img32(3, BB_IMG(kind), 0);
	fix();
	expect_err("vm 'beta': initrd image #3: unknown kind 0");
}

static void t_image_unused_named_by_index(void **state)
{
	(void)state;
	std_bundle();
	vm32(1, BB_VM(kernel), 0);
	img32(2, BB_IMG(kind), 9);
	fix();
	expect_err("image #2: unknown kind 9");
}

static void t_image_owner_with_bad_name(void **state)
{
	(void)state;
	std_bundle();
	vmname(0, "9lives", 6);
	img32(0, BB_IMG(kind), 0);
	fix();
	expect_err("vm #0: kernel image #0: unknown kind 0");
}

static void t_image_misaligned(void **state)
{
	(void)state;
	std_bundle();
	img64(1, BB_IMG(offset), 0x2001);
	fix();
	expect_err("vm 'alpha': dtb image #1: offset 0x2001 is not 4096-byte aligned");
}

static void t_image_empty(void **state)
{
	(void)state;
	std_bundle();
	img64(4, BB_IMG(size), 0);
	fix();
	expect_err("vm 'beta': dtb image #4: empty");
}

static void t_image_over_tables(void **state)
{
	(void)state;
	std_bundle();
	img64(0, BB_IMG(offset), 0);
	fix();
	expect_err("vm 'alpha': kernel image #0: offset 0x0 overlaps the bundle header or tables");
}

static void t_image_out_of_order(void **state)
{
	(void)state;
	std_bundle();
	img64(2, BB_IMG(offset), 0x2000);
	fix();
	expect_err("vm 'beta': kernel image #2: offset 0x2000 overlaps image #1 (images must be in table order)");
	std_bundle();
	img64(2, BB_IMG(offset), 0x1000);
	fix();
	expect_err("vm 'beta': kernel image #2: offset 0x1000 overlaps image #1 (images must be in table order)");
}

static void t_image_past_end(void **state)
{
	(void)state;
	std_bundle();
	img64(4, BB_IMG(size), 0x1001);
	fix();
	expect_err("vm 'beta': dtb image #4: 0x1001 bytes at 0xa000 run past total_size 0xb000");
	img64(4, BB_IMG(size), 0xfffffffffffff000ULL);
	fix();
	expect_err("vm 'beta': dtb image #4: 0xfffffffffffff000 bytes at 0xa000 run past total_size 0xb000");
	img64(4, BB_IMG(size), 1);
	img64(4, BB_IMG(offset), 0xb000);
	fix();
	expect_err("vm 'beta': dtb image #4: 0x1 bytes at 0xb000 run past total_size 0xb000");
	img64(4, BB_IMG(offset), 0xfffffffffffff000ULL);
	fix();
	expect_err("vm 'beta': dtb image #4: 0x1 bytes at 0xfffffffffffff000 run past total_size 0xb000");
}

/* ---- header CRC ---- */

static void t_header_crc(void **state)
{
	uint32_t good;
	char want[128];

	(void)state;
	std_bundle();
	good = bb_get32(buf + BB_HDR(header_crc));
	hdr32(BB_HDR(header_crc), good ^ 1);
	snprintf(want, sizeof(want), "bundle: header CRC 0x%08x, computed 0x%08x", good ^ 1, good);
	expect_err(want);
}

/* The header CRC of buf as it is now: bytes [0, first image) with the field taken as 0. */
static uint32_t current_crc(void)
{
	uint8_t copy[0x1000];

	memcpy(copy, buf, sizeof(copy));
	bb_put32(copy + BB_HDR(header_crc), 0);
	return crc32_update(0, copy, sizeof(copy));
}

static void t_header_crc_covers_tables(void **state)
{
	uint32_t good;
	char want[128];

	(void)state;
	/* a VM field, an image entry, the padding between the tables and the first image */
	static const size_t spots[] = { 64 + 104, 64 + 2 * VM_SIZE + 8, 0xfff };

	for (size_t i = 0; i < sizeof(spots) / sizeof(spots[0]); i++) {
		std_bundle();
		good = bb_get32(buf + BB_HDR(header_crc));
		buf[spots[i]] ^= 0x20;
		snprintf(want, sizeof(want), "bundle: header CRC 0x%08x, computed 0x%08x", good,
			 current_crc());
		expect_err(want);
	}
}

/* ---- VMs ---- */

static void t_name_unterminated(void **state)
{
	(void)state;
	std_bundle();
	vmname(1, "abcdefghijklmnopqrstuvwxyzabcdef", 32);
	fix();
	expect_err("vm #1: name is not NUL-terminated");
}

static void t_name_first_char(void **state)
{
	(void)state;
	std_bundle();
	vmname(1, "1beta", 5);
	fix();
	expect_err("vm #1: name must start with a letter a-z");
	vmname(1, "", 0);
	fix();
	expect_err("vm #1: name must start with a letter a-z");
	vmname(1, "_b", 2);
	fix();
	expect_err("vm #1: name must start with a letter a-z");
}

static void t_name_bad_char(void **state)
{
	(void)state;
	std_bundle();
	vmname(1, "be.ta", 5);
	fix();
	expect_err("vm #1: bad character 0x2e in name (allowed: a-z 0-9 _ -)");
	vmname(1, "bEta", 4);
	fix();
	expect_err("vm #1: bad character 0x45 in name (allowed: a-z 0-9 _ -)");
	vmname(1, "b\xff", 2);
	fix();
	expect_err("vm #1: bad character 0xff in name (allowed: a-z 0-9 _ -)");
}

static void t_name_31_chars_ok(void **state)
{
	(void)state;
	std_bundle();
	vmname(1, "abcdefghijklmnopqrstuvwxyz01234", 31);
	fix();
	expect_ok();
}

static void t_name_duplicate(void **state)
{
	(void)state;
	std_bundle();
	vmname(1, "alpha", 5);
	fix();
	expect_err("vm 'alpha': duplicate name (vm #0 has it too)");
}

static void t_vm_bad_flags(void **state)
{
	(void)state;
	std_bundle();
	vm32(0, BB_VM(flags), VM_F_AUTOSTART | 0x10);
	fix();
	expect_err("vm 'alpha': unknown flags 0x10");
}

/* mixed-cores (bit 3) is known, alone and with the others; the bit above it is not. */
static void t_vm_mixed_cores_flag(void **state)
{
	(void)state;
	assert_int_equal(VM_F_MIXED_CORES, 0x8);
	assert_int_equal(VM_F_KNOWN, 0xf);
	std_bundle();
	vm32(1, BB_VM(flags), VM_F_MIXED_CORES);
	fix();
	expect_ok();
	vm32(0, BB_VM(flags), VM_F_AUTOSTART | VM_F_MIXED_CORES | VM_F_STOP_ON_UNHANDLED);
	fix();
	expect_ok();
	vm32(0, BB_VM(flags), VM_F_MIXED_CORES | (VM_F_MIXED_CORES << 1));
	fix();
	expect_err("vm 'alpha': unknown flags 0x10");
}

static void t_vm_priority(void **state)
{
	(void)state;
	std_bundle();
	/* the field sits where reserved0 was: byte 132 of the VM entry */
	assert_int_equal(BB_VM(priority), 132);
	assert_int_equal(bb_get32(bb_vm_at(buf, 0) + 132), 0);
	expect_ok(); /* 0, the default */
	vm32(0, BB_VM(priority), 1);
	vm32(1, BB_VM(priority), BUNDLE_MAX_PRIORITY);
	fix();
	expect_ok();
	vm32(1, BB_VM(priority), 16);
	fix();
	expect_err("vm 'beta': priority 16 is above 15");
	vm32(1, BB_VM(priority), BUNDLE_MAX_PRIORITY);
	vm32(0, BB_VM(priority), 0xffffffff);
	fix();
	expect_err("vm 'alpha': priority 4294967295 is above 15");
	vm32(0, BB_VM(priority), 0x100); /* no byte of it ignored */
	fix();
	expect_err("vm 'alpha': priority 256 is above 15");
}

static void t_vcpu_count(void **state)
{
	(void)state;
	std_bundle();
	vm32(0, BB_VM(n_vcpus), 0);
	fix();
	expect_err("vm 'alpha': 0 vCPUs, must be 1 to 8");
	vm32(0, BB_VM(n_vcpus), 9);
	fix();
	expect_err("vm 'alpha': 9 vCPUs, must be 1 to 8");
}

static void t_vcpu_unused_slot(void **state)
{
	(void)state;
	std_bundle();
	vm64(0, BB_VM(vcpu_mpidr) + 8 * 7, 5);
	fix();
	expect_err("vm 'alpha': vcpu_mpidr[7] is set but the VM has 1 vCPUs");
}

static void t_vcpu_mpidr_bits(void **state)
{
	(void)state;
	std_bundle();
	vm64(1, BB_VM(vcpu_mpidr), 0x80000001);
	fix();
	expect_err("vm 'beta': vCPU 0: MPIDR 0x80000001 has bits outside the affinity fields");
	vm64(1, BB_VM(vcpu_mpidr), 0x10000000001ULL);
	fix();
	expect_err("vm 'beta': vCPU 0: MPIDR 0x10000000001 has bits outside the affinity fields");
	vm64(1, BB_VM(vcpu_mpidr), 0xff00ffffffULL); /* every affinity bit: fine */
	fix();
	expect_ok();
}

static void t_vcpu_twice_in_vm(void **state)
{
	(void)state;
	std_bundle();
	vm64(1, BB_VM(vcpu_mpidr) + 8, 0x1);
	fix();
	expect_err("vm 'beta': vCPUs 0 and 1 are both on physical CPU 0x1");
}

/* VMs may share physical CPUs (time-sliced by the scheduler): accepted. */
static void t_vcpu_twice_across_vms(void **state)
{
	(void)state;
	std_bundle();
	vm64(1, BB_VM(vcpu_mpidr) + 8, 0x0);
	fix();
	expect_ok();
	/* within one VM each vCPU still needs its own physical CPU */
	vm64(1, BB_VM(vcpu_mpidr), 0x0);
	fix();
	expect_err("vm 'beta': vCPUs 0 and 1 are both on physical CPU 0x0");
}

/* Every VM on the same CPUs: 16 VMs of 8 vCPUs each on CPUs 0-7, priorities 0-15. */
static void t_vcpu_all_vms_share(void **state)
{
	struct bb_vm vms[BUNDLE_MAX_VMS];
	static char names[BUNDLE_MAX_VMS][8];
	uint32_t i, k;

	(void)state;
	for (i = 0; i < BUNDLE_MAX_VMS; i++) {
		snprintf(names[i], sizeof(names[i]), "vm%u", i);
		vms[i] = (struct bb_vm){ names[i], i % 2 ? 0 : VM_F_AUTOSTART, BUNDLE_MAX_VCPUS,
					 { 0 }, 0x40000000, 8 * MiB_, 100, 100, 100 };
		for (k = 0; k < BUNDLE_MAX_VCPUS; k++)
			vms[i].mpidr[k] = k;
	}
	build(0, vms, BUNDLE_MAX_VMS);
	for (i = 0; i < BUNDLE_MAX_VMS; i++)
		vm32(i, BB_VM(priority), i);
	fix();
	expect_ok();
	vm32(BUNDLE_MAX_VMS - 1, BB_VM(priority), BUNDLE_MAX_VMS);
	fix();
	expect_err("vm 'vm15': priority 16 is above 15");
}

static void t_mem_ipa_misaligned(void **state)
{
	(void)state;
	std_bundle();
	vm64(0, BB_VM(mem_ipa), 0x40100000);
	fix();
	expect_err("vm 'alpha': mem_ipa 0x40100000 is not 2 MiB aligned");
}

static void t_mem_size_bad(void **state)
{
	(void)state;
	std_bundle();
	vm64(0, BB_VM(mem_size), 0);
	fix();
	expect_err("vm 'alpha': mem_size 0x0 is not a non-zero multiple of 2 MiB");
	vm64(0, BB_VM(mem_size), 16 * MiB_ + 4096);
	fix();
	expect_err("vm 'alpha': mem_size 0x1001000 is not a non-zero multiple of 2 MiB");
}

static void t_mem_beyond_2_40(void **state)
{
	(void)state;
	std_bundle();
	vm64(1, BB_VM(mem_ipa), BUNDLE_IPA_LIMIT - 16 * MiB_);
	fix();
	expect_err("vm 'beta': RAM at 0xffff000000, 0x2000000 bytes, reaches beyond 2^40");
	vm64(1, BB_VM(mem_ipa), 0xffffffffffe00000ULL);
	fix();
	expect_err("vm 'beta': RAM at 0xffffffffffe00000, 0x2000000 bytes, reaches beyond 2^40");
	/* a size that would wrap the end address */
	vm64(1, BB_VM(mem_ipa), 2 * MiB_);
	vm64(1, BB_VM(mem_size), 0xffffffffffe00000ULL);
	fix();
	expect_err("vm 'beta': RAM at 0x200000, 0xffffffffffe00000 bytes, reaches beyond 2^40");
}

static void t_mem_device_window(void **state)
{
	(void)state;
	std_bundle();
	vm64(0, BB_VM(mem_ipa), 0x08000000);
	fix();
	expect_err("vm 'alpha': RAM [0x8000000, 0x9000000) overlaps the device window [0x8000000, 0xb000000)");
	vm64(0, BB_VM(mem_ipa), 0x0a800000);
	fix();
	expect_err("vm 'alpha': RAM [0xa800000, 0xb800000) overlaps the device window [0x8000000, 0xb000000)");
	vm64(0, BB_VM(mem_ipa), 0x07200000);
	fix();
	expect_err("vm 'alpha': RAM [0x7200000, 0x8200000) overlaps the device window [0x8000000, 0xb000000)");
}

static void t_kernel_index(void **state)
{
	(void)state;
	std_bundle();
	vm32(0, BB_VM(kernel), 5);
	fix();
	expect_err("vm 'alpha': kernel image index 5 out of range (5 images)");
	vm32(0, BB_VM(kernel), BUNDLE_NO_IMAGE);
	fix();
	expect_err("vm 'alpha': kernel image index 4294967295 out of range (5 images)");
}

static void t_kernel_kind(void **state)
{
	(void)state;
	std_bundle();
	vm32(0, BB_VM(kernel), 1);
	fix();
	expect_err("vm 'alpha': kernel image #1 has kind dtb");
}

static void t_dtb_index_and_kind(void **state)
{
	(void)state;
	std_bundle();
	vm32(0, BB_VM(dtb), BUNDLE_NO_IMAGE);
	fix();
	expect_err("vm 'alpha': dtb image index 4294967295 out of range (5 images)");
	vm32(0, BB_VM(dtb), 0);
	fix();
	expect_err("vm 'alpha': dtb image #0 has kind kernel");
	vm32(0, BB_VM(dtb), 3);
	fix();
	expect_err("vm 'alpha': dtb image #3 has kind initrd");
}

static void t_initrd_index_and_kind(void **state)
{
	(void)state;
	std_bundle();
	vm32(1, BB_VM(initrd), 4);
	fix();
	expect_err("vm 'beta': initrd image #4 has kind dtb");
	vm32(1, BB_VM(initrd), 5);
	fix();
	expect_err("vm 'beta': initrd image index 5 out of range (5 images)");
}

static void t_initrd_offset_without_initrd(void **state)
{
	(void)state;
	std_bundle();
	vm64(0, BB_VM(initrd_offset), 4 * MiB_);
	fix();
	expect_err("vm 'alpha': initrd_offset set without an initrd");
}

static void t_kernel_offset_misaligned(void **state)
{
	(void)state;
	std_bundle();
	vm64(0, BB_VM(kernel_offset), 2 * MiB_ + 2);
	fix();
	expect_err("vm 'alpha': kernel_offset 0x200002 is not 4-byte aligned");
}

static void t_dtb_offset_misaligned(void **state)
{
	(void)state;
	std_bundle();
	vm64(0, BB_VM(dtb_offset), 4);
	fix();
	expect_err("vm 'alpha': dtb_offset 0x4 is not 8-byte aligned");
}

static void t_kernel_does_not_fit(void **state)
{
	(void)state;
	std_bundle();
	vm64(0, BB_VM(kernel_offset), 16 * MiB_ - 8);
	fix();
	expect_err("vm 'alpha': kernel (0x1388 bytes at RAM offset 0xfffff8) does not fit in 0x1000000 bytes of RAM");
	vm64(0, BB_VM(kernel_offset), 0xfffffffffffffff0ULL);
	fix();
	expect_err("vm 'alpha': kernel (0x1388 bytes at RAM offset 0xfffffffffffffff0) does not fit in 0x1000000 bytes of RAM");
}

static void t_dtb_does_not_fit(void **state)
{
	(void)state;
	std_bundle();
	vm64(0, BB_VM(dtb_offset), 16 * MiB_ - 0x100);
	fix();
	expect_err("vm 'alpha': dtb (0x12c bytes at RAM offset 0xffff00) does not fit in 0x1000000 bytes of RAM");
}

static void t_initrd_does_not_fit(void **state)
{
	(void)state;
	std_bundle();
	vm64(1, BB_VM(initrd_offset), 32 * MiB_ - 8);
	fix();
	expect_err("vm 'beta': initrd (0x2001 bytes at RAM offset 0x1fffff8) does not fit in 0x2000000 bytes of RAM");
}

static void t_kernel_dtb_overlap(void **state)
{
	(void)state;
	std_bundle();
	vm64(0, BB_VM(dtb_offset), 2 * MiB_ + 4096);
	fix();
	expect_err("vm 'alpha': kernel and dtb overlap in RAM");
	vm64(0, BB_VM(dtb_offset), 2 * MiB_ - 296); /* last dtb byte on the kernel's first */
	fix();
	expect_err("vm 'alpha': kernel and dtb overlap in RAM");
}

static void t_kernel_initrd_overlap(void **state)
{
	(void)state;
	std_bundle();
	vm64(1, BB_VM(initrd_offset), 2 * MiB_ + 8000);
	fix();
	expect_err("vm 'beta': kernel and initrd overlap in RAM");
	vm64(1, BB_VM(initrd_offset), 2 * MiB_ - 100);
	fix();
	expect_err("vm 'beta': kernel and initrd overlap in RAM");
}

static void t_initrd_dtb_overlap(void **state)
{
	(void)state;
	std_bundle();
	vm64(1, BB_VM(initrd_offset), 0);
	fix();
	expect_err("vm 'beta': initrd and dtb overlap in RAM");
}

static void t_image_crc(void **state)
{
	uint32_t good;
	char want[128];

	(void)state;
	std_bundle();
	good = bb_get32(bb_img_at(buf, 3) + BB_IMG(crc32));
	buf[0x7000 + 8192] ^= 0x40; /* the initrd's last byte: header CRC unaffected */
	snprintf(want, sizeof(want), "vm 'beta': initrd image #3: CRC 0x%08x, computed 0x%08x",
		 good, crc32_update(0, buf + 0x7000, 8193));
	expect_err(want);
}

/* ---- passthrough devices ---- */

/* alpha: QEMU virt's PL031 and PL061, SPIs 2 and 7; beta: 2 MiB at 512 MiB, INTIDs 35, 1019. */
static const struct bb_pt pt_alpha = {
	2, { { 0x09010000, 0x1000 }, { 0x09030000, 0x1000 } }, 2, { 34, 39 },
};
static const struct bb_pt pt_beta = { 1, { { 0x20000000, 2 * MiB_ } }, 2, { 35, 1019 } };

static void pt_bundle(void)
{
	std_bundle();
	pt(0, &pt_alpha);
	pt(1, &pt_beta);
	expect_ok();
}

static void t_pt_good(void **state)
{
	(void)state;
	pt_bundle();
	/* the field offsets the hypervisor and the tool agree on */
	assert_int_equal(VM_SIZE, 264);
	assert_int_equal(BB_VM(n_passthrough_mmio), 160);
	assert_int_equal(BB_VM(n_passthrough_irqs), 164);
	assert_int_equal(BB_VM(passthrough_mmio), 168);
	assert_int_equal(BB_VM(passthrough_irqs), 232);
	assert_int_equal(bb_get64(bb_vm_at(buf, 0) + 168 + 16 + 8), 0x1000);
	assert_int_equal(bb_get32(bb_vm_at(buf, 1) + 232 + 4), 1019);
}

static void t_pt_good_edges(void **state)
{
	/* right after the GICD, the GICR frames of 8 vCPUs, the UART, the test device, ending
	 * right before them, right after and right before RAM, ending exactly at 2^40 */
	static const struct bb_pt a = {
		4, { { 0x08010000, 0x90000 }, { 0x081a0000, 0xe60000 }, { 0x09001000, 0xfff000 },
		     { 0x0a001000, 0x1000 } },
		8, { 32, 34, 35, 36, 37, 38, 39, 1019 },
	};
	static const struct bb_pt b = {
		4, { { 0x07fff000, 0x1000 }, { 0x41000000, 0x1000 }, { 0x3ffff000, 0x1000 },
		     { BUNDLE_IPA_LIMIT - 0x1000, 0x1000 } },
		0, { 0 },
	};

	(void)state;
	std_bundle();
	pt(0, &a);
	pt(1, &b);
	expect_ok();
}

static void t_pt_too_many_mmio(void **state)
{
	(void)state;
	pt_bundle();
	vm32(0, BB_VM(n_passthrough_mmio), BUNDLE_MAX_PT_MMIO + 1);
	fix();
	expect_err("vm 'alpha': 5 passthrough MMIO regions, at most 4");
	vm32(0, BB_VM(n_passthrough_mmio), 0xffffffff);
	fix();
	expect_err("vm 'alpha': 4294967295 passthrough MMIO regions, at most 4");
}

static void t_pt_too_many_irqs(void **state)
{
	(void)state;
	pt_bundle();
	vm32(1, BB_VM(n_passthrough_irqs), BUNDLE_MAX_PT_IRQS + 1);
	fix();
	expect_err("vm 'beta': 9 passthrough IRQs, at most 8");
}

static void t_pt_unused_mmio_slot(void **state)
{
	(void)state;
	pt_bundle();
	vm64(1, BB_VM(passthrough_mmio) + 16 * 3 + 8, 0x1000);
	fix();
	expect_err("vm 'beta': passthrough_mmio[3] is set but the VM has 1 regions");
	pt_bundle();
	vm64(0, BB_VM(passthrough_mmio) + 16 * 2, 0x09020000); /* a base alone counts too */
	fix();
	expect_err("vm 'alpha': passthrough_mmio[2] is set but the VM has 2 regions");
	/* a count of 0 with entries left behind */
	pt_bundle();
	vm32(0, BB_VM(n_passthrough_mmio), 0);
	fix();
	expect_err("vm 'alpha': passthrough_mmio[0] is set but the VM has 0 regions");
}

static void t_pt_unused_irq_slot(void **state)
{
	(void)state;
	pt_bundle();
	vm32(1, BB_VM(passthrough_irqs) + 4 * 7, 40);
	fix();
	expect_err("vm 'beta': passthrough_irqs[7] is set but the VM has 2 IRQs");
}

static void t_pt_mmio_empty(void **state)
{
	(void)state;
	pt_bundle();
	vm64(0, BB_VM(passthrough_mmio) + 16 + 8, 0);
	fix();
	expect_err("vm 'alpha': passthrough mmio #1 0x9030000: empty (size 0)");
}

static void t_pt_mmio_base_misaligned(void **state)
{
	(void)state;
	pt_bundle();
	vm64(0, BB_VM(passthrough_mmio), 0x09010800);
	fix();
	expect_err("vm 'alpha': passthrough mmio #0 0x9010800: base is not 4 KiB aligned");
}

static void t_pt_mmio_size_misaligned(void **state)
{
	(void)state;
	pt_bundle();
	vm64(0, BB_VM(passthrough_mmio) + 8, 0x1800);
	fix();
	expect_err("vm 'alpha': passthrough mmio #0 0x9010000: size 0x1800 is not a multiple of 4 KiB");
	vm64(0, BB_VM(passthrough_mmio) + 8, 0x200);
	fix();
	expect_err("vm 'alpha': passthrough mmio #0 0x9010000: size 0x200 is not a multiple of 4 KiB");
}

static void t_pt_mmio_beyond_2_40(void **state)
{
	(void)state;
	pt_bundle();
	vm64(1, BB_VM(passthrough_mmio), BUNDLE_IPA_LIMIT - 0x1000);
	fix();
	expect_err("vm 'beta': passthrough mmio #0 0xfffffff000: 0x200000 bytes reach beyond 2^40");
	vm64(1, BB_VM(passthrough_mmio), BUNDLE_IPA_LIMIT);
	vm64(1, BB_VM(passthrough_mmio) + 8, 0x1000);
	fix();
	expect_err("vm 'beta': passthrough mmio #0 0x10000000000: 0x1000 bytes reach beyond 2^40");
	/* a size that would wrap the end address */
	vm64(1, BB_VM(passthrough_mmio), 0x20000000);
	vm64(1, BB_VM(passthrough_mmio) + 8, 0xfffffffff0000000ULL);
	fix();
	expect_err("vm 'beta': passthrough mmio #0 0x20000000: 0xfffffffff0000000 bytes reach beyond 2^40");
}

static void t_pt_mmio_ram(void **state)
{
	(void)state;
	pt_bundle();
	vm64(0, BB_VM(passthrough_mmio) + 16, 0x40fff000);
	vm64(0, BB_VM(passthrough_mmio) + 16 + 8, 0x2000);
	fix();
	expect_err("vm 'alpha': passthrough mmio #1 0x40fff000: overlaps the VM's RAM [0x40000000, 0x41000000)");
	vm64(0, BB_VM(passthrough_mmio) + 16, 0x3ffff000);
	fix();
	expect_err("vm 'alpha': passthrough mmio #1 0x3ffff000: overlaps the VM's RAM [0x40000000, 0x41000000)");
	/* beta's RAM, at 4 GiB, covers it whole */
	pt_bundle();
	vm64(1, BB_VM(passthrough_mmio), 0x100100000ULL);
	fix();
	expect_err("vm 'beta': passthrough mmio #0 0x100100000: overlaps the VM's RAM [0x100000000, 0x102000000)");
}

static void t_pt_mmio_emulated(void **state)
{
	static const struct {
		uint64_t base, size;
		const char *msg;
	} cases[] = {
		{ 0x07fff000, 0x2000, "vm 'alpha': passthrough mmio #0 0x7fff000: overlaps the emulated GIC distributor [0x8000000, 0x8010000)" },
		{ 0x0800f000, 0x1000, "vm 'alpha': passthrough mmio #0 0x800f000: overlaps the emulated GIC distributor [0x8000000, 0x8010000)" },
		{ 0x08190000, 0x20000, "vm 'alpha': passthrough mmio #0 0x8190000: overlaps the emulated GIC redistributors [0x80a0000, 0x81a0000)" },
		{ 0x08000000, 0x2000000, "vm 'alpha': passthrough mmio #0 0x8000000: overlaps the emulated GIC distributor [0x8000000, 0x8010000)" },
		{ 0x08fff000, 0x2000, "vm 'alpha': passthrough mmio #0 0x8fff000: overlaps the emulated UART [0x9000000, 0x9001000)" },
		{ 0x0a000000, 0x1000, "vm 'alpha': passthrough mmio #0 0xa000000: overlaps the emulated test device [0xa000000, 0xa001000)" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		pt_bundle();
		vm64(0, BB_VM(passthrough_mmio), cases[i].base);
		vm64(0, BB_VM(passthrough_mmio) + 8, cases[i].size);
		fix();
		expect_err(cases[i].msg);
	}
}

static void t_pt_mmio_twice_in_vm(void **state)
{
	(void)state;
	pt_bundle();
	vm64(0, BB_VM(passthrough_mmio) + 16, 0x09010000);
	fix();
	expect_err("vm 'alpha': passthrough mmio #1 0x9010000: overlaps passthrough mmio #0 0x9010000 of the same VM");
	vm64(0, BB_VM(passthrough_mmio) + 16, 0x09000000 + 0x2000);
	vm64(0, BB_VM(passthrough_mmio) + 16 + 8, 0x10000);
	fix();
	expect_err("vm 'alpha': passthrough mmio #1 0x9002000: overlaps passthrough mmio #0 0x9010000 of the same VM");
}

static void t_pt_mmio_other_vm(void **state)
{
	(void)state;
	pt_bundle();
	vm64(1, BB_VM(passthrough_mmio), 0x09030000);
	vm64(1, BB_VM(passthrough_mmio) + 8, 0x1000);
	fix();
	expect_err("vm 'beta': passthrough mmio #0 0x9030000: overlaps passthrough mmio #1 0x9030000 of vm 'alpha'");
	vm64(1, BB_VM(passthrough_mmio), 0x09000000 + 0x4000);
	vm64(1, BB_VM(passthrough_mmio) + 8, 0x10000);
	fix();
	expect_err("vm 'beta': passthrough mmio #0 0x9004000: overlaps passthrough mmio #0 0x9010000 of vm 'alpha'");
}

static void t_pt_irq_not_spi(void **state)
{
	(void)state;
	pt_bundle();
	vm32(0, BB_VM(passthrough_irqs) + 4, 31);
	fix();
	expect_err("vm 'alpha': passthrough irq 31: not an SPI (INTIDs 32-1019)");
	vm32(0, BB_VM(passthrough_irqs) + 4, 1020);
	fix();
	expect_err("vm 'alpha': passthrough irq 1020: not an SPI (INTIDs 32-1019)");
	vm32(0, BB_VM(passthrough_irqs) + 4, 0); /* a used slot may not be 0 either */
	fix();
	expect_err("vm 'alpha': passthrough irq 0: not an SPI (INTIDs 32-1019)");
	vm32(0, BB_VM(passthrough_irqs) + 4, 0xffffffff);
	fix();
	expect_err("vm 'alpha': passthrough irq 4294967295: not an SPI (INTIDs 32-1019)");
}

static void t_pt_irq_uart(void **state)
{
	(void)state;
	pt_bundle();
	vm32(1, BB_VM(passthrough_irqs), 33);
	fix();
	expect_err("vm 'beta': passthrough irq 33: is the emulated UART's interrupt");
}

static void t_pt_irq_twice_in_vm(void **state)
{
	(void)state;
	pt_bundle();
	vm32(0, BB_VM(passthrough_irqs) + 4, 34);
	fix();
	expect_err("vm 'alpha': passthrough irq 34: listed twice");
}

static void t_pt_irq_other_vm(void **state)
{
	(void)state;
	pt_bundle();
	vm32(1, BB_VM(passthrough_irqs) + 4, 39);
	fix();
	expect_err("vm 'beta': passthrough irq 39: already passed through to vm 'alpha'");
}

static void t_pt_checked_after_images(void **state)
{
	(void)state;
	/* one reason per bundle: the image problem of the same VM is reported first */
	pt_bundle();
	vm32(0, BB_VM(n_passthrough_irqs), 9);
	vm64(0, BB_VM(dtb_offset), 4);
	fix();
	expect_err("vm 'alpha': dtb_offset 0x4 is not 8-byte aligned");
}

/* ---- robustness ---- */

/*
 * Every byte of the header and tables set to a few values, CRCs fixed: no crash, a reason. Both
 * the standard bundle and one with passthrough devices.
 */
/* ---- inter-VM channels ---- */

#define BB_CH(f) offsetof(struct bundle_channel, f)
#define CH_SIZE sizeof(struct bundle_channel)

struct tc_chan {
	const char *name;
	uint64_t size;
	uint32_t rate, n;
	struct { uint32_t vm, flags; } m[BUNDLE_IVC_MAX_MEMBERS];
};

static uint8_t *ch_at(uint32_t i)
{
	return buf + bb_get32(buf + BB_HDR(channel_offset)) + (size_t)i * CH_SIZE;
}

static void ch_put(uint32_t i, const struct tc_chan *c)
{
	uint8_t *p = ch_at(i);

	memset(p, 0, CH_SIZE);
	strncpy((char *)p, c->name, BUNDLE_NAME_LEN);
	bb_put64(p + BB_CH(size), c->size);
	bb_put32(p + BB_CH(n_members), c->n);
	bb_put32(p + BB_CH(rate), c->rate);
	for (uint32_t k = 0; k < BUNDLE_IVC_MAX_MEMBERS; k++) {
		bb_put32(p + BB_CH(members) + 8 * k, c->m[k].vm);
		bb_put32(p + BB_CH(members) + 8 * k + 4, c->m[k].flags);
	}
}

static void ch32(uint32_t i, size_t off, uint32_t v) { bb_put32(ch_at(i) + off, v); }
static void ch64(uint32_t i, size_t off, uint64_t v) { bb_put64(ch_at(i) + off, v); }

/*
 * Gives the bundle in buf (as bb_build() lays it out) a channel table of n entries right
 * after the VM table, as ftvisor-mkimage places it: the image table follows it, the image
 * data moves back by a 4 KiB multiple when the tables outgrow their first page(s), image
 * offsets and total_size follow, CRCs are recomputed.
 */
static void add_channels(const struct tc_chan *chans, uint32_t n)
{
	uint32_t n_vms = bb_get32(buf + BB_HDR(n_vms)), n_img = bb_get32(buf + BB_HDR(n_images));
	size_t ch_off = sizeof(struct bundle_header) + n_vms * VM_SIZE;
	size_t old_img = bb_get32(buf + BB_HDR(image_offset)), new_img = ch_off + n * CH_SIZE;
	size_t old_data = bb_align(old_img + n_img * 24, BUNDLE_ALIGN);
	size_t new_data = bb_align(new_img + n_img * 24, BUNDLE_ALIGN);
	size_t shift = new_data - old_data, new_len = len + shift;
	uint8_t *nb = aligned_alloc(BUNDLE_ALIGN, bb_align(new_len, BUNDLE_ALIGN));

	assert_int_equal(old_img, ch_off);
	assert_non_null(nb);
	memset(nb, 0, new_len);
	memcpy(nb, buf, ch_off);
	memcpy(nb + new_img, buf + old_img, n_img * 24);
	memcpy(nb + new_data, buf + old_data, len - old_data);
	free(buf);
	buf = nb;
	len = new_len;
	bb_put32(buf + BB_HDR(image_offset), new_img);
	bb_put32(buf + BB_HDR(n_channels), n);
	bb_put32(buf + BB_HDR(channel_offset), n ? ch_off : 0);
	bb_put64(buf + BB_HDR(total_size), len);
	for (uint32_t i = 0; i < n_img; i++)
		img64(i, BB_IMG(offset), bb_get64(bb_img_at(buf, i) + BB_IMG(offset)) + shift);
	for (uint32_t i = 0; i < n; i++)
		ch_put(i, &chans[i]);
	fix();
}

/* std_bundle() with link: alpha, beta (read-only), 64 KiB; bulk: beta, alpha, 2 MiB. */
static const struct tc_chan std_chans[] = {
	{ "link", 64 << 10, 0, 2, { { 0, 0 }, { 1, BUNDLE_IVC_F_READ_ONLY } } },
	{ "bulk", 2 << 20, 500, 2, { { 1, 0 }, { 0, 0 } } },
};

static void ch_bundle(void)
{
	std_bundle();
	add_channels(std_chans, 2);
	expect_ok();
}

static void t_ivc_good(void **state)
{
	(void)state;
	ch_bundle();
	/* the field offsets the hypervisor and the tool agree on */
	assert_int_equal(CH_SIZE, 80);
	assert_int_equal(BB_HDR(n_channels), 48);
	assert_int_equal(BB_HDR(channel_offset), 52);
	assert_int_equal(BB_HDR(reserved), 56);
	assert_int_equal(BB_CH(size), 32);
	assert_int_equal(BB_CH(n_members), 40);
	assert_int_equal(BB_CH(rate), 44);
	assert_int_equal(BB_CH(members), 48);
	assert_int_equal(bb_get32(buf + BB_HDR(channel_offset)), 64 + 2 * VM_SIZE);
	assert_int_equal(bb_get32(buf + BB_HDR(image_offset)), 64 + 2 * VM_SIZE + 2 * CH_SIZE);
	/* no channels: the same bundle with an empty table is valid too */
	std_bundle();
	add_channels(NULL, 0);
	expect_ok();
}

static void t_ivc_good_max(void **state)
{
	struct tc_chan c[BUNDLE_MAX_CHANNELS];
	static char names[BUNDLE_MAX_CHANNELS][8];
	struct bb_vm vms[4];
	static const char *const vm_names[] = { "a", "b", "c", "d" };

	(void)state;
	/* 4 VMs, 8 channels of 4 members each (every VM in all 8, 8 slots), rates any u32;
	 * 256 MiB then 7 x 16 MiB: BAR2s 0x20000000-0x36ffffff */
	for (uint32_t i = 0; i < 4; i++)
		vms[i] = (struct bb_vm){ vm_names[i], VM_F_AUTOSTART, 1, { i }, 0x40000000,
					 4 * MiB_, 100, 0, 100 };
	for (uint32_t i = 0; i < BUNDLE_MAX_CHANNELS; i++) {
		snprintf(names[i], sizeof(names[i]), "ch-%u_x", i);
		c[i] = (struct tc_chan){ names[i], i == 0 ? 256 * MiB_ : 16 * MiB_,
					 i == 5 ? 0xffffffff : i, 4,
					 { { (i + 0) % 4, 0 }, { (i + 1) % 4, BUNDLE_IVC_F_READ_ONLY },
					   { (i + 2) % 4, 0 }, { (i + 3) % 4, 0 } } };
	}
	build(0, vms, 4);
	add_channels(c, BUNDLE_MAX_CHANNELS);
	expect_ok();
	/* smallest size, and every member read-only */
	c[0].size = 64 << 10;
	for (uint32_t k = 0; k < 4; k++)
		c[0].m[k].flags = BUNDLE_IVC_F_READ_ONLY;
	ch_put(0, &c[0]);
	fix();
	expect_ok();
}

static void t_ivc_good_layout_order(void **state)
{
	static const struct tc_chan c[] = {
		{ "link", 64 << 10, 0, 2, { { 0, 0 }, { 1, 0 } } },
	};
	uint32_t img_off;

	(void)state;
	/* the channel table after the image table (same bytes, other order) is still valid */
	std_bundle();
	add_channels(c, 1);
	img_off = bb_get32(buf + BB_HDR(channel_offset));
	memmove(buf + img_off, buf + img_off + CH_SIZE, 5 * 24);
	hdr32(BB_HDR(image_offset), img_off);
	hdr32(BB_HDR(channel_offset), img_off + 5 * 24);
	ch_put(0, &c[0]);
	fix();
	expect_ok();
}

static void t_ivc_count_and_offset(void **state)
{
	(void)state;
	ch_bundle();
	hdr32(BB_HDR(n_channels), BUNDLE_MAX_CHANNELS + 1);
	fix();
	expect_err("bundle: 9 channels, at most 8");
	hdr32(BB_HDR(n_channels), 0xffffffff);
	fix();
	expect_err("bundle: 4294967295 channels, at most 8");
	/* no channels: channel_offset 0 and nothing else */
	hdr32(BB_HDR(n_channels), 0);
	fix();
	expect_err("bundle: channel_offset 0x250 without channels (must be 0)");
	hdr32(BB_HDR(channel_offset), 0);
	fix();
	expect_ok();
}

static void t_ivc_offset_bad(void **state)
{
	(void)state;
	ch_bundle();
	hdr32(BB_HDR(channel_offset), 0x254);
	fix();
	expect_err("bundle: channel_offset 0x254 is misaligned or inside the header");
	hdr32(BB_HDR(channel_offset), 0x38);
	fix();
	expect_err("bundle: channel_offset 0x38 is misaligned or inside the header");
	hdr32(BB_HDR(channel_offset), 0);
	fix();
	expect_err("bundle: channel_offset 0x0 is misaligned or inside the header");
	/* the table's last byte past total_size */
	hdr32(BB_HDR(channel_offset), (uint32_t)len - 2 * CH_SIZE + 8);
	fix();
	expect_err("bundle: the channel table runs past total_size");
	hdr32(BB_HDR(channel_offset), 0xfffffff8);
	fix();
	expect_err("bundle: the channel table runs past total_size");
}

static void t_ivc_tables_overlap(void **state)
{
	(void)state;
	ch_bundle();
	hdr32(BB_HDR(channel_offset), 64 + VM_SIZE);
	fix();
	expect_err("bundle: the VM and channel tables overlap");
	hdr32(BB_HDR(channel_offset), 64 + 2 * VM_SIZE + 8);
	fix();
	expect_err("bundle: the channel and image tables overlap");
	/* right behind the image table: fine, as long as the images stay clear of it */
	hdr32(BB_HDR(channel_offset), 64 + 2 * VM_SIZE + 2 * CH_SIZE + 5 * 24);
	ch_put(0, &std_chans[0]);
	ch_put(1, &std_chans[1]);
	fix();
	expect_ok();
	/* the channel table over the first image */
	hdr32(BB_HDR(channel_offset), 0x1000);
	fix();
	expect_err("vm 'alpha': kernel image #0: offset 0x1000 overlaps the bundle header or tables");
}

static void t_ivc_crc_covers_table(void **state)
{
	uint32_t good;
	char want[128];

	(void)state;
	ch_bundle();
	good = bb_get32(buf + BB_HDR(header_crc));
	ch_at(1)[BB_CH(rate)] ^= 1;
	snprintf(want, sizeof(want), "bundle: header CRC 0x%08x, computed 0x%08x", good,
		 current_crc());
	expect_err(want);
}

static void t_ivc_reserved(void **state)
{
	(void)state;
	ch_bundle();
	buf[56] = 0x80;
	fix();
	expect_err("bundle: reserved header bytes are not zero");
}

static void t_ivc_name(void **state)
{
	(void)state;
	ch_bundle();
	memset(ch_at(1), 'a', BUNDLE_NAME_LEN);
	fix();
	expect_err("channel #1: name is not NUL-terminated");
	memset(ch_at(1), 0, BUNDLE_NAME_LEN);
	fix();
	expect_err("channel #1: name must start with a letter a-z");
	memcpy(ch_at(1), "9ab", 3);
	fix();
	expect_err("channel #1: name must start with a letter a-z");
	memcpy(ch_at(1), "aB", 3);
	fix();
	expect_err("channel #1: bad character 0x42 in name (allowed: a-z 0-9 _ -)");
	memcpy(ch_at(1), "a.b", 4);
	fix();
	expect_err("channel #1: bad character 0x2e in name (allowed: a-z 0-9 _ -)");
	/* 31 characters, junk after the NUL: fine */
	memset(ch_at(1), 'z', BUNDLE_NAME_LEN);
	ch_at(1)[31] = 0;
	fix();
	expect_ok();
	memcpy(ch_at(1), "x\0junk", 6);
	fix();
	expect_ok();
	/* a channel may have a VM's name */
	memcpy(ch_at(1), "alpha\0", 6);
	fix();
	expect_ok();
}

static void t_ivc_name_duplicate(void **state)
{
	(void)state;
	ch_bundle();
	memcpy(ch_at(1), "link\0", 5);
	fix();
	expect_err("channel 'link': duplicate name (channel #0 has it too)");
}

static void t_ivc_size(void **state)
{
	static const uint64_t bad[] = { 0, 1, 0x8000, 0xf000, 0x10001, 0x30000, 3 * MiB_,
					0x20000000, 0x80000000, 1ULL << 63, ~0ULL };
	static const uint64_t good[] = { 0x10000, 0x20000, 1 * MiB_, 0x10000000 };
	char want[128];

	(void)state;
	ch_bundle();
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ch64(0, BB_CH(size), bad[i]);
		fix();
		snprintf(want, sizeof(want),
			 "channel 'link': size 0x%llx is not a power of two from 64 KiB to 256 MiB",
			 (unsigned long long)bad[i]);
		expect_err(want);
	}
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		ch64(0, BB_CH(size), good[i]);
		fix();
		expect_ok();
	}
}

static void t_ivc_member_count(void **state)
{
	(void)state;
	ch_bundle();
	ch32(0, BB_CH(n_members), 1);
	fix();
	expect_err("channel 'link': 1 members, must be 2 to 4");
	ch32(0, BB_CH(n_members), 0);
	fix();
	expect_err("channel 'link': 0 members, must be 2 to 4");
	ch32(0, BB_CH(n_members), 5);
	fix();
	expect_err("channel 'link': 5 members, must be 2 to 4");
	ch32(0, BB_CH(n_members), 0x80000002);
	fix();
	expect_err("channel 'link': 2147483650 members, must be 2 to 4");
}

static void t_ivc_unused_member(void **state)
{
	(void)state;
	ch_bundle();
	ch32(1, BB_CH(members) + 8 * 3, 1);
	fix();
	expect_err("channel 'bulk': members[3] is set but the channel has 2 members");
	ch32(1, BB_CH(members) + 8 * 3, 0);
	ch32(1, BB_CH(members) + 8 * 2 + 4, BUNDLE_IVC_F_READ_ONLY);
	fix();
	expect_err("channel 'bulk': members[2] is set but the channel has 2 members");
	/* n_members 3 makes entry 2 (vm 0 = alpha, read-only) a member: alpha twice */
	ch32(1, BB_CH(n_members), 3);
	fix();
	expect_err("channel 'bulk': member 2: vm 'alpha' is member 1 already");
}

static void t_ivc_member_vm(void **state)
{
	(void)state;
	ch_bundle();
	ch32(0, BB_CH(members) + 8, 2);
	fix();
	expect_err("channel 'link': member 1: vm index 2 out of range (2 VMs)");
	ch32(0, BB_CH(members) + 8, 0xffffffff);
	fix();
	expect_err("channel 'link': member 1: vm index 4294967295 out of range (2 VMs)");
	ch32(0, BB_CH(members) + 8, 0);
	fix();
	expect_err("channel 'link': member 1: vm 'alpha' is member 0 already");
}

static void t_ivc_member_flags(void **state)
{
	(void)state;
	ch_bundle();
	ch32(0, BB_CH(members) + 8 + 4, 3);
	fix();
	expect_err("channel 'link': member 1 (vm 'beta'): unknown flags 0x2");
	ch32(0, BB_CH(members) + 8 + 4, 0x80000000);
	fix();
	expect_err("channel 'link': member 1 (vm 'beta'): unknown flags 0x80000000");
}

static void t_ivc_rate_any(void **state)
{
	static const uint32_t rates[] = { 0, 1, BUNDLE_IVC_DEFAULT_RATE, 0xffffffff };

	(void)state;
	ch_bundle();
	for (size_t i = 0; i < sizeof(rates) / sizeof(rates[0]); i++) {
		ch32(0, BB_CH(rate), rates[i]);
		fix();
		expect_ok();
	}
}

static void t_ivc_layout_does_not_fit(void **state)
{
	(void)state;
	/* link 256 MiB at 0x20000000; bulk 2 MiB fits behind it, a second 256 MiB does not */
	ch_bundle();
	ch64(0, BB_CH(size), 256 * MiB_);
	fix();
	expect_ok();
	ch64(1, BB_CH(size), 256 * MiB_);
	fix();
	expect_err("vm 'alpha': the shared memory of its channels (each aligned to its size) "
		   "needs 0x20000000-0x3fffffff, beyond the window 0x20000000-0x3effffff");
	/* alignment counts: 64 KiB first pushes 256 MiB to 0x30000000 */
	ch64(0, BB_CH(size), 64 << 10);
	fix();
	expect_err("vm 'alpha': the shared memory of its channels (each aligned to its size) "
		   "needs 0x20000000-0x3fffffff, beyond the window 0x20000000-0x3effffff");
	/* 128 + 256 MiB: 0x20000000-0x27ffffff, then 0x30000000-0x3fffffff */
	ch64(0, BB_CH(size), 128 * MiB_);
	fix();
	expect_err("vm 'alpha': the shared memory of its channels (each aligned to its size) "
		   "needs 0x20000000-0x3fffffff, beyond the window 0x20000000-0x3effffff");
	/* 256 then 128 MiB: 0x20000000-0x37ffffff fits */
	ch64(0, BB_CH(size), 256 * MiB_);
	ch64(1, BB_CH(size), 128 * MiB_);
	fix();
	expect_ok();
}

static void t_ivc_ram_in_window(void **state)
{
	/*
	 * beta's RAM (its images need 6 MiB) against what its channels occupy: register pages
	 * 0x10000000-0x10001fff (2 slots), shared memory 0x20000000-0x203fffff (link 64 KiB,
	 * bulk 2 MiB aligned to 2 MiB), PCI ECAM 0x3f000000-0x3f0fffff; the rest of
	 * [0x10000000, 0x3f100000) is free for it.
	 */
#define REGS_ "register pages 0x10000000-0x10001fff"
#define SHM_ "shared memory 0x20000000-0x203fffff"
#define ECAM_ "PCI ECAM 0x3f000000-0x3f0fffff"
	static const struct {
		uint64_t ipa, size;
		const char *span; /* NULL: fine */
	} cases[] = {
		{ 0x0e000000, 0x2000000, NULL },	/* ends right at 0x10000000 */
		{ 0x0e000000, 0x2200000, REGS_ },	/* 2 MiB into the register pages */
		{ 0x10000000, 0x800000, REGS_ },
		{ 0x10200000, 0x800000, NULL },		/* behind the register pages */
		{ 0x18000000, 0x8000000, NULL },	/* ends right at the shared memory */
		{ 0x1fe00000, 0x800000, SHM_ },
		{ 0x20000000, 0x1000000, SHM_ },
		{ 0x20200000, 0x800000, SHM_ },		/* bulk's BAR2 */
		{ 0x20400000, 0x800000, NULL },		/* right behind the shared memory */
		{ 0x3ee00000, 0x800000, ECAM_ },	/* over the ECAM */
		{ 0x3f000000, 0x800000, ECAM_ },
		{ 0x3f200000, 0x800000, NULL },		/* first 2 MiB block after the ECAM */
		{ 0x0c000000, 0x40000000, REGS_ },	/* all around it: the first span */
		{ 0x20400000, 0x1ec00000, NULL },	/* up to the ECAM: fine */
		{ 0x20400000, 0x1ee00000, ECAM_ },	/* one 2 MiB block more */
	};
	char want[128];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ch_bundle();
		vm64(1, BB_VM(mem_ipa), cases[i].ipa);
		vm64(1, BB_VM(mem_size), cases[i].size);
		fix();
		if (!cases[i].span) {
			expect_ok();
			continue;
		}
		snprintf(want, sizeof(want), "vm 'beta': RAM overlaps its IVC %s", cases[i].span);
		expect_err(want);
	}
#undef REGS_
#undef SHM_
#undef ECAM_
}

static void t_ivc_non_member_unaffected(void **state)
{
	static const struct bb_vm vms[] = {
		{ "a", VM_F_AUTOSTART, 1, { 0x0 }, 0x40000000, 16 * MiB_, 100, 0, 100 },
		{ "b", VM_F_AUTOSTART, 1, { 0x1 }, 0x40000000, 16 * MiB_, 100, 0, 100 },
		{ "outsider", 0, 1, { 0x2 }, 0x10000000, 0x2f000000, 100, 0, 100 },
	};
	static const struct tc_chan c[] = {
		{ "ab", 64 << 10, 0, 2, { { 0, 0 }, { 1, 0 } } },
	};
	static const struct bb_pt pt_outsider = {
		1, { { 0x3f000000, 0x1000 } }, 1, { IVC_INTX_BASE, 0 },
	};

	(void)state;
	/* RAM, passthrough region and IRQ inside what the members see: fine for VM 2 */
	build(0, vms, 3);
	pt(2, &pt_outsider);
	add_channels(c, 1);
	expect_ok();
	/* made a member: its RAM is the first problem */
	ch32(0, BB_CH(n_members), 3);
	ch32(0, BB_CH(members) + 16, 2);
	fix();
	expect_err("vm 'outsider': RAM overlaps its IVC register pages 0x10000000-0x10000fff");
	/* RAM clear of the spans (up to the ECAM): the passthrough region on the ECAM */
	vm64(2, BB_VM(mem_ipa), 0x20200000);
	vm64(2, BB_VM(mem_size), 0x1ee00000);
	fix();
	expect_err("vm 'outsider': passthrough mmio #0 0x3f000000: overlaps its IVC PCI ECAM "
		   "0x3f000000-0x3f0fffff");
}

static void t_ivc_passthrough(void **state)
{
	(void)state;
	/* beta's passthrough region 0x20000000 (2 MiB) is on its shared memory (0x20000000-
	 * 0x203fffff: link 64 KiB, bulk 2 MiB at 0x20200000) */
	pt_bundle();
	add_channels(std_chans, 2);
	expect_err("vm 'beta': passthrough mmio #0 0x20000000: overlaps its IVC shared memory "
		   "0x20000000-0x203fffff");
	/* right behind the shared memory, and in the rest of the IVC window: fine (the devices
	 * of Phytium boards, passed through at IPA = PA, are there) */
	static const uint64_t fine[] = { 0x20400000, 0x10002000, 0x1fe00000, 0x28000000,
					 0x3ee00000, 0x3f100000, 0x0fe00000 };
	for (size_t i = 0; i < sizeof(fine) / sizeof(fine[0]); i++) {
		bb_put64(bb_vm_at(buf, 1) + BB_VM(passthrough_mmio), fine[i]);
		fix();
		expect_ok();
	}
	/* 0x0fe00000, one page more: the first register page */
	bb_put64(bb_vm_at(buf, 1) + BB_VM(passthrough_mmio) + 8, 0x201000);
	fix();
	expect_err("vm 'beta': passthrough mmio #0 0xfe00000: overlaps its IVC register pages "
		   "0x10000000-0x10001fff");
	/* the second register page */
	bb_put64(bb_vm_at(buf, 1) + BB_VM(passthrough_mmio), 0x10001000);
	bb_put64(bb_vm_at(buf, 1) + BB_VM(passthrough_mmio) + 8, 0x1000);
	fix();
	expect_err("vm 'beta': passthrough mmio #0 0x10001000: overlaps its IVC register pages "
		   "0x10000000-0x10001fff");
	/* the last page of the shared memory, then the ECAM's last page */
	bb_put64(bb_vm_at(buf, 1) + BB_VM(passthrough_mmio), 0x203ff000);
	fix();
	expect_err("vm 'beta': passthrough mmio #0 0x203ff000: overlaps its IVC shared memory "
		   "0x20000000-0x203fffff");
	bb_put64(bb_vm_at(buf, 1) + BB_VM(passthrough_mmio), 0x3f0ff000);
	fix();
	expect_err("vm 'beta': passthrough mmio #0 0x3f0ff000: overlaps its IVC PCI ECAM "
		   "0x3f000000-0x3f0fffff");
	/* alpha (the same two channels) is checked too */
	bb_put64(bb_vm_at(buf, 1) + BB_VM(passthrough_mmio), 0x28000000);
	bb_put64(bb_vm_at(buf, 0) + BB_VM(passthrough_mmio), 0x20010000);
	fix();
	expect_err("vm 'alpha': passthrough mmio #0 0x20010000: overlaps its IVC shared memory "
		   "0x20000000-0x203fffff");
}

static void t_ivc_passthrough_irq_intx(void **state)
{
	(void)state;
	/* alpha: slots 1 (link, INTID 48) and 2 (bulk, 49); beta: 48, 49 too */
	pt_bundle();
	add_channels(std_chans, 2);
	bb_put64(bb_vm_at(buf, 1) + BB_VM(passthrough_mmio), 0x3f100000);
	bb_put32(bb_vm_at(buf, 0) + BB_VM(passthrough_irqs) + 4, 50);
	fix();
	expect_ok();
	bb_put32(bb_vm_at(buf, 0) + BB_VM(passthrough_irqs) + 4, 49);
	fix();
	expect_err("vm 'alpha': passthrough irq 49: is the INTx of its IVC slot 2 (channel 'bulk')");
	bb_put32(bb_vm_at(buf, 0) + BB_VM(passthrough_irqs) + 4, 48);
	fix();
	expect_err("vm 'alpha': passthrough irq 48: is the INTx of its IVC slot 1 (channel 'link')");
}

static void t_ivc_checked_after_vms(void **state)
{
	(void)state;
	/* a bad VM is reported before a bad channel; a bad channel before an image CRC */
	ch_bundle();
	ch64(0, BB_CH(size), 3);
	vm32(1, BB_VM(priority), 99);
	fix();
	expect_err("vm 'beta': priority 99 is above 15");
	vm32(1, BB_VM(priority), 0);
	fix();
	buf[bb_get64(bb_img_at(buf, 0) + BB_IMG(offset))] ^= 1;
	expect_err("channel 'link': size 0x3 is not a power of two from 64 KiB to 256 MiB");
}

static void t_mutation_sweep(void **state)
{
	static const uint8_t vals[] = { 0x00, 0x01, 0x7f, 0x80, 0xff };
	size_t tables_end, i, v;
	uint8_t *copy;

	(void)state;
	for (int kind = 0; kind < 3; kind++) {
		if (kind == 1)
			pt_bundle();
		else if (kind == 2)
			ch_bundle();
		else
			std_bundle();
		/* header, VM table, channel table (when there is one), image table */
		tables_end = bb_get32(buf + BB_HDR(image_offset)) + 5 * 24;
		copy = aligned_alloc(BUNDLE_ALIGN, len);
		assert_non_null(copy);
		for (i = 0; i < tables_end; i++) {
			for (v = 0; v < sizeof(vals); v++) {
				memcpy(copy, buf, len);
				copy[i] = vals[v];
				bb_fix_crcs(copy, len);
				if (bundle_validate(copy, len, err, sizeof(err)) == 0) {
					assert_string_equal(err, "");
					continue;
				}
				if (strncmp(err, "bundle: ", 8) && strncmp(err, "vm ", 3) &&
				    strncmp(err, "image #", 7) && strncmp(err, "channel ", 8))
					fail_msg("byte %zu = 0x%02x: odd message \"%s\"", i, vals[v],
						 err);
			}
		}
		free(copy);
	}
}

static void t_short_err_buffer(void **state)
{
	char small[8];

	(void)state;
	std_bundle();
	hdr32(BB_HDR(version), 3);
	assert_int_equal(bundle_validate(buf, len, small, sizeof(small)), -1);
	assert_string_equal(small, "bundle:");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_teardown(f, teardown)
		T(t_good_std),
		T(t_good_more_avail),
		T(t_good_unaligned_pointer),
		T(t_good_plain_console_and_flags),
		T(t_good_max),
		T(t_good_memory_edges),
		T(t_good_layout_edges),
		T(t_good_shared_and_unused_images),
		T(t_good_padding_not_covered),
		T(t_null),
		T(t_truncated),
		T(t_bad_magic),
		T(t_bad_version),
		T(t_bad_header_size),
		T(t_bad_reserved),
		T(t_bad_header_flags),
		T(t_bad_total_size),
		T(t_total_size_past_avail),
		T(t_no_vms),
		T(t_too_many_vms),
		T(t_too_many_images),
		T(t_bad_vm_offset),
		T(t_vm_table_past_end),
		T(t_bad_image_offset),
		T(t_image_table_past_end),
		T(t_tables_overlap),
		T(t_image_bad_kind),
		T(t_image_unused_named_by_index),
		T(t_image_owner_with_bad_name),
		T(t_image_misaligned),
		T(t_image_empty),
		T(t_image_over_tables),
		T(t_image_out_of_order),
		T(t_image_past_end),
		T(t_header_crc),
		T(t_header_crc_covers_tables),
		T(t_name_unterminated),
		T(t_name_first_char),
		T(t_name_bad_char),
		T(t_name_31_chars_ok),
		T(t_name_duplicate),
		T(t_vm_bad_flags),
		T(t_vm_mixed_cores_flag),
		T(t_vm_priority),
		T(t_vcpu_count),
		T(t_vcpu_unused_slot),
		T(t_vcpu_mpidr_bits),
		T(t_vcpu_twice_in_vm),
		T(t_vcpu_twice_across_vms),
		T(t_vcpu_all_vms_share),
		T(t_mem_ipa_misaligned),
		T(t_mem_size_bad),
		T(t_mem_beyond_2_40),
		T(t_mem_device_window),
		T(t_kernel_index),
		T(t_kernel_kind),
		T(t_dtb_index_and_kind),
		T(t_initrd_index_and_kind),
		T(t_initrd_offset_without_initrd),
		T(t_kernel_offset_misaligned),
		T(t_dtb_offset_misaligned),
		T(t_kernel_does_not_fit),
		T(t_dtb_does_not_fit),
		T(t_initrd_does_not_fit),
		T(t_kernel_dtb_overlap),
		T(t_kernel_initrd_overlap),
		T(t_initrd_dtb_overlap),
		T(t_image_crc),
		T(t_pt_good),
		T(t_pt_good_edges),
		T(t_pt_too_many_mmio),
		T(t_pt_too_many_irqs),
		T(t_pt_unused_mmio_slot),
		T(t_pt_unused_irq_slot),
		T(t_pt_mmio_empty),
		T(t_pt_mmio_base_misaligned),
		T(t_pt_mmio_size_misaligned),
		T(t_pt_mmio_beyond_2_40),
		T(t_pt_mmio_ram),
		T(t_pt_mmio_emulated),
		T(t_pt_mmio_twice_in_vm),
		T(t_pt_mmio_other_vm),
		T(t_pt_irq_not_spi),
		T(t_pt_irq_uart),
		T(t_pt_irq_twice_in_vm),
		T(t_pt_irq_other_vm),
		T(t_pt_checked_after_images),
		T(t_ivc_good),
		T(t_ivc_good_max),
		T(t_ivc_good_layout_order),
		T(t_ivc_count_and_offset),
		T(t_ivc_offset_bad),
		T(t_ivc_tables_overlap),
		T(t_ivc_crc_covers_table),
		T(t_ivc_reserved),
		T(t_ivc_name),
		T(t_ivc_name_duplicate),
		T(t_ivc_size),
		T(t_ivc_member_count),
		T(t_ivc_unused_member),
		T(t_ivc_member_vm),
		T(t_ivc_member_flags),
		T(t_ivc_rate_any),
		T(t_ivc_layout_does_not_fit),
		T(t_ivc_ram_in_window),
		T(t_ivc_non_member_unaffected),
		T(t_ivc_passthrough),
		T(t_ivc_passthrough_irq_intx),
		T(t_ivc_checked_after_vms),
		T(t_mutation_sweep),
		T(t_short_err_buffer),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
