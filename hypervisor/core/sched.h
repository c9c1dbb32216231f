/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Which vCPU a physical CPU runs. Every vCPU is pinned to one CPU (its VM's config); a CPU
 * may host up to SCHED_MAX_PER_CPU of them. The highest priority vCPU that wants the CPU
 * runs; within a priority they take turns in SCHED_SLICE_US slices (round robin). A vCPU
 * waiting in WFI gives the CPU up while others want it and comes back when an interrupt
 * for it is pending or its virtual timer expires; with nobody to run the CPU sleeps in WFI.
 * The EL2 physical timer (CNTHP) ends slices and wakes descheduled vCPUs for their timers;
 * a CPU with a single vCPU never arms it.
 */
#ifndef FTVISOR_CORE_SCHED_H
#define FTVISOR_CORE_SCHED_H

#include "core/pcpu.h"

#define SCHED_SLICE_US 10000

/* Take the EL2 timer interrupt over from the boot self-tests (boot CPU, before VMs run). */
void sched_init(uint32_t hyp_timer_intid);

/* Pin v to its CPU (v->pcpu); false when that CPU hosts SCHED_MAX_PER_CPU vCPUs already. */
bool sched_attach(struct vcpu *v);
/* Unpin v (not loaded anywhere). */
void sched_detach(struct vcpu *v);

/* The vCPU to run next on c (IRQs masked), or NULL; starts its slice. */
struct vcpu *sched_pick(struct pcpu *c);
/* c->sched.resched was set while cur is loaded: should cur leave the CPU now? */
bool sched_should_leave(struct pcpu *c, struct vcpu *cur);
/* cur waits in WFI: does another vCPU of this CPU want it? */
bool sched_other_wants_cpu(struct pcpu *c, const struct vcpu *cur);
/* Program the EL2 timer for the next slice end or descheduled vCPU's timer on c. */
void sched_arm_timer(struct pcpu *c);
/* Ask CPU cpu to reconsider what it runs (flag + SGI when it is another CPU). */
void sched_poke(uint32_t cpu);

/* The CPU running the management work (the shell, lifecycle operations, sampling). */
extern uint32_t mgmt_cpu;
/* Management work is waiting: the management CPU leaves its vCPU to do it. */
bool mgmt_work_pending(void);
/* When the management CPU needs its timer next (sampling, top), 0 for never. */
uint64_t mgmt_next_deadline(void);

#endif
