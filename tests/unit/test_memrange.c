/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lib/memrange.c: range_overlaps, ranges_subtract and ranges_find_free. Fixed edge cases
 * (empty ranges, ranges ending at 2^64, splits, all-or-nothing when max is exceeded,
 * alignment, min_addr, overflow), then each function against a brute-force model on a
 * 256-byte address space placed at 0, in the middle and at the very top of the 64-bit space.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lib/memrange.h"

typedef unsigned __int128 u128;

#define TOP (~0ULL) /* last byte of the address space */

#define CHECK(cond, ...)                     \
	do {                                 \
		if (!(cond))                 \
			fail_msg(__VA_ARGS__); \
	} while (0)

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

/* ------------------------------------------------------------------ range_overlaps */

static void overlaps_both(uint64_t a, uint64_t as, uint64_t b, uint64_t bs, bool want)
{
	CHECK(range_overlaps(a, as, b, bs) == want && range_overlaps(b, bs, a, as) == want,
	      "overlaps([%#llx+%#llx], [%#llx+%#llx]) should be %d", (unsigned long long)a,
	      (unsigned long long)as, (unsigned long long)b, (unsigned long long)bs, want);
}

static void test_overlaps(void **state)
{
	/* Sizes of 0 never overlap, not even at the same address or inside another range. */
	overlaps_both(0x1000, 0, 0x1000, 0x10, false);
	overlaps_both(0x1008, 0, 0x1000, 0x10, false);
	overlaps_both(0x1000, 0, 0x1000, 0, false);
	overlaps_both(TOP, 0, 0, TOP, false);
	/* Touching is not overlapping. */
	overlaps_both(0x1000, 0x10, 0x1010, 0x10, false);
	overlaps_both(0x1000, 0x10, 0xff0, 0x10, false);
	/* One shared byte, containment, identity. */
	overlaps_both(0x1000, 0x10, 0x100f, 0x10, true);
	overlaps_both(0x1000, 0x10, 0xff1, 0x10, true);
	overlaps_both(0x1000, 0x100, 0x1040, 0x10, true);
	overlaps_both(0x1000, 0x100, 0x1000, 0x100, true);
	overlaps_both(0, 1, 0, 1, true);
	overlaps_both(0, 1, 1, 1, false);
	/* Ranges ending at 2^64 do not wrap. */
	overlaps_both(TOP - 0xf, 0x10, TOP, 1, true);
	overlaps_both(TOP - 0xf, 0x10, TOP - 0x1f, 0x10, false);
	overlaps_both(TOP - 0xf, 0x10, 0, 0x10, false);
	overlaps_both(TOP - 0xf, 0x10, 0, 1, false);
	overlaps_both(TOP, 1, TOP, 1, true);
	overlaps_both(TOP, 1, 0, 1, false);
	/* The largest ranges: [0, 2^64-1) and [1, 2^64). */
	overlaps_both(0, TOP, TOP, 1, false);
	overlaps_both(0, TOP, TOP - 1, 1, true);
	overlaps_both(1, TOP, 0, 1, false);
	overlaps_both(1, TOP, TOP, 1, true);
	overlaps_both(0, TOP, 1, TOP, true);
}

/* ------------------------------------------------------------------ ranges_subtract */

#define MAXR 12

static int cmp_range(const void *a, const void *b)
{
	const struct mem_range *x = a, *y = b;

	if (x->base != y->base)
		return x->base < y->base ? -1 : 1;
	return x->size < y->size ? -1 : x->size > y->size;
}

/* r[0..n) holds the ranges want[0..wn), in any order (the header promises none). */
static void expect_ranges(const struct mem_range *r, uint32_t n, const struct mem_range *want,
			  uint32_t wn)
{
	struct mem_range a[MAXR], b[MAXR];

	CHECK(n == wn, "%u ranges, want %u", n, wn);
	memcpy(a, r, n * sizeof(*r));
	memcpy(b, want, n * sizeof(*r));
	qsort(a, n, sizeof(*a), cmp_range);
	qsort(b, n, sizeof(*b), cmp_range);
	for (uint32_t i = 0; i < n; i++)
		CHECK(a[i].base == b[i].base && a[i].size == b[i].size,
		      "range %u is [%#llx+%#llx], want [%#llx+%#llx]", i, (unsigned long long)a[i].base,
		      (unsigned long long)a[i].size, (unsigned long long)b[i].base,
		      (unsigned long long)b[i].size);
}

