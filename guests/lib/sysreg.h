/* SPDX-License-Identifier: Apache-2.0 */
/* System register access and barriers for EL1 guests. */
#ifndef GUEST_SYSREG_H
#define GUEST_SYSREG_H

#include "lib/compiler.h"
#include "layout.h"

#define read_sysreg(reg) ({						\
	uint64_t __v;							\
	asm volatile("mrs %0, " #reg : "=r"(__v));			\
	__v;								\
})

#define write_sysreg(reg, v) asm volatile("msr " #reg ", %0" :: "r"((uint64_t)(v)))

#define isb() asm volatile("isb" ::: "memory")
#define dsb(opt) asm volatile("dsb " #opt ::: "memory")
#define barrier() asm volatile("" ::: "memory")

#define ESR_EC(esr) (((esr) >> 26) & 0x3f)
#define ESR_ISS(esr) ((esr) & 0x1ffffff)
#define ESR_FSC(esr) ((esr) & 0x3f)
#define EC_IABT_CUR 0x21		/* instruction abort, same EL */
#define EC_DABT_CUR 0x25		/* data abort, same EL */

/* This vCPU's index: ftvisor gives vCPU i MPIDR_EL1.Aff0 = i. */
static inline unsigned int this_cpu(void)
{
	return read_sysreg(mpidr_el1) & 0xff;
}

static inline bool mmu_is_on(void)
{
	return read_sysreg(sctlr_el1) & SCTLR_M;
}

#endif
