/* SPDX-License-Identifier: Apache-2.0 */
#include "core/smp.h"
#include "arch/arm64/boot.h"
#include "arch/arm64/psci.h"
#include "core/console.h"
#include "core/irq.h"
#include "core/mgmt.h"
#include "core/sched.h"
#include "core/vm.h"

#define CPU_ON_TIMEOUT_MS 2000

uint64_t ms_to_ticks(uint32_t ms)
{
	return arch_counter_freq() * ms / 1000;
}

uint32_t smp_boot_secondaries(uint32_t boot_cpu)
{
	uint32_t online = 1;

	for (uint32_t i = 0; i < nr_cpus; i++) {
		struct pcpu *c = &pcpus[i];
		uint64_t t0;
		int64_t rc;

		if (i == boot_cpu)
			continue;
		rc = arch_start_cpu(i, c->mpidr);
		if (rc != PSCI_SUCCESS) {
			printk("cpu %u: MPIDR 0x%lx did not start: PSCI CPU_ON %s (%ld)\n", i, c->mpidr,
			       psci_error_name(rc), rc);
			continue;
		}
		t0 = arch_counter();
		while (!__atomic_load_n(&c->online, __ATOMIC_ACQUIRE) &&
		       arch_counter() - t0 < ms_to_ticks(CPU_ON_TIMEOUT_MS))
			cpu_relax();
		if (!__atomic_load_n(&c->online, __ATOMIC_ACQUIRE)) {
			printk("cpu %u: MPIDR 0x%lx started but did not come online in %u ms\n", i,
			       c->mpidr, CPU_ON_TIMEOUT_MS);
			continue;
		}
		online++;
	}
	return online;
}

bool smp_call_on(uint32_t cpu, void (*fn)(void *), void *arg)
{
	struct pcpu *c;

	if (cpu >= nr_cpus)
		return false;
	c = &pcpus[cpu];
	if (!__atomic_load_n(&c->online, __ATOMIC_ACQUIRE) ||
	    __atomic_load_n(&c->halted, __ATOMIC_ACQUIRE) ||
	    __atomic_load_n(&c->call_fn, __ATOMIC_ACQUIRE))
		return false;
	c->call_arg = arg;
	c->call_done = false;
	__atomic_store_n(&c->call_fn, fn, __ATOMIC_RELEASE);
	arch_send_sgi(c->mpidr, SGI_WAKE);
	return true;
}

bool smp_call_wait(uint32_t cpu, uint32_t timeout_ms)
{
	struct pcpu *c = &pcpus[cpu];
	uint64_t t0 = arch_counter();

	while (!__atomic_load_n(&c->call_done, __ATOMIC_ACQUIRE)) {
		if (__atomic_load_n(&c->halted, __ATOMIC_ACQUIRE) ||
		    arch_counter() - t0 > ms_to_ticks(timeout_ms))
			return false;
		cpu_relax();
	}
	return true;
}

void __noreturn smp_idle(void)
{
	struct pcpu *c = this_cpu();

	for (;;) {
		void (*fn)(void *);
		struct vcpu *v = NULL;
		bool mgmt;

		/* Check for work with interrupts masked so a wake-up between the check and WFI
		 * is not lost: a pending interrupt ends WFI even while masked. */
		local_irq_disable();
		fn = __atomic_load_n(&c->call_fn, __ATOMIC_ACQUIRE);
		mgmt = c->id == mgmt_cpu && mgmt_work_pending();
		if (!fn && !mgmt)
			v = sched_pick(c);
		if (!fn && !mgmt && !v) {
			sched_arm_timer(c);
			arch_wait_for_interrupt();
		}
		local_irq_enable();
		if (fn) {
			fn(c->call_arg);
			__atomic_store_n(&c->call_fn, NULL, __ATOMIC_RELAXED);
			__atomic_store_n(&c->call_done, true, __ATOMIC_RELEASE);
		}
		if (mgmt)
			mgmt_poll();
		if (v)
			vcpu_run(v);
	}
}
