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
 *
 * Two spin VMs on one CPU also check that the breakpoint/watchpoint registers are the vCPU's
 * own: at start breakpoint 0 and watchpoint 0 read as zero (`PASS debug-regs-clean`); their
 * value registers then get a marker of this VM's (disabled: no debug events) that must still
 * be there at every heartbeat (`PASS debug-regs-kept` at the second, `FAIL` at any loss).
 */
#include "guest.h"

/* Bits [1:0] of the value registers are RES0; keep the marker a plain positive address. */
static uint64_t debug_marker(void)
{
	return (read_sysreg(cntpct_el0) << 4 ^ 0x5a5a0000ULL) & 0x0000fffffffffffcULL;
}

static bool debug_regs_read(uint64_t *bvr, uint64_t *wvr, uint64_t *bcr, uint64_t *wcr)
{
	*bvr = read_sysreg(dbgbvr0_el1);
	*wvr = read_sysreg(dbgwvr0_el1);
	*bcr = read_sysreg(dbgbcr0_el1);
	*wcr = read_sysreg(dbgwcr0_el1);
	return true;
}

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

	uint64_t bvr, wvr, bcr, wcr, marker;
	bool kept_ok = true;

	guest_init("spin", dtb);
	min_period = counter_us_to_ticks(MIN_PERIOD_US);
	printf("spin: start\n");
	debug_regs_read(&bvr, &wvr, &bcr, &wcr);
	if (bvr | wvr | bcr | wcr)
		test_fail("debug-regs-clean", "DBGBVR0 0x%lx DBGWVR0 0x%lx DBGBCR0 0x%lx DBGWCR0 0x%lx "
			  "at start", bvr, wvr, bcr, wcr);
	else
		test_pass("debug-regs-clean", "bvr0=wvr0=bcr0=wcr0=0");
	marker = debug_marker();
	write_sysreg(dbgbvr0_el1, marker);
	write_sysreg(dbgwvr0_el1, marker);
	isb();
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
			debug_regs_read(&bvr, &wvr, &bcr, &wcr);
			if (kept_ok && (bvr != marker || wvr != marker)) {
				test_fail("debug-regs-kept", "DBGBVR0 0x%lx DBGWVR0 0x%lx, wrote 0x%lx",
					  bvr, wvr, marker);
				kept_ok = false;
			} else if (kept_ok && beats == 2) {
				test_pass("debug-regs-kept", "marker=0x%lx", marker);
			}
		}
	}
}
