/* SPDX-License-Identifier: Apache-2.0 */
/* core/cpu_policy.c with the E2000's two core types: FTC310 (MIDR 0x700F3034, part 0x303)
 * at MPIDR 0x200/0x201 and FTC664 (0x701F6643, part 0x664) at 0x000/0x100. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/cpu_policy.h"

#define FTC310 0x700F3034ULL
#define FTC664 0x701F6643ULL
#define FTC663 0x701F6633ULL
#define A72 0x410FD083ULL
#define POISON 0xdeadbeefULL

static void t_same_core_type(void **state)
{
	(void)state;
	assert_true(cpu_same_core_type(FTC310, FTC310));
	assert_true(cpu_same_core_type(FTC664, FTC664));
	assert_false(cpu_same_core_type(FTC310, FTC664));
	assert_false(cpu_same_core_type(FTC664, FTC663)); /* parts 0x664 and 0x663 */
	/* Variant and revision do not make another core type. */
	assert_true(cpu_same_core_type(FTC664, 0x700F6640ULL));
	assert_true(cpu_same_core_type(FTC310, 0x701F3031ULL));
	/* The implementer does: same part number from Arm is another core. */
	assert_false(cpu_same_core_type(0x410F3034ULL, FTC310));
	assert_false(cpu_same_core_type(A72, FTC664));
}

/* Both little cores (the E2000Q boot pair 0x200, 0x201): each keeps its own MIDR. */
static void t_homogeneous_keeps_own(void **state)
{
	uint64_t midr[2] = { FTC310, 0x701F3031ULL }, vpidr[2] = { POISON, POISON };
	uint32_t odd = 77;

	(void)state;
	assert_int_equal(cpu_policy_vpidr(midr, 2, false, vpidr, &odd), 0);
	assert_int_equal(vpidr[0], FTC310);
	assert_int_equal(vpidr[1], 0x701F3031ULL);
	assert_int_equal(odd, 77);
	/* the flag changes nothing when nothing is mixed */
	assert_int_equal(cpu_policy_vpidr(midr, 2, true, vpidr, &odd), 0);
	assert_int_equal(vpidr[1], 0x701F3031ULL);
}

static void t_single_vcpu(void **state)
{
	uint64_t midr[1] = { FTC664 }, vpidr[1] = { POISON };
	uint32_t odd = 77;

	(void)state;
	assert_int_equal(cpu_policy_vpidr(midr, 1, false, vpidr, &odd), 0);
	assert_int_equal(vpidr[0], FTC664);
}

/* All four E2000Q CPUs in the Linux order 0x200, 0x201, 0x000, 0x100: refused without the
 * flag, naming vCPU 2 (the first FTC664), and nothing written. */
static void t_mixed_refused(void **state)
{
	uint64_t midr[4] = { FTC310, FTC310, FTC664, FTC664 };
	uint64_t vpidr[4] = { POISON, POISON, POISON, POISON };
	uint32_t odd = 77;

	(void)state;
	assert_int_equal(cpu_policy_vpidr(midr, 4, false, vpidr, &odd), -1);
	assert_int_equal(odd, 2);
	for (int i = 0; i < 4; i++)
		assert_int_equal(vpidr[i], POISON);
	/* big core first, little second */
	midr[0] = FTC664;
	midr[1] = FTC310;
	assert_int_equal(cpu_policy_vpidr(midr, 2, false, vpidr, &odd), -1);
	assert_int_equal(odd, 1);
	/* the odd one last */
	midr[0] = midr[1] = midr[2] = FTC664;
	midr[3] = FTC310;
	assert_int_equal(cpu_policy_vpidr(midr, 4, false, vpidr, &odd), -1);
	assert_int_equal(odd, 3);
}

/* With mixed-cores every vCPU reports vCPU 0's MIDR. */
static void t_mixed_unified(void **state)
{
	uint64_t midr[4] = { FTC310, FTC310, FTC664, FTC664 };
	uint64_t vpidr[4] = { POISON, POISON, POISON, POISON };
	uint32_t odd = 77;

	(void)state;
	assert_int_equal(cpu_policy_vpidr(midr, 4, true, vpidr, &odd), 1);
	for (int i = 0; i < 4; i++)
		assert_int_equal(vpidr[i], FTC310);
	assert_int_equal(odd, 77);
	midr[0] = FTC664;
	assert_int_equal(cpu_policy_vpidr(midr, 2, true, vpidr, &odd), 1);
	assert_int_equal(vpidr[0], FTC664);
	assert_int_equal(vpidr[1], FTC664);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_same_core_type),
		cmocka_unit_test(t_homogeneous_keeps_own),
		cmocka_unit_test(t_single_vcpu),
		cmocka_unit_test(t_mixed_refused),
		cmocka_unit_test(t_mixed_unified),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
