/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pgt_map/pgt_unmap/pgt_lookup (arch/arm64/pgtable.c) against a reference model.
 *
 * Tables live in a fake physical memory: a pool of 4 KiB pages at a made-up PA, with
 * allocation/free counters, poisoning of freed pages, checks against double frees and use
 * after free, and failure injection after N allocations.
 *
 * The model is a per-4 KiB-page array over a bounded VA window: page -> (pa, attr) or
 * unmapped. After each operation the test
 *  - walks the tables with its own decoder (not pgt_lookup), check_tree: every leaf must
 *    lie inside the window and agree with the model page by page, the leaves must cover
 *    exactly as many pages as the model maps, descriptors must be well formed (no blocks at
 *    level 0, below min_block_level or with no_blocks; output addresses aligned to the
 *    block size; invalid entries all zero) and every allocated table must be reachable
 *    exactly once (no leaks, no sharing, nothing freed still linked). The randomized tests
 *    do this in full every 16 operations and after every failure, and in between only
 *    around the operation's range, at sampled pages (check_tree_range), to stay fast;
 *  - checks pgt_lookup at the operation's boundaries and at random pages, and periodically
 *    (fixed tests: at their checkpoints) at every page of the window;
 *  - after a map, checks that each chunk uses the largest block alignment allows.
 *
 * Partial state accepted after PGT_ENOMEM (see settle_failed_op): every page inside the
 * range of the failed operation translates either as before or as the operation asked;
 * every page outside it is unchanged; no table is leaked. Retrying the operation with
 * memory available then gives exactly the requested result.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "arch/arm64/pgtable.h"

#define PAGE PGT_PAGE_SIZE
#define SZ_2M MiB(2)
#define SZ_1G GiB(1)
#define SZ_512G GiB(512)
#define NO_PA UINT64_MAX
#define PA_LIMIT (1ULL << 48) /* first PA a descriptor cannot hold */

#define POOL_PAGES 8192
#define POOL_PA_BASE 0x00003a0000000000ULL /* fake PA of the table pool (2^47 > it, 8 KiB aligned) */

/* Typical EL2 leaf attributes, as in arch/arm64/mmu.c. */
#define ATTR_RAM (PTE_ATTRINDX(0) | PTE_SH_INNER | PTE_AF | PTE_AP_RW_EL2 | PTE_XN)
#define ATTR_RO (PTE_ATTRINDX(0) | PTE_SH_INNER | PTE_AF | PTE_AP_RO_EL2)
#define ATTR_DEV (PTE_ATTRINDX(1) | PTE_AF | PTE_AP_RW_EL2 | PTE_XN)

#define CHECK(cond, ...)                     \
	do {                                 \
		if (!(cond))                 \
			fail_msg(__VA_ARGS__); \
	} while (0)

static const uint64_t level_sz[4] = { SZ_512G, SZ_1G, SZ_2M, PAGE };

static uint64_t rng_state;

