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

struct ptimer {
	uint64_t ctl;	/* ENABLE (bit 0) and IMASK (bit 1) as the guest wrote them */
	uint64_t cval;	/* compared with the physical count (CNTPCT_EL0, not offset) */
	bool line;	/* the interrupt line as last driven into the vGIC */
};

/* A trapped MSR/MRS of CNTP_TVAL/CTL/CVAL_EL0 (crm 2, op2 0-2): true when it was one. */
bool ptimer_access(struct vcpu *v, uint32_t op2, bool read, uint64_t *val);
/* Drive the interrupt line from the state and the counter now. */
void ptimer_update(struct vcpu *v);
/* Counter value at which the line rises, or 0 when it is not armed or already up. */
uint64_t ptimer_deadline(const struct vcpu *v);
void ptimer_reset(struct vcpu *v);

#endif
