/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What ftvisor does with each SMCCC function ID a guest issues by HVC or SMC (pure logic,
 * unit-tested; docs/guest-abi.md "SMC policy" has the table and the reasons).
 *
 * Nothing is ever forwarded to the firmware (EL3, Phytium "PBF"): the firmware trusts its
 * caller, which it takes to be the one OS owning the machine, so a guest's SMC reaching it
 * could power off or reset the board (PSCI SYSTEM_OFF), switch physical CPUs on or off,
 * reconfigure cores (Phytium CPU_CORE_CONF) or learn the host's memory map (MEM_REGIONS).
 * The hypervisor answers the calls it emulates and refuses the rest with NOT_SUPPORTED (-1).
 */
#ifndef FTVISOR_CORE_SMCCC_POLICY_H
#define FTVISOR_CORE_SMCCC_POLICY_H

#include "lib/compiler.h"

/* Phytium SiP services (FT-2000+ U-Boot phytium_sip_svc.h; the E2000 firmware has the same
 * service names, ../shared/phytium/FACTS.md 1.4). */
#define PHYTIUM_SIP_PBF_VERSION 0x82000001u
#define PHYTIUM_SIP_CPU_VERSION 0xC2000002u
#define PHYTIUM_SIP_CPU_CORE_MAPS 0xC2000003u
#define PHYTIUM_SIP_CPU_CORE_CONF 0xC2000004u
#define PHYTIUM_SIP_MEM_REGIONS 0xC2000005u
#define PHYTIUM_SIP_MCU_DIMMS 0xC2000006u
#define PHYTIUM_SIP_PCI_CONTROLLER 0xC2000007u
#define PHYTIUM_SIP_PCI_HOST_BRIDGE 0xC2000008u
#define PHYTIUM_SIP_SVC_VERSION 0x8200FF03u

enum smccc_action {
	SMCCC_DO_VERSION,	  /* SMCCC_VERSION: 1.1 */
	SMCCC_DO_ARCH_FEATURES,	  /* SMCCC_ARCH_FEATURES: nothing offered, -1 */
	SMCCC_DO_PSCI,		  /* the PSCI range: emulated for this VM only (vpsci) */
	SMCCC_DO_FTV,		  /* ftvisor's own calls (vendor-specific hypervisor service) */
	SMCCC_REFUSE_ARCH,	  /* other Arm architecture calls (CPU workarounds, ...) */
	SMCCC_REFUSE_SIP_PHYTIUM, /* a known Phytium SiP call (CPU_VERSION, MEM_REGIONS, ...) */
	SMCCC_REFUSE_SIP,	  /* any other silicon-provider call */
	SMCCC_REFUSE_TRUSTED_OS,  /* trusted applications and OSes (OP-TEE probes) */
	SMCCC_REFUSE_OTHER,	  /* CPU/OEM/standard non-PSCI/standard hypervisor services,
				   * reserved owners, any yielding call */
};

enum smccc_action smccc_policy(uint32_t fid);
/* True for the actions answered with NOT_SUPPORTED (-1) and nothing else. */
bool smccc_refused(enum smccc_action a);
/* "CPU_VERSION", "MEM_REGIONS", ... for a known Phytium SiP function ID, else NULL. */
const char *smccc_phytium_sip_name(uint32_t fid);

#endif
