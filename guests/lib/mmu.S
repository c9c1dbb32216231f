/* SPDX-License-Identifier: Apache-2.0 */
/* Turning the EL1 stage-1 MMU on; called without a stack by secondary_entry. */
#include "arch/arm64/asm.h"
#include "layout.h"

	.text
/* void mmu_on(uint64_t ttbr0, uint64_t tcr, uint64_t mair): clobbers x3 only. */
ENTRY(mmu_on)
	msr	mair_el1, x2
	msr	tcr_el1, x1
	msr	ttbr0_el1, x0
	isb
	tlbi	vmalle1				/* nothing stale from a previous run */
	dsb	nsh
	isb
	mrs	x3, sctlr_el1
	orr	x3, x3, #SCTLR_M
	orr	x3, x3, #SCTLR_C
	orr	x3, x3, #SCTLR_I
	msr	sctlr_el1, x3
	isb
	ic	iallu
	dsb	nsh
	isb
	ret
END(mmu_on)

/* void dcache_clean_inval_range(uint64_t start, uint64_t end): clean + invalidate to PoC. */
ENTRY(dcache_clean_inval_range)
	mrs	x3, ctr_el0
	ubfx	x3, x3, #16, #4			/* DminLine: log2(words) */
	mov	x2, #4
	lsl	x2, x2, x3			/* line size in bytes */
	sub	x3, x2, #1
	bic	x0, x0, x3
1:	cmp	x0, x1
	b.hs	2f
	dc	civac, x0
	add	x0, x0, x2
	b	1b
2:	dsb	sy
	ret
END(dcache_clean_inval_range)
