/* SPDX-License-Identifier: Apache-2.0 */
/* PSCI 1.0 client (Arm DEN 0022) over the HVC conduit, as docs/guest-abi.md gives it. */
#ifndef GUEST_PSCI_H
#define GUEST_PSCI_H

#include "lib/compiler.h"

#include "lib/psci_abi.h"

/* major << 16 | minor */
int64_t psci_version(void);
int64_t psci_features(uint32_t fid);
int64_t psci_cpu_on(uint64_t target, uint64_t entry, uint64_t context);
/* Returns only on failure. */
int64_t psci_cpu_off(void);
int64_t psci_affinity_info(uint64_t target, uint64_t level);
void psci_system_off(void);
void psci_system_reset(void);

/* The PA (= IPA with the MMU off or identity mapped) of lib/start.S's secondary entry. */
uint64_t psci_secondary_entry(void);

#endif
