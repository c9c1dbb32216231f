/* SPDX-License-Identifier: Apache-2.0 */
#ifndef FTVISOR_ARCH_ASM_H
#define FTVISOR_ARCH_ASM_H

/* PC-relative address of a symbol anywhere within +-4 GiB: works before relocation. */
.macro adr_l, reg, sym
	adrp	\reg, \sym
	add	\reg, \reg, :lo12:\sym
.endm

#define ENTRY(name) .globl name; .type name, %function; name:
#define END(name) .size name, . - name

#endif
