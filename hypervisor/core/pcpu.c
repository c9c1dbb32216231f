/* SPDX-License-Identifier: Apache-2.0 */
#include "core/pcpu.h"
#include "arch/arm64/layout.h"

_Static_assert(__builtin_offsetof(struct pcpu, emergency_sp) == PCPU_EMERGENCY_SP, "pcpu layout");
_Static_assert(__builtin_offsetof(struct pcpu, guest_regs) == PCPU_GUEST_REGS, "pcpu layout");
_Static_assert(__builtin_offsetof(struct pcpu, host_sp) == PCPU_HOST_SP, "pcpu layout");

struct pcpu pcpus[PLAT_MAX_CPUS];
uint32_t nr_cpus;

void pcpu_mark_halted(void)
{
	struct pcpu *c = this_cpu();

	if (c)
		__atomic_store_n(&c->halted, true, __ATOMIC_RELEASE);
}
