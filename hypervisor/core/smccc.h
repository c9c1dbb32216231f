/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Guest calls through HVC or SMC (SMC Calling Convention, Arm DEN 0028): PSCI for the VM
 * itself, ftvisor's own calls (docs/guest-abi.md), and a refusal for everything else. No
 * guest call ever reaches the firmware.
 */
#ifndef FTVISOR_CORE_SMCCC_H
#define FTVISOR_CORE_SMCCC_H

#include "lib/compiler.h"

struct vcpu;

#define SMCCC_NOT_SUPPORTED ((uint64_t)-1)

/* Function ID in x0, arguments in x1-x3; results go back in x0-x3. */
void smccc_dispatch(struct vcpu *v);

/* ftvisor's calls (SMCCC vendor-specific hypervisor service, owner 6) */
#define FTV_VERSION 0x86000000u
#define FTV_VM_INFO 0x86000001u
#define FTV_TEST_ADDR 0x86000002u
#define FTV_ABI_VERSION 0x00010000u

#endif
