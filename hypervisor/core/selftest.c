/* SPDX-License-Identifier: Apache-2.0 */
#include "core/selftest.h"
#include "arch/arm64/layout.h"
#include "core/console.h"
#include "core/irq.h"
#include "core/pcpu.h"
#include "core/smp.h"
#include "lib/string.h"

#define PINGPONG_ROUNDS 3
#define PONG_TIMEOUT_MS 2000
#define TIMER_TICKS 10
#define TIMER_PERIOD_US 100
#define CALL_TIMEOUT_MS 60000

static uint32_t timer_intid;

/* A ping carries no data: the bit set in the target's ping_from names the sender. */
static bool on_ping(uint32_t intid)
{
	struct pcpu *me = this_cpu();
	uint64_t from = __atomic_exchange_n(&me->ping_from, 0, __ATOMIC_ACQUIRE);

	(void)intid;
	for (uint32_t i = 0; from; i++, from >>= 1) {
		if (!(from & 1))
			continue;
		__atomic_fetch_or(&pcpus[i].pong_pending, BIT(me->id), __ATOMIC_RELEASE);
		arch_send_sgi(pcpus[i].mpidr, SGI_PONG);
	}
	return true;
}

/* Only an interrupt moves a pong to pong_seen, so the waiter proves delivery. */
static bool on_pong(uint32_t intid)
{
	struct pcpu *me = this_cpu();

	(void)intid;
	__atomic_fetch_or(&me->pong_seen,
			  __atomic_exchange_n(&me->pong_pending, 0, __ATOMIC_ACQUIRE), __ATOMIC_RELEASE);
	return true;
}

static bool on_timer(uint32_t intid)
{
	struct pcpu *me = this_cpu();
	uint64_t now = arch_counter(), late = now - me->timer_deadline;

	(void)intid;
	arch_timer_set(0); /* level-sensitive: silence it until re-armed */
	if (now < me->timer_deadline)
		return true; /* early: not counted, so the test fails on missing ticks */
	if (late > me->timer_max_late)
		me->timer_max_late = late;
	__atomic_store_n(&me->timer_ticks, me->timer_ticks + 1, __ATOMIC_RELEASE);
	return true;
}

static bool on_wake(uint32_t intid)
{
	(void)intid; /* the idle loop looks for work after any interrupt */
	return true;
}

void selftest_init(uint32_t intid)
{
	timer_intid = intid;
	irq_set_handler(SGI_WAKE, on_wake);
	irq_set_handler(SGI_PING, on_ping);
	irq_set_handler(SGI_PONG, on_pong);
	irq_set_handler(intid, on_timer);
}

static bool usable(uint32_t cpu)
{
	return __atomic_load_n(&pcpus[cpu].online, __ATOMIC_ACQUIRE) &&
	       !__atomic_load_n(&pcpus[cpu].halted, __ATOMIC_ACQUIRE);
}

struct pingpong_result {
	uint32_t ok, failed;
	uint32_t first_bad_peer;
};
static struct pingpong_result pp_results[PLAT_MAX_CPUS];

static void pingpong_worker(void *arg)
{
	struct pcpu *me = this_cpu();
	struct pingpong_result *r = &pp_results[me->id];

	(void)arg;
	for (uint32_t round = 0; round < PINGPONG_ROUNDS; round++) {
		for (uint32_t j = 0; j < nr_cpus; j++) {
			uint64_t t0;

			if (j == me->id || !usable(j))
				continue;
			__atomic_fetch_and(&me->pong_seen, ~BIT(j), __ATOMIC_RELAXED);
			__atomic_fetch_or(&pcpus[j].ping_from, BIT(me->id), __ATOMIC_RELEASE);
			arch_send_sgi(pcpus[j].mpidr, SGI_PING);
			t0 = arch_counter();
			while (!(__atomic_load_n(&me->pong_seen, __ATOMIC_ACQUIRE) & BIT(j)) &&
			       arch_counter() - t0 < ms_to_ticks(PONG_TIMEOUT_MS))
				cpu_relax();
			if (__atomic_load_n(&me->pong_seen, __ATOMIC_ACQUIRE) & BIT(j)) {
				r->ok++;
			} else {
				if (!r->failed)
					r->first_bad_peer = j;
				r->failed++;
			}
		}
	}
}

/* Run worker on every usable CPU at once (the boot CPU too) and wait for all. */
static uint32_t run_everywhere(void (*worker)(void *), uint32_t boot_cpu)
{
	uint32_t started = 0;

	for (uint32_t i = 0; i < nr_cpus; i++)
		if (i != boot_cpu && usable(i) && smp_call_on(i, worker, NULL))
			started++;
	worker(NULL);
	for (uint32_t i = 0; i < nr_cpus; i++)
		if (i != boot_cpu && usable(i) && !smp_call_wait(i, CALL_TIMEOUT_MS))
			printk("FAIL selftest: cpu %u did not finish its work\n", i);
	return started + 1;
}

uint32_t selftest_sgi_pingpong(uint32_t boot_cpu)
{
	uint32_t cpus, ok = 0, failed = 0;

	memset(pp_results, 0, sizeof(pp_results));
	cpus = run_everywhere(pingpong_worker, boot_cpu);
	for (uint32_t i = 0; i < nr_cpus; i++) {
		ok += pp_results[i].ok;
		failed += pp_results[i].failed;
		if (pp_results[i].failed)
			printk("FAIL sgi-pingpong: cpu %u -> cpu %u: %u of %u pings unanswered\n", i,
			       pp_results[i].first_bad_peer, pp_results[i].failed,
			       pp_results[i].ok + pp_results[i].failed);
	}
	if (!failed)
		printk("PASS sgi-pingpong cpus=%u pingpongs=%u rounds=%u\n", cpus, ok, PINGPONG_ROUNDS);
	return failed;
}

