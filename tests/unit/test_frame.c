/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The frame allocator over a fake physical address space: "physical" windows backed by
 * aligned heap buffers, reached through this file's frame_pa_to_ptr(). A reference first-fit
 * model over a per-frame shadow checks every address the allocator returns.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "core/frame.h"
#include "lib/spinlock.h"

#define PATTERN 0xa5
#define FPB (FRAME_SIZE * 8)	/* frames one bitmap frame covers */

struct window {
	uint64_t pa, size;
	uint8_t *mem;
};

static struct window win[64];
static unsigned int nwin;

/* Back [pa, pa + size) with heap memory, filled with PATTERN. */
static uint8_t *map(uint64_t pa, uint64_t size)
{
	struct window *w;

	assert_true(nwin < ARRAY_SIZE(win));
	assert_true(IS_ALIGNED(pa, FRAME_SIZE) && IS_ALIGNED(size, FRAME_SIZE));
	w = &win[nwin++];
	w->pa = pa;
	w->size = size;
	w->mem = aligned_alloc(FRAME_SIZE, size);
	assert_non_null(w->mem);
	memset(w->mem, PATTERN, size);
	return w->mem;
}

static uint8_t *lookup(uint64_t pa)
{
	unsigned int i;

	for (i = 0; i < nwin; i++)
		if (pa >= win[i].pa && pa - win[i].pa < win[i].size)
			return win[i].mem + (pa - win[i].pa);
	return NULL;
}

void *frame_pa_to_ptr(uint64_t pa)
{
	uint8_t *p = lookup(pa);

	/* Called under the allocator's lock: a cmocka failure would longjmp out holding it. */
	if (!p) {
		fprintf(stderr, "frame_pa_to_ptr(%#llx): not backed\n", (unsigned long long)pa);
		abort();
	}
	return p;
}

static int unmap_all(void **state)
{
	unsigned int i;

	for (i = 0; i < nwin; i++)
		free(win[i].mem);
	nwin = 0;
	/* Leave the allocator empty for the next test. */
	frame_init(NULL, 0);
	return 0;
}

static uint64_t bitmap_frames(uint64_t n)
{
	return (n + FPB) / (FPB + 1);
}

static uint64_t rng_state;

static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

static uint64_t rnd_below(uint64_t n)
{
	return rnd() % n;
}

static bool all_pattern(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != PATTERN)
			return false;
	return true;
}

static void test_init_basic(void **state)
{
	uint8_t *mem = map(0x40000000, MiB(16));

	assert_int_equal(frame_init(&(struct mem_range){ 0x40000000, MiB(16) }, 1), 1);
	assert_int_equal(frame_total(), 4095);
	assert_int_equal(frame_free_count(), 4095);
	/* The bitmap (4095 bits = 512 bytes) stays inside frame 0; nothing else is touched. */
	assert_false(all_pattern(mem, 512));
	assert_true(all_pattern(mem + 512, MiB(16) - 512));

	assert_int_equal(frame_alloc(1, 1), 0x40001000);
	assert_int_equal(frame_alloc(1, 1), 0x40002000);
	assert_int_equal(frame_free_count(), 4093);
	assert_int_equal(frame_free(0x40001000, 1), 0);
	assert_int_equal(frame_alloc(1, 1), 0x40001000);
	assert_true(all_pattern(mem + FRAME_SIZE, MiB(16) - FRAME_SIZE));
}

static void test_init_unaligned(void **state)
{
	uint64_t pa, prev = 0;
	int n = 0;

	map(0x40000000, 0x11000);
	/* Whole frames: 0x40001000..0x40010000 (15); bitmap 1, so 14 managed. */
	assert_int_equal(frame_init(&(struct mem_range){ 0x40000123, 0x10333 }, 1), 1);
	assert_int_equal(frame_total(), 14);
	assert_true(all_pattern(lookup(0x40000000), FRAME_SIZE));
	while ((pa = frame_alloc(1, 1))) {
		assert_true(pa >= 0x40002000 && pa < 0x40010000);
		assert_true(pa > prev);
		prev = pa;
		n++;
	}
	assert_int_equal(n, 14);
	assert_int_equal(frame_free_count(), 0);
	assert_true(all_pattern(lookup(0x40010000), FRAME_SIZE));
}

