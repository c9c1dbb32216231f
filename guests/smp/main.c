/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Two vCPUs: PSCI CPU_ON / AFFINITY_INFO / CPU_OFF on this VM's vCPU 1, then both vCPUs
 * hammering one counter with load/store-exclusive.
 *
 * The MMU goes on first (lib/mmu.c): exclusives are only guaranteed on cacheable memory,
 * and vCPU 1 joins the same identity map in lib/start.S before touching memory.
 */
#include "guest.h"
#include "mmu.h"

#define CTX_FIRST 0x1234
#define CTX_RESTART 0x5678
#define INCREMENTS 100000
#define TIMEOUT_US 5000000

/* Written by one vCPU, polled by the other. */
static unsigned int starts;		/* vCPU 1: how many times it came online */
static bool please_off;			/* vCPU 0 -> 1: call CPU_OFF */
static bool go;				/* vCPU 0 -> 1: start incrementing */
static bool incremented;		/* vCPU 1 -> 0: done incrementing */
static uint64_t shared_counter __aligned(64);

static void atomic_inc(uint64_t *p)
{
	uint64_t v;
	uint32_t fail;

	asm volatile(
	"1:	ldaxr	%0, [%2]\n"
	"	add	%0, %0, #1\n"
	"	stlxr	%w1, %0, [%2]\n"
	"	cbnz	%w1, 1b\n"
	: "=&r"(v), "=&r"(fail)
	: "r"(p)
	: "memory");
}

static void increment_many(void)
{
	int i;

	for (i = 0; i < INCREMENTS; i++)
		atomic_inc(&shared_counter);
}

/* Polls *v until it reaches want; false on timeout. */
static bool wait_for(const unsigned int *v, unsigned int want)
{
	uint64_t start = counter_read();

	while (READ_ONCE(*v) < want)
		if (counter_us_since(start) > TIMEOUT_US)
			return false;
	return true;
}

static bool wait_flag(const bool *flag)
{
	uint64_t start = counter_read();

	while (!READ_ONCE(*flag))
		if (counter_us_since(start) > TIMEOUT_US)
			return false;
	return true;
}

void secondary_main(uint64_t context)
{
	uint64_t mpidr = read_sysreg(mpidr_el1);
	bool aff_ok = (mpidr & 0xff) == 1;
	int64_t ret;

	if (READ_ONCE(starts) == 0) {
		test_result(context == CTX_FIRST && aff_ok, "smp-secondary-online",
			    "mpidr=0x%lx context=0x%lx", mpidr, context);
		WRITE_ONCE(starts, 1);
		/* Wait as long as it takes: vCPU 0 reports a missing CPU_OFF itself. */
		while (!READ_ONCE(please_off))
			asm volatile("yield");
		ret = psci_cpu_off();
		test_fail("smp-cpu-off", "CPU_OFF returned %ld", ret);
		return;
	}

	test_result(context == CTX_RESTART && aff_ok, "smp-restart", "mpidr=0x%lx context=0x%lx",
		    mpidr, context);
	WRITE_ONCE(starts, 2);
	if (!wait_flag(&go))
		return;
	increment_many();
	WRITE_ONCE(incremented, true);
}

void main(void *dtb)
{
	uint64_t ram_base, ram_size, entry = psci_secondary_entry(), start, polls = 0, total;
	int64_t r;

	guest_init("smp", dtb);
	if (!dtb_ram(&ram_base, &ram_size))
		test_fail("smp-mmu", "no /memory range in the device tree");
	else if (!mmu_enable(ram_base, ram_size))
		test_fail("smp-mmu", "cannot identity-map RAM 0x%lx size 0x%lx", ram_base,
			  ram_size);
	else
		printf("smp: MMU and caches on (identity map)\n");

	r = psci_features(PSCI_CPU_ON_64);
	test_result(r == 0, "smp-features-cpu-on", "FEATURES(CPU_ON) = %ld", r);
	r = psci_affinity_info(1, 0);
	test_result(r == PSCI_AFF_OFF, "smp-affinity-off", "AFFINITY_INFO(1) = %ld before CPU_ON",
		    r);

	r = psci_cpu_on(1, entry, CTX_FIRST);
	test_result(r == PSCI_SUCCESS, "smp-cpu-on", "CPU_ON(1, 0x%lx, 0x%x) = %ld", entry,
		    CTX_FIRST, r);
	if (r != PSCI_SUCCESS)
		test_done();
	if (!wait_for(&starts, 1)) {
		test_fail("smp-secondary-online", "vCPU 1 not running %u s after CPU_ON",
			  TIMEOUT_US / 1000000);
		test_done();
	}

	r = psci_affinity_info(1, 0);
	test_result(r == PSCI_AFF_ON, "smp-affinity-on", "AFFINITY_INFO(1) = %ld", r);
	r = psci_cpu_on(1, entry, CTX_FIRST);
	test_result(r == PSCI_ALREADY_ON, "smp-already-on", "CPU_ON(1) again = %ld", r);
	r = psci_cpu_on(7, entry, CTX_FIRST);
	test_result(r == PSCI_INVALID_PARAMS, "smp-invalid-target", "CPU_ON(7) = %ld", r);

	WRITE_ONCE(please_off, true);
	start = counter_read();
	do {
		delay_us(100);
		r = psci_affinity_info(1, 0);
		polls++;
	} while (r != PSCI_AFF_OFF && counter_us_since(start) < TIMEOUT_US);
	if (!test_result(r == PSCI_AFF_OFF, "smp-cpu-off", "AFFINITY_INFO(1) = %ld after %lu polls",
			 r, polls))
		test_done();

	r = psci_cpu_on(1, entry, CTX_RESTART);
	if (r != PSCI_SUCCESS) {
		test_fail("smp-restart", "CPU_ON(1) after CPU_OFF = %ld", r);
		test_done();
	}
	if (!wait_for(&starts, 2)) {
		test_fail("smp-restart", "vCPU 1 not running %u s after the second CPU_ON",
			  TIMEOUT_US / 1000000);
		test_done();
	}

	WRITE_ONCE(go, true);
	increment_many();
	if (!wait_flag(&incremented)) {
		test_fail("smp-atomics", "vCPU 1 did not finish its %d increments", INCREMENTS);
		test_done();
	}
	total = READ_ONCE(shared_counter);
	test_result(total == 2 * INCREMENTS, "smp-atomics", "counter=%lu expected=%d", total,
		    2 * INCREMENTS);
	test_done();
}
