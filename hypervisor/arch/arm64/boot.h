/* SPDX-License-Identifier: Apache-2.0 */
/* What the arch boot code hands to the core once the MMU is on. */
#ifndef FTVISOR_ARCH_BOOT_H
#define FTVISOR_ARCH_BOOT_H

#include "arch/arm64/cpuinfo.h"
#include "arch/arm64/mmu.h"
#include "platform/platform.h"

struct boot_info {
	const struct platform *plat;
	struct el2_layout layout;
	uint32_t boot_cpu;		/* logical index of the CPU we were entered on */
	struct cpu_features features;	/* of the boot CPU */
};

/* Usable memory minus everything of the layout (image, bundle, device tree and, once carved,
 * the per-CPU areas and page tables) into out[PLAT_MAX_USABLE]: the count, or -1. */
int el2_layout_free(const struct platform *p, const struct el2_layout *l, struct mem_range *out);

/* Per-CPU EL2 set-up every CPU runs once its MMU is on (HCR_EL2, traps, timers). */
void arch_cpu_init(void);
/* Start CPU idx (MPIDR mpidr) at secondary_entry; returns a PSCI status. */
int64_t arch_start_cpu(uint32_t idx, uint64_t mpidr);

/* The core's entry points (core/main.c). */
void __noreturn hyp_main(const struct boot_info *bi);
void __noreturn hyp_secondary_main(uint32_t idx);

#endif