static void test_init_tiny(void **state)
{
	const struct mem_range tiny[] = {
		{ 0x40000000, 0 },
		{ 0x40010000, 0xfff },
		{ 0x40020000, FRAME_SIZE },		/* one frame: no room besides its bitmap */
		{ 0x40030800, FRAME_SIZE },		/* straddles two frames, owns neither */
		{ 0x40040800, 2 * FRAME_SIZE },		/* one whole frame */
		{ 0xfffffffffffff800ULL, 0x1000 },	/* aligning up would wrap */
		{ 0xffffffffffffe000ULL, 0x10000 },	/* runs past 2^64: cut to one frame */
		{ 0xffffffffffffffffULL, 0xffffffffffffffffULL },
	};

	/* None of these may reach frame_pa_to_ptr (nothing is backed: it would abort). */
	assert_int_equal(frame_init(tiny, ARRAY_SIZE(tiny)), -1);
	assert_int_equal(frame_init(NULL, 0), -1);
	assert_int_equal(frame_total(), 0);
	assert_int_equal(frame_free_count(), 0);
	assert_int_equal(frame_alloc(1, 1), 0);
	assert_int_equal(frame_free(0x40000000, 1), -1);

	/* Two frames are the minimum: one bitmap, one managed. */
	map(0x40000000, 2 * FRAME_SIZE);
	assert_int_equal(frame_init(&(struct mem_range){ 0x40000000, 2 * FRAME_SIZE }, 1), 1);
	assert_int_equal(frame_total(), 1);
	assert_int_equal(frame_alloc(1, 1), 0x40001000);
	assert_int_equal(frame_alloc(1, 1), 0);
	assert_int_equal(frame_free(0x40001000, 1), 0);
}

static void test_init_top_of_address_space(void **state)
{
	/* Ends past 2^64: the cut leaves 0x...d000 (bitmap) and 0x...e000. */
	const struct mem_range top = { 0xffffffffffffd000ULL, 0x100000 };

	map(0xffffffffffffd000ULL, 2 * FRAME_SIZE);
	assert_int_equal(frame_init(&top, 1), 1);
	assert_int_equal(frame_total(), 1);
	assert_int_equal(frame_alloc(2, 1), 0);
	assert_int_equal(frame_alloc(1, 1), 0xffffffffffffe000ULL);
	assert_int_equal(frame_free(0xffffffffffffe000ULL, 2), -1);
	assert_int_equal(frame_free(0xfffffffffffff000ULL, 1), -1);
	assert_int_equal(frame_free(0xffffffffffffe000ULL, UINT64_MAX), -1);
	assert_int_equal(frame_free(0xffffffffffffe000ULL, 1), 0);
	assert_int_equal(frame_free_count(), 1);
}

static void test_init_shared_edge(void **state)
{
	/* The frame at 0x40004000 is split between the two ranges: neither gets it. */
	const struct mem_range r[] = {
		{ 0x40004800, 0x4800 },
		{ 0x40000000, 0x4800 },
	};
	const uint64_t want[] = {
		0x40001000, 0x40002000, 0x40003000, 0x40006000, 0x40007000, 0x40008000,
	};
	uint8_t *mem = map(0x40000000, 0x9000);
	size_t i;

	assert_int_equal(frame_init(r, ARRAY_SIZE(r)), 2);
	assert_int_equal(frame_total(), 6);
	for (i = 0; i < ARRAY_SIZE(want); i++)
		assert_int_equal(frame_alloc(1, 1), want[i]);
	assert_int_equal(frame_alloc(1, 1), 0);
	/* Bitmaps at 0x40000000 and 0x40005000; the shared frame is never written. */
	assert_true(all_pattern(mem + 0x4000, FRAME_SIZE));
	assert_int_equal(frame_free(0x40004000, 1), -1);
	assert_int_equal(frame_free(0x40005000, 1), -1);
}

static void test_init_touching_and_unsorted(void **state)
{
	/* Touching ranges stay separate: a run never spans two bitmaps. */
	const struct mem_range r[] = {
		{ 0x40008000, 0x4000 },
		{ 0x40004000, 0x4000 },
		{ 0x40000000, 0x4000 },
	};

	map(0x40000000, 0xc000);
	assert_int_equal(frame_init(r, ARRAY_SIZE(r)), 3);
	assert_int_equal(frame_total(), 9);
	assert_int_equal(frame_alloc(4, 1), 0);
	assert_int_equal(frame_alloc(3, 1), 0x40001000);
	assert_int_equal(frame_alloc(3, 1), 0x40005000);
	assert_int_equal(frame_alloc(1, 1), 0x40009000);
	/* A span crossing into the next range is refused as a whole. */
	assert_int_equal(frame_free(0x40003000, 3), -1);
	assert_int_equal(frame_free_count(), 2);
	assert_int_equal(frame_free(0x40001000, 3), 0);
	assert_int_equal(frame_free(0x40005000, 3), 0);
	assert_int_equal(frame_free(0x40009000, 1), 0);
	assert_int_equal(frame_free_count(), 9);
}

