/* SPDX-License-Identifier: Apache-2.0 */
/* Stage-2 geometry and VTCR_EL2, and stage-2 mappings built with its shape. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "arch/arm64/stage2.h"

static void test_geometry(void **state)
{
	static const struct {
		uint32_t pa_bits, ipa_bits, root_entries, root_pages, t0sz;
	} cases[] = {
		{ 32, 32, 4, 1, 32 },	  { 36, 36, 64, 1, 28 },	{ 40, 40, 1024, 2, 24 },
		{ 42, 40, 1024, 2, 24 }, { 44, 40, 1024, 2, 24 }, { 48, 40, 1024, 2, 24 },
		{ 52, 40, 1024, 2, 24 }, { 20, 32, 4, 1, 32 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct stage2_geometry g;

		stage2_geometry(cases[i].pa_bits, &g);
		assert_int_equal(g.ipa_bits, cases[i].ipa_bits);
		assert_int_equal(g.start_level, 1);
		assert_int_equal(g.sl0, 1);
		assert_int_equal(g.root_entries, cases[i].root_entries);
		assert_int_equal(g.root_pages, cases[i].root_pages);
		assert_int_equal(g.t0sz, cases[i].t0sz);
	}
}

static void test_vtcr(void **state)
{
	struct stage2_geometry g;
	uint64_t v;

	(void)state;
	stage2_geometry(44, &g);
	v = stage2_vtcr(&g, 4);
	assert_int_equal(v & 0x3f, 24);		/* T0SZ */
	assert_int_equal((v >> 6) & 3, 1);	/* SL0: start at level 1 */
	assert_int_equal((v >> 8) & 3, 1);	/* IRGN0 write-back */
	assert_int_equal((v >> 10) & 3, 1);	/* ORGN0 write-back */
	assert_int_equal((v >> 12) & 3, 3);	/* inner shareable */
	assert_int_equal((v >> 14) & 3, 0);	/* 4 KiB granule */
	assert_int_equal((v >> 16) & 7, 4);	/* PS = PARange */
	assert_true(v & (1ULL << 31));		/* RES1 */
	assert_int_equal((stage2_vtcr(&g, 6) >> 16) & 7, 5); /* 52-bit PA capped at 48 */
}

/* Tables from aligned host memory; "physical" addresses are the host pointers. */
static uint64_t alloc_table(void *ctx)
{
	void *p = aligned_alloc(4096, 4096);

	(void)ctx;
	memset(p, 0, 4096);
	return (uint64_t)(uintptr_t)p;
}

static void free_table(void *ctx, uint64_t pa)
{
	(void)ctx;
	free((void *)(uintptr_t)pa);
}

static void *ptr(void *ctx, uint64_t pa)
{
	(void)ctx;
	return (void *)(uintptr_t)pa;
}

/* A VM's RAM with the 40-bit geometry: 2 MiB blocks, RAM above 512 GiB lands in the second
 * concatenated root page, and a device page split out of a block keeps the rest. */
static void test_vm_map(void **state)
{
	struct stage2_geometry g;
	struct pgtable pt;
	uint64_t *root, e;
	unsigned int level;

	(void)state;
	stage2_geometry(44, &g);
	root = aligned_alloc(8192, 8192);
	memset(root, 0, 8192);
	pt = (struct pgtable){ .root_pa = (uint64_t)(uintptr_t)root, .start_level = g.start_level,
			       .root_entries = g.root_entries, .min_block_level = 1,
			       .alloc_table = alloc_table, .free_table = free_table, .pa_to_ptr = ptr };

	assert_int_equal(pgt_map(&pt, 0x40000000, 0x80000000, 64 << 20, S2_RAM), PGT_OK);
	e = pgt_lookup(&pt, 0x40000000 + (3 << 20) + 0x123, &level);
	assert_int_equal(level, 2);
	assert_int_equal(e & PTE_ADDR_MASK, 0x80000000 + (2 << 20));
	assert_int_equal(e & (PTE_ATTR_MASK & ~(1ULL << 11)), S2_RAM);
	assert_int_equal(pgt_lookup(&pt, 0x40000000 + (64 << 20), NULL), 0);

	/* IPA 0x90_0000_0000 (576 GiB) is in root entry 576: the second root page. */
	assert_int_equal(pgt_map(&pt, 0x9000000000ULL, 0xc0000000, 1 << 30, S2_RAM), PGT_OK);
	assert_int_not_equal(root[576], 0);
	e = pgt_lookup(&pt, 0x9000000000ULL + 0x1000, &level);
	assert_int_equal(level, 1);
	assert_int_equal(e & PTE_ADDR_MASK, 0xc0000000);

	/* A read-only page inside the 1 GiB block: split, the neighbours keep their mapping. */
	assert_int_equal(pgt_map(&pt, 0x9000200000ULL, 0xc0200000, 4096, S2_MEMATTR_NORMAL_WB |
				 S2_AP_RO | S2_SH_INNER | S2_AF), PGT_OK);
	e = pgt_lookup(&pt, 0x9000200000ULL, &level);
	assert_int_equal(level, 3);
	assert_int_equal(e & (3ULL << 6), S2_AP_RO);
	e = pgt_lookup(&pt, 0x9000201000ULL, &level);
	assert_int_equal(level, 3);
	assert_int_equal(e & PTE_ADDR_MASK, 0xc0201000);
	assert_int_equal(e & (3ULL << 6), S2_AP_RW);
	e = pgt_lookup(&pt, 0x9000400000ULL, &level);
	assert_int_equal(level, 2);
	assert_int_equal(e & PTE_ADDR_MASK, 0xc0400000);

	pgt_unmap(&pt, 0x40000000, 64 << 20);
	pgt_unmap(&pt, 0x9000000000ULL, 1 << 30);
	/* Unmapping the whole GiB freed the tables split out of it; only the level-2 table
	 * under entry 1 (partly unmapped) stays. */
	for (int i = 0; i < 1024; i++)
		if (i != 1)
			assert_int_equal(root[i], 0);
	free((void *)(uintptr_t)(root[1] & PTE_ADDR_MASK));
	free(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_geometry),
		cmocka_unit_test(test_vtcr),
		cmocka_unit_test(test_vm_map),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