static void test_subtract_basic(void **state)
{
	struct mem_range r[MAXR];
	uint32_t n;

	/* Size 0: nothing happens. */
	r[0] = (struct mem_range){ 0x1000, 0x1000 };
	n = 1;
	assert_true(ranges_subtract(r, &n, 1, 0x1800, 0));
	expect_ranges(r, n, (struct mem_range[]){ { 0x1000, 0x1000 } }, 1);

	/* Disjoint or touching: unchanged. */
	assert_true(ranges_subtract(r, &n, 1, 0x2000, 0x1000));
	assert_true(ranges_subtract(r, &n, 1, 0, 0x1000));
	expect_ranges(r, n, (struct mem_range[]){ { 0x1000, 0x1000 } }, 1);

	/* Head, tail. */
	assert_true(ranges_subtract(r, &n, 1, 0x800, 0x900));
	expect_ranges(r, n, (struct mem_range[]){ { 0x1100, 0xf00 } }, 1);
	assert_true(ranges_subtract(r, &n, 1, 0x1f00, 0x1000));
	expect_ranges(r, n, (struct mem_range[]){ { 0x1100, 0xe00 } }, 1);
	/* Exactly the first / last byte. */
	assert_true(ranges_subtract(r, &n, 1, 0x1100, 1));
	assert_true(ranges_subtract(r, &n, 1, 0x1eff, 1));
	expect_ranges(r, n, (struct mem_range[]){ { 0x1101, 0xdfe } }, 1);

	/* Middle: split, the tail takes a new slot. */
	assert_true(ranges_subtract(r, &n, 2, 0x1200, 0x100));
	expect_ranges(r, n, (struct mem_range[]){ { 0x1101, 0xff }, { 0x1300, 0xbff } }, 2);

	/* Whole range swallowed, exactly and with margin. */
	r[2] = (struct mem_range){ 0x8000, 0x10 };
	n = 3;
	assert_true(ranges_subtract(r, &n, 3, 0x1300, 0xbff));
	expect_ranges(r, n, (struct mem_range[]){ { 0x1101, 0xff }, { 0x8000, 0x10 } }, 2);
	assert_true(ranges_subtract(r, &n, 2, 0, 0x2000));
	expect_ranges(r, n, (struct mem_range[]){ { 0x8000, 0x10 } }, 1);
	assert_true(ranges_subtract(r, &n, 1, 0x7000, 0x2000));
	assert_int_equal(n, 0);
	assert_true(ranges_subtract(r, &n, 0, 0x7000, 0x2000));
	assert_int_equal(n, 0);
}

static void test_subtract_multiple(void **state)
{
	/* Unsorted, one cut swallowing one, trimming two and splitting one; one untouched. */
	struct mem_range r[MAXR] = {
		{ 0x5000, 0x1000 }, /* swallowed */
		{ 0x3800, 0x1000 }, /* tail trimmed to [0x3800, 0x4000) */
		{ 0x100000, 0x1000 }, /* untouched */
		{ 0x6800, 0x1000 }, /* head trimmed to [0x7000, 0x7800) */
		{ 0, 0x10000 }, /* split: [0, 0x4000) and [0x7000, 0x10000) */
	};
	uint32_t n = 5;

	assert_true(ranges_subtract(r, &n, 6, 0x4000, 0x3000));
	expect_ranges(r, n,
		      (struct mem_range[]){ { 0x3800, 0x800 },
					    { 0x100000, 0x1000 },
					    { 0x7000, 0x800 },
					    { 0, 0x4000 },
					    { 0x7000, 0x9000 } },
		      5);
}

/* When the split does not fit, nothing changes, including the spare slots. */
static void test_subtract_max_exceeded(void **state)
{
	struct mem_range r[MAXR], before[MAXR];
	uint32_t n = 3;

	for (uint32_t i = 0; i < MAXR; i++)
		r[i] = (struct mem_range){ 0xdead0000 + i, 0xbeef };
	r[0] = (struct mem_range){ 0x1000, 0x1000 };
	r[1] = (struct mem_range){ 0x4000, 0x1000 }; /* would be split */
	r[2] = (struct mem_range){ 0x3000, 0x1000 };
	memcpy(before, r, sizeof(r));

	assert_false(ranges_subtract(r, &n, 3, 0x4400, 0x100));
	assert_int_equal(n, 3);
	assert_memory_equal(r, before, sizeof(r));

	/* Two splits (overlapping input ranges) with room for one. */
	r[2] = (struct mem_range){ 0x4100, 0x100 };
	memcpy(before, r, sizeof(r));
	assert_false(ranges_subtract(r, &n, 4, 0x4180, 0x10));
	assert_int_equal(n, 3);
	assert_memory_equal(r, before, sizeof(r));
	assert_true(ranges_subtract(r, &n, 5, 0x4180, 0x10));
	assert_int_equal(n, 5);

	/* max == n is fine when nothing splits. */
	n = 1;
	r[0] = (struct mem_range){ 0x1000, 0x1000 };
	assert_true(ranges_subtract(r, &n, 1, 0x1800, 0x1000));
	expect_ranges(r, n, (struct mem_range[]){ { 0x1000, 0x800 } }, 1);
}

