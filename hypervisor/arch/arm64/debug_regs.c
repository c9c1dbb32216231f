/* SPDX-License-Identifier: Apache-2.0 */
#include "arch/arm64/debug_regs.h"
#include "arch/arm64/sysreg.h"

/* DBG{B,W}{C,V}R<n>_EL1 = S2_0_C0_C<n>_<op2>: op2 4 BVR, 5 BCR, 6 WVR, 7 WCR (D17.3). Each is
 * its own register, so register n of a kind is reached through a switch. */
#define DBG_CASE(n, op2, field)                                                         \
	case n:                                                                         \
		if (write)                                                              \
			write_sysreg_s("S2_0_C0_C" #n "_" #op2, d->field[n]);           \
		else                                                                    \
			d->field[n] = read_sysreg_s("S2_0_C0_C" #n "_" #op2);           \
		break;
#define DBG_ACCESS(n, op2, field)                                                       \
	switch (n) {                                                                    \
		DBG_CASE(0, op2, field) DBG_CASE(1, op2, field) DBG_CASE(2, op2, field)  \
		DBG_CASE(3, op2, field) DBG_CASE(4, op2, field) DBG_CASE(5, op2, field)  \
		DBG_CASE(6, op2, field) DBG_CASE(7, op2, field) DBG_CASE(8, op2, field)  \
		DBG_CASE(9, op2, field) DBG_CASE(10, op2, field) DBG_CASE(11, op2, field) \
		DBG_CASE(12, op2, field) DBG_CASE(13, op2, field) DBG_CASE(14, op2, field) \
		DBG_CASE(15, op2, field)                                                \
	}

/* As many breakpoints and watchpoints as this CPU has (2-16 each, not necessarily as many of
 * one as of the other): an access to a missing one is UNDEFINED. */
static void access_all(struct vcpu_debugregs *d, bool write)
{
	uint64_t dfr0 = read_sysreg(id_aa64dfr0_el1);
	uint32_t brps = (uint32_t)BITS(dfr0, 15, 12) + 1, wrps = (uint32_t)BITS(dfr0, 23, 20) + 1;

	for (uint32_t n = 0; n < brps; n++) {
		DBG_ACCESS(n, 4, bvr)
		DBG_ACCESS(n, 5, bcr)
	}
	for (uint32_t n = 0; n < wrps; n++) {
		DBG_ACCESS(n, 6, wvr)
		DBG_ACCESS(n, 7, wcr)
	}
}

void debugregs_load(const struct vcpu_debugregs *d)
{
	access_all((struct vcpu_debugregs *)d, true);
}

void debugregs_save(struct vcpu_debugregs *d)
{
	access_all(d, false);
}
