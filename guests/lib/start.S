/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Guest entry points. The image starts with the 64-byte arm64 Image header so ftvisor's
 * tools (and QEMU -kernel) load it like a Linux kernel: vCPU 0 enters at EL1h, MMU off,
 * x0 = device tree. It is linked at 0 and relocates itself, so it runs at any IPA.
 */
#include "arch/arm64/asm.h"
#include "layout.h"

	.section .head.text, "ax"
ENTRY(_head)
	arm64_image_header primary_entry
END(_head)

	.text
ENTRY(primary_entry)
	msr	daifset, #0xf
	mov	x19, x0				/* device tree */
	ldr	x0, =SCTLR_EL1_BASE		/* known state whatever the loader left */
	msr	sctlr_el1, x0
	isb
	adr	x21, _head			/* load address = relocation offset */

	/* Apply R_AARCH64_RELATIVE relocations: *(base + offset) = base + addend. */
	adr_l	x0, __rela_start
	adr_l	x1, __rela_end
1:	cmp	x0, x1
	b.hs	2f
	ldp	x2, x3, [x0], #16		/* r_offset, r_info */
	ldr	x4, [x0], #8			/* r_addend */
	cmp	w3, #R_AARCH64_RELATIVE		/* the build refuses any other type */
	b.ne	1b
	add	x4, x4, x21
	str	x4, [x2, x21]
	b	1b
2:
	adr_l	x0, __bss_start
	adr_l	x1, __bss_end
3:	cmp	x0, x1
	b.hs	4f
	stp	xzr, xzr, [x0], #16
	b	3b
4:
	adr_l	x0, stacks			/* vCPU 0's stack */
	add	sp, x0, #STACK_SIZE
	adr_l	x0, vectors
	msr	vbar_el1, x0
	isb
	mov	x29, xzr
	mov	x30, xzr
	mov	x0, x19
	bl	main
	b	idle_forever
END(primary_entry)

/*
 * PSCI CPU_ON lands here: MMU off, x0 = the caller's context. The stack is picked by
 * MPIDR_EL1.Aff0. When vCPU 0 turned the MMU on, this vCPU joins its identity map before
 * it touches memory: stores made with the MMU off bypass the caches and could be hidden by
 * lines the other vCPU holds.
 */
ENTRY(secondary_entry)
	msr	daifset, #0xf
	mov	x19, x0
	ldr	x0, =SCTLR_EL1_BASE
	msr	sctlr_el1, x0
	isb
	mrs	x20, mpidr_el1
	and	x20, x20, #0xff
	cmp	x20, #MAX_VCPUS
	b.hs	idle_forever			/* no stack for it */

	adr_l	x3, mmu_regs			/* written with the MMU off: in memory */
	ldr	x0, [x3]			/* ttbr0 */
	cbz	x0, 1f
	ldp	x1, x2, [x3, #8]		/* tcr, mair */
	bl	mmu_on
1:
	adr_l	x0, stacks
	add	x0, x0, x20, lsl #STACK_SHIFT
	add	sp, x0, #STACK_SIZE
	adr_l	x0, vectors
	msr	vbar_el1, x0
	isb
	mov	x29, xzr
	mov	x30, xzr
	mov	x0, x19
	bl	secondary_main
	b	idle_forever
END(secondary_entry)

/* A guest that is done waits here; the hypervisor traps WFI and deschedules it. */
ENTRY(idle_forever)
	msr	daifset, #0xf
1:	wfi
	b	1b
END(idle_forever)

	.section .bss.stacks, "aw", %nobits
	.balign	16
	.globl	stacks
stacks:
	.skip	STACK_SIZE * MAX_VCPUS
