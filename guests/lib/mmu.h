/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Optional EL1 stage-1 identity map: RAM as Normal write-back memory, every other address
 * below 512 GiB as Device-nGnRnE. Guests run with the MMU off by default (all data accesses
 * are then Device memory); a guest whose vCPUs share data with exclusives needs this, as
 * exclusives are only architecturally guaranteed on cacheable memory.
 */
#ifndef GUEST_MMU_H
#define GUEST_MMU_H

#include "lib/compiler.h"

/* Read by start.S (secondary_entry) to join the map: keep the layout. */
struct mmu_regs {
	uint64_t ttbr0;		/* 0 while the MMU is off */
	uint64_t tcr;
	uint64_t mair;
};
extern struct mmu_regs mmu_regs;

/*
 * Call on vCPU 0 before starting other vCPUs; they then turn the MMU on in secondary_entry
 * before their first memory access. false when RAM is not 2 MiB aligned, lies above
 * 512 GiB or spans more GiB than there are tables (the MMU then stays off).
 */
bool mmu_enable(uint64_t ram_base, uint64_t ram_size);

void mmu_on(uint64_t ttbr0, uint64_t tcr, uint64_t mair);
void dcache_clean_inval_range(uint64_t start, uint64_t end);

#endif