static uint64_t rnd(void)
{
	/* xorshift64*: the same sequence on every host. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

static uint64_t rnd_below(uint64_t n)
{
	return rnd() % n;
}

/* ------------------------------------------------------------------ fake physical memory */

enum { PG_FREE, PG_USED, PG_ROOT };

struct mem {
	uint8_t *buf;
	uint8_t state[POOL_PAGES];
	uint32_t free_list[POOL_PAGES]; /* stack of free page indices */
	uint32_t nfree;
	uint64_t allocs, frees, failures;
	long fail_after; /* allocations that still succeed before each fails; < 0: never fail */
};

static uint32_t mem_index(const struct mem *m, uint64_t pa)
{
	CHECK(pa >= POOL_PA_BASE && pa < POOL_PA_BASE + POOL_PAGES * PAGE,
	      "table PA %#llx outside the table pool", (unsigned long long)pa);
	CHECK(IS_ALIGNED(pa, PAGE), "table PA %#llx not page aligned", (unsigned long long)pa);
	return (uint32_t)((pa - POOL_PA_BASE) / PAGE);
}

static uint64_t mem_alloc(void *ctx)
{
	struct mem *m = ctx;
	uint32_t i;

	if (m->fail_after == 0) {
		m->failures++;
		return 0;
	}
	if (m->fail_after > 0)
		m->fail_after--;
	CHECK(m->nfree > 0, "table pool exhausted");
	i = m->free_list[--m->nfree];
	CHECK(m->state[i] == PG_FREE, "free list corrupt");
	m->state[i] = PG_USED;
	/* Zeroed, as alloc_table promises (freed pages hold poison). */
	memset(m->buf + i * PAGE, 0, PAGE);
	m->allocs++;
	return POOL_PA_BASE + i * PAGE;
}

static void mem_free(void *ctx, uint64_t pa)
{
	struct mem *m = ctx;
	uint32_t i = mem_index(m, pa);

	CHECK(m->state[i] != PG_ROOT, "the root table was freed");
	CHECK(m->state[i] == PG_USED, "table %#llx freed twice", (unsigned long long)pa);
	m->state[i] = PG_FREE;
	/* Poison: all-ones descriptors are valid tables pointing outside the pool, so any
	 * later read through a stale pointer trips mem_ptr. */
	memset(m->buf + i * PAGE, 0xff, PAGE);
	m->free_list[m->nfree++] = i;
	m->frees++;
}

static void *mem_ptr(void *ctx, uint64_t pa)
{
	struct mem *m = ctx;
	uint32_t i = mem_index(m, pa);

	CHECK(m->state[i] != PG_FREE, "access to freed table %#llx", (unsigned long long)pa);
	return m->buf + i * PAGE;
}

/* ------------------------------------------------------------------ fixture and model */

struct cfg {
	unsigned int start_level, root_entries, min_block_level;
	bool no_blocks, leak; /* leak: free_table == NULL */
	uint64_t win_base, win_size; /* the model's VA window */
};

struct fx {
	struct cfg cfg;
	struct mem mem;
	struct pgtable pt;
	uint64_t root_pages;
	/* model */
	uint64_t base, pages, mapped;
	uint64_t *pa, *attr;
	uint8_t seen[POOL_PAGES];
};

static void fx_free(struct fx *f)
{
	free(f->mem.buf);
	free(f->pa);
	free(f->attr);
	f->mem.buf = NULL;
	f->pa = f->attr = NULL;
}

static void fx_init(struct fx *f, const struct cfg *c)
{
	struct mem *m = &f->mem;

	fx_free(f);
	memset(f, 0, sizeof(*f));
	f->cfg = *c;
	m->buf = aligned_alloc(PAGE, POOL_PAGES * PAGE);
	assert_non_null(m->buf);
	memset(m->buf, 0xa5, POOL_PAGES * PAGE);
	m->fail_after = -1;

	/* The root: root_entries/512 contiguous pages at the start of the pool, aligned to
	 * their size as concatenated stage-2 roots must be. */
	f->root_pages = c->root_entries / PGT_ENTRIES;
	assert_true(f->root_pages >= 1 && f->root_pages <= 16);
	for (uint32_t i = 0; i < f->root_pages; i++)
		m->state[i] = PG_ROOT;
	memset(m->buf, 0, f->root_pages * PAGE);
	for (uint32_t i = POOL_PAGES; i-- > f->root_pages;)
		m->free_list[m->nfree++] = i;

	f->pt = (struct pgtable){
		.root_pa = POOL_PA_BASE,
		.start_level = c->start_level,
		.root_entries = c->root_entries,
		.min_block_level = c->min_block_level,
		.no_blocks = c->no_blocks,
		.alloc_table = mem_alloc,
		.free_table = c->leak ? NULL : mem_free,
		.pa_to_ptr = mem_ptr,
		.ctx = m,
	};

	assert_true(IS_ALIGNED(c->win_base | c->win_size, PAGE) && c->win_size);
	f->base = c->win_base;
	f->pages = c->win_size / PAGE;
	f->pa = malloc(f->pages * sizeof(*f->pa));
	f->attr = calloc(f->pages, sizeof(*f->attr));
	assert_non_null(f->pa);
	assert_non_null(f->attr);
	for (uint64_t p = 0; p < f->pages; p++)
		f->pa[p] = NO_PA;
}

static int fx_setup(void **state)
{
	*state = calloc(1, sizeof(struct fx));
	return *state ? 0 : -1;
}

static int fx_teardown(void **state)
{
	fx_free(*state);
	free(*state);
	return 0;
}

/* Configurations: 48-bit stage 1, 39-bit (start level 1) and 40-bit concatenated stage 2. */
static const struct cfg CFG_L0 = { 0, 512, 1, false, false, SZ_512G - GiB(2), GiB(4) };
static const struct cfg CFG_L1 = { 1, 512, 1, false, false, SZ_512G - GiB(4), GiB(4) };
static const struct cfg CFG_L1_CONCAT = { 1, 1024, 1, false, false, SZ_512G - GiB(2), GiB(4) };

static uint64_t root_entry(struct fx *f, unsigned int i)
{
	return ((uint64_t *)f->mem.buf)[i];
}

static uint64_t live_tables(const struct fx *f)
{
	return f->mem.allocs - f->mem.frees;
}

static uint64_t page_of(const struct fx *f, uint64_t va)
{
	CHECK(va >= f->base && va - f->base < f->pages * PAGE, "va %#llx outside the model window",
	      (unsigned long long)va);
	return (va - f->base) / PAGE;
}

/* pa == NO_PA: unmapped. */
static void model_set(struct fx *f, uint64_t va, uint64_t pa, uint64_t size, uint64_t attr)
{
	uint64_t p0 = size ? page_of(f, va) : 0;

	if (size)
		page_of(f, va + size - PAGE);
	for (uint64_t off = 0; off < size; off += PAGE) {
		uint64_t p = p0 + off / PAGE;

		f->mapped -= f->pa[p] != NO_PA;
		f->pa[p] = pa == NO_PA ? NO_PA : pa + off;
		f->attr[p] = pa == NO_PA ? 0 : attr & PTE_ATTR_MASK;
		f->mapped += f->pa[p] != NO_PA;
	}
}

/* What pgt_lookup says va translates to (NO_PA if nothing), with the leaf's attributes. */
static uint64_t xlate(struct fx *f, uint64_t va, uint64_t *attr, unsigned int *level)
{
	unsigned int l = 99;
	uint64_t e = pgt_lookup(&f->pt, va, &l), out;

	if (!e)
		return NO_PA;
	CHECK(e & PTE_VALID, "lookup(%#llx) returned an invalid descriptor %#llx",
	      (unsigned long long)va, (unsigned long long)e);
	CHECK(l >= f->cfg.start_level && l <= 3, "lookup level %u", l);
	CHECK((e & PTE_TYPE_MASK) == (l == 3 ? 3u : 1u), "lookup(%#llx): descriptor %#llx at level %u",
	      (unsigned long long)va, (unsigned long long)e, l);
	out = e & PTE_ADDR_MASK;
	CHECK(IS_ALIGNED(out, level_sz[l]), "output address %#llx misaligned for level %u",
	      (unsigned long long)out, l);
	if (attr)
		*attr = e & PTE_ATTR_MASK;
	if (level)
		*level = l;
	return out + (va & (level_sz[l] - 1));
}

/* pgt_lookup at page p of the window (at some offset inside the page) against the model. */
static void check_page(struct fx *f, uint64_t p)
{
	uint64_t off = (p * 2654435761u) & (PAGE - 1), va = f->base + p * PAGE + off, attr = 0;
	uint64_t got = xlate(f, va, &attr, NULL);

	if (f->pa[p] == NO_PA) {
		CHECK(got == NO_PA, "va %#llx should be unmapped, translates to %#llx",
		      (unsigned long long)va, (unsigned long long)got);
		return;
	}
	CHECK(got == f->pa[p] + off, "va %#llx translates to %#llx, model says %#llx",
	      (unsigned long long)va, (unsigned long long)got, (unsigned long long)(f->pa[p] + off));
	CHECK(attr == f->attr[p], "va %#llx has attributes %#llx, model says %#llx",
	      (unsigned long long)va, (unsigned long long)attr, (unsigned long long)f->attr[p]);
}

static void check_va(struct fx *f, uint64_t va)
{
	if (va >= f->base && va - f->base < f->pages * PAGE)
		check_page(f, (va - f->base) / PAGE);
}

static void check_all_pages(struct fx *f)
{
	for (uint64_t p = 0; p < f->pages; p++)
		check_page(f, p);
	/* Just outside the window nothing is mapped. */
	if (f->base)
		CHECK(xlate(f, f->base - PAGE, NULL, NULL) == NO_PA, "mapping below the window");
	CHECK(xlate(f, f->base + f->pages * PAGE, NULL, NULL) == NO_PA, "mapping above the window");
}

/* Independent walk of the tables, compared with the model (see the top of the file). */
struct walk {
	uint64_t tables, leaf_pages;
	uint64_t lo, hi; /* see check_tree_range */
	bool full;
};

static void walk_table(struct fx *f, struct walk *w, const uint64_t *t, unsigned int level,
		       uint64_t va_base, unsigned int n)
{
	uint64_t sz = level_sz[level];

	for (unsigned int i = 0; i < n; i++) {
		uint64_t e = t[i], va = va_base + i * sz, out = e & PTE_ADDR_MASK;

		if (!w->full && (va + sz <= w->lo || va >= w->hi))
			continue;
		if (!(e & PTE_VALID)) {
			CHECK(e == 0, "invalid descriptor %#llx with stale bits (level %u, va %#llx)",
			      (unsigned long long)e, level, (unsigned long long)va);
			continue;
		}
		if (level < 3 && (e & PTE_TYPE_MASK) == (PTE_VALID | PTE_TABLE)) {
			uint32_t idx = mem_index(&f->mem, out);

			CHECK((e & ~(PTE_ADDR_MASK | PTE_TYPE_MASK)) == 0,
			      "table descriptor %#llx has attribute bits", (unsigned long long)e);
			CHECK(f->mem.state[idx] == PG_USED, "linked table %#llx is %s",
			      (unsigned long long)out, f->mem.state[idx] == PG_FREE ? "freed" : "the root");
			CHECK(!f->seen[idx], "table %#llx linked twice", (unsigned long long)out);
			f->seen[idx] = 1;
			w->tables++;
			walk_table(f, w, (const uint64_t *)(f->mem.buf + idx * PAGE), level + 1, va,
				   PGT_ENTRIES);
			continue;
		}
		if (level == 3)
			CHECK((e & PTE_TYPE_MASK) == 3, "level-3 descriptor %#llx is not a page",
			      (unsigned long long)e);
		else
			CHECK(level >= 1 && level >= f->cfg.min_block_level && !f->cfg.no_blocks,
			      "block at level %u (va %#llx) not allowed", level, (unsigned long long)va);
		CHECK(IS_ALIGNED(out, sz), "level-%u leaf for va %#llx has misaligned address %#llx",
		      level, (unsigned long long)va, (unsigned long long)out);
		CHECK(va >= f->base && va - f->base < f->pages * PAGE &&
			      f->pages * PAGE - (va - f->base) >= sz,
		      "leaf at va %#llx size %#llx outside the window", (unsigned long long)va,
		      (unsigned long long)sz);
		{
			uint64_t n = sz / PAGE, p0 = (va - f->base) / PAGE;
			/* Every page in a full check, else every 61st and the last (enough to find
			 * a block not split, which check_va at the boundaries also catches). */
			uint64_t step = w->full ? 1 : 61;

			for (uint64_t j = 0; j < n; j = j + step < n || j == n - 1 ? j + step : n - 1) {
				uint64_t p = p0 + j, off = j * PAGE;

				CHECK(f->pa[p] == out + off && f->attr[p] == (e & PTE_ATTR_MASK),
				      "tables map va %#llx -> %#llx attr %#llx (level %u), model says %#llx attr %#llx",
				      (unsigned long long)(va + off), (unsigned long long)(out + off),
				      (unsigned long long)(e & PTE_ATTR_MASK), level,
				      (unsigned long long)f->pa[p], (unsigned long long)f->attr[p]);
			}
		}
		w->leaf_pages += sz / PAGE;
	}
}

/*
 * Compare the tables with the model. With [lo, hi) everything: all of it, every page, the
 * number of pages mapped and the table accounting. Otherwise (after each random operation,
 * around its range; the whole tree is checked every few operations) only the entries
 * meeting [lo, hi), and leaves there at a sample of their pages.
 */
static void check_tree_range(struct fx *f, uint64_t lo, uint64_t hi)
{
	struct walk w = { 0, 0, lo, hi, lo == 0 && hi == UINT64_MAX };

	memset(f->seen, 0, sizeof(f->seen));
	walk_table(f, &w, (const uint64_t *)f->mem.buf, f->cfg.start_level,
		   0, f->cfg.root_entries);
	if (!w.full)
		return;
	CHECK(w.leaf_pages == f->mapped, "tables map %llu pages, model %llu",
	      (unsigned long long)w.leaf_pages, (unsigned long long)f->mapped);
	if (f->cfg.leak)
		CHECK(w.tables <= live_tables(f), "more tables linked than allocated");
	else
		CHECK(w.tables == live_tables(f), "%llu tables linked but %llu allocated (leak)",
		      (unsigned long long)w.tables, (unsigned long long)live_tables(f));
}

static void check_tree(struct fx *f)
{
	check_tree_range(f, 0, UINT64_MAX);
}

/* Level of the chunk starting at va: the largest block that alignment and length allow. */
static unsigned int expected_level(const struct fx *f, uint64_t va, uint64_t pa, uint64_t left)
{
	if (!f->cfg.no_blocks)
		for (unsigned int l = MAX(1u, f->cfg.min_block_level); l < 3; l++)
			if (IS_ALIGNED(va | pa, level_sz[l]) && left >= level_sz[l])
				return l;
	return 3;
}

/* Right after mapping [va, va+size) -> pa: each chunk is one leaf of the expected level. */
static void check_levels(struct fx *f, uint64_t va, uint64_t pa, uint64_t size)
{
	for (uint64_t off = 0; off < size;) {
		unsigned int want = expected_level(f, va + off, pa + off, size - off), got = 99;
		uint64_t out = xlate(f, va + off, NULL, &got);

		CHECK(out == pa + off && got == want,
		      "map va %#llx pa %#llx size %#llx: chunk at +%#llx is level %u (-> %#llx), want %u",
		      (unsigned long long)va, (unsigned long long)pa, (unsigned long long)size,
		      (unsigned long long)off, got, (unsigned long long)out, want);
		off += level_sz[want];
	}
}

static void do_map(struct fx *f, uint64_t va, uint64_t pa, uint64_t size, uint64_t attr)
{
	int rc = pgt_map(&f->pt, va, pa, size, attr);

	CHECK(rc == PGT_OK, "pgt_map(%#llx, %#llx, %#llx) = %d", (unsigned long long)va,
	      (unsigned long long)pa, (unsigned long long)size, rc);
	model_set(f, va, pa, size, attr);
}

static void do_unmap(struct fx *f, uint64_t va, uint64_t size)
{
	int rc = pgt_unmap(&f->pt, va, size);

	CHECK(rc == PGT_OK, "pgt_unmap(%#llx, %#llx) = %d", (unsigned long long)va,
	      (unsigned long long)size, rc);
	model_set(f, va, NO_PA, size, 0);
}

/* After a failed operation (pa == NO_PA: unmap): accept the partial state, adopt it. */
static void settle_failed_op(struct fx *f, uint64_t va, uint64_t pa, uint64_t size, uint64_t attr)
{
	for (uint64_t off = 0; off < size; off += PAGE) {
		uint64_t p = page_of(f, va + off), a = 0, got = xlate(f, va + off, &a, NULL);
		bool is_old = got == f->pa[p] && (got == NO_PA || a == f->attr[p]);
		bool is_new = pa == NO_PA ? got == NO_PA
					  : got == pa + off && a == (attr & PTE_ATTR_MASK);

		CHECK(is_old || is_new, "after failure va %#llx -> %#llx: neither old %#llx nor new",
		      (unsigned long long)(va + off), (unsigned long long)got,
		      (unsigned long long)f->pa[p]);
		f->mapped -= f->pa[p] != NO_PA;
		f->pa[p] = got;
		f->attr[p] = got == NO_PA ? 0 : a;
		f->mapped += got != NO_PA;
	}
}

/* ------------------------------------------------------------------ block sizes */

static void test_map_1g_block(void **state)
{
	struct fx *f = *state;
	unsigned int l = 99;
	uint64_t va = SZ_512G + GiB(1), pa = GiB(7);

	fx_init(f, &CFG_L0);
	do_map(f, va, pa, SZ_1G, ATTR_RAM);
	/* Exactly: a level-1 block descriptor, one table (level 1) allocated. */
	assert_int_equal(pgt_lookup(&f->pt, va + 12345, &l), pa | ATTR_RAM | PTE_VALID);
	assert_int_equal(l, 1);
	assert_int_equal(f->mem.allocs, 1);
	assert_int_equal(root_entry(f, 0), 0);
	assert_int_equal(root_entry(f, 1) & PTE_TYPE_MASK, 3);
	check_levels(f, va, pa, SZ_1G);
	check_tree(f);
	check_all_pages(f);
	/* pgt_lookup's level pointer is optional. */
	assert_int_equal(pgt_lookup(&f->pt, va + SZ_1G - 1, NULL), pa | ATTR_RAM | PTE_VALID);
}

static void test_map_2m_blocks(void **state)
{
	struct fx *f = *state;
	unsigned int l = 99;
	uint64_t va = SZ_512G + SZ_2M * 3, pa = GiB(3) + SZ_2M * 5;

	fx_init(f, &CFG_L0);
	do_map(f, va, pa, SZ_2M * 2, ATTR_DEV);
	assert_int_equal(pgt_lookup(&f->pt, va, &l), pa | ATTR_DEV | PTE_VALID);
	assert_int_equal(l, 2);
	assert_int_equal(pgt_lookup(&f->pt, va + SZ_2M, &l), (pa + SZ_2M) | ATTR_DEV | PTE_VALID);
	assert_int_equal(l, 2);
	assert_int_equal(f->mem.allocs, 2); /* levels 1 and 2 */
	check_levels(f, va, pa, SZ_2M * 2);
	check_tree(f);
	check_all_pages(f);
}

static void test_map_pages_4k(void **state)
{
	struct fx *f = *state;
	unsigned int l = 99;
	uint64_t va = SZ_512G + GiB(1) + 5 * PAGE, pa = GiB(9) + 77 * PAGE;

	fx_init(f, &CFG_L0);
	do_map(f, va, pa, 3 * PAGE, ATTR_RO);
	assert_int_equal(pgt_lookup(&f->pt, va + PAGE, &l), (pa + PAGE) | ATTR_RO | PTE_VALID | PTE_TABLE);
	assert_int_equal(l, 3);
	assert_int_equal(f->mem.allocs, 3);
	check_tree(f);
	check_all_pages(f);
}

/* A PA that is not congruent with the VA modulo a block size forbids that block size. */
static void test_misaligned_pa_forces_smaller(void **state)
{
	struct fx *f = *state;
	uint64_t va = SZ_512G;

	fx_init(f, &CFG_L0);
	/* PA 2 MiB aligned, not 1 GiB: 512 level-2 blocks for an aligned GiB of VA. */
	do_map(f, va, GiB(5) + SZ_2M, SZ_1G, ATTR_RAM);
	check_levels(f, va, GiB(5) + SZ_2M, SZ_1G);
	/* PA off by one page: pages only, one level-3 table per 2 MiB. */
	do_map(f, va + SZ_1G, GiB(6) + PAGE, SZ_1G, ATTR_RAM);
	check_levels(f, va + SZ_1G, GiB(6) + PAGE, SZ_1G);
	/* VA misaligned the same way as the PA: blocks again in the aligned middle. */
	do_map(f, va - PAGE, GiB(20) - PAGE, SZ_1G + 2 * PAGE, ATTR_DEV);
	check_levels(f, va - PAGE, GiB(20) - PAGE, SZ_1G + 2 * PAGE);
	check_tree(f);
	check_all_pages(f);
}

/* A range spanning pages, 2 MiB blocks and a GiB decomposes greedily. */
static void test_mixed_decomposition(void **state)
{
	struct fx *f = *state;
	uint64_t va = SZ_512G - SZ_2M - PAGE, pa = GiB(100) - SZ_2M - PAGE;
	uint64_t size = PAGE + SZ_2M + SZ_1G + SZ_2M + PAGE;
	unsigned int l = 99;

	fx_init(f, &CFG_L0);
	do_map(f, va, pa, size, ATTR_RAM);
	check_levels(f, va, pa, size);
	xlate(f, va, NULL, &l);
	assert_int_equal(l, 3);
	xlate(f, va + PAGE, NULL, &l);
	assert_int_equal(l, 2);
	xlate(f, SZ_512G, NULL, &l);
	assert_int_equal(l, 1);
	xlate(f, SZ_512G + SZ_1G, NULL, &l);
	assert_int_equal(l, 2);
	xlate(f, SZ_512G + SZ_1G + SZ_2M, NULL, &l);
	assert_int_equal(l, 3);
	assert_int_equal(xlate(f, SZ_512G + SZ_1G + SZ_2M + PAGE, NULL, NULL), NO_PA);
	assert_int_equal(xlate(f, va - PAGE, NULL, NULL), NO_PA);
	check_tree(f);
	check_all_pages(f);
}

static void test_no_blocks(void **state)
{
	struct fx *f = *state;
	struct cfg c = CFG_L1;

	c.no_blocks = true;
	fx_init(f, &c);
	do_map(f, c.win_base + SZ_1G, GiB(2), SZ_1G, ATTR_RAM);
	check_levels(f, c.win_base + SZ_1G, GiB(2), SZ_1G); /* all level 3 */
	assert_int_equal(f->mem.allocs, 1 + 512);
	do_unmap(f, c.win_base + SZ_1G + SZ_2M, SZ_2M);
	check_tree(f);
	check_all_pages(f);
}

static void test_min_block_level_2(void **state)
{
	struct fx *f = *state;
	struct cfg c = CFG_L0;
	unsigned int l = 99;

	c.min_block_level = 2;
	fx_init(f, &c);
	do_map(f, SZ_512G, GiB(4), 2 * SZ_1G, ATTR_RAM);
	check_levels(f, SZ_512G, GiB(4), 2 * SZ_1G);
	xlate(f, SZ_512G + SZ_1G, NULL, &l);
	assert_int_equal(l, 2);
	/* Unmapping a whole GiB is allowed to free its level-2 table, or not: check_tree
	 * verifies that whatever is still allocated is linked. */
	do_unmap(f, SZ_512G, SZ_1G);
	check_tree(f);
	check_all_pages(f);
}

/* ------------------------------------------------------------------ start levels */

static void test_start_level0_root_boundary(void **state)
{
	struct fx *f = *state;

	fx_init(f, &CFG_L0);
	do_map(f, SZ_512G - PAGE, GiB(1) - PAGE, 2 * PAGE, ATTR_RAM);
	/* One page in each of the first two 512 GiB root entries. */
	assert_int_equal(root_entry(f, 0) & PTE_TYPE_MASK, 3);
	assert_int_equal(root_entry(f, 1) & PTE_TYPE_MASK, 3);
	for (unsigned int i = 2; i < 512; i++)
		assert_int_equal(root_entry(f, i), 0);
	check_tree(f);
	check_all_pages(f);

	/* The top of the 48-bit range. */
	{
		struct cfg c = CFG_L0;

		c.win_base = (1ULL << 48) - GiB(2);
		c.win_size = GiB(2);
		fx_init(f, &c);
		do_map(f, c.win_base, GiB(1), GiB(2), ATTR_RAM);
		do_unmap(f, (1ULL << 48) - PAGE, PAGE);
		assert_int_equal(root_entry(f, 511) & PTE_TYPE_MASK, 3);
		check_tree(f);
		check_all_pages(f);
	}
}

static void test_start_level1_512(void **state)
{
	struct fx *f = *state;
	unsigned int l = 99;

	fx_init(f, &CFG_L1);
	/* The last GiB of the 39-bit range is root entry 511, a level-1 block. */
	do_map(f, SZ_512G - SZ_1G, GiB(40), SZ_1G, ATTR_RAM);
	assert_int_equal(root_entry(f, 511), GiB(40) | ATTR_RAM | PTE_VALID);
	assert_int_equal(xlate(f, SZ_512G - 1, NULL, &l), GiB(41) - 1);
	assert_int_equal(l, 1);
	assert_int_equal(f->mem.allocs, 0);
	do_map(f, SZ_512G - GiB(3) + SZ_2M, GiB(1) + SZ_2M, SZ_2M, ATTR_DEV);
	assert_int_equal(root_entry(f, 509) & PTE_TYPE_MASK, 3);
	check_tree(f);
	check_all_pages(f);
}

static void test_start_level1_concatenated(void **state)
{
	struct fx *f = *state;
	unsigned int l = 99;

	fx_init(f, &CFG_L1_CONCAT);
	/* Above 512 GiB: the second root page, entries 512.. */
	do_map(f, SZ_512G, GiB(2), SZ_1G, ATTR_RAM);
	assert_int_equal(root_entry(f, 512), GiB(2) | ATTR_RAM | PTE_VALID);
	assert_int_equal(root_entry(f, 0), 0);
	do_map(f, SZ_512G + SZ_1G + SZ_2M, GiB(30), PAGE, ATTR_RO);
	assert_int_equal(root_entry(f, 513) & PTE_TYPE_MASK, 3);
	assert_int_equal(root_entry(f, 1), 0);
	do_map(f, SZ_512G - SZ_1G, GiB(3), SZ_1G, ATTR_DEV);
	assert_int_equal(root_entry(f, 511), GiB(3) | ATTR_DEV | PTE_VALID);
	assert_int_equal(xlate(f, SZ_512G + 5, NULL, &l), GiB(2) + 5);
	assert_int_equal(l, 1);
	check_tree(f);
	check_all_pages(f);

	/* The last GiB of the 40-bit range is root entry 1023. */
	{
		struct cfg c = CFG_L1_CONCAT;

		c.win_base = GiB(1024) - GiB(2);
		c.win_size = GiB(2);
		fx_init(f, &c);
		do_map(f, GiB(1023), GiB(5), SZ_1G, ATTR_RAM);
		assert_int_equal(root_entry(f, 1023), GiB(5) | ATTR_RAM | PTE_VALID);
		for (unsigned int i = 0; i < 1023; i++)
			assert_int_equal(root_entry(f, i), 0);
		do_map(f, GiB(1022) + SZ_2M, GiB(6), PAGE, ATTR_RAM);
		check_tree(f);
		check_all_pages(f);
	}
}

/*
 * An address beyond the range the root translates must not alias a lower one: the root
 * index is taken modulo its size, so without a range check pgt_map(2^48) would rewrite the
 * mapping of VA 0.
 */
static void test_va_beyond_input_range(void **state)
{
	static const struct {
		struct cfg c;
		uint64_t limit;
	} cases[] = {
		{ { 0, 512, 1, false, false, 0, GiB(2) }, 1ULL << 48 },
		{ { 1, 512, 1, false, false, 0, GiB(2) }, 1ULL << 39 },
		{ { 1, 1024, 1, false, false, 0, GiB(2) }, 1ULL << 40 },
	};
	struct fx *f = *state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		uint64_t lim = cases[i].limit;

		fx_init(f, &cases[i].c);
		do_map(f, 0, GiB(8), SZ_1G, ATTR_RAM);
		do_map(f, SZ_1G, GiB(9) + PAGE, SZ_2M, ATTR_RAM);
		assert_int_equal(pgt_map(&f->pt, lim, GiB(20), SZ_1G, ATTR_DEV), PGT_EINVAL);
		assert_int_equal(pgt_map(&f->pt, lim + SZ_1G, GiB(20), PAGE, ATTR_DEV), PGT_EINVAL);
		assert_int_equal(pgt_map(&f->pt, lim - PAGE, GiB(20), 2 * PAGE, ATTR_DEV), PGT_EINVAL);
		assert_int_equal(pgt_unmap(&f->pt, lim, SZ_2M), PGT_EINVAL);
		assert_int_equal(pgt_unmap(&f->pt, lim + SZ_1G, SZ_1G), PGT_EINVAL);
		assert_int_equal(pgt_lookup(&f->pt, lim, NULL), 0);
		assert_int_equal(pgt_lookup(&f->pt, lim + SZ_1G + 5, NULL), 0);
		assert_int_equal(pgt_lookup(&f->pt, ~0ULL, NULL), 0);
		check_tree(f);
		check_all_pages(f);
		/* The last page of the range is fine. */
		assert_int_equal(pgt_map(&f->pt, lim - PAGE, GiB(20), PAGE, ATTR_DEV), PGT_OK);
		assert_int_equal(pgt_lookup(&f->pt, lim - 1, NULL),
				 GiB(20) | ATTR_DEV | PTE_VALID | PTE_TABLE);
		assert_int_equal(pgt_unmap(&f->pt, lim - PAGE, PAGE), PGT_OK);
		assert_int_equal(pgt_lookup(&f->pt, lim - 1, NULL), 0);
	}
}

