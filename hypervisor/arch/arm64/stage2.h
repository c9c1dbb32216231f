/* SPDX-License-Identifier: Apache-2.0 */
/* Stage-2 translation: each VM's guest-physical (IPA) to physical map (Arm ARM D8.2). */
#ifndef FTVISOR_ARCH_STAGE2_H
#define FTVISOR_ARCH_STAGE2_H

#include "arch/arm64/pgtable.h"

/* IPA space and table shape derived from the CPU's physical address size. */
struct stage2_geometry {
	uint32_t ipa_bits;	/* min(PA bits, 40): every guest fits below 1 TiB */
	uint32_t start_level;	/* 1 */
	uint32_t root_entries;	/* 2^(ipa_bits - 30); > 512 means concatenated root tables */
	uint32_t root_pages;
	uint32_t t0sz;
	uint32_t sl0;
};

void stage2_geometry(uint32_t pa_bits, struct stage2_geometry *g);
/* VTCR_EL2 for this geometry (parange = ID_AA64MMFR0_EL1.PARange, capped at 48 bits). */
uint64_t stage2_vtcr(const struct stage2_geometry *g, uint32_t parange);

/* Leaf attributes (Arm ARM D8.5.5): normal write-back RAM, normal non-cacheable (MemAttr
 * 0b0101: outer and inner non-cacheable, the inter-VM shared memory) and device memory.
 * Without FEAT_S2FWB stage 2 can only make memory less cacheable, so a non-cacheable stage-2
 * attribute wins over whatever the guest's stage 1 says. */
#define S2_MEMATTR_NORMAL_WB (0xfULL << 2)
#define S2_MEMATTR_NORMAL_NC (0x5ULL << 2)
#define S2_MEMATTR_DEVICE_nGnRE (0x1ULL << 2)
#define S2_AP_RW (3ULL << 6)
#define S2_AP_RO (1ULL << 6)
#define S2_SH_OUTER (2ULL << 8)
#define S2_SH_INNER (3ULL << 8)
#define S2_AF BIT(10)
#define S2_XN BIT(54)
#define S2_RAM (S2_MEMATTR_NORMAL_WB | S2_AP_RW | S2_SH_INNER | S2_AF)
#define S2_DEVICE (S2_MEMATTR_DEVICE_nGnRE | S2_AP_RW | S2_AF | S2_XN)
/* Shared memory: non-cacheable (always outer shareable), never executable; add S2_AP_RW or
 * S2_AP_RO. */
#define S2_SHARED_NC (S2_MEMATTR_NORMAL_NC | S2_SH_OUTER | S2_AF | S2_XN)

/* Make the stage-2 tables and TLB entries of vmid unused, on every CPU. */
void stage2_flush_vmid(uint64_t vttbr);

#endif
