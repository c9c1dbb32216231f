/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Clock: the virtual timer as a periodic 10 ms tick (CNTV_CVAL advanced by exactly one period
 * each tick, so no drift), sleeping in WFI in between. Each tick measures the virtual-counter
 * interval since the previous one and keeps the largest. Every 50 ticks (0.5 s of virtual
 * time) it prints
 *
 *     clock: n=<ticks> vt_ms=<virtual ms since start> max_gap_us=<largest interval>
 *
 * for ever. A pause of the VM must not show as a jump of the virtual counter: max_gap_us
 * stays below two ticks, and nothing is printed while the VM is paused.
 *
 * Interrupts stay masked at PSTATE: WFI ends when the timer's PPI is signalled and the tick
 * is taken by polling ICC_IAR1_EL1.
 */
#include "gic.h"
#include "guest.h"

#define TICK_US	     10000
#define REPORT_TICKS 50
#define PRIO_TIMER   0x80

void main(void *dtb)
{
	uint64_t rd, period, start, cval, prev, now, gap, max_gap = 0, n = 0;
	struct gic gic;

	guest_init("clock", dtb);
	gic_discover(&gic);
	rd = gic_init_simple(&gic);
	gic_enable_irq(&gic, rd, GIC_PPI_VTIMER, PRIO_TIMER);

	period = counter_us_to_ticks(TICK_US);
	printf("clock: tick_us=%d\n", TICK_US);
	start = counter_read();
	prev = start;
	cval = start + period;
	vtimer_set(cval, CNT_CTL_ENABLE);

	for (;;) {
		uint64_t iar = gic_ack();
		uint32_t intid = ICC_IAR_INTID(iar);

		if (intid == GIC_INTID_SPURIOUS) {
			asm volatile("wfi");
			continue;
		}
		if (intid != GIC_PPI_VTIMER) {
			gic_eoi(iar);
			printf("clock: unexpected INTID %u\n", intid);
			continue;
		}
		now = counter_read();
		gap = now - prev;
		prev = now;
		if (gap > max_gap)
			max_gap = gap;
		n++;
		/* The next deadline lowers the (level) timer line before the EOI. */
		cval += period;
		vtimer_set(cval, CNT_CTL_ENABLE);
		gic_eoi(iar);
		if (n % REPORT_TICKS == 0)
			printf("clock: n=%lu vt_ms=%lu max_gap_us=%lu\n", n,
			       counter_ticks_to_us(now - start) / 1000,
			       counter_ticks_to_us(max_gap));
	}
}