static void test_init_overlapping_input(void **state)
{
	/* Broken input (the contract says no overlaps): trimmed, never double-managed. */
	const struct mem_range r[] = {
		{ 0x40008000, 0x10000 },	/* becomes 0x40010000..0x40018000 */
		{ 0x40000000, 0x10000 },
		{ 0x40002000, 0x2000 },		/* inside the first: dropped */
	};
	uint64_t pa, seen[32];
	int n = 0, i;

	map(0x40000000, 0x18000);
	assert_int_equal(frame_init(r, ARRAY_SIZE(r)), 2);
	assert_int_equal(frame_total(), 15 + 7);
	while ((pa = frame_alloc(1, 1))) {
		assert_true(n < 22);
		assert_true(pa != 0x40000000 && pa != 0x40010000);
		for (i = 0; i < n; i++)
			assert_true(seen[i] != pa);
		seen[n++] = pa;
	}
	assert_int_equal(n, 22);

	/* Trimming can leave a single frame, too small to keep. */
	assert_int_equal(frame_init((const struct mem_range[]){ { 0x40000000, 0x10000 },
								{ 0x4000f000, 0x2000 } }, 2), 1);
	assert_int_equal(frame_total(), 15);
}

/* Ranges whose frame count sits on a bitmap-size step; only the bitmap frames are backed. */
static void test_bitmap_size_steps(void **state)
{
	static const struct {
		uint64_t frames, bm;
	} steps[] = {
		{ 2, 1 }, { FPB, 1 }, { FPB + 1, 1 }, { FPB + 2, 2 }, { 2 * (FPB + 1), 2 },
		{ 2 * (FPB + 1) + 1, 3 },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(steps); i++) {
		uint64_t base = 0x100000000ULL * (i + 1), pa;

		assert_int_equal(bitmap_frames(steps[i].frames), steps[i].bm);
		/* ASan fails the test if the bitmap outgrows its frames. */
		map(base, steps[i].bm * FRAME_SIZE);
		assert_int_equal(frame_init(&(struct mem_range){ base, steps[i].frames * FRAME_SIZE },
					    1), 1);
		assert_int_equal(frame_total(), steps[i].frames - steps[i].bm);
		assert_int_equal(frame_alloc(frame_total(), 1), base + steps[i].bm * FRAME_SIZE);
		assert_int_equal(frame_alloc(1, 1), 0);
		pa = base + (steps[i].frames - 1) * FRAME_SIZE;
		assert_int_equal(frame_free(pa, 1), 0);
		assert_int_equal(frame_alloc(1, 1), pa);
	}
}

static void test_init_too_many_ranges(void **state)
{
	struct mem_range r[FRAME_MAX_RANGES + 2];
	unsigned int i;
	uint64_t pa;

	/* Given highest first; the two highest are the ones left out. */
	for (i = 0; i < ARRAY_SIZE(r); i++) {
		r[i].base = 0x40000000 + (uint64_t)(ARRAY_SIZE(r) - 1 - i) * 0x10000;
		r[i].size = 2 * FRAME_SIZE;
		map(r[i].base, 2 * FRAME_SIZE);
	}
	assert_int_equal(frame_init(r, ARRAY_SIZE(r)), FRAME_MAX_RANGES);
	assert_int_equal(frame_total(), FRAME_MAX_RANGES);
	for (i = 0; i < FRAME_MAX_RANGES; i++)
		assert_int_equal(frame_alloc(1, 1), 0x40001000 + (uint64_t)i * 0x10000);
	assert_int_equal(frame_alloc(1, 1), 0);
	for (i = FRAME_MAX_RANGES; i < ARRAY_SIZE(r); i++) {
		pa = 0x40001000 + (uint64_t)i * 0x10000;
		assert_true(all_pattern(lookup(pa - FRAME_SIZE), 2 * FRAME_SIZE));
	}
}

