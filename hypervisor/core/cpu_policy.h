/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Which MIDR each vCPU of a VM reports (VPIDR_EL2), from the MIDRs of the physical CPUs its
 * vCPUs are pinned to (pure logic, unit-tested with the E2000's FTC310/FTC664 MIDRs).
 *
 * A guest reads MIDR_EL1 to pick errata workarounds, cache and CPU-feature assumptions, and
 * (Linux) expects every CPU of one "cpu type" to be the same. On a heterogeneous SoC such as
 * the E2000 (FTC310 part 0x303 and FTC664 part 0x664) a VM spanning both kinds would see two
 * core types, while its vCPUs never move between them: that is refused unless the VM's
 * config says "mixed-cores", in which case every vCPU reports vCPU 0's MIDR. The trade-off:
 * the guest then believes all its CPUs are vCPU 0's kind, so the caches it assumes (FTC664:
 * L1I 48 KiB, L2 1 MiB; FTC310: L1I 32 KiB, L2 256 KiB) and any MIDR-keyed errata
 * workaround are those of vCPU 0's core for all of them. Cache maintenance by VA is
 * unaffected (line sizes come from CTR_EL0, the real one); set/way operations are trapped.
 */
#ifndef FTVISOR_CORE_CPU_POLICY_H
#define FTVISOR_CORE_CPU_POLICY_H

#include "lib/compiler.h"

/* Same core type: implementer and part number equal (variant and revision may differ). */
bool cpu_same_core_type(uint64_t midr_a, uint64_t midr_b);

/*
 * midr[i] is the MIDR of the physical CPU vCPU i is pinned to (n >= 1). Fills vpidr[i] with
 * what vCPU i reports. Returns 0 when every vCPU is on the same core type (each keeps its own
 * CPU's MIDR), 1 when they are mixed and mixed_ok (all get midr[0]), or -1 when they are
 * mixed and not mixed_ok, with *odd = the first vCPU whose core type differs from vCPU 0's
 * (vpidr untouched).
 */
int cpu_policy_vpidr(const uint64_t *midr, uint32_t n, bool mixed_ok, uint64_t *vpidr,
		     uint32_t *odd);

#endif