/* Output addresses must fit the descriptor's 48-bit address field, not be truncated. */
static void test_pa_beyond_48_bits(void **state)
{
	struct fx *f = *state;

	fx_init(f, &CFG_L0);
	assert_int_equal(pgt_map(&f->pt, SZ_512G, PA_LIMIT, PAGE, ATTR_RAM), PGT_EINVAL);
	assert_int_equal(pgt_map(&f->pt, SZ_512G, PA_LIMIT - PAGE, 2 * PAGE, ATTR_RAM), PGT_EINVAL);
	assert_int_equal(pgt_map(&f->pt, SZ_512G, 1ULL << 52, SZ_1G, ATTR_RAM), PGT_EINVAL);
	assert_int_equal(f->mem.allocs, 0);
	check_tree(f);
	do_map(f, SZ_512G, PA_LIMIT - SZ_1G, SZ_1G, ATTR_RAM);
	check_levels(f, SZ_512G, PA_LIMIT - SZ_1G, SZ_1G);
	check_tree(f);
	check_all_pages(f);
}

/* ------------------------------------------------------------------ argument checks */

static void test_einval(void **state)
{
	struct fx *f = *state;
	uint64_t va = SZ_512G;
	struct pgtable *pt = &f->pt;

	fx_init(f, &CFG_L0);
	do_map(f, va, GiB(1), SZ_1G, ATTR_RAM);
	do_map(f, va + SZ_1G, GiB(3) + PAGE, SZ_2M, ATTR_RO);
	{
		uint64_t allocs = f->mem.allocs, frees = f->mem.frees;

		assert_int_equal(pgt_map(pt, va + 1, GiB(5), PAGE, ATTR_RAM), PGT_EINVAL);
		assert_int_equal(pgt_map(pt, va + 0x800, GiB(5), PAGE, ATTR_RAM), PGT_EINVAL);
		assert_int_equal(pgt_map(pt, va, GiB(5) + 8, PAGE, ATTR_RAM), PGT_EINVAL);
		assert_int_equal(pgt_map(pt, va, GiB(5), PAGE + 1, ATTR_RAM), PGT_EINVAL);
		assert_int_equal(pgt_map(pt, va, GiB(5), 0xfff, ATTR_RAM), PGT_EINVAL);
		assert_int_equal(pgt_map(pt, va, UINT64_MAX, PAGE, ATTR_RAM), PGT_EINVAL);
		assert_int_equal(pgt_map(pt, va, ALIGN_DOWN(UINT64_MAX, PAGE), PAGE, ATTR_RAM), PGT_EINVAL);
		/* va + size and pa + size wrapping past 2^64 */
		assert_int_equal(pgt_map(pt, -PAGE, GiB(5), 2 * PAGE, ATTR_RAM), PGT_EINVAL);
		assert_int_equal(pgt_map(pt, -PAGE, GiB(5), PAGE, ATTR_RAM), PGT_EINVAL);
		assert_int_equal(pgt_map(pt, va, GiB(5), -PAGE, ATTR_RAM), PGT_EINVAL);
		assert_int_equal(pgt_map(pt, va, -SZ_1G, SZ_1G * 2, ATTR_RAM), PGT_EINVAL);
		assert_int_equal(pgt_map(pt, va, -PAGE, PAGE, ATTR_RAM), PGT_EINVAL);
		assert_int_equal(pgt_unmap(pt, va + 4, PAGE), PGT_EINVAL);
		assert_int_equal(pgt_unmap(pt, va, PAGE - 4), PGT_EINVAL);
		assert_int_equal(pgt_unmap(pt, va, SZ_1G + 1), PGT_EINVAL);
		assert_int_equal(pgt_unmap(pt, -SZ_1G, SZ_1G * 2), PGT_EINVAL);
		assert_int_equal(pgt_unmap(pt, va, -PAGE), PGT_EINVAL);
		/* Nothing allocated, freed or changed. */
		assert_int_equal(f->mem.allocs, allocs);
		assert_int_equal(f->mem.frees, frees);
		check_tree(f);
		check_all_pages(f);

		/* Size 0 is a successful no-op. */
		assert_int_equal(pgt_map(pt, va + SZ_1G * 2, GiB(7), 0, ATTR_RAM), PGT_OK);
		assert_int_equal(pgt_map(pt, va + PAGE, GiB(7), 0, ATTR_RAM), PGT_OK);
		assert_int_equal(pgt_unmap(pt, va + PAGE, 0), PGT_OK);
		assert_int_equal(pgt_unmap(pt, va + SZ_1G * 2, 0), PGT_OK);
		assert_int_equal(f->mem.allocs, allocs);
		assert_int_equal(f->mem.frees, frees);
		check_tree(f);
		check_all_pages(f);
	}
}

