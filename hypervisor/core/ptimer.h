/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The EL1 physical timer of a vCPU, emulated. CNTHCTL_EL2.EL1PCEN is clear, so the guest's
 * CNTP_CTL/CVAL/TVAL_EL0 accesses trap (Arm ARM D11.2.2) and land here; the comparator
 * state lives in the vCPU and its interrupt (PPI 30) is a level driven into the vGIC.
 * Without this, VMs sharing a CPU would share one physical timer: each could read and
 * reprogram the other's, and its interrupt would reach nobody.
 */
#ifndef FTVISOR_CORE_PTIMER_H
#define FTVISOR_CORE_PTIMER_H

#include <stdbool.h>
#include <stdint.h>

#define PTIMER_INTID 30 /* non-secure EL1 physical timer PPI (Arm BSA, QEMU virt) */

struct vcpu;

#define PTIMER_CTL_ENABLE 1u
#define PTIMER_CTL_IMASK 2u
#define PTIMER_CTL_ISTATUS 4u

struct ptimer {
	uint64_t ctl;	/* ENABLE and IMASK as the guest wrote them */
	uint64_t cval;	/* compared with the physical count (CNTPCT_EL0, not offset) */
	bool line;	/* the interrupt line as last driven into the vGIC */
};

/* Only an enabled comparator can raise its line: the run loop looks at no other. */
static inline bool ptimer_enabled(const struct ptimer *t)
{
	return t->ctl & PTIMER_CTL_ENABLE;
}

/* A trapped MSR/MRS of CNTP_TVAL/CTL/CVAL_EL0 (crm 2, op2 0-2): true when it was one. */
bool ptimer_access(struct vcpu *v, uint32_t op2, bool read, uint64_t *val);
/* Drive the interrupt line from the state and the counter now. */
void ptimer_update(struct vcpu *v);
/* Counter value at which the line rises, or 0 when it is not armed or already up. */
uint64_t ptimer_deadline(const struct vcpu *v);
void ptimer_reset(struct vcpu *v);

#endif
