/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Physical frame allocator. Each range keeps a bitmap (bit set = allocated) in its own first
 * frames, so no memory has to be set aside elsewhere before the allocator exists. The bitmap
 * of a range is reached through one frame_pa_to_ptr() of its first frame and must be
 * contiguous from there (identity at EL2, one buffer in the unit tests).
 *
 * Searches walk the bitmap a 64-bit word at a time, skipping words that are all allocated
 * (looking for a free frame) or all free (checking a run), and start at a per-range hint
 * below which everything is known to be allocated, so filling memory in order stays cheap.
 */
#include "core/frame.h"
#include "lib/spinlock.h"

#define WORD_BITS 64
/* Frames one bitmap frame can describe. */
#define FRAMES_PER_BITMAP_FRAME (FRAME_SIZE * 8)

struct frame_range {
	uint64_t base;		/* PA of the first managed frame, just past the bitmap */
	uint64_t nframes;	/* managed frames */
	uint64_t nfree;
	uint64_t hint;		/* every frame below this index is allocated */
	uint64_t *bitmap;	/* bits past nframes in the last word stay set */
};

struct span {
	uint64_t start, end;	/* frame aligned, end exclusive */
};

static struct spinlock frame_lock = SPINLOCK_INIT;
static struct frame_range ranges[FRAME_MAX_RANGES];
static unsigned int nranges;
static uint64_t total_frames, free_frames;

/* First index in [start, end) whose bit equals set, or end. */
static uint64_t find_bit(const uint64_t *bm, uint64_t start, uint64_t end, bool set)
{
	uint64_t flip = set ? 0 : ~0ULL;
	uint64_t w, word;

	if (start >= end)
		return end;
	w = start / WORD_BITS;
	/* Look for set bits only: invert when hunting for clear ones. */
	word = (bm[w] ^ flip) & (~0ULL << (start % WORD_BITS));
	while (!word) {
		w++;
		if (w * WORD_BITS >= end)
			return end;
		word = bm[w] ^ flip;
	}
	return MIN(w * WORD_BITS + (uint64_t)__builtin_ctzll(word), end);
}

static void change_bits(uint64_t *bm, uint64_t start, uint64_t n, bool set)
{
	while (n) {
		uint64_t off = start % WORD_BITS;
		uint64_t cnt = MIN(n, WORD_BITS - off);
		uint64_t mask = (cnt == WORD_BITS ? ~0ULL : (1ULL << cnt) - 1) << off;

		if (set)
			bm[start / WORD_BITS] |= mask;
		else
			bm[start / WORD_BITS] &= ~mask;
		start += cnt;
		n -= cnt;
	}
}

/* The whole frames of a range; false when it has fewer than two (bitmap + one frame). */
static bool whole_frames(const struct mem_range *m, struct span *s)
{
	uint64_t end;

	if (m->base > UINT64_MAX - (FRAME_SIZE - 1))
		return false;
	/* A range running past 2^64 is cut there, losing at most its last frame. */
	if (add_overflows(m->base, m->size, &end))
		end = UINT64_MAX;
	s->start = ALIGN_UP(m->base, FRAME_SIZE);
	s->end = ALIGN_DOWN(end, FRAME_SIZE);
	return s->end > s->start && s->end - s->start >= 2 * FRAME_SIZE;
}

/* Put the bitmap in the first frames of s and mark everything else free. */
static void range_setup(struct frame_range *r, const struct span *s)
{
	uint64_t n = (s->end - s->start) >> FRAME_SHIFT;
	/* Smallest b with b * FRAMES_PER_BITMAP_FRAME >= n - b. */
	uint64_t bm_frames = (n + FRAMES_PER_BITMAP_FRAME) / (FRAMES_PER_BITMAP_FRAME + 1);
	uint64_t words, w;

	r->base = s->start + (bm_frames << FRAME_SHIFT);
	r->nframes = n - bm_frames;
	r->nfree = r->nframes;
	r->hint = 0;
	r->bitmap = frame_pa_to_ptr(s->start);

	words = (r->nframes + WORD_BITS - 1) / WORD_BITS;
	for (w = 0; w < words; w++)
		r->bitmap[w] = 0;
	/* Padding bits look allocated, so no word scan ever sees a frame past the end as free. */
	if (r->nframes % WORD_BITS)
		r->bitmap[words - 1] = ~0ULL << (r->nframes % WORD_BITS);
}

