/* SPDX-License-Identifier: Apache-2.0 */
/* The EL2 stage-1 address space: identity map (VA = PA) with W^X permissions. */
#ifndef FTVISOR_ARCH_MMU_H
#define FTVISOR_ARCH_MMU_H

#include "platform/platform.h"

/* Where things are, decided by boot.c before the MMU is on. All addresses physical. */
struct el2_layout {
	uint64_t image_base, image_end;	/* ftvisor.bin in memory, through .bss */
	uint64_t text_end, rodata_end;	/* section boundaries (absolute) */
	uint64_t percpu_base;		/* n_cpus areas of PERCPU_AREA_SIZE */
	uint32_t n_cpus;
	uint64_t pt_pool_base;		/* page-table pages, bump allocated */
	uint32_t pt_pool_pages;
	uint64_t dtb_base, dtb_size;
	uint64_t bundle_base, bundle_size; /* boot bundle behind the image (0 size: none) */
};

/* Translation register values every CPU loads (secondaries before their MMU is on). */
struct el2_mmu_regs {
	uint64_t mair, tcr, ttbr0, sctlr;
};

/*
 * Build the EL2 tables (MMU off): usable RAM read-write and never executable, the image
 * text read-only executable, rodata read-only, the device tree read-only, the per-CPU
 * guard pages unmapped, the console UART and the GIC as device memory. Returns 0 or -1
 * when the page-table pool ran out.
 */
int mmu_build_el2(const struct platform *p, const struct el2_layout *l, unsigned int pa_bits,
		  struct el2_mmu_regs *regs);

/* Turn this CPU's MMU and caches on with regs (the caller invalidated what it wrote). */
void mmu_enable(const struct el2_mmu_regs *regs);

/* Map a device region at run time (for regions not mapped yet). 0 or -1. */
int mmu_map_device(uint64_t pa, uint64_t size);

/* Pages of the page-table pool used so far. */
uint32_t mmu_pool_used(void);

#endif
