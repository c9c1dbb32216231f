/* SPDX-License-Identifier: Apache-2.0 */
/*
 * EL1 exception vectors (16 entries of 128 bytes, table 2 KiB aligned). Every entry saves
 * a struct exception_frame on SP_EL1 and calls exception_handler(frame, entry index); the
 * handler may change the saved registers and ELR (to skip or leave a faulting access).
 */
#include "arch/arm64/asm.h"
#include "layout.h"

.macro ventry index
	.balign	128
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp]
	mov	x1, #\index
	b	exception_common
.endm

	.section .text.vectors, "ax"
	.balign	2048
ENTRY(vectors)
	ventry	0				/* current EL, SP_EL0: sync */
	ventry	1				/* IRQ */
	ventry	2				/* FIQ */
	ventry	3				/* SError */
	ventry	4				/* current EL, SP_EL1: sync */
	ventry	5
	ventry	6
	ventry	7
	ventry	8				/* lower EL, AArch64 */
	ventry	9
	ventry	10
	ventry	11
	ventry	12				/* lower EL, AArch32 */
	ventry	13
	ventry	14
	ventry	15
END(vectors)

exception_common:
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	str	x30, [sp, #240]
	mrs	x2, elr_el1
	mrs	x3, spsr_el1
	stp	x2, x3, [sp, #FRAME_ELR]
	mrs	x2, esr_el1
	mrs	x3, far_el1
	stp	x2, x3, [sp, #FRAME_ESR]
	add	x2, sp, #FRAME_SIZE
	str	x2, [sp, #FRAME_SP]
	mov	x0, sp
	bl	exception_handler

	ldp	x2, x3, [sp, #FRAME_ELR]
	msr	elr_el1, x2
	msr	spsr_el1, x3
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x19, [sp, #144]
	ldp	x20, x21, [sp, #160]
	ldp	x22, x23, [sp, #176]
	ldp	x24, x25, [sp, #192]
	ldp	x26, x27, [sp, #208]
	ldp	x28, x29, [sp, #224]
	ldr	x30, [sp, #240]
	ldp	x0, x1, [sp]
	add	sp, sp, #FRAME_SIZE
	eret
