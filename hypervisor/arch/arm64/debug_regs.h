/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The EL1 breakpoint and watchpoint registers (DBGBCR/BVR/WCR/WVR<n>_EL1) belong to the vCPU:
 * switched with it, so VMs sharing a CPU neither see nor trigger each other's. Debug
 * exceptions target EL1 (MDCR_EL2.TDE = 0) and cannot be generated at EL2 (Arm ARM D2.10),
 * so a guest's breakpoints never fire in the hypervisor.
 */
#ifndef FTVISOR_ARCH_ARM64_DEBUG_REGS_H
#define FTVISOR_ARCH_ARM64_DEBUG_REGS_H

#include <stdint.h>

#define DEBUG_MAX_PAIRS 16

struct vcpu_debugregs {
	uint64_t bcr[DEBUG_MAX_PAIRS], bvr[DEBUG_MAX_PAIRS];
	uint64_t wcr[DEBUG_MAX_PAIRS], wvr[DEBUG_MAX_PAIRS];
};

/* Into / out of this CPU's registers (as many as ID_AA64DFR0_EL1 says it has). */
void debugregs_load(const struct vcpu_debugregs *d);
void debugregs_save(struct vcpu_debugregs *d);

#endif
