/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A passed-through device: QEMU virt's PL031 real-time clock, mapped at its physical address
 * and its interrupt (SPI 2, INTID 34) delivered with the list-register HW bit. The alarm must
 * fire twice: the second one only comes if the guest's EOI of the first deactivated the
 * physical interrupt.
 */
#include "counter.h"
#include "gic.h"
#include "guest.h"

#define RTC_BASE 0x09010000UL
#define RTC_DR 0x00	/* data: seconds */
#define RTC_MR 0x04	/* match */
#define RTC_CR 0x0c	/* control: 1 = started */
#define RTC_IMSC 0x10	/* interrupt mask set/clear */
#define RTC_RIS 0x14
#define RTC_ICR 0x1c
#define RTC_INTID 34
#define ALARM_TIMEOUT_US 10000000ULL

static uint32_t rtc_read(uint32_t off)
{
	return *(volatile uint32_t *)(RTC_BASE + off);
}

static void rtc_write(uint32_t off, uint32_t v)
{
	*(volatile uint32_t *)(RTC_BASE + off) = v;
}

/* Interrupts stay masked at PSTATE: the CPU interface is polled through ICC_IAR1_EL1. */
static bool wait_alarm(uint64_t *after_us)
{
	uint64_t start = counter_read();

	while (counter_us_since(start) < ALARM_TIMEOUT_US) {
		uint64_t iar = gic_ack();

		if ((iar & 0xffffff) == 1023)
			continue;
		rtc_write(RTC_ICR, 1); /* lower the line before completing the interrupt */
		gic_eoi(iar);
		if ((iar & 0xffffff) == RTC_INTID) {
			*after_us = counter_us_since(start);
			return true;
		}
		printf("rtc: unexpected INTID %lu\n", iar & 0xffffff);
	}
	return false;
}

void main(void *dtb)
{
	struct gic gic;
	uint32_t now, later;
	uint64_t us = 0;

	guest_init("rtc", dtb);
	gic_discover(&gic);
	gic_write32(gic.gicd + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_ENABLE_G1);
	gicr_wake(gic.gicr, 100000);
	write_sysreg(icc_sre_el1, ICC_SRE_SRE | ICC_SRE_DFB);
	isb();
	gic_set_pmr(0xff);
	write_sysreg(icc_igrpen1_el1, 1);
	isb();
	gic_write8(gic.gicd + GICD_IPRIORITYR + RTC_INTID, 0x80);
	gic_write64(gic.gicd + GICD_IROUTER + 8 * RTC_INTID, 0); /* to vCPU 0 */
	gic_write32(gic.gicd + GICD_ISENABLER + 4 * (RTC_INTID / 32), 1u << (RTC_INTID % 32));

	now = rtc_read(RTC_DR);
	delay_us(1200000);
	later = rtc_read(RTC_DR);
	test_result(now > 1600000000 && later > now, "rtc-read", "RTCDR %u then %u a second later",
		    now, later);

	for (int round = 1; round <= 2; round++) {
		bool fired;

		rtc_write(RTC_ICR, 1);
		rtc_write(RTC_MR, rtc_read(RTC_DR) + 2);
		rtc_write(RTC_IMSC, 1);
		fired = wait_alarm(&us);
		rtc_write(RTC_IMSC, 0);
		test_result(fired, round == 1 ? "rtc-alarm-irq" : "rtc-alarm-irq-again",
			    "INTID %u after %lu ms (RIS now %u)", RTC_INTID, us / 1000,
			    rtc_read(RTC_RIS));
	}
	test_done();
}