static void test_alloc_alignment(void **state)
{
	uint64_t before;

	map(0x40000000, MiB(64));
	assert_int_equal(frame_init(&(struct mem_range){ 0x40000000, MiB(64) }, 1), 1);
	before = frame_free_count();

	/* Invalid requests change nothing. */
	assert_int_equal(frame_alloc(0, 1), 0);
	assert_int_equal(frame_alloc(1, 0), 0);
	assert_int_equal(frame_alloc(1, 3), 0);
	assert_int_equal(frame_alloc(1, 6), 0);
	assert_int_equal(frame_alloc(1, (1ULL << 63) + 1), 0);
	assert_int_equal(frame_alloc(UINT64_MAX, 1), 0);
	assert_int_equal(frame_alloc(before + 1, 1), 0);
	/* Valid but unsatisfiable: only PFN 0 is aligned to 2^63 frames. */
	assert_int_equal(frame_alloc(1, 1ULL << 63), 0);
	assert_int_equal(frame_alloc(1, 1ULL << 40), 0);
	assert_int_equal(frame_free_count(), before);

	/* Frame 0 is the bitmap, so the first 2 MiB block is the second. */
	assert_int_equal(frame_alloc(512, 512), 0x40200000);
	assert_int_equal(frame_alloc(1, 1), 0x40001000);
	assert_int_equal(frame_alloc(512, 512), 0x40400000);
	assert_int_equal(frame_alloc(3, 4), 0x40004000);
	assert_int_equal(frame_alloc(2, 2), 0x40002000);
	assert_int_equal(frame_alloc(1, 1), 0x40007000);
	assert_int_equal(frame_alloc(8, 8), 0x40008000);
	/* 16 MiB aligned: 0x41000000 is free. */
	assert_int_equal(frame_alloc(1, 4096), 0x41000000);
	assert_int_equal(frame_free_count(), before - 512 * 2 - 1 - 3 - 2 - 1 - 8 - 1);
	/* Whatever is left below 0x40200000 cannot hold an aligned 2 MiB block. */
	assert_int_equal(frame_alloc(512, 512), 0x40600000);
	assert_int_equal(frame_free(0x40200000, 512), 0);
	assert_int_equal(frame_alloc(512, 512), 0x40200000);
}

static void test_alloc_alignment_is_physical(void **state)
{
	uint64_t pa;

	/* Managed frames start at 0x40124000, so index alignment != PA alignment. */
	map(0x40123000, MiB(8));
	assert_int_equal(frame_init(&(struct mem_range){ 0x40123000, MiB(8) }, 1), 1);
	assert_int_equal(frame_alloc(1, 1), 0x40124000);
	pa = frame_alloc(512, 512);
	assert_int_equal(pa, 0x40200000);
	assert_int_equal(frame_alloc(16, 16), 0x40130000);
	assert_int_equal(frame_alloc(1, 2), 0x40126000);
	assert_int_equal(frame_alloc(1, 1), 0x40125000);
	/* The range ends at 0x40923000: two more blocks, then only a 1 MiB one fits. */
	assert_int_equal(frame_alloc(512, 512), 0x40400000);
	assert_int_equal(frame_alloc(512, 512), 0x40600000);
	assert_int_equal(frame_alloc(512, 512), 0);
	assert_int_equal(frame_alloc(256, 256), 0x40800000);
}

static void test_exhaust_free_reuse(void **state)
{
	static uint64_t pas[2048];
	uint64_t total, pa;
	unsigned int n = 0, i;

	map(0x40000000, MiB(8));
	assert_int_equal(frame_init(&(struct mem_range){ 0x40000000, MiB(8) }, 1), 1);
	total = frame_total();
	assert_int_equal(total, 2047);
	while ((pa = frame_alloc(1, 1))) {
		assert_true(n < ARRAY_SIZE(pas));
		pas[n++] = pa;
	}
	assert_int_equal(n, total);
	assert_int_equal(frame_free_count(), 0);
	assert_int_equal(frame_alloc(1, 1), 0);

	/* A freed frame in the middle is the next one handed out. */
	assert_int_equal(frame_free(pas[1000], 1), 0);
	assert_int_equal(frame_free_count(), 1);
	assert_int_equal(frame_alloc(2, 1), 0);
	assert_int_equal(frame_alloc(1, 1), pas[1000]);

	/* Free a hole of 3, then the lower one: first fit takes the lowest. */
	assert_int_equal(frame_free(pas[1500], 1), 0);
	assert_int_equal(frame_free(pas[1501], 1), 0);
	assert_int_equal(frame_free(pas[1502], 1), 0);
	assert_int_equal(frame_free(pas[10], 1), 0);
	assert_int_equal(frame_alloc(2, 1), pas[1500]);
	assert_int_equal(frame_alloc(1, 1), pas[10]);
	assert_int_equal(frame_alloc(1, 1), pas[1502]);
	assert_int_equal(frame_free_count(), 0);

	for (i = 0; i < n; i++)
		assert_int_equal(frame_free(pas[i], 1), 0);
	assert_int_equal(frame_free_count(), total);
	/* Everything merged back: one allocation of the whole range. */
	assert_int_equal(frame_alloc(total, 1), 0x40001000);
	assert_int_equal(frame_free_count(), 0);
	assert_int_equal(frame_free(0x40001000, total), 0);
	assert_int_equal(frame_free_count(), total);
}