/* Bits of attr outside PTE_ATTR_MASK (address, type) never reach the descriptor. */
static void test_attr_stray_bits_ignored(void **state)
{
	struct fx *f = *state;
	uint64_t stray = PTE_ADDR_MASK | PTE_TYPE_MASK;

	fx_init(f, &CFG_L0);
	do_map(f, SZ_512G, GiB(2), SZ_1G, ATTR_RAM | stray);
	do_map(f, SZ_512G + SZ_1G, GiB(3) + SZ_2M, SZ_2M, ATTR_RO | stray);
	do_map(f, SZ_512G + SZ_1G + SZ_2M, GiB(4) + PAGE, PAGE, ATTR_DEV | stray);
	assert_int_equal(pgt_lookup(&f->pt, SZ_512G, NULL), GiB(2) | ATTR_RAM | PTE_VALID);
	assert_int_equal(pgt_lookup(&f->pt, SZ_512G + SZ_1G, NULL), (GiB(3) + SZ_2M) | ATTR_RO | PTE_VALID);
	assert_int_equal(pgt_lookup(&f->pt, SZ_512G + SZ_1G + SZ_2M, NULL),
			 (GiB(4) + PAGE) | ATTR_DEV | PTE_VALID | PTE_TABLE);
	/* Every attribute bit survives, through splits too. */
	do_map(f, SZ_512G - SZ_1G, GiB(5), SZ_1G, PTE_ATTR_MASK);
	do_unmap(f, SZ_512G - SZ_1G + SZ_2M + PAGE, PAGE);
	check_tree(f);
	check_all_pages(f);
}