/* Also a reset: a second call forgets every earlier allocation. */
int frame_init(const struct mem_range *in, unsigned int n)
{
	struct span s[FRAME_MAX_RANGES];
	unsigned int cnt = 0, out = 0, i, j;

	/* Insertion sort by start; past FRAME_MAX_RANGES the highest ranges are left out. */
	for (i = 0; i < n; i++) {
		struct span cur;

		if (!whole_frames(&in[i], &cur))
			continue;
		if (cnt == FRAME_MAX_RANGES) {
			if (cur.start >= s[cnt - 1].start)
				continue;
			cnt--;
		}
		for (j = cnt; j > 0 && s[j - 1].start > cur.start; j--)
			s[j] = s[j - 1];
		s[j] = cur;
		cnt++;
	}

	/* Overlaps break the caller's contract; trim them rather than hand out a frame twice. */
	for (i = 0; i < cnt; i++) {
		if (out && s[i].start < s[out - 1].end)
			s[i].start = s[out - 1].end;
		if (s[i].end <= s[i].start || s[i].end - s[i].start < 2 * FRAME_SIZE)
			continue;
		s[out++] = s[i];
	}

	spin_lock(&frame_lock);
	total_frames = 0;
	for (i = 0; i < out; i++) {
		range_setup(&ranges[i], &s[i]);
		total_frames += ranges[i].nframes;
	}
	nranges = out;
	free_frames = total_frames;
	spin_unlock(&frame_lock);

	return out ? (int)out : -1;
}

/* First fit in one range: the index of the first frame in *idx, or false. */
static bool range_alloc(struct frame_range *r, uint64_t npages, uint64_t align, uint64_t *idx)
{
	uint64_t base_pfn = r->base >> FRAME_SHIFT;
	uint64_t first_free, i, a;

	if (r->nfree < npages)
		return false;
	first_free = find_bit(r->bitmap, r->hint, r->nframes, false);
	for (i = first_free;;) {
		uint64_t busy;

		i = find_bit(r->bitmap, i, r->nframes, false);
		if (i >= r->nframes)
			return false;
		/* Alignment is of the physical frame number, not of the index. */
		a = i + ((0 - (base_pfn + i)) & (align - 1));
		if (a >= r->nframes || r->nframes - a < npages)
			return false;
		busy = find_bit(r->bitmap, a, a + npages, true);
		if (busy == a + npages)
			break;
		i = busy + 1;
	}

	change_bits(r->bitmap, a, npages, true);
	r->nfree -= npages;
	/* Everything below the first free frame was allocated; now maybe below the run too. */
	r->hint = a == first_free ? a + npages : first_free;
	*idx = a;
	return true;
}

uint64_t frame_alloc(uint64_t npages, uint64_t align_pages)
{
	uint64_t pa = 0, idx;
	unsigned int i;

	if (!npages || !align_pages || (align_pages & (align_pages - 1)))
		return 0;

	spin_lock(&frame_lock);
	for (i = 0; i < nranges; i++) {
		struct frame_range *r = &ranges[i];

		if (range_alloc(r, npages, align_pages, &idx)) {
			pa = r->base + (idx << FRAME_SHIFT);
			free_frames -= npages;
			break;
		}
	}
	spin_unlock(&frame_lock);
	return pa;
}

int frame_free(uint64_t pa, uint64_t npages)
{
	struct frame_range *r = NULL;
	uint64_t idx;
	unsigned int i;
	int ret = -1;

	if (!npages || !IS_ALIGNED(pa, FRAME_SIZE))
		return -1;

	spin_lock(&frame_lock);
	for (i = 0; i < nranges; i++) {
		if (pa >= ranges[i].base &&
		    (pa - ranges[i].base) >> FRAME_SHIFT < ranges[i].nframes) {
			r = &ranges[i];
			break;
		}
	}
	if (!r)
		goto out;
	idx = (pa - r->base) >> FRAME_SHIFT;
	/* Check the whole span before touching anything: all in this range, all allocated. */
	if (npages > r->nframes - idx ||
	    find_bit(r->bitmap, idx, idx + npages, false) != idx + npages)
		goto out;

	change_bits(r->bitmap, idx, npages, false);
	r->nfree += npages;
	free_frames += npages;
	r->hint = MIN(r->hint, idx);
	ret = 0;
out:
	spin_unlock(&frame_lock);
	return ret;
}

uint64_t frame_total(void)
{
	uint64_t n;

	spin_lock(&frame_lock);
	n = total_frames;
	spin_unlock(&frame_lock);
	return n;
}

uint64_t frame_free_count(void)
{
	uint64_t n;

	spin_lock(&frame_lock);
	n = free_frames;
	spin_unlock(&frame_lock);
	return n;
}
