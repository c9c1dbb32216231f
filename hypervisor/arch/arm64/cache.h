/* SPDX-License-Identifier: Apache-2.0 */
/* Data-cache maintenance by virtual address to the point of coherency (Arm ARM D7.5.9). */
#ifndef FTVISOR_ARCH_CACHE_H
#define FTVISOR_ARCH_CACHE_H

#include "arch/arm64/sysreg.h"

static inline uint64_t dcache_line_size(void)
{
	return 4ULL << BITS(read_sysreg(ctr_el0), 19, 16);
}

#define DEFINE_DCACHE_OP(name, op)                                              \
	static inline void name(uint64_t start, uint64_t size)                  \
	{                                                                       \
		uint64_t line = dcache_line_size();                             \
		uint64_t end = start + size;                                    \
		for (uint64_t a = ALIGN_DOWN(start, line); a < end; a += line)  \
			asm volatile("dc " #op ", %0" ::"r"(a) : "memory");     \
		dsb(sy);                                                        \
	}

/* Discard cached copies (data written with the MMU off went straight to memory). */
DEFINE_DCACHE_OP(dcache_inval_poc, ivac)
/* Write back so an observer with caches off (a CPU before its MMU is on) sees it. */
DEFINE_DCACHE_OP(dcache_clean_poc, cvac)
DEFINE_DCACHE_OP(dcache_clean_inval_poc, civac)

#endif