static void test_subtract_top_of_space(void **state)
{
	struct mem_range r[MAXR];
	uint32_t n;

	/* A range ending at 2^64, cut in the middle. */
	r[0] = (struct mem_range){ TOP - 0xfff, 0x1000 };
	n = 1;
	assert_true(ranges_subtract(r, &n, 2, TOP - 0x7ff, 0x100));
	expect_ranges(r, n, (struct mem_range[]){ { TOP - 0xfff, 0x800 }, { TOP - 0x6ff, 0x700 } }, 2);
	/* A cut ending exactly at 2^64 removes the tail. */
	assert_true(ranges_subtract(r, &n, 2, TOP - 0xff, 0x100));
	expect_ranges(r, n, (struct mem_range[]){ { TOP - 0xfff, 0x800 }, { TOP - 0x6ff, 0x600 } }, 2);
	/* A cut running past 2^64 is clamped to it. */
	assert_true(ranges_subtract(r, &n, 2, TOP - 0x1ff, 0x10000));
	expect_ranges(r, n, (struct mem_range[]){ { TOP - 0xfff, 0x800 }, { TOP - 0x6ff, 0x500 } }, 2);
	assert_true(ranges_subtract(r, &n, 2, TOP - 0x6ff, TOP));
	expect_ranges(r, n, (struct mem_range[]){ { TOP - 0xfff, 0x800 } }, 1);
	/* Only the last byte left. */
	r[0] = (struct mem_range){ TOP - 0xfff, 0x1000 };
	assert_true(ranges_subtract(r, &n, 1, 0, TOP));
	expect_ranges(r, n, (struct mem_range[]){ { TOP, 1 } }, 1);
	assert_true(ranges_subtract(r, &n, 1, TOP, 1));
	assert_int_equal(n, 0);
	/* The largest ranges. */
	r[0] = (struct mem_range){ 0, TOP };
	n = 1;
	assert_true(ranges_subtract(r, &n, 2, 1, TOP - 2));
	expect_ranges(r, n, (struct mem_range[]){ { 0, 1 }, { TOP - 1, 1 } }, 2);
}

/* An empty range in the set stays out of the way. */
static void test_subtract_empty_input(void **state)
{
	struct mem_range r[MAXR] = { { 0x1000, 0 }, { 0x2000, 0x1000 }, { 0x2800, 0 } };
	uint32_t n = 3;

	assert_true(ranges_subtract(r, &n, 4, 0x2400, 0x100));
	for (uint32_t i = 0; i < n; i++)
		if (r[i].size)
			CHECK(!range_overlaps(r[i].base, r[i].size, 0x2400, 0x100), "cut not removed");
	{
		uint64_t total = 0;

		for (uint32_t i = 0; i < n; i++)
			total += r[i].size;
		assert_int_equal(total, 0x1000 - 0x100);
	}
}

/* ------------------------------------------------------------------ ranges_find_free */

static void expect_free(const struct mem_range *r, uint32_t n, uint64_t size, uint64_t align,
			uint64_t min_addr, bool found, uint64_t want)
{
	uint64_t out = 0x5a5a5a5a5a5a5a5aULL;
	bool got = ranges_find_free(r, n, size, align, min_addr, &out);

	CHECK(got == found, "find_free(size %#llx, align %#llx, min %#llx) returned %d, want %d",
	      (unsigned long long)size, (unsigned long long)align, (unsigned long long)min_addr, got,
	      found);
	if (found)
		CHECK(out == want, "find_free(size %#llx, align %#llx, min %#llx) = %#llx, want %#llx",
		      (unsigned long long)size, (unsigned long long)align, (unsigned long long)min_addr,
		      (unsigned long long)out, (unsigned long long)want);
	else
		CHECK(out == 0x5a5a5a5a5a5a5a5aULL, "*out written on failure");
}

