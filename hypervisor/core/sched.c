/* SPDX-License-Identifier: Apache-2.0 */
#include "core/sched.h"
#include "core/irq.h"
#include "core/smp.h"
#include "core/vm.h"

static uint64_t slice_ticks;

static bool on_timer(uint32_t intid)
{
	(void)intid;
	arch_timer_set(0); /* level-sensitive: silent until re-armed */
	__atomic_store_n(&this_cpu()->sched.resched, true, __ATOMIC_RELEASE);
	return true;
}

void sched_init(uint32_t hyp_timer_intid)
{
	slice_ticks = arch_counter_freq() / 1000000 * SCHED_SLICE_US;
	if (!slice_ticks)
		slice_ticks = 1;
	irq_set_handler(hyp_timer_intid, on_timer);
}

bool sched_attach(struct vcpu *v)
{
	struct sched_cpu *s = &pcpus[v->pcpu].sched;
	uint64_t flags = local_irq_save();
	bool ok = s->n < SCHED_MAX_PER_CPU;

	/* Only the management CPU changes run queues; the owner CPU reads them with IRQs
	 * masked, and a new entry is complete before n covers it. */
	if (ok) {
		__atomic_store_n(&s->rq[s->n], v, __ATOMIC_RELAXED);
		__atomic_store_n(&s->n, s->n + 1, __ATOMIC_RELEASE);
	}
	local_irq_restore(flags);
	return ok;
}

/* The owner CPU may be scanning its queue: take the entry out in a posted call, so the
 * queue only ever changes on its own CPU with IRQs masked. */
static void detach_here(void *arg)
{
	struct vcpu *v = arg;
	struct sched_cpu *s = &pcpus[v->pcpu].sched;
	uint64_t flags = local_irq_save();

	for (uint32_t i = 0; i < s->n; i++) {
		if (s->rq[i] != v)
			continue;
		for (uint32_t j = i; j + 1 < s->n; j++)
			s->rq[j] = s->rq[j + 1];
		s->rq[--s->n] = NULL;
		break;
	}
	if (s->rr_next >= s->n)
		s->rr_next = 0;
	local_irq_restore(flags);
}

void sched_detach(struct vcpu *v)
{
	if (v->pcpu == this_cpu_id()) {
		detach_here(v);
		return;
	}
	/* The target's idle loop runs posted calls; it is never busy for long. */
	for (uint32_t tries = 0; tries < 100000; tries++) {
		/* resched first: a CPU in its run loop then leaves the guest for the call. */
		__atomic_store_n(&pcpus[v->pcpu].sched.resched, true, __ATOMIC_RELEASE);
		if (smp_call_on(v->pcpu, detach_here, v)) {
			if (smp_call_wait(v->pcpu, 2000))
				return;
			break;
		}
		cpu_relax();
	}
	detach_here(v); /* CPU gone (halted): nobody scans its queue any more */
}

void sched_poke(uint32_t cpu)
{
	__atomic_store_n(&pcpus[cpu].sched.resched, true, __ATOMIC_RELEASE);
	if (cpu != this_cpu_id())
		arch_send_sgi(pcpus[cpu].mpidr, SGI_WAKE);
}

/* May v run? A blocked vCPU (in WFI) may once an interrupt is due for it. */
static bool wants_cpu(struct vcpu *v, uint64_t now)
{
	struct vm *vm = v->vm;
	uint64_t deadline;

	if (__atomic_load_n(&vm->leave, __ATOMIC_ACQUIRE) ||
	    __atomic_load_n(&vm->state, __ATOMIC_ACQUIRE) != VM_RUNNING ||
	    __atomic_load_n(&v->power, __ATOMIC_ACQUIRE) == VCPU_OFF)
		return false;
	if (!v->blocked)
		return true;
	deadline = vcpu_timer_deadline(v);
	return (deadline && now >= deadline) || vgic_pending(v);
}

/* Account the time v spent descheduled: blocked until it was woken, then waiting. */
static void account_in(struct vcpu *v, uint64_t now)
{
	if (v->t_out) {
		uint64_t woke = v->t_out;

		if (v->blocked) {
			uint64_t deadline = vcpu_timer_deadline(v);

			woke = now;
			if (v->t_woken && v->t_woken < woke)
				woke = v->t_woken;
			if (deadline && deadline < woke)
				woke = deadline;
			if (woke < v->t_out)
				woke = v->t_out;
			v->st.idle += woke - v->t_out;
		}
		v->st.wait += now - woke;
	}
	v->t_out = 0;
	v->t_woken = 0;
	v->blocked = false;
}