static void test_bad_free(void **state)
{
	uint8_t *mem = map(0x40000000, MiB(1));
	uint8_t snap[FRAME_SIZE];
	uint64_t pa, last, count;

	assert_int_equal(frame_init(&(struct mem_range){ 0x40000000, MiB(1) }, 1), 1);
	pa = frame_alloc(4, 1);
	assert_int_equal(pa, 0x40001000);
	last = frame_alloc(1, 1);
	assert_int_equal(frame_free(last, 1), 0);
	/* Take the very last frame of the range. */
	while ((last = frame_alloc(1, 1)) && last != 0x400ff000)
		;
	assert_int_equal(last, 0x400ff000);
	for (uint64_t p = 0x40005000; p < 0x400ff000; p += FRAME_SIZE)
		assert_int_equal(frame_free(p, 1), 0);

	count = frame_free_count();
	memcpy(snap, mem, sizeof(snap));
#define BAD(p, n)                                                       \
	do {                                                            \
		assert_int_equal(frame_free(p, n), -1);                 \
		assert_int_equal(frame_free_count(), count);            \
		assert_memory_equal(mem, snap, sizeof(snap));           \
	} while (0)

	BAD(pa, 5);			/* last frame of the span is free */
	BAD(pa + FRAME_SIZE, 4);
	BAD(pa - FRAME_SIZE, 2);	/* starts on the bitmap frame */
	BAD(0x40000000, 1);		/* the bitmap itself */
	BAD(0x40005000, 1);		/* never allocated */
	BAD(pa + 1, 1);			/* not frame aligned */
	BAD(pa + 0x800, 1);
	BAD(pa, 0);
	BAD(pa, UINT64_MAX);		/* would wrap */
	BAD(pa, (1ULL << 52) + 1);
	BAD(0x10000000, 1);		/* below every range */
	BAD(0x40100000, 1);		/* just past the end */
	BAD(0x400ff000, 2);		/* last frame allocated, the next is outside */
	BAD(0, 1);
	BAD(0xfffffffffffff000ULL, 1);
	BAD(0xfffffffffffff000ULL, UINT64_MAX);

	/* Double free: the second changes nothing. */
	assert_int_equal(frame_free(pa + 2 * FRAME_SIZE, 2), 0);
	count = frame_free_count();
	memcpy(snap, mem, sizeof(snap));
	BAD(pa + 2 * FRAME_SIZE, 2);
	BAD(pa + 3 * FRAME_SIZE, 1);
	BAD(pa, 4);			/* half of it was freed already */
	assert_int_equal(frame_free(pa, 2), 0);
	assert_int_equal(frame_free(0x400ff000, 1), 0);
	assert_int_equal(frame_free_count(), frame_total());
#undef BAD
}

/*
 * Reference model: per-frame owner ids (0 = free) over the ranges as the test computes
 * them itself, and a plain first-fit search over it.
 */
struct mrange {
	uint64_t raw_base, raw_size;
	uint64_t start, bm, base, n;	/* aligned start, bitmap frames, managed base and count */
	uint32_t *owner;
};

static struct mrange mr[4];
static unsigned int nmr;
static uint64_t model_free;

static void model_add(uint64_t base, uint64_t size)
{
	struct mrange *m = &mr[nmr++];
	uint64_t start = ALIGN_UP(base, FRAME_SIZE), end = ALIGN_DOWN(base + size, FRAME_SIZE);
	uint64_t frames = (end - start) / FRAME_SIZE;

	m->raw_base = base;
	m->raw_size = size;
	m->start = start;
	m->bm = bitmap_frames(frames);
	m->base = start + m->bm * FRAME_SIZE;
	m->n = frames - m->bm;
	m->owner = calloc(m->n, sizeof(*m->owner));
	assert_non_null(m->owner);
	model_free += m->n;
	map(start, end - start);
}

static void model_sort(void)
{
	unsigned int i, j;

	for (i = 1; i < nmr; i++)
		for (j = i; j > 0 && mr[j - 1].base > mr[j].base; j--) {
			struct mrange t = mr[j];

			mr[j] = mr[j - 1];
			mr[j - 1] = t;
		}
}

static uint64_t model_alloc(uint64_t npages, uint64_t align, uint32_t id)
{
	unsigned int r;
	uint64_t i, k;

	for (r = 0; r < nmr; r++) {
		struct mrange *m = &mr[r];

		for (i = 0; i + npages <= m->n; i++) {
			if (((m->base / FRAME_SIZE) + i) & (align - 1))
				continue;
			for (k = 0; k < npages && !m->owner[i + k]; k++)
				;
			if (k == npages) {
				for (k = 0; k < npages; k++)
					m->owner[i + k] = id;
				model_free -= npages;
				return m->base + i * FRAME_SIZE;
			}
			i += k;
		}
	}
	return 0;
}

