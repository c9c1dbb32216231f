/* SPDX-License-Identifier: Apache-2.0 */
#include "arch/arm64/vcpu_context.h"
#include "arch/arm64/sysreg.h"
#include "lib/string.h"

_Static_assert(__builtin_offsetof(struct vcpu_fpregs, fpsr) == 0x200, "fpsimd.S layout");

/* SCTLR_EL1 reset value: RES1 bits (Arm ARM D19.2.118), MMU and caches off, little endian. */
#define SCTLR_EL1_RESET 0x30d00800ULL
/* EL1h with D, A, I, F masked. */
#define PSTATE_EL1H_MASKED 0x3c5ULL
#define PSTATE_M_MASK 0xfULL
#define PSTATE_EL1T 0x4ULL
#define PSTATE_EL1H 0x5ULL

void vcpu_context_reset(struct vcpu_context *c, uint64_t entry, uint64_t x0, uint64_t vmpidr,
			uint64_t vpidr)
{
	memset(c, 0, sizeof(*c));
	c->regs.pc = entry;
	c->regs.pstate = PSTATE_EL1H_MASKED;
	c->regs.x[0] = x0;
	c->sys.sctlr_el1 = SCTLR_EL1_RESET;
	c->sys.vmpidr_el2 = vmpidr | BIT(31); /* bit 31 is RES1 in MPIDR_EL1 */
	c->sys.vpidr_el2 = vpidr;
}

void vcpu_context_load(const struct vcpu_context *c)
{
	const struct vcpu_sysregs *s = &c->sys;

	write_sysreg(sctlr_el1, s->sctlr_el1);
	write_sysreg(actlr_el1, s->actlr_el1);
	write_sysreg(cpacr_el1, s->cpacr_el1);
	write_sysreg(ttbr0_el1, s->ttbr0_el1);
	write_sysreg(ttbr1_el1, s->ttbr1_el1);
	write_sysreg(tcr_el1, s->tcr_el1);
	write_sysreg(mair_el1, s->mair_el1);
	write_sysreg(amair_el1, s->amair_el1);
	write_sysreg(vbar_el1, s->vbar_el1);
	write_sysreg(contextidr_el1, s->contextidr_el1);
	write_sysreg(tpidr_el0, s->tpidr_el0);
	write_sysreg(tpidrro_el0, s->tpidrro_el0);
	write_sysreg(tpidr_el1, s->tpidr_el1);
	write_sysreg(sp_el0, s->sp_el0);
	write_sysreg(sp_el1, s->sp_el1);
	write_sysreg(elr_el1, s->elr_el1);
	write_sysreg(spsr_el1, s->spsr_el1);
	write_sysreg(esr_el1, s->esr_el1);
	write_sysreg(far_el1, s->far_el1);
	write_sysreg(afsr0_el1, s->afsr0_el1);
	write_sysreg(afsr1_el1, s->afsr1_el1);
	write_sysreg(par_el1, s->par_el1);
	write_sysreg(cntkctl_el1, s->cntkctl_el1);
	write_sysreg(csselr_el1, s->csselr_el1);
	write_sysreg(mdscr_el1, s->mdscr_el1);
	debugregs_load(&c->dbg);
	write_sysreg(cntv_cval_el0, s->cntv_cval_el0);
	write_sysreg(cntv_ctl_el0, s->cntv_ctl_el0);
	write_sysreg(vmpidr_el2, s->vmpidr_el2);
	write_sysreg(vpidr_el2, s->vpidr_el2);
	fpsimd_restore(&c->fp);
	isb();
}

