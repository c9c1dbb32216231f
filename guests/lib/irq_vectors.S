/* SPDX-License-Identifier: Apache-2.0 */
/*
 * An EL1 vector table for guests that take interrupts in a handler (vgic, bench): IRQs taken
 * at EL1 on SP_EL1 go to the guest's guest_irq(); every other entry branches to the same entry
 * of lib/vectors.S (unexpected-exception reporting). A guest opts in by pointing VBAR_EL1 at
 * irq_vectors.
 * The IRQ path saves the caller-saved registers and ELR/SPSR on the stack, so the C handler
 * may unmask IRQs and be preempted by a higher-priority interrupt (nesting).
 */
#include "arch/arm64/asm.h"

#define IRQ_FRAME 176	/* x0-x18, x30, ELR, SPSR: 22 * 8, 16-byte aligned */

.macro to_lib index
	.balign	128
	b	vectors + (\index * 128)
.endm

	.section .text.vectors, "ax"
	.balign	2048
ENTRY(irq_vectors)
	to_lib	0
	to_lib	1
	to_lib	2
	to_lib	3
	to_lib	4
	.balign	128
	b	irq_entry			/* 5: IRQ, current EL with SP_EL1 */
	to_lib	6
	to_lib	7
	to_lib	8
	to_lib	9
	to_lib	10
	to_lib	11
	to_lib	12
	to_lib	13
	to_lib	14
	to_lib	15
END(irq_vectors)

	.text
irq_entry:
	sub	sp, sp, #IRQ_FRAME
	stp	x0, x1, [sp]
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x30, [sp, #144]
	mrs	x0, elr_el1
	mrs	x1, spsr_el1
	stp	x0, x1, [sp, #160]
	bl	guest_irq
	msr	daifset, #2			/* in case the handler left IRQs unmasked */
	ldp	x0, x1, [sp, #160]
	msr	elr_el1, x0
	msr	spsr_el1, x1
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x30, [sp, #144]
	ldp	x0, x1, [sp]
	add	sp, sp, #IRQ_FRAME
	eret

/* For guests that never point VBAR_EL1 here: they need no handler of their own. */
	.text
	.weak	guest_irq
guest_irq:
	ret
