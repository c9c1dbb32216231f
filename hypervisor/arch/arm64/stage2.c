/* SPDX-License-Identifier: Apache-2.0 */
#include "arch/arm64/stage2.h"
#include "arch/arm64/sysreg.h"

void stage2_flush_vmid(uint64_t vttbr)
{
	uint64_t old = read_sysreg(vttbr_el2);

	/* TLBI VMALLS12E1IS acts on the VMID in VTTBR_EL2. */
	write_sysreg(vttbr_el2, vttbr);
	isb();
	dsb(ishst);
	asm volatile("tlbi vmalls12e1is" ::: "memory");
	dsb(ish);
	isb();
	write_sysreg(vttbr_el2, old);
	isb();
}
