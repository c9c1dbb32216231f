/* SPDX-License-Identifier: Apache-2.0 */
#include "arch/arm64/psci.h"
#include "arch/arm64/sysreg.h"

uint64_t smccc_smc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3);
uint64_t smccc_hvc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3);

static uint64_t (*conduit)(uint64_t, uint64_t, uint64_t, uint64_t);
static uint32_t cpu_on_fid = PSCI_CPU_ON_64;

bool psci_init(const struct platform *p)
{
	/* We run at EL2: an HVC would trap to ourselves, so only SMC reaches the firmware. */
	if (p->psci != PSCI_SMC)
		return false;
	conduit = smccc_smc;
	if (p->psci_cpu_on)
		cpu_on_fid = p->psci_cpu_on;
	return true;
}

static int64_t call(uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	if (!conduit)
		return PSCI_NOT_SUPPORTED;
	return (int64_t)conduit(fid, a1, a2, a3);
}

int64_t psci_version(void)
{
	return (int32_t)call(PSCI_VERSION, 0, 0, 0);
}

int64_t psci_cpu_on(uint64_t mpidr, uint64_t entry, uint64_t context)
{
	return (int32_t)call(cpu_on_fid, mpidr, entry, context);
}

void __noreturn psci_system_off(void)
{
	call(PSCI_SYSTEM_OFF, 0, 0, 0);
	for (;;)
		wfi();
}

const char *psci_error_name(int64_t err)
{
	switch (err) {
	case PSCI_SUCCESS: return "success";
	case PSCI_NOT_SUPPORTED: return "not supported";
	case PSCI_INVALID_PARAMS: return "invalid parameters";
	case PSCI_DENIED: return "denied";
	case PSCI_ALREADY_ON: return "already on";
	case PSCI_ON_PENDING: return "on pending";
	case PSCI_INTERNAL_FAILURE: return "internal failure";
	default: return "unknown error";
	}
}
