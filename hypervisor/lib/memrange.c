/* SPDX-License-Identifier: Apache-2.0 */
#include "lib/memrange.h"

bool range_overlaps(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
	if (!as || !bs)
		return false;
	/* Compare last bytes, not ends, so a range ending at 2^64 does not wrap. */
	return a <= b + (bs - 1) && b <= a + (as - 1);
}

bool ranges_subtract(struct mem_range *r, uint32_t *n, uint32_t max, uint64_t base, uint64_t size)
{
	uint64_t cut_last;
	uint32_t i, count = *n, extra = 0;

	if (!size)
		return true;
	cut_last = base + (size - 1);
	if (cut_last < base)
		cut_last = UINT64_MAX;

	/* First pass: count splits so the operation is all or nothing. */
	for (i = 0; i < count; i++) {
		uint64_t last = r[i].base + (r[i].size - 1);

		if (r[i].size && base > r[i].base && cut_last < last)
			extra++;
	}
	if (count + extra > max)
		return false;

	for (i = 0; i < count; i++) {
		uint64_t rb = r[i].base, last = rb + (r[i].size - 1);

		if (!r[i].size || !range_overlaps(rb, r[i].size, base, cut_last - base + 1))
			continue;
		if (base <= rb && cut_last >= last) {
			r[i].size = 0; /* swallowed whole; compacted below */
		} else if (base <= rb) {
			r[i].base = cut_last + 1;
			r[i].size = last - cut_last;
		} else if (cut_last >= last) {
			r[i].size = base - rb;
		} else {
			r[i].size = base - rb;
			r[count].base = cut_last + 1;
			r[count].size = last - cut_last;
			count++;
		}
	}

	*n = 0;
	for (i = 0; i < count; i++)
		if (r[i].size)
			r[(*n)++] = r[i];
	return true;
}

bool ranges_find_free(const struct mem_range *r, uint32_t n, uint64_t size, uint64_t align,
		      uint64_t min_addr, uint64_t *out)
{
	bool found = false;
	uint64_t best = 0;

	if (!size || !align || (align & (align - 1)))
		return false;
	for (uint32_t i = 0; i < n; i++) {
		uint64_t start = MAX(r[i].base, min_addr), last, cand;

		/* Compare last bytes, not ends, so a range ending at 2^64 is usable. */
		if (!r[i].size)
			continue;
		last = r[i].base + (r[i].size - 1);
		if (last < r[i].base || start > last)
			continue;
		if (add_overflows(start, align - 1, &cand))
			continue;
		cand &= ~(align - 1);
		if (cand > last || last - cand < size - 1)
			continue;
		if (!found || cand < best) {
			best = cand;
			found = true;
		}
	}
	if (found)
		*out = best;
	return found;
}
