/* SPDX-License-Identifier: Apache-2.0 */
/*
 * EL2 exception vectors (Arm ARM D1.10.2: 16 entries of 128 bytes, table 2 KiB aligned).
 * Every entry saves a full struct exception_frame and calls C. Entries taken from EL2
 * itself first check that the stack has not run into the guard below it (layout.h): a
 * fault on the guard page would otherwise fault again on every push.
 */
#include "arch/arm64/asm.h"
#include "arch/arm64/layout.h"

.macro save_frame_tail
	stp	x2, x3, [sp, #FRAME_X(2)]
	stp	x4, x5, [sp, #FRAME_X(4)]
	stp	x6, x7, [sp, #FRAME_X(6)]
	stp	x8, x9, [sp, #FRAME_X(8)]
	stp	x10, x11, [sp, #FRAME_X(10)]
	stp	x12, x13, [sp, #FRAME_X(12)]
	stp	x14, x15, [sp, #FRAME_X(14)]
	stp	x16, x17, [sp, #FRAME_X(16)]
	stp	x18, x19, [sp, #FRAME_X(18)]
	stp	x20, x21, [sp, #FRAME_X(20)]
	stp	x22, x23, [sp, #FRAME_X(22)]
	stp	x24, x25, [sp, #FRAME_X(24)]
	stp	x26, x27, [sp, #FRAME_X(26)]
	stp	x28, x29, [sp, #FRAME_X(28)]
	mrs	x1, elr_el2
	mrs	x2, spsr_el2
	str	x30, [sp, #FRAME_X(30)]
	str	x1, [sp, #FRAME_ELR]
	str	x2, [sp, #FRAME_SPSR]
	mrs	x1, esr_el2
	mrs	x2, far_el2
	str	x1, [sp, #FRAME_ESR]
	str	x2, [sp, #FRAME_FAR]
.endm

/* Exception from EL2: check the stack, save everything, call handler(frame). */
.macro el2_entry handler
	sub	sp, sp, #FRAME_SIZE
	add	sp, sp, x0			/* sp = new_sp + x0, frees x0 */
	sub	x0, sp, x0			/* x0 = new_sp */
	tbz	x0, #PERCPU_STACK_BIT, el2_stack_overflow
	sub	x0, sp, x0			/* x0 = original x0 */
	sub	sp, sp, x0			/* sp = new_sp */
	stp	x0, x1, [sp, #FRAME_X(0)]
	save_frame_tail
	add	x1, sp, #FRAME_SIZE
	str	x1, [sp, #FRAME_SP]
	mov	x0, sp
	bl	\handler
	b	exception_return
.endm

.macro ventry label
	.balign	128
	b	\label
.endm

	.section .text.vectors, "ax"
	.balign	2048
ENTRY(vectors)
	ventry	el2t_unexpected			/* current EL, SP_EL0 */
	ventry	el2t_unexpected
	ventry	el2t_unexpected
	ventry	el2t_unexpected
	ventry	el2h_sync			/* current EL, SP_EL2 */
	ventry	el2h_irq
	ventry	el2h_fiq
	ventry	el2h_serror
	ventry	lower_sync			/* lower EL, AArch64 */
	ventry	lower_irq
	ventry	lower_fiq
	ventry	lower_serror
	ventry	lower_sync			/* lower EL, AArch32 (a guest's 32-bit EL0) */
	ventry	lower_irq
	ventry	lower_fiq
	ventry	lower_serror
END(vectors)

el2t_unexpected:	el2_entry exception_unexpected
el2h_sync:		el2_entry exception_el2_sync
el2h_irq:		el2_entry exception_irq
el2h_fiq:		el2_entry exception_unexpected
el2h_serror:		el2_entry exception_unexpected
/* From a guest: back to the vCPU run loop (guest_entry.S). */
lower_sync:		b guest_exit_sync
lower_irq:		b guest_exit_irq
lower_fiq:		b guest_exit_fiq
lower_serror:		b guest_exit_serror

/*
 * The stack ran into the guard. x0 is lost (it held the stack arithmetic); move to this
 * CPU's emergency stack, save what is left and report. Never returns.
 */
el2_stack_overflow:
	mrs	x0, tpidr_el2
	cbz	x0, 1f				/* before per-CPU data exists: nothing to do */
	ldr	x0, [x0, #PCPU_EMERGENCY_SP]
	mov	sp, x0
	sub	sp, sp, #FRAME_SIZE
	stp	xzr, x1, [sp, #FRAME_X(0)]
	save_frame_tail
	str	xzr, [sp, #FRAME_SP]
	mov	x0, sp
	bl	exception_stack_overflow
1:	wfe
	b	1b

exception_return:
	ldr	x1, [sp, #FRAME_ELR]
	ldr	x2, [sp, #FRAME_SPSR]
	msr	elr_el2, x1
	msr	spsr_el2, x2
	ldp	x0, x1, [sp, #FRAME_X(0)]
	ldp	x2, x3, [sp, #FRAME_X(2)]
	ldp	x4, x5, [sp, #FRAME_X(4)]
	ldp	x6, x7, [sp, #FRAME_X(6)]
	ldp	x8, x9, [sp, #FRAME_X(8)]
	ldp	x10, x11, [sp, #FRAME_X(10)]
	ldp	x12, x13, [sp, #FRAME_X(12)]
	ldp	x14, x15, [sp, #FRAME_X(14)]
	ldp	x16, x17, [sp, #FRAME_X(16)]
	ldp	x18, x19, [sp, #FRAME_X(18)]
	ldp	x20, x21, [sp, #FRAME_X(20)]
	ldp	x22, x23, [sp, #FRAME_X(22)]
	ldp	x24, x25, [sp, #FRAME_X(24)]
	ldp	x26, x27, [sp, #FRAME_X(26)]
	ldp	x28, x29, [sp, #FRAME_X(28)]
	ldr	x30, [sp, #FRAME_X(30)]
	add	sp, sp, #FRAME_SIZE
	eret
	dsb	nsh				/* no speculation past eret */
	isb
