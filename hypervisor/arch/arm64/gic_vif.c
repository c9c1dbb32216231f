/* SPDX-License-Identifier: Apache-2.0 */
#include "arch/arm64/gic_vif.h"
#include "arch/arm64/sysreg.h"

#define ICH_AP1R0_EL2 "S3_4_C12_C9_0"
#define ICH_HCR_EL2 "S3_4_C12_C11_0"
#define ICH_VMCR_EL2 "S3_4_C12_C11_7"

uint32_t ich_nr_lrs(void)
{
	uint32_t n = (uint32_t)BITS(read_sysreg_s(ICH_VTR_EL2), 4, 0) + 1;

	return n > 16 ? 16 : n;
}

/* ICH_LR<n>_EL2 are separate registers: S3_4_C12_C12_<n> for 0-7, C13 for 8-15. */
#define LR_CASE(n, crm, op2)                                                            \
	case n:                                                                         \
		if (write)                                                              \
			write_sysreg_s("S3_4_C12_" #crm "_" #op2, v);                   \
		else                                                                    \
			v = read_sysreg_s("S3_4_C12_" #crm "_" #op2);                   \
		break;

static uint64_t lr_access(uint32_t n, bool write, uint64_t v)
{
	switch (n) {
		LR_CASE(0, C12, 0) LR_CASE(1, C12, 1) LR_CASE(2, C12, 2) LR_CASE(3, C12, 3)
		LR_CASE(4, C12, 4) LR_CASE(5, C12, 5) LR_CASE(6, C12, 6) LR_CASE(7, C12, 7)
		LR_CASE(8, C13, 0) LR_CASE(9, C13, 1) LR_CASE(10, C13, 2) LR_CASE(11, C13, 3)
		LR_CASE(12, C13, 4) LR_CASE(13, C13, 5) LR_CASE(14, C13, 6) LR_CASE(15, C13, 7)
	}
	return v;
}

uint64_t ich_lr_read(uint32_t n) { return lr_access(n, false, 0); }
void ich_lr_write(uint32_t n, uint64_t v) { lr_access(n, true, v); }
void ich_hcr_write(uint64_t v) { write_sysreg_s(ICH_HCR_EL2, v); }
uint64_t ich_vmcr_read(void) { return read_sysreg_s(ICH_VMCR_EL2); }
void ich_vmcr_write(uint64_t v) { write_sysreg_s(ICH_VMCR_EL2, v); }
uint64_t ich_ap1r0_read(void) { return read_sysreg_s(ICH_AP1R0_EL2); }
void ich_ap1r0_write(uint64_t v) { write_sysreg_s(ICH_AP1R0_EL2, v); }

void ich_guest_sre_init(void)
{
	write_sysreg_s(ICC_SRE_EL1, 7); /* SRE, DFB, DIB */
	isb();
}