/* Would frame_free(pa, npages) be valid in the model? */
static bool model_can_free(uint64_t pa, uint64_t npages)
{
	unsigned int r;
	uint64_t k;

	if (!npages || pa % FRAME_SIZE)
		return false;
	for (r = 0; r < nmr; r++) {
		struct mrange *m = &mr[r];
		uint64_t idx;

		if (pa < m->base || (pa - m->base) / FRAME_SIZE >= m->n)
			continue;
		idx = (pa - m->base) / FRAME_SIZE;
		if (npages > m->n - idx)
			return false;
		for (k = 0; k < npages; k++)
			if (!m->owner[idx + k])
				return false;
		return true;
	}
	return false;
}

static void model_release(uint64_t pa, uint64_t npages)
{
	unsigned int r;
	uint64_t k;

	for (r = 0; r < nmr; r++) {
		struct mrange *m = &mr[r];

		if (pa >= m->base && (pa - m->base) / FRAME_SIZE < m->n) {
			for (k = 0; k < npages; k++)
				m->owner[(pa - m->base) / FRAME_SIZE + k] = 0;
			model_free += npages;
			return;
		}
	}
	fail();
}

static int model_teardown(void **state)
{
	unsigned int r;

	for (r = 0; r < nmr; r++)
		free(mr[r].owner);
	nmr = 0;
	model_free = 0;
	return unmap_all(state);
}

struct live {
	uint64_t pa, npages;
	uint32_t id;
};

/* Stamp the first and last word of every frame: a frame handed out twice shows up. */
static void stamp(const struct live *l, uint32_t id)
{
	uint64_t k;

	for (k = 0; k < l->npages; k++) {
		uint8_t *p = lookup(l->pa + k * FRAME_SIZE);

		assert_non_null(p);
		memcpy(p, &id, sizeof(id));
		memcpy(p + FRAME_SIZE - sizeof(id), &id, sizeof(id));
	}
}

static void check_stamp(const struct live *l)
{
	uint64_t k;
	uint32_t a, b;

	for (k = 0; k < l->npages; k++) {
		uint8_t *p = lookup(l->pa + k * FRAME_SIZE);

		memcpy(&a, p, sizeof(a));
		memcpy(&b, p + FRAME_SIZE - sizeof(b), sizeof(b));
		assert_int_equal(a, l->id);
		assert_int_equal(b, l->id);
	}
}

/* All bitmap frames, to show a rejected free changed none of them. */
static size_t snapshot_bitmaps(uint8_t *buf)
{
	size_t off = 0;
	unsigned int r;

	for (r = 0; r < nmr; r++) {
		memcpy(buf + off, lookup(mr[r].start), mr[r].bm * FRAME_SIZE);
		off += mr[r].bm * FRAME_SIZE;
	}
	return off;
}

static uint64_t rnd_npages(void)
{
	uint64_t x = rnd_below(100);

	if (x < 70)
		return 1 + rnd_below(4);
	if (x < 92)
		return 5 + rnd_below(60);
	return 65 + rnd_below(640);
}

