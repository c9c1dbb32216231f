/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Real-time latency: a one-shot virtual timer 5 ms ahead (deadline = now + 5 ms), WFI until
 * it fires, and the latency = virtual counter when the guest sees the interrupt minus the
 * deadline. Rounds of 200 samples, for ever, each ending in one line
 *
 *     rtlat: round=<k> samples=200 min_us=.. median_us=.. p99_us=.. max_us=..
 *
 * and the first round also in `PASS rtlat samples=200 ...` (same figures) and the DONE line.
 * Percentiles are nearest-rank over the sorted samples. Run next to a busy VM on the same
 * physical CPU, a higher-priority rtlat must see latencies well below a time slice.
 *
 * Interrupts stay masked at PSTATE: WFI ends when the timer's PPI is signalled and the
 * interrupt is taken by polling ICC_IAR1_EL1 (the "handler" starts when WFI returns).
 */
#include "gic.h"
#include "guest.h"
#include "stats.h"

#define PERIOD_US  5000
#define SAMPLES	   200
#define PRIO_TIMER 0x80

static uint64_t samples[SAMPLES];

/* Waits for the timer's interrupt; returns the counter read first thing after the wake-up. */
static uint64_t wait_timer(void)
{
	for (;;) {
		uint64_t now = counter_read();
		uint64_t iar = gic_ack();
		uint32_t intid = ICC_IAR_INTID(iar);

		if (intid == GIC_PPI_VTIMER) {
			/* Timer off: its line drops before the EOI. */
			vtimer_set(0, 0);
			gic_eoi(iar);
			return now;
		}
		if (intid != GIC_INTID_SPURIOUS) {
			gic_eoi(iar);
			printf("rtlat: unexpected INTID %u\n", intid);
			continue;
		}
		asm volatile("wfi");
	}
}

void main(void *dtb)
{
	uint64_t rd, period, round;
	struct gic gic;

	guest_init("rtlat", dtb);
	gic_discover(&gic);
	rd = gic_init_simple(&gic);
	gic_enable_irq(&gic, rd, GIC_PPI_VTIMER, PRIO_TIMER);
	period = counter_us_to_ticks(PERIOD_US);
	printf("rtlat: period_us=%d samples=%d\n", PERIOD_US, SAMPLES);

	for (round = 1;; round++) {
		char stats[160];
		unsigned int i;

		for (i = 0; i < SAMPLES; i++) {
			uint64_t deadline = counter_read() + period, seen;

			vtimer_set(deadline, CNT_CTL_ENABLE);
			seen = wait_timer();
			/* The timer cannot fire early; a wrap would show as a huge latency. */
			samples[i] = counter_ticks_to_us(seen - deadline);
		}
		stats_sort(samples, SAMPLES);
		ft_snprintf(stats, sizeof(stats),
			    "samples=%d min_us=%lu median_us=%lu p99_us=%lu max_us=%lu", SAMPLES,
			    samples[0], stats_percentile(samples, SAMPLES, 50),
			    stats_percentile(samples, SAMPLES, 99), samples[SAMPLES - 1]);
		printf("rtlat: round=%lu %s\n", round, stats);
		if (round == 1) {
			test_pass("rtlat", "%s", stats);
			test_print_done();
		}
	}
}
