/* SPDX-License-Identifier: Apache-2.0 */
/* core/smccc_policy.c: the decision for every kind of guest SMC/HVC (docs/guest-abi.md). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/smccc_policy.h"

static void t_arch(void **state)
{
	(void)state;
	assert_int_equal(smccc_policy(0x80000000u), SMCCC_DO_VERSION);
	assert_int_equal(smccc_policy(0x80000001u), SMCCC_DO_ARCH_FEATURES);
	assert_int_equal(smccc_policy(0x80008000u), SMCCC_REFUSE_ARCH); /* WORKAROUND_1 */
	assert_int_equal(smccc_policy(0x80007fffu), SMCCC_REFUSE_ARCH); /* WORKAROUND_2 */
	assert_int_equal(smccc_policy(0x80003fffu), SMCCC_REFUSE_ARCH); /* WORKAROUND_3 */
	assert_int_equal(smccc_policy(0x80000002u), SMCCC_REFUSE_ARCH); /* SOC_ID */
	assert_int_equal(smccc_policy(0x00000000u), SMCCC_REFUSE_OTHER); /* yielding */
}

static void t_psci(void **state)
{
	(void)state;
	assert_int_equal(smccc_policy(0x84000000u), SMCCC_DO_PSCI);	/* VERSION */
	assert_int_equal(smccc_policy(0xC4000003u), SMCCC_DO_PSCI);	/* CPU_ON 64 */
	assert_int_equal(smccc_policy(0x84000008u), SMCCC_DO_PSCI);	/* SYSTEM_OFF: the VM's */
	assert_int_equal(smccc_policy(0x84000009u), SMCCC_DO_PSCI);	/* SYSTEM_RESET */
	assert_int_equal(smccc_policy(0x8400001fu), SMCCC_DO_PSCI);
	assert_int_equal(smccc_policy(0x84000020u), SMCCC_REFUSE_OTHER); /* SDEI */
	assert_int_equal(smccc_policy(0x84000050u), SMCCC_REFUSE_OTHER); /* TRNG */
	assert_int_equal(smccc_policy(0x04000000u), SMCCC_REFUSE_OTHER); /* yielding */
}

/* Every Phytium SiP call the firmware has is refused, CPU_VERSION included. */
static void t_phytium_sip(void **state)
{
	static const uint32_t calls[] = { 0x82000001u, 0xC2000002u, 0xC2000003u, 0xC2000004u,
					  0xC2000005u, 0xC2000006u, 0xC2000007u, 0xC2000008u,
					  0x8200FF03u };

	(void)state;
	for (unsigned int i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		assert_int_equal(smccc_policy(calls[i]), SMCCC_REFUSE_SIP_PHYTIUM);
		assert_true(smccc_refused(smccc_policy(calls[i])));
		assert_non_null(smccc_phytium_sip_name(calls[i]));
	}
	assert_string_equal(smccc_phytium_sip_name(PHYTIUM_SIP_CPU_VERSION), "CPU_VERSION");
	assert_string_equal(smccc_phytium_sip_name(PHYTIUM_SIP_MEM_REGIONS), "MEM_REGIONS");
	assert_null(smccc_phytium_sip_name(0xC2000009u));
	assert_int_equal(smccc_policy(0xC2000009u), SMCCC_REFUSE_SIP);
	assert_int_equal(smccc_policy(0x82000000u), SMCCC_REFUSE_SIP);
	assert_int_equal(smccc_policy(0xC200FFFFu), SMCCC_REFUSE_SIP);
}

/* OP-TEE: CALLS_UID/REVISION, GET_OS_UUID, EXCHANGE_CAPABILITIES (fast) and
 * CALL_WITH_ARG (yielding); other trusted OS and trusted application owners too. */
static void t_trusted_os(void **state)
{
	static const uint32_t calls[] = { 0xBF00FF01u, 0xBF00FF03u, 0xB2000000u, 0xB2000009u,
					  0x32000004u, 0xB0000000u, 0xF1000000u, 0x3F000000u };

	(void)state;
	for (unsigned int i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
		assert_int_equal(smccc_policy(calls[i]), SMCCC_REFUSE_TRUSTED_OS);
}

static void t_ftvisor_and_others(void **state)
{
	(void)state;
	assert_int_equal(smccc_policy(0x86000000u), SMCCC_DO_FTV);
	assert_int_equal(smccc_policy(0x86000002u), SMCCC_DO_FTV);
	assert_int_equal(smccc_policy(0xC6000000u), SMCCC_DO_FTV); /* SMC64: ftvisor answers -1 */
	assert_int_equal(smccc_policy(0x06000000u), SMCCC_REFUSE_OTHER); /* yielding */
	assert_int_equal(smccc_policy(0x81000000u), SMCCC_REFUSE_OTHER); /* CPU service */
	assert_int_equal(smccc_policy(0x83000000u), SMCCC_REFUSE_OTHER); /* OEM */
	assert_int_equal(smccc_policy(0x85000000u), SMCCC_REFUSE_OTHER); /* standard hyp */
	assert_int_equal(smccc_policy(0x87000000u), SMCCC_REFUSE_OTHER); /* reserved */
	assert_int_equal(smccc_policy(0xAF000000u), SMCCC_REFUSE_OTHER); /* reserved 47 */
}

static void t_refused_set(void **state)
{
	(void)state;
	assert_false(smccc_refused(SMCCC_DO_VERSION));
	assert_false(smccc_refused(SMCCC_DO_ARCH_FEATURES));
	assert_false(smccc_refused(SMCCC_DO_PSCI));
	assert_false(smccc_refused(SMCCC_DO_FTV));
	assert_true(smccc_refused(SMCCC_REFUSE_ARCH));
	assert_true(smccc_refused(SMCCC_REFUSE_SIP_PHYTIUM));
	assert_true(smccc_refused(SMCCC_REFUSE_SIP));
	assert_true(smccc_refused(SMCCC_REFUSE_TRUSTED_OS));
	assert_true(smccc_refused(SMCCC_REFUSE_OTHER));
}

/* Every one of the 2^32 function IDs gets a decision, and only the four emulated kinds
 * are answered: a coarse sweep over owners and call types. */
static void t_sweep(void **state)
{
	(void)state;
	for (uint64_t fid = 0; fid <= 0xffffffffu; fid += 0x10001u) {
		enum smccc_action a = smccc_policy((uint32_t)fid);
		uint32_t owner = (uint32_t)(fid >> 24) & 0x3f;

		if (!smccc_refused(a))
			assert_true(fid & 0x80000000u);
		if (a == SMCCC_DO_PSCI)
			assert_int_equal(owner, 4);
		if (a == SMCCC_DO_FTV)
			assert_int_equal(owner, 6);
		if (owner == 2 && (fid & 0x80000000u))
			assert_true(a == SMCCC_REFUSE_SIP || a == SMCCC_REFUSE_SIP_PHYTIUM);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_arch),
		cmocka_unit_test(t_psci),
		cmocka_unit_test(t_phytium_sip),
		cmocka_unit_test(t_trusted_os),
		cmocka_unit_test(t_ftvisor_and_others),
		cmocka_unit_test(t_refused_set),
		cmocka_unit_test(t_sweep),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
