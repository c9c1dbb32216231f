/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Entry points. ftvisor.bin starts with the 64-byte arm64 Image header (Linux
 * Documentation/arch/arm64/booting.rst) so QEMU -kernel and U-Boot booti load it like a
 * kernel: entered at EL2, MMU and D-cache off, x0 = physical address of the device tree.
 * The image is linked at 0 as a position-independent executable and relocates itself, so
 * it runs wherever the loader put it (2 MiB aligned, as the header's flags ask).
 */
#include "arch/arm64/asm.h"
#include "arch/arm64/layout.h"

	.section .head.text, "ax"
ENTRY(_head)
	arm64_image_header primary_entry
END(_head)

ENTRY(primary_entry)
	msr	daifset, #0xf
	mov	x19, x0				/* device tree */
	mrs	x20, CurrentEL
	ubfx	x20, x20, #2, #2		/* exception level we were entered at */
	adr	x21, _head			/* load address = relocation offset */

	cmp	x20, #2
	b.ne	1f
	/* Known EL2 state: MMU and D-cache off (the loader should have left them so). */
	ldr	x0, =0x30c51830			/* SCTLR_EL2 RES1 | I */
	msr	sctlr_el2, x0
	isb
	adr_l	x0, vectors
	msr	vbar_el2, x0
	msr	tpidr_el2, xzr
	isb
1:
	/* Apply R_AARCH64_RELATIVE relocations: *(base + offset) = base + addend. */
	adr_l	x0, __rela_start
	adr_l	x1, __rela_end
2:	cmp	x0, x1
	b.hs	3f
	ldp	x2, x3, [x0], #16		/* r_offset, r_info */
	ldr	x4, [x0], #8			/* r_addend */
	cmp	w3, #R_AARCH64_RELATIVE		/* the build fails on any other type */
	b.ne	2b
	add	x4, x4, x21
	str	x4, [x2, x21]
	b	2b
3:
	adr_l	x0, __bss_start
	adr_l	x1, __bss_end
4:	cmp	x0, x1
	b.hs	5f
	stp	xzr, xzr, [x0], #16
	b	4b
5:
	adr_l	x0, boot_stack
	add	sp, x0, #PERCPU_AREA_SIZE
	mov	x0, x19
	mov	x1, x20
	mov	x2, x21
	bl	boot_main			/* C with the MMU off; does not return */
6:	wfe
	b	6b
END(primary_entry)

/*
 * Secondary CPUs start here from PSCI CPU_ON with the MMU off and x0 = logical CPU index.
 * They take the boot CPU's translation registers from secondary_boot (cleaned to the point
 * of coherency before CPU_ON, since we read it with the caches off).
 */
ENTRY(secondary_entry)
	msr	daifset, #0xf
	mov	x19, x0
	ldr	x0, =0x30c51830
	msr	sctlr_el2, x0
	isb
	adr_l	x1, secondary_boot
	ldr	x2, [x1, #SB_MAIR]
	msr	mair_el2, x2
	ldr	x2, [x1, #SB_TCR]
	msr	tcr_el2, x2
	ldr	x2, [x1, #SB_TTBR0]
	msr	ttbr0_el2, x2
	isb
	tlbi	alle2
	dsb	nsh
	isb
	ldr	x2, [x1, #SB_SCTLR]
	msr	sctlr_el2, x2			/* MMU and caches on */
	isb
	ic	iallu
	dsb	nsh
	isb

	ldr	x2, [x1, #SB_PERCPU_BASE]
	add	x2, x2, x19, lsl #PERCPU_AREA_SHIFT
	add	sp, x2, #PERCPU_AREA_SIZE
	ldr	x2, [x1, #SB_PCPU_ARRAY]
	ldr	x3, [x1, #SB_PCPU_SIZE]
	madd	x2, x19, x3, x2
	msr	tpidr_el2, x2
	adr_l	x2, vectors
	msr	vbar_el2, x2
	isb
	mov	x0, x19
	bl	secondary_main
7:	wfe
	b	7b
END(secondary_entry)

/* void arch_switch_stack(uint64_t sp, void (*fn)(void *), void *arg) __noreturn */
ENTRY(arch_switch_stack)
	mov	sp, x0
	mov	x0, x2
	mov	x29, xzr
	mov	x30, xzr
	br	x1
END(arch_switch_stack)

	.section .bss.boot_stack, "aw", %nobits
	.balign	PERCPU_AREA_SIZE
	.globl	boot_stack
boot_stack:
	.skip	PERCPU_AREA_SIZE