/* ------------------------------------------------------------------ replace, split, free */

static void test_map_replaces(void **state)
{
	struct fx *f = *state;
	uint64_t allocs;

	fx_init(f, &CFG_L0);
	do_map(f, SZ_512G, GiB(2), SZ_1G + SZ_2M + PAGE, ATTR_RAM);
	allocs = f->mem.allocs;
	do_map(f, SZ_512G, GiB(8), SZ_1G + SZ_2M + PAGE, ATTR_DEV);
	assert_int_equal(f->mem.allocs, allocs); /* same shape: rewritten in place */
	check_levels(f, SZ_512G, GiB(8), SZ_1G + SZ_2M + PAGE);
	check_tree(f);
	check_all_pages(f);
}

static void test_split_1g_block(void **state)
{
	struct fx *f = *state;
	uint64_t va = SZ_512G, pa = GiB(6), mid = va + SZ_1G / 2 + 7 * PAGE;
	uint64_t base_allocs, base_live;
	unsigned int l = 99;

	fx_init(f, &CFG_L0);
	do_map(f, va, pa, SZ_1G, ATTR_RAM);
	base_allocs = f->mem.allocs;
	base_live = live_tables(f);

	/* Remap one page: split into 2 MiB blocks, then the one 2 MiB into pages. */
	do_map(f, mid, GiB(50) + PAGE, PAGE, ATTR_DEV);
	assert_int_equal(f->mem.allocs, base_allocs + 2);
	xlate(f, mid, NULL, &l);
	assert_int_equal(l, 3);
	xlate(f, mid + PAGE, NULL, &l);
	assert_int_equal(l, 3);
	xlate(f, ALIGN_DOWN(mid, SZ_2M) - 1, NULL, &l);
	assert_int_equal(l, 2);
	xlate(f, va, NULL, &l);
	assert_int_equal(l, 2);
	check_tree(f);
	check_all_pages(f); /* the rest maps as before, same attributes */

	/* Unmap another page of the same 2 MiB and one of another 2 MiB. */
	do_unmap(f, mid + 2 * PAGE, PAGE);
	do_unmap(f, va + SZ_2M * 7 + PAGE * 100, PAGE);
	assert_int_equal(f->mem.allocs, base_allocs + 3);
	assert_int_equal(xlate(f, mid + 2 * PAGE, NULL, NULL), NO_PA);
	check_tree(f);
	check_all_pages(f);

	/* Remap the whole GiB: one level-1 block again, the three tables freed. */
	do_map(f, va, pa + SZ_1G, SZ_1G, ATTR_RO);
	assert_int_equal(pgt_lookup(&f->pt, mid, &l), (pa + SZ_1G) | ATTR_RO | PTE_VALID);
	assert_int_equal(l, 1);
	assert_int_equal(live_tables(f), base_live);
	assert_int_equal(f->mem.frees, 3);
	check_tree(f);
	check_all_pages(f);

	/* Unmapping the whole GiB after another split also frees. */
	do_unmap(f, mid, PAGE);
	do_unmap(f, va, SZ_1G);
	assert_int_equal(live_tables(f), base_live);
	assert_int_equal(pgt_lookup(&f->pt, mid, NULL), 0);
	check_tree(f);
	check_all_pages(f);
}

