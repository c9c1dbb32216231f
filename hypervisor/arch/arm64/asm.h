/* SPDX-License-Identifier: Apache-2.0 */
#ifndef FTVISOR_ARCH_ASM_H
#define FTVISOR_ARCH_ASM_H

/* PC-relative address of a symbol anywhere within +-4 GiB: works before relocation. */
.macro adr_l, reg, sym
	adrp	\reg, \sym
	add	\reg, \reg, :lo12:\sym
.endm

/*
 * The 64-byte arm64 Image header (Linux Documentation/arch/arm64/booting.rst): text_offset
 * 0, image_size from the linker script, little endian, 4 KiB pages, placeable anywhere.
 * Used by ftvisor.bin and by the bare-metal guests alike.
 */
.macro arm64_image_header entry
	b	\entry				/* code0 */
	.long	0				/* code1 */
	.quad	0				/* text_offset */
	.quad	__image_size			/* image_size: through the end of .bss */
	.quad	0xa				/* flags */
	.quad	0, 0, 0				/* res2..res4 */
	.ascii	"ARM\x64"			/* magic */
	.long	0				/* res5 (no PE/COFF header) */
.endm

#define ENTRY(name) .globl name; .type name, %function; name:
#define END(name) .size name, . - name

#endif
