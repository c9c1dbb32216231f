/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Spin: pure CPU work for ever (xorshift64 in registers), never WFI. Every 2^SPIN_SHIFT
 * iterations it looks at the virtual counter and prints
 *
 *     spin: alive n=<heartbeat count> iters=<total iterations>
 *
 * if at least 500 ms of virtual time passed since the last line. 2^29 iterations took 1.2 s
 * under QEMU TCG (cortex-a72 on a 2-core x86 host, about 450 M iterations/s); on faster
 * hardware the 500 ms floor keeps the output slow.
 * For CPU accounting, two spin VMs sharing a physical CPU, and soak tests.
 */
#include "guest.h"

#define SPIN_SHIFT    29
#define MIN_PERIOD_US 500000

uint64_t spin_sink; /* keeps the work observable */

static uint64_t spin_batch(uint64_t x)
{
	uint64_t i;

	for (i = 0; i < (1ULL << SPIN_SHIFT); i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		asm volatile("" : "+r"(x)); /* one real round per iteration */
	}
	return x;
}

void main(void *dtb)
{
	uint64_t x = 0x9e3779b97f4a7c15ULL, iters = 0, beats = 0, min_period, last;

	guest_init("spin", dtb);
	min_period = counter_us_to_ticks(MIN_PERIOD_US);
	printf("spin: start\n");
	last = counter_read();
	for (;;) {
		uint64_t now;

		x = spin_batch(x);
		iters += 1ULL << SPIN_SHIFT;
		WRITE_ONCE(spin_sink, x);
		now = counter_read();
		if (now - last >= min_period) {
			last = now;
			printf("spin: alive n=%lu iters=%lu\n", ++beats, iters);
		}
	}
}
