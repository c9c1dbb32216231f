/* SPDX-License-Identifier: Apache-2.0 */
/* A vCPU's architectural state and the operations on it that need the hardware. */
#ifndef FTVISOR_ARCH_VCPU_CONTEXT_H
#define FTVISOR_ARCH_VCPU_CONTEXT_H

#include "arch/arm64/debug_regs.h"
#include "lib/compiler.h"

/* General-purpose state, saved and restored by guest_entry.S (layout.h REGS_*). */
struct vcpu_regs {
	uint64_t x[31];
	uint64_t pc;
	uint64_t pstate;
};

/* EL1 (and EL0) system registers a guest owns. */
struct vcpu_sysregs {
	uint64_t sctlr_el1, actlr_el1, cpacr_el1;
	uint64_t ttbr0_el1, ttbr1_el1, tcr_el1, mair_el1, amair_el1;
	uint64_t vbar_el1, contextidr_el1, tpidr_el0, tpidrro_el0, tpidr_el1;
	uint64_t sp_el0, sp_el1, elr_el1, spsr_el1;
	uint64_t esr_el1, far_el1, afsr0_el1, afsr1_el1, par_el1;
	uint64_t cntkctl_el1, csselr_el1, mdscr_el1;
	uint64_t cntv_ctl_el0, cntv_cval_el0;
	/* EL2 registers that shape what this vCPU sees */
	uint64_t vmpidr_el2, vpidr_el2;
};

/* FP/SIMD: V0-V31 and the control/status registers. */
struct vcpu_fpregs {
	__uint128_t v[32];
	uint64_t fpsr, fpcr;
} __aligned(16);

struct vcpu_context {
	struct vcpu_regs regs;
	struct vcpu_sysregs sys;
	struct vcpu_debugregs dbg;	/* zero at reset: no breakpoints or watchpoints */
	struct vcpu_fpregs fp;
};

/* Architectural reset: EL1h, interrupts masked, MMU off, entry and x0 as given. */
void vcpu_context_reset(struct vcpu_context *c, uint64_t entry, uint64_t x0, uint64_t vmpidr,
			uint64_t vpidr);
/* Load the EL1 and FP/SIMD state into this CPU / save it back. */
void vcpu_context_load(const struct vcpu_context *c);
void vcpu_context_save(struct vcpu_context *c);

void fpsimd_save(struct vcpu_fpregs *fp);
void fpsimd_restore(const struct vcpu_fpregs *fp);

/* Make the guest take a synchronous exception at EL1 as if from its current PC:
 * ec = ESR class as seen at EL1 for the same-EL case (0x25 data abort, 0x21 instruction
 * abort, 0x00 unknown), iss, far (ignored for class 0). The vCPU must be loaded here. */
void vcpu_inject_sync(struct vcpu_regs *regs, uint32_t ec, uint32_t iss, uint64_t far);


/* Run the guest until its next exception to EL2 (guest_entry.S); returns EXIT_* (layout.h). */
uint64_t guest_enter(struct vcpu_regs *regs);

/* Per-entry hypervisor configuration for a guest: stage 2, virtual counter offset, traps. */
void vcpu_hw_enter(uint64_t vtcr, uint64_t vttbr, uint64_t cntvoff);
/* Back to the hypervisor's own configuration when the CPU has no vCPU loaded. */
void vcpu_hw_exit(void);

/* What the hardware reports about a trap from the guest. */
struct trap_syndrome {
	uint64_t esr, far, hpfar;
};
void trap_syndrome_read(struct trap_syndrome *t);

/* The IPA a guest data/instruction abort hit (HPFAR_EL2 page + FAR_EL2 offset). */
static inline uint64_t trap_fault_ipa(const struct trap_syndrome *t)
{
	return ((t->hpfar & 0xfffffffffff0ULL) << 8) | (t->far & 0xfff);
}

/* Stage-1 translate a guest virtual address as the guest's EL1 would (AT S1E1R), keeping
 * the guest's PAR_EL1. Returns false if the guest's tables do not map it. */
bool vcpu_translate_va(uint64_t va, uint64_t *ipa);
/* The guest's stack pointer for its current mode (SP_EL1 or SP_EL0), and setting it. */
uint64_t vcpu_read_sp(const struct vcpu_regs *regs);
void vcpu_write_sp(const struct vcpu_regs *regs, uint64_t sp);

#endif
