/* SPDX-License-Identifier: Apache-2.0 */
#include "core/smccc_policy.h"

#define SMCCC_FAST BIT(31)
#define SMCCC_OWNER(fid) (((fid) >> 24) & 0x3f)
#define SMCCC_VERSION_FID 0x80000000u
#define SMCCC_ARCH_FEATURES_FID 0x80000001u

enum {
	OWNER_ARCH = 0,
	OWNER_SIP = 2,
	OWNER_STANDARD = 4,	/* PSCI lives here (and SDEI, TRNG: not offered) */
	OWNER_VENDOR_HYP = 6,
	OWNER_TRUSTED_APP = 48,	/* 48-49 trusted applications, 50-63 trusted OSes */
};

const char *smccc_phytium_sip_name(uint32_t fid)
{
	static const struct {
		uint32_t fid;
		const char *name;
	} calls[] = {
		{ PHYTIUM_SIP_PBF_VERSION, "PBF_VERSION" },
		{ PHYTIUM_SIP_CPU_VERSION, "CPU_VERSION" },
		{ PHYTIUM_SIP_CPU_CORE_MAPS, "CPU_CORE_MAPS" },
		{ PHYTIUM_SIP_CPU_CORE_CONF, "CPU_CORE_CONF" },
		{ PHYTIUM_SIP_MEM_REGIONS, "MEM_REGIONS" },
		{ PHYTIUM_SIP_MCU_DIMMS, "MCU_DIMMS" },
		{ PHYTIUM_SIP_PCI_CONTROLLER, "PCI_CONTROLLER" },
		{ PHYTIUM_SIP_PCI_HOST_BRIDGE, "PCI_HOST_BRIDGE" },
		{ PHYTIUM_SIP_SVC_VERSION, "SIP_SVC_VERSION" },
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(calls); i++)
		if (calls[i].fid == fid)
			return calls[i].name;
	return NULL;
}

enum smccc_action smccc_policy(uint32_t fid)
{
	uint32_t owner = SMCCC_OWNER(fid);

	if (owner >= OWNER_TRUSTED_APP)
		return SMCCC_REFUSE_TRUSTED_OS; /* fast or yielding: OP-TEE's calls are both */
	if (!(fid & SMCCC_FAST))
		return SMCCC_REFUSE_OTHER;
	switch (owner) {
	case OWNER_ARCH:
		if (fid == SMCCC_VERSION_FID)
			return SMCCC_DO_VERSION;
		if (fid == SMCCC_ARCH_FEATURES_FID)
			return SMCCC_DO_ARCH_FEATURES;
		return SMCCC_REFUSE_ARCH;
	case OWNER_SIP:
		return smccc_phytium_sip_name(fid) ? SMCCC_REFUSE_SIP_PHYTIUM : SMCCC_REFUSE_SIP;
	case OWNER_STANDARD:
		/* PSCI: 0x84000000-0x8400001f (SMC32) and 0xc4000000-0xc400001f (SMC64) */
		return (fid & 0xbfffffe0u) == 0x84000000u ? SMCCC_DO_PSCI : SMCCC_REFUSE_OTHER;
	case OWNER_VENDOR_HYP:
		return SMCCC_DO_FTV;
	default:
		return SMCCC_REFUSE_OTHER;
	}
}

bool smccc_refused(enum smccc_action a)
{
	return a >= SMCCC_REFUSE_ARCH;
}
