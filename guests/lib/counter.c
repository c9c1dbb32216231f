/* SPDX-License-Identifier: Apache-2.0 */
#include "counter.h"

uint64_t counter_freq(void)
{
	uint64_t f = read_sysreg(cntfrq_el0) & 0xffffffff;

	return f ? f : 62500000;
}

uint64_t counter_us_to_ticks(uint64_t us)
{
	/* Split so that neither product overflows for any sane delay and frequency. */
	uint64_t f = counter_freq();

	return us / 1000000 * f + us % 1000000 * f / 1000000;
}

uint64_t counter_ticks_to_us(uint64_t ticks)
{
	uint64_t f = counter_freq();

	return ticks / f * 1000000 + ticks % f * 1000000 / f;
}

uint64_t counter_us_since(uint64_t since)
{
	return counter_ticks_to_us(counter_read() - since);
}

void delay_us(uint64_t us)
{
	uint64_t start = counter_read(), ticks = counter_us_to_ticks(us);

	while (counter_read() - start < ticks)
		asm volatile("yield");
}
