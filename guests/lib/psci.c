/* SPDX-License-Identifier: Apache-2.0 */
#include "psci.h"
#include "smccc.h"

int64_t psci_version(void)
{
	return (int64_t)smccc_hvc(PSCI_VERSION, 0, 0, 0, NULL);
}

int64_t psci_features(uint32_t fid)
{
	return (int64_t)smccc_hvc(PSCI_FEATURES, fid, 0, 0, NULL);
}

int64_t psci_cpu_on(uint64_t target, uint64_t entry, uint64_t context)
{
	return (int64_t)smccc_hvc(PSCI_CPU_ON_64, target, entry, context, NULL);
}

int64_t psci_cpu_off(void)
{
	return (int64_t)smccc_hvc(PSCI_CPU_OFF, 0, 0, 0, NULL);
}

int64_t psci_affinity_info(uint64_t target, uint64_t level)
{
	return (int64_t)smccc_hvc(PSCI_AFFINITY_INFO_64, target, level, 0, NULL);
}

void psci_system_off(void)
{
	smccc_hvc(PSCI_SYSTEM_OFF, 0, 0, 0, NULL);
}

void psci_system_reset(void)
{
	smccc_hvc(PSCI_SYSTEM_RESET, 0, 0, 0, NULL);
}

uint64_t psci_secondary_entry(void)
{
	extern char secondary_entry[];

	return (uint64_t)secondary_entry;
}
