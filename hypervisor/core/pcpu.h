/* SPDX-License-Identifier: Apache-2.0 */
/* Per-physical-CPU data, reached through TPIDR_EL2. */
#ifndef FTVISOR_CORE_PCPU_H
#define FTVISOR_CORE_PCPU_H

#include "arch/arch.h"
#include "platform/platform.h"

struct vcpu;

#define SCHED_MAX_PER_CPU 8

/* Scheduler state of one physical CPU (core/sched.c). */
struct sched_cpu {
	struct vcpu *rq[SCHED_MAX_PER_CPU]; /* vCPUs pinned here (changed by core/mgmt only) */
	uint32_t n;
	uint32_t rr_next;		/* round robin: where the next search within a priority starts */
	struct vcpu *current;		/* loaded on this CPU, or NULL */
	bool resched;			/* something changed: reconsider which vCPU runs */
	uint64_t slice_end;		/* counter value the current vCPU's time slice ends */
};

struct pcpu {
	uint64_t emergency_sp;		/* offsets fixed by layout.h (PCPU_*) for assembly */
	void *guest_regs;
	uint64_t host_sp;
	uint32_t id;			/* logical index = position in the device tree's /cpus */
	uint64_t mpidr;
	uint64_t midr;
	uint64_t gicr_base;		/* this CPU's redistributor (RD frame) */
	bool online;
	bool halted;			/* stopped by a fatal exception */

	/* Work posted by smp_call_on(): run by the target's idle loop. */
	void (*call_fn)(void *arg);
	void *call_arg;
	bool call_done;

	/* Self-test state: bit i = CPU i. */
	uint64_t ping_from;		/* pings received, not yet answered */
	uint64_t pong_pending;		/* pongs sent to us, set before the SGI */
	uint64_t pong_seen;		/* pongs this CPU took as an interrupt */
	uint32_t timer_ticks;
	uint64_t timer_deadline;
	uint64_t timer_max_late;	/* counter ticks */
	uint32_t irqs;			/* interrupts taken */

	struct sched_cpu sched;		/* the vCPUs pinned here and which one is loaded */
} __aligned(64);

extern struct pcpu pcpus[PLAT_MAX_CPUS];
extern uint32_t nr_cpus;		/* CPUs in the device tree */
extern const struct platform *hyp_platform; /* what the firmware's device tree says */
extern uint64_t hyp_image_base;		/* physical address ftvisor runs at */

static inline struct pcpu *this_cpu(void)
{
	return arch_this_cpu_ptr();
}

/* Logical id of the calling CPU; 0 before per-CPU data is set up (boot CPU only then). */
static inline uint32_t this_cpu_id(void)
{
	struct pcpu *c = this_cpu();

	return c ? c->id : 0;
}

/* Stop bookkeeping for a CPU that halts itself after a fatal exception. */
void pcpu_mark_halted(void);

#endif