static void test_split_2m_block(void **state)
{
	struct fx *f = *state;
	uint64_t va = SZ_512G + SZ_1G + SZ_2M * 9, pa = GiB(3) + SZ_2M * 9;

	fx_init(f, &CFG_L0);
	do_map(f, va, pa, SZ_2M * 3, ATTR_RAM);
	/* Unmap straddling two blocks: both split, both keep their other pages. */
	do_unmap(f, va + SZ_2M - 3 * PAGE, 5 * PAGE);
	check_tree(f);
	check_all_pages(f);
	/* Map over a split block with a 2 MiB block: the page table is freed. */
	do_map(f, va, pa + SZ_1G, SZ_2M, ATTR_RO);
	check_levels(f, va, pa + SZ_1G, SZ_2M);
	check_tree(f);
	/* Partial remap keeping the rest of the block. */
	do_map(f, va + SZ_2M * 2 + PAGE, GiB(40) + 3 * PAGE, SZ_2M - 2 * PAGE, ATTR_DEV);
	check_tree(f);
	check_all_pages(f);
}

/* Unmapping what was never mapped allocates nothing. */
static void test_unmap_empty(void **state)
{
	struct fx *f = *state;

	fx_init(f, &CFG_L0);
	do_unmap(f, CFG_L0.win_base, CFG_L0.win_size);
	do_unmap(f, CFG_L0.win_base + PAGE, SZ_2M);
	assert_int_equal(pgt_unmap(&f->pt, 0, 1ULL << 48), PGT_OK);
	assert_int_equal(f->mem.allocs, 0);
	do_map(f, SZ_512G + SZ_1G + 5 * PAGE, GiB(2), PAGE, ATTR_RAM);
	assert_int_equal(f->mem.allocs, 3);
	do_unmap(f, SZ_512G + SZ_2M, SZ_1G - SZ_2M + 3 * PAGE);
	do_unmap(f, SZ_512G, SZ_1G * 2);
	assert_int_equal(f->mem.allocs, 3);
	check_tree(f);
	check_all_pages(f);
}

/* A table replaced by a block is freed with every table below it. */
static void test_block_frees_subtree(void **state)
{
	struct fx *f = *state;
	uint64_t va = SZ_512G;

	fx_init(f, &CFG_L0);
	do_map(f, va - PAGE, GiB(1), PAGE, ATTR_RAM); /* keeps root entry 0's tables alive */
	for (unsigned int i = 0; i < 8; i++)
		do_map(f, va + i * SZ_2M * 3 + i * PAGE, GiB(2) + i * PAGE, PAGE, ATTR_RAM);
	assert_int_equal(live_tables(f), 3 + 1 + 1 + 8);
	do_map(f, va, GiB(3), SZ_1G, ATTR_RO);
	assert_int_equal(live_tables(f), 3 + 1);
	check_tree(f);
	check_all_pages(f);
}