static void test_stress_model(void **state)
{
	static struct live live[4096];
	static uint8_t snap_a[8 * FRAME_SIZE], snap_b[8 * FRAME_SIZE];
	struct mem_range in[3];
	unsigned int nlive = 0, r;
	uint32_t next_id = 1;
	unsigned long allocs = 0, fails = 0, frees = 0, bad = 0;
	int iter;

	rng_state = 0x9e3779b97f4a7c15ULL;
	/* Unsorted and unaligned on purpose. */
	model_add(0x48000000, MiB(4) + 0x800);
	model_add(0x40000123, MiB(12));
	model_add(0x50000000, KiB(300));
	for (r = 0; r < nmr; r++)
		in[r] = (struct mem_range){ mr[r].raw_base, mr[r].raw_size };
	model_sort();
	assert_int_equal(frame_init(in, nmr), 3);
	assert_int_equal(frame_total(), model_free);

	for (iter = 0; iter < 30000; iter++) {
		uint64_t x = rnd_below(100);

		if (x < 52 || !nlive) {
			uint64_t np = rnd_npages();
			uint64_t al = rnd_below(2) ? 1 : 1ULL << rnd_below(10);
			uint64_t want = model_alloc(np, al, next_id);
			uint64_t got = frame_alloc(np, al);

			if (got != want)
				fail_msg("iter %d: alloc(%llu, %llu) = %#llx, model %#llx", iter,
					 (unsigned long long)np, (unsigned long long)al,
					 (unsigned long long)got, (unsigned long long)want);
			if (!got) {
				fails++;
				continue;
			}
			assert_true(got % (al * FRAME_SIZE) == 0);
			assert_true(nlive < ARRAY_SIZE(live));
			live[nlive] = (struct live){ got, np, next_id++ };
			stamp(&live[nlive], live[nlive].id);
			nlive++;
			allocs++;
		} else if (x < 92) {
			unsigned int i = (unsigned int)rnd_below(nlive);

			check_stamp(&live[i]);
			assert_int_equal(frame_free(live[i].pa, live[i].npages), 0);
			model_release(live[i].pa, live[i].npages);
			live[i] = live[--nlive];
			frees++;
		} else {
			/* A free the model rejects: near a live block, or anywhere in a range. */
			uint64_t pa, np = 1 + rnd_below(8);
			size_t n;

			if (rnd_below(2)) {
				const struct live *l = &live[rnd_below(nlive)];

				pa = l->pa + (rnd_below(l->npages + 4) - 2) * FRAME_SIZE;
				np = l->npages + rnd_below(3);
			} else {
				const struct mrange *m = &mr[rnd_below(nmr)];

				pa = m->start + rnd_below(m->bm + m->n + 2) * FRAME_SIZE;
			}
			if (rnd_below(8) == 0)
				pa += 1 + rnd_below(FRAME_SIZE - 1);
			if (model_can_free(pa, np))
				continue;
			n = snapshot_bitmaps(snap_a);
			assert_int_equal(frame_free(pa, np), -1);
			assert_int_equal(snapshot_bitmaps(snap_b), n);
			assert_memory_equal(snap_a, snap_b, n);
			bad++;
		}
		assert_int_equal(frame_free_count(), model_free);
	}
	print_message("      %lu allocs (%lu failed), %lu frees, %lu rejected frees\n", allocs,
		      fails, frees, bad);
	assert_true(fails > 100 && allocs > 5000 && bad > 500);

	while (nlive) {
		nlive--;
		check_stamp(&live[nlive]);
		assert_int_equal(frame_free(live[nlive].pa, live[nlive].npages), 0);
		model_release(live[nlive].pa, live[nlive].npages);
	}
	assert_int_equal(frame_free_count(), frame_total());
	assert_int_equal(model_free, frame_total());
	/* Every range whole again. */
	for (r = 0; r < nmr; r++)
		assert_int_equal(frame_alloc(mr[r].n, 1), mr[r].base);
	assert_int_equal(frame_free_count(), 0);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* 8 GiB = 2M frames, only the bitmap frames backed. Exercises the word-skipping scans. */
static void test_large(void **state)
{
	static uint64_t blocks[4096];
	const uint64_t base = 0x80000000, frames = GiB(8) / FRAME_SIZE;
	const uint64_t bm = bitmap_frames(frames);
	uint64_t total, pa, n = 0, i, singles = 0;
	double t0 = now();

	assert_int_equal(bm, 64);
	map(base, bm * FRAME_SIZE);
	assert_int_equal(frame_init(&(struct mem_range){ base, GiB(8) }, 1), 1);
	total = frame_total();
	assert_int_equal(total, frames - bm);

	/* 2 MiB blocks: all but the first, which holds the bitmap. */
	while ((pa = frame_alloc(512, 512))) {
		assert_true(n < ARRAY_SIZE(blocks));
		assert_int_equal(pa, base + (n + 1) * MiB(2));
		blocks[n++] = pa;
	}
	assert_int_equal(n, 4095);
	while ((pa = frame_alloc(1, 1))) {
		assert_int_equal(pa, base + (bm + singles) * FRAME_SIZE);
		singles++;
	}
	assert_int_equal(singles, 512 - bm);
	assert_int_equal(frame_free_count(), 0);

	for (i = 0; i < n; i++)
		assert_int_equal(frame_free(blocks[i], 512), 0);
	for (i = 0; i < singles; i++)
		assert_int_equal(frame_free(base + (bm + i) * FRAME_SIZE, 1), 0);
	assert_int_equal(frame_free_count(), total);

	/* Every frame one at a time, then free every other one: no pair is left. */
	for (i = 0; i < total; i++)
		assert_int_equal(frame_alloc(1, 1), base + (bm + i) * FRAME_SIZE);
	assert_int_equal(frame_alloc(1, 1), 0);
	for (i = 0; i < total; i += 2)
		assert_int_equal(frame_free(base + (bm + i) * FRAME_SIZE, 1), 0);
	assert_int_equal(frame_alloc(2, 1), 0);
	assert_int_equal(frame_alloc(1, 1), base + bm * FRAME_SIZE);
	assert_int_equal(frame_alloc(1, 2), base + (bm + 2) * FRAME_SIZE);
	/* PFN 0x80200 is at an even index, so still free. */
	assert_int_equal(frame_alloc(1, 512), 0x80200000);
	print_message("      8 GiB: %.2f s\n", now() - t0);
}

static void test_spinlock(void **state)
{
	struct spinlock l = SPINLOCK_INIT;

	spin_lock(&l);
	assert_false(spin_trylock(&l));
	spin_unlock(&l);
	assert_true(spin_trylock(&l));
	assert_false(spin_trylock(&l));
	spin_unlock(&l);
	spin_lock_init(&l);
	spin_lock(&l);
	spin_unlock(&l);
}

#define THREADS 4
#define THREAD_ITERS 20000

struct worker {
	pthread_t tid;
	uint32_t seed;
	unsigned long errors, allocs;
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct live mine[16];
	unsigned int n = 0, i;
	uint64_t s = 0x1234567ULL * (w->seed + 1);
	uint32_t id = w->seed << 24;

	for (i = 0; i < THREAD_ITERS; i++) {
		uint64_t x;

		s ^= s >> 12;
		s ^= s << 25;
		s ^= s >> 27;
		x = s * 0x2545F4914F6CDD1DULL;
		if (n < ARRAY_SIZE(mine) && (x & 1)) {
			uint64_t np = 1 + ((x >> 8) % 8), pa = frame_alloc(np, 1ULL << ((x >> 16) % 3));

			if (!pa)
				continue;
			mine[n] = (struct live){ pa, np, ++id };
			/* Inline stamp (no cmocka asserts off the main thread). */
			for (uint64_t k = 0; k < np; k++)
				memcpy(lookup(pa + k * FRAME_SIZE), &id, sizeof(id));
			n++;
			w->allocs++;
		} else if (n) {
			unsigned int j = (unsigned int)((x >> 8) % n);

			for (uint64_t k = 0; k < mine[j].npages; k++) {
				uint32_t v;

				memcpy(&v, lookup(mine[j].pa + k * FRAME_SIZE), sizeof(v));
				if (v != mine[j].id)
					w->errors++;
			}
			if (frame_free(mine[j].pa, mine[j].npages))
				w->errors++;
			mine[j] = mine[--n];
		}
	}
	while (n--)
		if (frame_free(mine[n].pa, mine[n].npages))
			w->errors++;
	return NULL;
}

static void test_threads(void **state)
{
	struct worker w[THREADS];
	unsigned int i;

	/* 256 managed frames for up to 4 * 16 * 8 wanted: contention and exhaustion both. */
	map(0x40000000, 257 * FRAME_SIZE);
	assert_int_equal(frame_init(&(struct mem_range){ 0x40000000, 257 * FRAME_SIZE }, 1), 1);
	for (i = 0; i < THREADS; i++) {
		w[i] = (struct worker){ .seed = i };
		assert_int_equal(pthread_create(&w[i].tid, NULL, worker_main, &w[i]), 0);
	}
	for (i = 0; i < THREADS; i++) {
		assert_int_equal(pthread_join(w[i].tid, NULL), 0);
		assert_int_equal(w[i].errors, 0);
		assert_true(w[i].allocs > 1000);
	}
	assert_int_equal(frame_free_count(), frame_total());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_init_basic, unmap_all),
		cmocka_unit_test_teardown(test_init_unaligned, unmap_all),
		cmocka_unit_test_teardown(test_init_tiny, unmap_all),
		cmocka_unit_test_teardown(test_init_top_of_address_space, unmap_all),
		cmocka_unit_test_teardown(test_init_shared_edge, unmap_all),
		cmocka_unit_test_teardown(test_init_touching_and_unsorted, unmap_all),
		cmocka_unit_test_teardown(test_init_overlapping_input, unmap_all),
		cmocka_unit_test_teardown(test_init_too_many_ranges, unmap_all),
		cmocka_unit_test_teardown(test_bitmap_size_steps, unmap_all),
		cmocka_unit_test_teardown(test_alloc_alignment, unmap_all),
		cmocka_unit_test_teardown(test_alloc_alignment_is_physical, unmap_all),
		cmocka_unit_test_teardown(test_exhaust_free_reuse, unmap_all),
		cmocka_unit_test_teardown(test_bad_free, unmap_all),
		cmocka_unit_test_teardown(test_stress_model, model_teardown),
		cmocka_unit_test_teardown(test_large, unmap_all),
		cmocka_unit_test(test_spinlock),
		cmocka_unit_test_teardown(test_threads, unmap_all),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
