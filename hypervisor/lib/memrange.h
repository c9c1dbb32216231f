/* SPDX-License-Identifier: Apache-2.0 */
/* Arithmetic on sets of physical memory ranges (pure logic, unit-tested on the host). */
#ifndef FTVISOR_LIB_MEMRANGE_H
#define FTVISOR_LIB_MEMRANGE_H

#include "platform/platform.h"

/* True when [a, a+as) and [b, b+bs) share a byte. Sizes of 0 never overlap. */
bool range_overlaps(uint64_t a, uint64_t as, uint64_t b, uint64_t bs);

/*
 * Remove [base, base+size) from the set r[0..*n) in place (r sorted or not). A range split in
 * two takes one more slot; returns false (set unchanged) if that would exceed max.
 */
bool ranges_subtract(struct mem_range *r, uint32_t *n, uint32_t max, uint64_t base, uint64_t size);

/*
 * Lowest address >= min_addr of a size-byte block aligned to align (a power of two) lying
 * wholly inside one of r[0..n). Returns false when there is none.
 */
bool ranges_find_free(const struct mem_range *r, uint32_t n, uint64_t size, uint64_t align,
		      uint64_t min_addr, uint64_t *out);

#endif
