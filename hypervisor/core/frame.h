/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Physical frame allocator: 4 KiB frames over the usable memory ranges, one bitmap per range
 * (the bitmap itself lives in the first frames of its range). Contiguous, aligned allocations
 * serve 2 MiB stage-2 blocks. Thread-safe (one spinlock); not for trap paths.
 */
#ifndef FTVISOR_CORE_FRAME_H
#define FTVISOR_CORE_FRAME_H

#include "lib/compiler.h"
#include "platform/platform.h"

#define FRAME_SHIFT 12
#define FRAME_SIZE ((uint64_t)1 << FRAME_SHIFT)
#define FRAME_MAX_RANGES PLAT_MAX_USABLE

/*
 * Take the ranges (need not be aligned or sorted; they must not overlap) as free memory.
 * Partial frames at range edges and ranges too small to hold their own bitmap are dropped.
 * Returns the number of ranges in use, or -1 if there are none.
 */
int frame_init(const struct mem_range *ranges, unsigned int n);

/* npages contiguous frames, first one aligned to align_pages frames (a power of two, >= 1).
 * Returns the physical address, or 0 when nothing fits. Contents are not cleared. */
uint64_t frame_alloc(uint64_t npages, uint64_t align_pages);

/* Give back frames from frame_alloc. Returns 0, or -1 (nothing changed) when any of them is
 * outside every range or not allocated (a double free). */
int frame_free(uint64_t pa, uint64_t npages);

uint64_t frame_total(void); /* frames managed (excluding bitmap frames) */
uint64_t frame_free_count(void);

/* Where the allocator may write to reach physical address pa: identity at EL2, a buffer in
 * unit tests. Provided by the user of this module. */
void *frame_pa_to_ptr(uint64_t pa);

#endif