static void test_find_free(void **state)
{
	const struct mem_range r[] = {
		{ 0x90000, 0x10000 },
		{ 0x10001, 0x3fff }, /* aligned space: [0x11000, 0x14000) */
		{ 0x40000, 0x2000 },
		{ 0x20000, 0 },
	};

	/* Bad arguments. */
	expect_free(r, 4, 0, 0x1000, 0, false, 0);
	expect_free(r, 4, 0x1000, 0, 0, false, 0);
	expect_free(r, 4, 0x1000, 0x3000, 0, false, 0);
	expect_free(r, 4, 0x1000, 0x1001, 0, false, 0);
	expect_free(r, 0, 0x1000, 0x1000, 0, false, 0);
	/* Lowest fit over unsorted ranges, alignment inside a range. */
	expect_free(r, 4, 0x1000, 0x1000, 0, true, 0x11000);
	expect_free(r, 4, 1, 1, 0, true, 0x10001);
	expect_free(r, 4, 0x3000, 0x1000, 0, true, 0x11000);
	expect_free(r, 4, 0x3001, 0x1000, 0, true, 0x90000);
	expect_free(r, 4, 0x3fff, 1, 0, true, 0x10001);
	expect_free(r, 4, 0x2000, 0x2000, 0, true, 0x12000);
	expect_free(r, 4, 0x1000, 0x4000, 0, true, 0x40000);
	expect_free(r, 4, 0x1000, 0x10000, 0, true, 0x40000);
	expect_free(r, 4, 0x1000, 0x20000, 0, true, 0x40000);
	expect_free(r, 4, 0x1000, 0x40000, 0, true, 0x40000);
	expect_free(r, 4, 0x1000, 0x80000, 0, false, 0);
	/* Exact fit, one byte too many. */
	expect_free(r, 4, 0x10000, 0x10000, 0, true, 0x90000);
	expect_free(r, 4, 0x10001, 1, 0, false, 0);
	/* min_addr: inside a range, between ranges, at the end, beyond everything. */
	expect_free(r, 4, 0x1000, 0x1000, 0x11001, true, 0x12000);
	expect_free(r, 4, 0x1000, 0x1000, 0x13001, true, 0x40000);
	expect_free(r, 4, 0x1000, 0x1000, 0x13000, true, 0x13000);
	expect_free(r, 4, 0x1000, 0x1000, 0x41001, true, 0x90000);
	expect_free(r, 4, 0x1000, 0x1000, 0x9f000, true, 0x9f000);
	expect_free(r, 4, 0x1000, 0x1000, 0x9f001, false, 0);
	expect_free(r, 4, 0x1000, 0x1000, TOP, false, 0);
	expect_free(r, 4, 1, 1, TOP, false, 0);
	/* Huge sizes and alignments. */
	expect_free(r, 4, TOP, 1, 0, false, 0);
	expect_free(r, 4, 1, 1ULL << 63, 0, false, 0);
}

static void test_find_free_top_of_space(void **state)
{
	/* A range ending exactly at 2^64 is usable up to its last byte. */
	const struct mem_range top[] = { { TOP - 0x3fff, 0x4000 } };
	const struct mem_range mid[] = { { (1ULL << 63) - 0x10, 0x100 } };
	const struct mem_range all[] = { { 0, TOP }, { 1, TOP } };

	expect_free(top, 1, 0x1000, 0x1000, 0, true, TOP - 0x3fff);
	expect_free(top, 1, 0x4000, 0x1000, 0, true, TOP - 0x3fff);
	expect_free(top, 1, 0x1000, 0x1000, TOP - 0x1fff, true, TOP - 0x1fff);
	expect_free(top, 1, 0x1000, 0x1000, TOP - 0xfff, true, TOP - 0xfff);
	expect_free(top, 1, 1, 1, TOP, true, TOP);
	expect_free(top, 1, 2, 1, TOP, false, 0);
	expect_free(top, 1, 0x1000, 0x1000, TOP - 0xffe, false, 0); /* aligning up wraps */
	expect_free(top, 1, 0x4001, 1, 0, false, 0);
	expect_free(top, 1, 0x1000, 0x8000, 0, false, 0);
	/* Alignment 2^63. */
	expect_free(mid, 1, 0x10, 1ULL << 63, 0, true, 1ULL << 63);
	expect_free(mid, 1, 0xf0, 1ULL << 63, 0, true, 1ULL << 63);
	expect_free(mid, 1, 0xf1, 1ULL << 63, 0, false, 0);
	/* The largest ranges. */
	expect_free(all, 2, TOP, 1, 0, true, 0);
	expect_free(all, 2, TOP, 1, 1, true, 1);
	expect_free(all, 2, TOP, 2, 1, false, 0);
	expect_free(all, 2, 1ULL << 62, 1ULL << 63, 1, true, 1ULL << 63);
}

