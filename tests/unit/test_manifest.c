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
	strcpy(err, "junk");
	assert_int_equal(bundle_validate(buf, len, err, sizeof(err)), 0);
	assert_string_equal(err, "");
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
static void t_mutation_sweep(void **state)
{
	static const uint8_t vals[] = { 0x00, 0x01, 0x7f, 0x80, 0xff };
	size_t tables_end = 64 + 2 * VM_SIZE + 5 * 24, i, v;
	uint8_t *copy;

	(void)state;
	for (int with_pt = 0; with_pt < 2; with_pt++) {
		if (with_pt)
			pt_bundle();
		else
			std_bundle();
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
				    strncmp(err, "image #", 7))
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
		T(t_mutation_sweep),
		T(t_short_err_buffer),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