/* Without free_table, replaced tables are leaked but the mapping is still right. */
static void test_no_free_table(void **state)
{
	struct fx *f = *state;
	struct cfg c = CFG_L0;

	c.leak = true;
	fx_init(f, &c);
	do_map(f, SZ_512G, GiB(2), SZ_1G, ATTR_RAM);
	do_unmap(f, SZ_512G + SZ_2M + PAGE, PAGE);
	do_map(f, SZ_512G, GiB(4), SZ_1G, ATTR_RO);
	assert_int_equal(f->mem.frees, 0);
	do_unmap(f, SZ_512G + PAGE, PAGE);
	do_unmap(f, SZ_512G, SZ_1G);
	check_tree(f);
	check_all_pages(f);
}

/* ------------------------------------------------------------------ out of memory */

static void test_enomem_split_keeps_block(void **state)
{
	struct fx *f = *state;
	uint64_t va = SZ_512G, pa = GiB(6), mid = va + SZ_1G / 2;
	unsigned int l = 99;

	fx_init(f, &CFG_L0);
	do_map(f, va, pa, SZ_1G, ATTR_RAM);
	f->mem.fail_after = 0;
	assert_int_equal(pgt_map(&f->pt, mid, GiB(9), PAGE, ATTR_DEV), PGT_ENOMEM);
	assert_int_equal(pgt_lookup(&f->pt, mid, &l), pa | ATTR_RAM | PTE_VALID);
	assert_int_equal(l, 1);
	assert_int_equal(pgt_unmap(&f->pt, mid, PAGE), PGT_ENOMEM);
	assert_int_equal(pgt_lookup(&f->pt, mid, &l), pa | ATTR_RAM | PTE_VALID);
	assert_int_equal(l, 1);
	check_tree(f);
	check_all_pages(f);

	/* Second level fails: the GiB is split into 2 MiB blocks, the page keeps its PA. */
	f->mem.fail_after = 1;
	assert_int_equal(pgt_unmap(&f->pt, mid, PAGE), PGT_ENOMEM);
	xlate(f, mid, NULL, &l);
	assert_int_equal(l, 2);
	check_tree(f);
	check_all_pages(f);

	f->mem.fail_after = -1;
	do_unmap(f, mid, PAGE);
	check_tree(f);
	check_all_pages(f);
}

/* Apply a list of operations: size 0 ends it, pa NO_PA means unmap. */
struct op {
	uint64_t va, pa, size, attr;
};

static int apply(struct fx *f, const struct op *o)
{
	return o->pa == NO_PA ? pgt_unmap(&f->pt, o->va, o->size)
			      : pgt_map(&f->pt, o->va, o->pa, o->size, o->attr);
}

/*
 * For each operation, on a freshly built table, fail the k-th allocation for every k up to
 * the number the operation needs: each failure returns PGT_ENOMEM with an acceptable state,
 * and retrying then succeeds with the exact result.
 */
static void test_enomem_every_point(void **state)
{
	const uint64_t G = SZ_512G - GiB(2); /* window base (CFG_L0) */
	static const struct op pre[] = {
		{ SZ_512G - GiB(2), GiB(10), SZ_1G, ATTR_RAM },
		{ SZ_512G - SZ_1G + SZ_2M * 4, GiB(20) + SZ_2M * 4, SZ_2M * 8, ATTR_RO },
		{ SZ_512G - SZ_1G + SZ_2M * 5 + PAGE * 3, GiB(30), PAGE * 9, ATTR_DEV },
		{ SZ_512G + SZ_1G, GiB(40) + PAGE, PAGE * 600, ATTR_RAM },
		{ 0, 0, 0, 0 },
	};
	const struct op ops[] = {
		/* split of a GiB for one page, map and unmap */
		{ G + SZ_1G / 2, GiB(50), PAGE, ATTR_DEV },
		{ G + SZ_1G / 2, NO_PA, PAGE, 0 },
		/* across the 512 GiB root boundary, creating tables on both sides */
		{ SZ_512G - SZ_2M - PAGE, GiB(60) - SZ_2M - PAGE, SZ_1G + SZ_2M * 2, ATTR_RO },
		{ SZ_512G - SZ_2M - PAGE, NO_PA, SZ_1G + SZ_2M * 2, 0 },
		/* over a mix of blocks, pages and holes, with pages at both ends */
		{ G + SZ_1G - PAGE * 5, GiB(71) - PAGE * 5, SZ_1G + PAGE * 7, ATTR_RAM },
		{ G + SZ_1G - PAGE * 5, NO_PA, SZ_1G + PAGE * 7, 0 },
		{ G + SZ_2M - PAGE, GiB(80) - PAGE, GiB(3) + PAGE * 2, ATTR_DEV },
		{ G + SZ_2M - PAGE, NO_PA, GiB(3) + PAGE * 2, 0 },
	};
	struct fx *f = *state;

	for (size_t i = 0; i < ARRAY_SIZE(ops); i++) {
		const struct op *o = &ops[i];
		bool done = false;

		for (long k = 0; !done; k++) {
			int rc;

			CHECK(k < 100, "op %zu never completes", i);
			fx_init(f, &CFG_L0);
			for (const struct op *p = pre; p->size; p++)
				do_map(f, p->va, p->pa, p->size, p->attr);
			f->mem.fail_after = k;
			f->mem.failures = 0;
			rc = apply(f, o);
			f->mem.fail_after = -1;
			if (rc == PGT_OK) {
				CHECK(f->mem.failures == 0, "op %zu: success after a failed allocation", i);
				model_set(f, o->va, o->pa, o->size, o->attr);
				done = true;
			} else {
				CHECK(rc == PGT_ENOMEM, "op %zu k %ld: rc %d", i, k, rc);
				CHECK(f->mem.failures == 1, "op %zu: kept allocating after a failure", i);
				settle_failed_op(f, o->va, o->pa, o->size, o->attr);
				check_tree(f);
				/* Retry with memory: the exact result. */
				CHECK(apply(f, o) == PGT_OK, "op %zu k %ld: retry failed", i, k);
				model_set(f, o->va, o->pa, o->size, o->attr);
			}
			check_tree(f);
			check_va(f, o->va - PAGE);
			check_va(f, o->va);
			check_va(f, o->va + o->size - PAGE);
			check_va(f, o->va + o->size);
			if (o->pa != NO_PA && (done || k % 4 == 0))
				check_levels(f, o->va, o->pa, o->size);
		}
	}
	check_all_pages(f);
}

/* ------------------------------------------------------------------ randomized */

static uint64_t rand_len(void)
{
	uint64_t extra = rnd_below(4) == 0 ? rnd_below(3) * PAGE : 0;

	switch (rnd_below(10)) {
	case 0: case 1: case 2:
		return (1 + rnd_below(rnd_below(8) ? 16 : 2048)) * PAGE;
	case 3: case 4: case 5:
		return (1 + rnd_below(8)) * SZ_2M + extra;
	case 6: case 7:
		return (1 + rnd_below(2)) * SZ_1G + (rnd_below(2) ? rnd_below(4) * SZ_2M : 0) + extra;
	default:
		return (1 + rnd_below(SZ_1G / PAGE)) * PAGE;
	}
}

static uint64_t rand_align(void)
{
	static const uint64_t a[] = { PAGE, PAGE, SZ_2M, SZ_2M, SZ_1G };

	return a[rnd_below(ARRAY_SIZE(a))];
}