/* ------------------------------------------------------------------ against a bitmap model */

#define SPACE 256

static uint64_t space_base;

/* The part of [base, base+size) inside the space, as a bitmap of its bytes. */
static void to_bits(uint64_t base, uint64_t size, bool *bits)
{
	u128 end = (u128)base + size;

	for (unsigned int k = 0; k < SPACE; k++) {
		u128 a = (u128)space_base + k;

		bits[k] = a >= base && a < end;
	}
}

/* A range, maybe empty, inside the space (or around it when loose). */
static struct mem_range rand_range(bool loose)
{
	uint64_t lo = rnd_below(SPACE), len = rnd_below(6) ? rnd_below(SPACE - lo + 1) : 0;
	struct mem_range r = { space_base + lo, len };

	if (loose && rnd_below(4) == 0) {
		/* Starting below the space and/or running past its end (past 2^64 at the top). */
		if (space_base >= 16 && rnd_below(2))
			r.base -= rnd_below(16);
		r.size = rnd_below(2) ? rnd_below(2 * SPACE) : TOP - rnd_below(SPACE);
	}
	return r;
}

static void test_random_overlaps(void **state)
{
	static const uint64_t bases[] = { 0, 1ULL << 63, TOP - SPACE + 1 };

	rng_state = 0x0102030405060708ULL;
	for (size_t b = 0; b < ARRAY_SIZE(bases); b++) {
		space_base = bases[b];
		for (unsigned int it = 0; it < 20000; it++) {
			struct mem_range x = rand_range(false), y = rand_range(false);
			bool bx[SPACE], by[SPACE], want = false;

			to_bits(x.base, x.size, bx);
			to_bits(y.base, y.size, by);
			for (unsigned int k = 0; k < SPACE; k++)
				want |= bx[k] && by[k];
			overlaps_both(x.base, x.size, y.base, y.size, want);
		}
	}
}

static void test_random_subtract(void **state)
{
	static const uint64_t bases[] = { 0, 1ULL << 63, TOP - SPACE + 1 };
	unsigned int ok = 0, refused = 0;

	rng_state = 0x1111222233334444ULL;
	for (size_t b = 0; b < ARRAY_SIZE(bases); b++) {
		space_base = bases[b];
		for (unsigned int it = 0; it < 20000; it++) {
			struct mem_range r[MAXR], before[MAXR], cut = rand_range(true);
			uint32_t n = 1 + (uint32_t)rnd_below(6), max, n_in, splits = 0, gone = 0;
			bool want[SPACE], bc[SPACE], res;

			/* Non-empty input ranges, possibly overlapping; junk in spare slots. */
			for (uint32_t i = 0; i < MAXR; i++)
				r[i] = (struct mem_range){ rnd(), rnd() };
			for (uint32_t i = 0; i < n; i++) {
				do
					r[i] = rand_range(false);
				while (!r[i].size);
			}
			max = n + (uint32_t)rnd_below(n + 1);
			max = MIN(max, (uint32_t)MAXR);
			n_in = n;
			memcpy(before, r, sizeof(r));

			/* Model: the union minus the cut; each range split, gone or kept. */
			memset(want, 0, sizeof(want));
			to_bits(cut.base, cut.size, bc);
			for (uint32_t i = 0; i < n; i++) {
				bool bi[SPACE], below = false, inside = false, above = false;

				to_bits(r[i].base, r[i].size, bi);
				for (unsigned int k = 0; k < SPACE; k++) {
					if (!bi[k])
						continue;
					want[k] |= !bc[k];
					if (bc[k])
						inside = true;
					else if (inside)
						above = true;
					else
						below = true;
				}
				splits += below && inside && above;
				gone += !below && !above;
			}

			res = ranges_subtract(r, &n, max, cut.base, cut.size);
			if (!res) {
				/* All or nothing. n_in + splits slots are needed while splitting; a
				 * result that would need more than max slots must be refused. */
				CHECK(cut.size && splits && n_in + splits > max,
				      "refused needlessly (it %u: n %u max %u splits %u)", it, n_in, max,
				      splits);
				CHECK(n == n_in && !memcmp(r, before, sizeof(r)), "changed on refusal");
				refused++;
				continue;
			}
			CHECK(n_in - gone + splits <= max, "result has more than max ranges");
			CHECK(n == n_in - gone + splits, "it %u: %u ranges, want %u", it, n,
			      n_in - gone + splits);
			{
				bool got[SPACE];

				memset(got, 0, sizeof(got));
				for (uint32_t i = 0; i < n; i++) {
					bool bi[SPACE];
					unsigned int cnt = 0;

					CHECK(r[i].size, "empty range in the result");
					to_bits(r[i].base, r[i].size, bi);
					for (unsigned int k = 0; k < SPACE; k++) {
						got[k] |= bi[k];
						cnt += bi[k];
					}
					CHECK(cnt == r[i].size, "result range outside the inputs");
				}
				CHECK(!memcmp(got, want, sizeof(got)), "it %u: wrong set after subtract", it);
			}
			ok++;
		}
	}
	print_message("%u subtractions, %u refused\n", ok, refused);
	CHECK(refused > 100 && ok > 1000, "test bug: poor coverage");
}

