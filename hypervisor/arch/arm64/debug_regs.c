/* SPDX-License-Identifier: Apache-2.0 */
#include "arch/arm64/debug_regs.h"
#include "arch/arm64/sysreg.h"

/* DBG{B,W}{C,V}R<n>_EL1 = S2_0_C0_C<n>_<op2>: op2 4 BVR, 5 BCR, 6 WVR, 7 WCR (D17.3). */
#define DBG_CASE(n)                                                                     \
	case n:                                                                         \
		if (write) {                                                            \
			write_sysreg_s("S2_0_C0_C" #n "_4", d->bvr[n]);                 \
			write_sysreg_s("S2_0_C0_C" #n "_5", d->bcr[n]);                 \
			write_sysreg_s("S2_0_C0_C" #n "_6", d->wvr[n]);                 \
			write_sysreg_s("S2_0_C0_C" #n "_7", d->wcr[n]);                 \
		} else {                                                                \
			d->bvr[n] = read_sysreg_s("S2_0_C0_C" #n "_4");                 \
			d->bcr[n] = read_sysreg_s("S2_0_C0_C" #n "_5");                 \
			d->wvr[n] = read_sysreg_s("S2_0_C0_C" #n "_6");                 \
			d->wcr[n] = read_sysreg_s("S2_0_C0_C" #n "_7");                 \
		}                                                                       \
		break;

/* Pair n: breakpoint n and watchpoint n together. A CPU has 2-16 of each, not
 * necessarily as many watchpoints as breakpoints: accesses to a missing one are
 * UNDEFINED, so only pairs below both counts use this; the rest go one by one. */
static void pair_access(struct vcpu_debugregs *d, uint32_t n, bool write)
{
	switch (n) {
		DBG_CASE(0) DBG_CASE(1) DBG_CASE(2) DBG_CASE(3) DBG_CASE(4) DBG_CASE(5)
		DBG_CASE(6) DBG_CASE(7) DBG_CASE(8) DBG_CASE(9) DBG_CASE(10) DBG_CASE(11)
		DBG_CASE(12) DBG_CASE(13) DBG_CASE(14) DBG_CASE(15)
	}
}

#define ONE_CASE(n, op2, field)                                                         \
	case n:                                                                         \
		if (write) {                                                            \
			write_sysreg_s("S2_0_C0_C" #n "_" #op2, d->field[n]);           \
		} else {                                                                \
			d->field[n] = read_sysreg_s("S2_0_C0_C" #n "_" #op2);           \
		}                                                                       \
		break;
#define ONE_SWITCH(n, op2, field)                                                       \
	switch (n) {                                                                    \
		ONE_CASE(0, op2, field) ONE_CASE(1, op2, field) ONE_CASE(2, op2, field)  \
		ONE_CASE(3, op2, field) ONE_CASE(4, op2, field) ONE_CASE(5, op2, field)  \
		ONE_CASE(6, op2, field) ONE_CASE(7, op2, field) ONE_CASE(8, op2, field)  \
		ONE_CASE(9, op2, field) ONE_CASE(10, op2, field) ONE_CASE(11, op2, field) \
		ONE_CASE(12, op2, field) ONE_CASE(13, op2, field) ONE_CASE(14, op2, field) \
		ONE_CASE(15, op2, field)                                                \
	}

static void access_all(struct vcpu_debugregs *d, bool write)
{
	uint64_t dfr0 = read_sysreg(id_aa64dfr0_el1);
	uint32_t brps = (uint32_t)BITS(dfr0, 15, 12) + 1, wrps = (uint32_t)BITS(dfr0, 23, 20) + 1;
	uint32_t both = brps < wrps ? brps : wrps, n;

	for (n = 0; n < both; n++)
		pair_access(d, n, write);
	for (n = both; n < brps; n++) {
		ONE_SWITCH(n, 4, bvr)
		ONE_SWITCH(n, 5, bcr)
	}
	for (n = both; n < wrps; n++) {
		ONE_SWITCH(n, 6, wvr)
		ONE_SWITCH(n, 7, wcr)
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