static void timer_worker(void *arg)
{
	struct pcpu *me = this_cpu();
	uint64_t period = arch_counter_freq() * TIMER_PERIOD_US / 1000000;

	(void)arg;
	me->timer_ticks = 0;
	me->timer_max_late = 0;
	for (uint32_t k = 0; k < TIMER_TICKS; k++) {
		uint64_t t0 = arch_counter();

		me->timer_deadline = t0 + period;
		arch_timer_set(me->timer_deadline);
		/* Check and sleep with interrupts masked: the tick cannot slip in between and
		 * leave us in WFI with nothing more to come (a pending interrupt ends WFI). */
		while (arch_counter() - t0 < ms_to_ticks(PONG_TIMEOUT_MS)) {
			local_irq_disable();
			if (__atomic_load_n(&me->timer_ticks, __ATOMIC_ACQUIRE) != k) {
				local_irq_enable();
				break;
			}
			arch_wait_for_interrupt();
			local_irq_enable();
		}
		if (__atomic_load_n(&me->timer_ticks, __ATOMIC_ACQUIRE) == k)
			break;
	}
	arch_timer_set(0);
}

uint32_t selftest_timer(uint32_t boot_cpu)
{
	uint32_t failed = 0, passed = 0;
	uint64_t us_div = arch_counter_freq() / 1000000 ? arch_counter_freq() / 1000000 : 1;

	run_everywhere(timer_worker, boot_cpu);
	for (uint32_t i = 0; i < nr_cpus; i++) {
		struct pcpu *c = &pcpus[i];

		if (!usable(i))
			continue;
		if (c->timer_ticks == TIMER_TICKS) {
			passed++;
			printk("PASS timer cpu=%u mpidr=0x%lx ticks=%u max_late_us=%lu\n", i, c->mpidr,
			       c->timer_ticks, c->timer_max_late / us_div);
		} else {
			failed++;
			printk("FAIL timer cpu=%u mpidr=0x%lx: %u of %u ticks\n", i, c->mpidr,
			       c->timer_ticks, TIMER_TICKS);
		}
	}
	if (!failed)
		printk("PASS timer-all cpus=%u intid=%u\n", passed, timer_intid);
	return failed;
}

/* ---- deliberate faults ---- */

static const uint32_t rodata_word = 0x600dc0de;

/* Put the stack pointer at the bottom of this CPU's stack (layout.h) and push: what a
 * runaway stack does, without needing unbounded recursion to get there. */
static void fault_stack(void)
{
	asm volatile("mov x9, sp\n"
		     "and x10, x9, #~(%0 - 1)\n"
		     "add x10, x10, %1\n"
		     "mov sp, x10\n"
		     "str xzr, [sp, #-16]!\n"
		     "mov sp, x9" ::"i"(PERCPU_AREA_SIZE), "i"(PERCPU_GUARD_END) : "x9", "x10", "memory");
}

static void do_fault(void *arg)
{
	const char *kind = arg;

	printk("ftvisor: CPU %u triggers a deliberate '%s' fault\n", this_cpu_id(), kind);
	if (!strcmp(kind, "data")) {
		/* Below every RAM bank on the supported boards and never mapped at EL2. */
		(void)*(volatile uint64_t *)0x1000;
	} else if (!strcmp(kind, "write-ro")) {
		*(volatile uint32_t *)&rodata_word = 0;
	} else if (!strcmp(kind, "exec")) {
		/* The per-CPU stack is writable, hence never executable (W^X). */
		static const uint32_t ret_insn = 0xd65f03c0;
		volatile uint32_t code[2] = { ret_insn, ret_insn };

		((void (*)(void))(uintptr_t)code)();
	} else if (!strcmp(kind, "stack")) {
		fault_stack();
	} else if (!strcmp(kind, "undef")) {
		asm volatile(".inst 0x00000000"); /* permanently undefined */
	}
	printk("FAIL fault: '%s' did not fault\n", kind);
}

void selftest_fault(const char *spec, uint32_t boot_cpu)
{
	static char kind[16];
	const char *at = strchr(spec, '@');
	uint32_t cpu = boot_cpu;
	size_t n = at ? (size_t)(at - spec) : strlen(spec);

	if (n >= sizeof(kind))
		n = sizeof(kind) - 1;
	memcpy(kind, spec, n);
	kind[n] = '\0';
	if (at) {
		cpu = 0;
		for (const char *p = at + 1; *p >= '0' && *p <= '9'; p++)
			cpu = cpu * 10 + (uint32_t)(*p - '0');
	}
	if (cpu == boot_cpu) {
		do_fault(kind);
		return;
	}
	if (!smp_call_on(cpu, do_fault, kind)) {
		printk("FAIL fault: cpu %u is not available\n", cpu);
		return;
	}
	smp_call_wait(cpu, 5000);
	if (__atomic_load_n(&pcpus[cpu].halted, __ATOMIC_ACQUIRE))
		printk("ftvisor: CPU %u halted after its fault; %u other CPUs go on\n", cpu, nr_cpus - 1);
}