void vcpu_context_save(struct vcpu_context *c)
{
	struct vcpu_sysregs *s = &c->sys;

	s->sctlr_el1 = read_sysreg(sctlr_el1);
	s->actlr_el1 = read_sysreg(actlr_el1);
	s->cpacr_el1 = read_sysreg(cpacr_el1);
	s->ttbr0_el1 = read_sysreg(ttbr0_el1);
	s->ttbr1_el1 = read_sysreg(ttbr1_el1);
	s->tcr_el1 = read_sysreg(tcr_el1);
	s->mair_el1 = read_sysreg(mair_el1);
	s->amair_el1 = read_sysreg(amair_el1);
	s->vbar_el1 = read_sysreg(vbar_el1);
	s->contextidr_el1 = read_sysreg(contextidr_el1);
	s->tpidr_el0 = read_sysreg(tpidr_el0);
	s->tpidrro_el0 = read_sysreg(tpidrro_el0);
	s->tpidr_el1 = read_sysreg(tpidr_el1);
	s->sp_el0 = read_sysreg(sp_el0);
	s->sp_el1 = read_sysreg(sp_el1);
	s->elr_el1 = read_sysreg(elr_el1);
	s->spsr_el1 = read_sysreg(spsr_el1);
	s->esr_el1 = read_sysreg(esr_el1);
	s->far_el1 = read_sysreg(far_el1);
	s->afsr0_el1 = read_sysreg(afsr0_el1);
	s->afsr1_el1 = read_sysreg(afsr1_el1);
	s->par_el1 = read_sysreg(par_el1);
	s->cntkctl_el1 = read_sysreg(cntkctl_el1);
	s->csselr_el1 = read_sysreg(csselr_el1);
	s->mdscr_el1 = read_sysreg(mdscr_el1);
	debugregs_save(&c->dbg);
	s->cntv_ctl_el0 = read_sysreg(cntv_ctl_el0);
	s->cntv_cval_el0 = read_sysreg(cntv_cval_el0);
	s->vmpidr_el2 = read_sysreg(vmpidr_el2);
	s->vpidr_el2 = read_sysreg(vpidr_el2);
	fpsimd_save(&c->fp);
}

void vcpu_inject_sync(struct vcpu_regs *regs, uint32_t ec, uint32_t iss, uint64_t far)
{
	uint64_t mode = regs->pstate & PSTATE_M_MASK, offset;

	/* Arm ARM D1.10.2: the vector offset depends on where the exception is taken from;
	 * from EL0 the class is the "lower EL" one (EC - 1 for aborts). */
	if (mode == PSTATE_EL1H) {
		offset = 0x200;
	} else if (mode == PSTATE_EL1T) {
		offset = 0x000;
	} else {
		offset = regs->pstate & BIT(4) ? 0x600 : 0x400; /* from AArch32 or AArch64 EL0 */
		if (ec == 0x25 || ec == 0x21)
			ec -= 1;
	}
	write_sysreg(elr_el1, regs->pc);
	write_sysreg(spsr_el1, regs->pstate);
	write_sysreg(esr_el1, (uint64_t)ec << 26 | BIT(25) | iss);
	if (ec != 0)
		write_sysreg(far_el1, far);
	regs->pstate = PSTATE_EL1H_MASKED;
	regs->pc = read_sysreg(vbar_el1) + offset;
}

/* HCR_EL2 while a guest runs (Arm ARM D19.2.48): stage 2 on, physical interrupts to EL2,
 * SMC and WFI trapped, set/way cache maintenance trapped (it cannot be virtualized
 * safely), implementation-defined and auxiliary registers trapped, broadcast TLB and
 * barrier scope raised to inner shareable so a vCPU moving between CPUs stays coherent. */
#define HCR_GUEST (BIT(0) | BIT(1) | BIT(3) | BIT(4) | BIT(5) | BIT(9) | BIT(10) | BIT(13) | \
		   BIT(19) | BIT(20) | BIT(21) | BIT(22) | BIT(31))

void vcpu_hw_enter(uint64_t vtcr, uint64_t vttbr, uint64_t cntvoff)
{
	write_sysreg(vtcr_el2, vtcr);
	write_sysreg(vttbr_el2, vttbr);
	write_sysreg(cntvoff_el2, cntvoff);
	write_sysreg(hcr_el2, HCR_GUEST);
	isb();
}

void vcpu_hw_exit(void)
{
	write_sysreg(hcr_el2, HCR_HOST);
	write_sysreg(vttbr_el2, 0);
	isb();
}

void trap_syndrome_read(struct trap_syndrome *t)
{
	t->esr = read_sysreg(esr_el2);
	t->far = read_sysreg(far_el2);
	t->hpfar = read_sysreg(hpfar_el2);
}

bool vcpu_translate_va(uint64_t va, uint64_t *ipa)
{
	uint64_t saved = read_sysreg(par_el1), par;

	asm volatile("at s1e1r, %0" ::"r"(va));
	isb();
	par = read_sysreg(par_el1);
	write_sysreg(par_el1, saved);
	if (par & 1)
		return false;
	*ipa = (par & 0xfffffffff000ULL) | (va & 0xfff);
	return true;
}

uint64_t vcpu_read_sp(const struct vcpu_regs *regs)
{
	return (regs->pstate & PSTATE_M_MASK) == PSTATE_EL1H ? read_sysreg(sp_el1) : read_sysreg(sp_el0);
}

void vcpu_write_sp(const struct vcpu_regs *regs, uint64_t sp)
{
	if ((regs->pstate & PSTATE_M_MASK) == PSTATE_EL1H)
		write_sysreg(sp_el1, sp);
	else
		write_sysreg(sp_el0, sp);
}