static void test_random_find_free(void **state)
{
	static const uint64_t bases[] = { 0, 1ULL << 63, TOP - SPACE + 1 };
	unsigned int found = 0, none = 0;

	rng_state = 0x9999888877776666ULL;
	for (size_t b = 0; b < ARRAY_SIZE(bases); b++) {
		space_base = bases[b];
		for (unsigned int it = 0; it < 20000; it++) {
			struct mem_range r[MAXR];
			uint32_t n = (uint32_t)rnd_below(5);
			uint64_t size = rnd_below(8) ? 1 + rnd_below(rnd_below(2) ? 8 : 96) : rnd_below(2) * TOP;
			uint64_t align = 1ULL << rnd_below(rnd_below(8) ? 6 : 10);
			uint64_t min_addr = rnd_below(3) ? space_base + rnd_below(SPACE + 16) - 8 : rnd();
			uint64_t out = 0x5a5a5a5a5a5a5a5aULL, want = 0;
			bool have = false, res;

			if (rnd_below(10) == 0)
				align = rnd_below(2) ? 0 : 3 << rnd_below(8); /* invalid */
			for (uint32_t i = 0; i < n; i++)
				r[i] = rand_range(false);
			/* Model: lowest aligned address >= min_addr with the block inside one range. */
			if (size && align && !(align & (align - 1))) {
				for (unsigned int k = 0; k < SPACE && !have; k++) {
					uint64_t a = space_base + k;

					if (a < min_addr || a % align)
						continue;
					for (uint32_t i = 0; i < n; i++)
						if (a >= r[i].base &&
						    (u128)a + size <= (u128)r[i].base + r[i].size) {
							have = true;
							want = a;
							break;
						}
				}
			}
			res = ranges_find_free(r, n, size, align, min_addr, &out);
			CHECK(res == have, "it %u (base %#llx): found %d, want %d (size %#llx align %#llx min %#llx)",
			      it, (unsigned long long)space_base, res, have, (unsigned long long)size,
			      (unsigned long long)align, (unsigned long long)min_addr);
			if (have)
				CHECK(out == want, "it %u: %#llx, want %#llx", it, (unsigned long long)out,
				      (unsigned long long)want);
			else
				CHECK(out == 0x5a5a5a5a5a5a5a5aULL, "*out written on failure");
			found += have;
			none += !have;
		}
	}
	print_message("%u found, %u without a fit\n", found, none);
	CHECK(found > 1000 && none > 1000, "test bug: poor coverage");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_overlaps),
		cmocka_unit_test(test_subtract_basic),
		cmocka_unit_test(test_subtract_multiple),
		cmocka_unit_test(test_subtract_max_exceeded),
		cmocka_unit_test(test_subtract_top_of_space),
		cmocka_unit_test(test_subtract_empty_input),
		cmocka_unit_test(test_find_free),
		cmocka_unit_test(test_find_free_top_of_space),
		cmocka_unit_test(test_random_overlaps),
		cmocka_unit_test(test_random_subtract),
		cmocka_unit_test(test_random_find_free),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
