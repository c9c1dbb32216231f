/* SPDX-License-Identifier: Apache-2.0 */
/* VMSAv8-64, 4 KiB granule, 39-bit VA: translation starts at level 1 (1 GiB entries). */
#include "mmu.h"
#include "sysreg.h"

#define L2_TABLES 4		/* GiB-sized windows of RAM mapped with 2 MiB blocks */
#define ENTRIES 512

#define DESC_BLOCK 0x1ULL
#define DESC_TABLE 0x3ULL
#define ATTR_DEVICE (0ULL << 2)	/* MAIR index 0: Device-nGnRnE */
#define ATTR_NORMAL (1ULL << 2)	/* MAIR index 1: Normal, inner/outer write-back */
#define SH_INNER (3ULL << 8)
#define AF (1ULL << 10)
#define PXN (1ULL << 53)
#define UXN (1ULL << 54)
#define DEVICE_BLOCK (DESC_BLOCK | ATTR_DEVICE | AF | PXN | UXN)
#define RAM_BLOCK (DESC_BLOCK | ATTR_NORMAL | SH_INNER | AF | UXN)

#define MAIR_VALUE (0x00ULL | 0xffULL << 8)
#define TCR_T0SZ(bits) (64ULL - (bits))
#define TCR_IRGN0_WBWA (1ULL << 8)
#define TCR_ORGN0_WBWA (1ULL << 10)
#define TCR_SH0_INNER (3ULL << 12)
#define TCR_TG0_4K (0ULL << 14)
#define TCR_EPD1 (1ULL << 23)	/* no TTBR1 walks */
#define TCR_IPS_SHIFT 32

struct mmu_regs mmu_regs;
static uint64_t l1[ENTRIES] __aligned(4096);
static uint64_t l2[L2_TABLES][ENTRIES] __aligned(4096);

bool mmu_enable(uint64_t ram_base, uint64_t ram_size)
{
	extern char __image_start[], __image_end[];
	uint64_t end, first, last, g, i, parange, tcr;

	if (mmu_is_on())
		return true;
	if (!ram_size || !IS_ALIGNED(ram_base | ram_size, MiB(2)) ||
	    add_overflows(ram_base, ram_size, &end) || end > GiB(512))
		return false;
	first = ram_base >> 30;
	last = (end - 1) >> 30;
	if (last - first >= L2_TABLES)
		return false;

	for (i = 0; i < ENTRIES; i++)
		l1[i] = i << 30 | DEVICE_BLOCK;
	for (g = first; g <= last; g++) {
		uint64_t *t = l2[g - first];

		for (i = 0; i < ENTRIES; i++) {
			uint64_t a = g << 30 | i << 21;

			t[i] = a | (a >= ram_base && a < end ? RAM_BLOCK : DEVICE_BLOCK);
		}
		l1[g] = (uint64_t)t | DESC_TABLE;
	}

	parange = read_sysreg(id_aa64mmfr0_el1) & 0xf;
	if (parange > 5)		/* 52-bit needs more setup; 48 bits cover us */
		parange = 5;
	tcr = TCR_T0SZ(39) | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA | TCR_SH0_INNER | TCR_TG0_4K |
	      TCR_EPD1 | parange << TCR_IPS_SHIFT;

	mmu_regs.tcr = tcr;
	mmu_regs.mair = MAIR_VALUE;
	mmu_regs.ttbr0 = (uint64_t)l1;

	/*
	 * Everything we wrote so far went straight to memory (MMU off). Drop any stale line
	 * the caches may hold for the image (tables, stacks, data) before using them cached.
	 */
	dsb(sy);
	dcache_clean_inval_range((uint64_t)__image_start, (uint64_t)__image_end);
	mmu_on(mmu_regs.ttbr0, mmu_regs.tcr, mmu_regs.mair);
	return true;
}