struct vcpu *sched_pick(struct pcpu *c)
{
	struct sched_cpu *s = &c->sched;
	uint32_t n = __atomic_load_n(&s->n, __ATOMIC_ACQUIRE), best_i = 0;
	uint64_t now = arch_counter();
	struct vcpu *best = NULL;

	__atomic_store_n(&s->resched, false, __ATOMIC_RELAXED);
	for (uint32_t k = 0; k < n; k++) {
		uint32_t i = (s->rr_next + k) % n;
		struct vcpu *v = s->rq[i];

		if (wants_cpu(v, now) && (!best || v->prio > best->prio)) {
			best = v;
			best_i = i;
		}
	}
	if (best) {
		s->rr_next = (best_i + 1) % n;
		s->slice_end = now + slice_ticks;
		account_in(best, now);
	}
	return best;
}

bool sched_other_wants_cpu(struct pcpu *c, const struct vcpu *cur)
{
	struct sched_cpu *s = &c->sched;
	uint32_t n = __atomic_load_n(&s->n, __ATOMIC_ACQUIRE);
	uint64_t now;

	if (n <= 1)
		return false;
	now = arch_counter();
	for (uint32_t i = 0; i < n; i++)
		if (s->rq[i] != cur && wants_cpu(s->rq[i], now))
			return true;
	return false;
}

bool sched_should_leave(struct pcpu *c, struct vcpu *cur)
{
	struct sched_cpu *s = &c->sched;
	uint32_t n = __atomic_load_n(&s->n, __ATOMIC_ACQUIRE);
	uint64_t now = arch_counter();
	bool rival = false;

	if ((c->id == mgmt_cpu && mgmt_work_pending()) ||
	    __atomic_load_n(&c->call_fn, __ATOMIC_ACQUIRE))
		return true; /* hypervisor work waits for this CPU */
	/* Alone on a CPU without management work: no rival, no slice, and its timer deadlines
	 * were armed when they changed (a trapped CNTP write, vcpu_run). The common case after
	 * a wake-up poke: ~100 instructions less on the way back into the guest. */
	if (n == 1 && c->id != mgmt_cpu)
		return false;
	for (uint32_t i = 0; i < n; i++) {
		struct vcpu *v = s->rq[i];

		if (v == cur || !wants_cpu(v, now))
			continue;
		if (v->prio > cur->prio)
			return true; /* preempted by a higher priority */
		if (v->prio == cur->prio)
			rival = true;
	}
	if (rival && now >= s->slice_end)
		return true; /* its turn is over */
	if (!rival)
		s->slice_end = now + slice_ticks; /* alone at its priority: a fresh slice */
	sched_arm_timer(c);
	return false;
}

void sched_arm_timer(struct pcpu *c)
{
	struct sched_cpu *s = &c->sched;
	uint32_t n = __atomic_load_n(&s->n, __ATOMIC_ACQUIRE);
	uint64_t next = 0, now = arch_counter();
	bool rival = false;

	for (uint32_t i = 0; i < n; i++) {
		struct vcpu *v = s->rq[i];
		uint64_t d;

		if (v == s->current)
			continue;
		if (wants_cpu(v, now)) {
			/* Lower priorities wait for the CPU to go idle: no timer for them. */
			if (s->current && v->prio >= s->current->prio)
				rival = true;
		} else if (v->blocked) {
			d = vcpu_timer_deadline(v);
			if (d && (!next || d < next))
				next = d;
		}
	}
	/* The running vCPU's emulated physical timer fires through this timer too. */
	if (s->current) {
		uint64_t d = ptimer_deadline(s->current);

		if (d && (!next || d < next))
			next = d;
	}
	if (rival && s->current && (!next || s->slice_end < next))
		next = s->slice_end;
	if (c->id == mgmt_cpu) {
		uint64_t d = mgmt_next_deadline();

		if (d && (!next || d < next))
			next = d;
	}
	arch_timer_set(next);
}