/* A PA for va: often congruent modulo 1 GiB or 2 MiB so blocks are possible. */
static uint64_t rand_pa(uint64_t va, uint64_t size)
{
	uint64_t pa;

	switch (rnd_below(10)) {
	case 0: case 1: case 2: case 3: case 4:
		pa = rnd_below(1024) * SZ_1G + va % SZ_1G;
		break;
	case 5: case 6:
		pa = rnd_below((1ULL << 40) / SZ_2M) * SZ_2M + va % SZ_2M;
		break;
	case 7: case 8:
		pa = rnd_below((1ULL << 40) / PAGE) * PAGE;
		break;
	default: /* near the top of the 48-bit PA space */
		pa = PA_LIMIT - GiB(16) + rnd_below(8) * SZ_1G + (rnd_below(2) ? va % SZ_1G : rnd_below(SZ_1G / PAGE) * PAGE);
		break;
	}
	CHECK(pa + size <= PA_LIMIT, "test bug: pa range");
	return pa;
}

static uint64_t rand_attr(void)
{
	static const uint64_t a[] = { ATTR_RAM, ATTR_RO, ATTR_DEV };

	return rnd_below(2) ? a[rnd_below(ARRAY_SIZE(a))] : rnd() & PTE_ATTR_MASK;
}

static void random_ops(struct fx *f, const struct cfg *c, uint64_t seed, unsigned int nops)
{
	uint64_t win_end = c->win_base + c->win_size;
	unsigned int enomem = 0, maps = 0;

	rng_state = seed;
	fx_init(f, c);
	for (unsigned int i = 0; i < nops; i++) {
		uint64_t align = rand_align(), len = rand_len(), va, pa = NO_PA, attr = 0;
		bool is_map = rnd_below(100) < 60, inject = rnd_below(100) < 6;
		int rc;

		va = c->win_base + ALIGN_DOWN(rnd_below(c->win_size), align);
		if (rnd_below(5) == 0)
			va = va + rnd_below(8) * PAGE - 4 * PAGE;
		if (va < c->win_base || va >= win_end)
			va = c->win_base + ALIGN_DOWN(rnd_below(c->win_size), PAGE);
		len = MIN(len, win_end - va);
		if (is_map) {
			pa = rand_pa(va, len);
			attr = rand_attr();
			/* Page-only maps are costly to check: keep them shorter (the fixed tests map
			 * whole GiBs of pages). */
			if ((pa - va) % SZ_2M && len > MiB(64) && rnd_below(4))
				len = MiB(64) + rnd_below(4) * PAGE;
		}
		if (inject)
			f->mem.fail_after = (long)rnd_below(3);
		f->mem.failures = 0;
		rc = is_map ? pgt_map(&f->pt, va, pa, len, attr) : pgt_unmap(&f->pt, va, len);
		f->mem.fail_after = -1;
		if (rc == PGT_ENOMEM && f->mem.failures == 1) {
			settle_failed_op(f, va, pa, len, attr);
			enomem++;
		} else {
			CHECK(rc == PGT_OK, "op %u: %s(%#llx, %#llx, %#llx) = %d", i,
			      is_map ? "map" : "unmap", (unsigned long long)va,
			      (unsigned long long)pa, (unsigned long long)len, rc);
			CHECK(f->mem.failures == 0, "op %u succeeded despite a failed allocation", i);
			model_set(f, va, pa, len, attr);
			if (is_map) {
				check_levels(f, va, pa, len);
				maps++;
			}
		}
		if (i % 16 == 15 || rc)
			check_tree(f);
		else /* every block the operation may have split or replaced, in full */
			check_tree_range(f, ALIGN_DOWN(va, SZ_1G), ALIGN_UP(va + len, SZ_1G));
		check_va(f, va - PAGE);
		check_va(f, va);
		check_va(f, va + len - PAGE);
		check_va(f, va + len);
		for (unsigned int s = 0; s < 32; s++)
			check_page(f, rnd_below(f->pages));
		if (i % 512 == 511)
			check_all_pages(f);
	}
	check_all_pages(f);
	/* Everything unmapped: only tables that cover no whole block may remain. */
	do_unmap(f, c->win_base, c->win_size);
	check_tree(f);
	check_all_pages(f);
	print_message("%u ops (%u maps, %u ENOMEM), %llu tables allocated, %llu freed\n", nops, maps,
		      enomem, (unsigned long long)f->mem.allocs, (unsigned long long)f->mem.frees);
	CHECK(enomem > 0, "test bug: no failure injected");
}

#define NOPS 2000

static void test_random_l0(void **state)
{
	random_ops(*state, &CFG_L0, 0x1234567890abcdefULL, NOPS);
}

static void test_random_l1(void **state)
{
	random_ops(*state, &CFG_L1, 0x0fedcba987654321ULL, NOPS);
}

static void test_random_l1_concat(void **state)
{
	random_ops(*state, &CFG_L1_CONCAT, 0x5eed5eed5eed5eedULL, NOPS);
}

static void test_random_min_block_2(void **state)
{
	struct cfg c = { 0, 512, 2, false, false, GiB(1) - SZ_2M * 3, GiB(4) };

	random_ops(*state, &c, 0xa5a5a5a5deadbeefULL, NOPS);
}

static void test_random_leaky(void **state)
{
	struct cfg c = CFG_L1;

	c.leak = true;
	random_ops(*state, &c, 0x0123012301230123ULL, 300); /* tables leak: a short run */
}

static void test_random_no_blocks(void **state)
{
	struct cfg c = { 1, 512, 1, true, false, GiB(3) - MiB(32), MiB(128) };

	random_ops(*state, &c, 0x7777777711111111ULL, NOPS / 2);
}

/* Partial unmaps keep their tables; pgt_free_tables gives every one back (a VM destroyed
 * after a 4 MiB map leaked its level-2 table once). */
static void test_free_tables(void **state)
{
	struct fx *f = *state;
	uint64_t allocs;

	fx_init(f, &CFG_L1_CONCAT);
	do_map(f, SZ_512G - GiB(2), GiB(2), 2 * SZ_2M, ATTR_RAM);
	do_map(f, SZ_512G + SZ_1G + SZ_2M, GiB(30), PAGE, ATTR_RO);
	allocs = f->mem.allocs;
	assert_true(allocs >= 3);
	assert_int_equal(pgt_unmap(&f->pt, SZ_512G - GiB(2), 2 * SZ_2M), PGT_OK);
	assert_int_equal(f->mem.frees, 0); /* the level-2 table stays */
	pgt_free_tables(&f->pt);
	assert_int_equal(f->mem.frees, allocs);
	for (unsigned int i = 0; i < f->pt.root_entries; i++)
		assert_int_equal(root_entry(f, i), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)
		T(test_map_1g_block),
		T(test_map_2m_blocks),
		T(test_map_pages_4k),
		T(test_misaligned_pa_forces_smaller),
		T(test_mixed_decomposition),
		T(test_no_blocks),
		T(test_min_block_level_2),
		T(test_start_level0_root_boundary),
		T(test_start_level1_512),
		T(test_start_level1_concatenated),
		T(test_free_tables),
		T(test_va_beyond_input_range),
		T(test_pa_beyond_48_bits),
		T(test_einval),
		T(test_attr_stray_bits_ignored),
		T(test_map_replaces),
		T(test_split_1g_block),
		T(test_split_2m_block),
		T(test_unmap_empty),
		T(test_block_frees_subtree),
		T(test_no_free_table),
		T(test_enomem_split_keeps_block),
		T(test_enomem_every_point),
		T(test_random_l0),
		T(test_random_l1),
		T(test_random_l1_concat),
		T(test_random_min_block_2),
		T(test_random_leaky),
		T(test_random_no_blocks),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
