/* SPDX-License-Identifier: Apache-2.0 */
/* Stage-2 table shape and VTCR_EL2 from the CPU's physical address range (pure logic). */
#include "arch/arm64/stage2.h"

#define STAGE2_MAX_IPA_BITS 40

void stage2_geometry(uint32_t pa_bits, struct stage2_geometry *g)
{
	uint32_t ipa = MIN(pa_bits, (uint32_t)STAGE2_MAX_IPA_BITS);

	if (ipa < 32)
		ipa = 32;
	/* 4 KiB granule starting at level 1 (VTCR_EL2.SL0 = 1) covers 31-40 bit IPAs, with up
	 * to 2 concatenated level-1 tables for 40 bits (Arm ARM D8.2.7): 3 levels of walk. */
	g->ipa_bits = ipa;
	g->start_level = 1;
	g->root_entries = 1u << (ipa - 30);
	g->root_pages = g->root_entries > 512 ? g->root_entries / 512 : 1;
	g->t0sz = 64 - ipa;
	g->sl0 = 1;
}

uint64_t stage2_vtcr(const struct stage2_geometry *g, uint32_t parange)
{
	uint64_t ps = parange > 5 ? 5 : parange;

	/* RES1 bit 31; inner/outer write-back walks, inner shareable, 4 KiB granule, 8-bit VMID */
	return BIT(31) | ps << 16 | 0ULL << 14 | 3ULL << 12 | 1ULL << 10 | 1ULL << 8 |
	       (uint64_t)g->sl0 << 6 | g->t0sz;
}
