/* SPDX-License-Identifier: Apache-2.0 */
/*
 * World switch, general-purpose registers only: guest_enter() runs a vCPU until its next
 * exception to EL2 and returns why. EL1 system registers and FP/SIMD stay loaded in the CPU
 * while the vCPU owns it (vcpu_context.c saves and restores them when it does not).
 */
#include "arch/arm64/asm.h"
#include "arch/arm64/layout.h"

	.text
/* uint64_t guest_enter(struct vcpu_regs *regs): returns EXIT_* */
ENTRY(guest_enter)
	stp	x29, x30, [sp, #-96]!
	stp	x19, x20, [sp, #16]
	stp	x21, x22, [sp, #32]
	stp	x23, x24, [sp, #48]
	stp	x25, x26, [sp, #64]
	stp	x27, x28, [sp, #80]
	mrs	x1, tpidr_el2
	str	x0, [x1, #PCPU_GUEST_REGS]
	mov	x2, sp
	str	x2, [x1, #PCPU_HOST_SP]

	ldr	x2, [x0, #REGS_PC]
	msr	elr_el2, x2
	ldr	x2, [x0, #REGS_PSTATE]
	msr	spsr_el2, x2
	ldp	x2, x3, [x0, #REGS_X(2)]
	ldp	x4, x5, [x0, #REGS_X(4)]
	ldp	x6, x7, [x0, #REGS_X(6)]
	ldp	x8, x9, [x0, #REGS_X(8)]
	ldp	x10, x11, [x0, #REGS_X(10)]
	ldp	x12, x13, [x0, #REGS_X(12)]
	ldp	x14, x15, [x0, #REGS_X(14)]
	ldp	x16, x17, [x0, #REGS_X(16)]
	ldp	x18, x19, [x0, #REGS_X(18)]
	ldp	x20, x21, [x0, #REGS_X(20)]
	ldp	x22, x23, [x0, #REGS_X(22)]
	ldp	x24, x25, [x0, #REGS_X(24)]
	ldp	x26, x27, [x0, #REGS_X(26)]
	ldp	x28, x29, [x0, #REGS_X(28)]
	ldr	x30, [x0, #REGS_X(30)]
	ldp	x0, x1, [x0, #REGS_X(0)]
	eret
	dsb	nsh				/* no speculation past eret */
	isb
END(guest_enter)

/*
 * Taken from the lower-EL vectors (vectors.S) with the guest's registers live and SP_EL2 as
 * guest_enter left it. Save the guest's registers into its vcpu_regs, then return from
 * guest_enter with the exit code.
 */
.macro guest_exit code
	stp	x0, x1, [sp, #-16]!
	mrs	x0, tpidr_el2
	ldr	x0, [x0, #PCPU_GUEST_REGS]
	stp	x2, x3, [x0, #REGS_X(2)]
	stp	x4, x5, [x0, #REGS_X(4)]
	stp	x6, x7, [x0, #REGS_X(6)]
	stp	x8, x9, [x0, #REGS_X(8)]
	stp	x10, x11, [x0, #REGS_X(10)]
	stp	x12, x13, [x0, #REGS_X(12)]
	stp	x14, x15, [x0, #REGS_X(14)]
	stp	x16, x17, [x0, #REGS_X(16)]
	stp	x18, x19, [x0, #REGS_X(18)]
	stp	x20, x21, [x0, #REGS_X(20)]
	stp	x22, x23, [x0, #REGS_X(22)]
	stp	x24, x25, [x0, #REGS_X(24)]
	stp	x26, x27, [x0, #REGS_X(26)]
	stp	x28, x29, [x0, #REGS_X(28)]
	str	x30, [x0, #REGS_X(30)]
	ldp	x2, x3, [sp], #16
	stp	x2, x3, [x0, #REGS_X(0)]
	mrs	x2, elr_el2
	str	x2, [x0, #REGS_PC]
	mrs	x2, spsr_el2
	str	x2, [x0, #REGS_PSTATE]
	mov	x0, #\code
	b	guest_exit_common
.endm

ENTRY(guest_exit_sync)
	guest_exit EXIT_SYNC
END(guest_exit_sync)
ENTRY(guest_exit_irq)
	guest_exit EXIT_IRQ
END(guest_exit_irq)
ENTRY(guest_exit_fiq)
	guest_exit EXIT_FIQ
END(guest_exit_fiq)
ENTRY(guest_exit_serror)
	guest_exit EXIT_SERROR
END(guest_exit_serror)

guest_exit_common:
	mrs	x1, tpidr_el2
	str	xzr, [x1, #PCPU_GUEST_REGS]
	ldr	x2, [x1, #PCPU_HOST_SP]
	mov	sp, x2
	ldp	x19, x20, [sp, #16]
	ldp	x21, x22, [sp, #32]
	ldp	x23, x24, [sp, #48]
	ldp	x25, x26, [sp, #64]
	ldp	x27, x28, [sp, #80]
	ldp	x29, x30, [sp], #96
	ret
