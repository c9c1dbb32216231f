/* SPDX-License-Identifier: Apache-2.0 */
/* What this CPU implements, read from its ID registers (never assumed). */
#ifndef FTVISOR_ARCH_CPUINFO_H
#define FTVISOR_ARCH_CPUINFO_H

#include "lib/compiler.h"

struct cpu_features {
	uint64_t midr;
	uint32_t parange;	/* ID_AA64MMFR0_EL1.PARange */
	uint32_t pa_bits;
	uint32_t vmid_bits;	/* 8 or 16 (ID_AA64MMFR1_EL1.VMIDBits) */
	bool vhe;		/* FEAT_VHE; ftvisor does not use it (Phytium cores lack it) */
	bool lse;		/* FEAT_LSE atomics; not used (ARMv8.0 build) */
	bool gic_sysregs;	/* ID_AA64PFR0_EL1.GIC != 0 */
};

void cpu_features_read(struct cpu_features *f);
/* One past the highest physical address the hypervisor itself maps (RAM banks, console,
 * GIC): it must lie within the CPU's physical address range (ID_AA64MMFR0_EL1.PARange). */
struct platform;
uint64_t platform_pa_end(const struct platform *p);
/* "Cortex-A72", "FTC664", ... or "unknown". */
const char *midr_name(uint64_t midr);

#endif
