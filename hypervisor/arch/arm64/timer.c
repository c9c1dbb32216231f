/* SPDX-License-Identifier: Apache-2.0 */
/* The EL2 physical timer (CNTHP_*), the hypervisor's own per-CPU timer (Arm ARM D11.2). */
#include "arch/arch.h"

#define CNT_CTL_ENABLE BIT(0)
#define CNT_CTL_IMASK BIT(1)

void arch_timer_set(uint64_t cval)
{
	if (!cval) {
		write_sysreg_s(CNTHP_CTL_EL2, 0);
		isb();
		return;
	}
	write_sysreg_s(CNTHP_CVAL_EL2, cval);
	write_sysreg_s(CNTHP_CTL_EL2, CNT_CTL_ENABLE);
	isb();
}
