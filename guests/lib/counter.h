/* SPDX-License-Identifier: Apache-2.0 */
/* The generic timer's virtual counter: time stamps and busy-wait delays. */
#ifndef GUEST_COUNTER_H
#define GUEST_COUNTER_H

#include "sysreg.h"

static inline uint64_t counter_read(void)
{
	isb();		/* not read early, out of program order */
	return read_sysreg(cntvct_el0);
}

/* Counter frequency in Hz (CNTFRQ_EL0, set by firmware; QEMU's 62.5 MHz if it was not). */
uint64_t counter_freq(void);
uint64_t counter_us_to_ticks(uint64_t us);
uint64_t counter_ticks_to_us(uint64_t ticks);
/* Ticks elapsed since `since` (a counter_read() value), in microseconds. */
uint64_t counter_us_since(uint64_t since);
void delay_us(uint64_t us);

#endif
