/* SPDX-License-Identifier: Apache-2.0 */
#include "arch/arm64/zero.h"
#include "arch/arm64/cache.h"
#include "lib/string.h"

void arch_zero_and_clean(uint64_t pa, uint64_t size)
{
	uint64_t dczid = read_sysreg(dczid_el0);
	uint64_t block = 4ULL << BITS(dczid, 3, 0);

	if ((dczid & BIT(4)) || !IS_ALIGNED(pa | size, block)) {
		memset((void *)pa, 0, size);
	} else {
		for (uint64_t a = pa; a < pa + size; a += block)
			asm volatile("dc zva, %0" ::"r"(a) : "memory");
		dsb(ish);
	}
	dcache_clean_poc(pa, size);
}
