/* SPDX-License-Identifier: Apache-2.0 */
/* PSCI client (Arm DEN 0022): how ftvisor asks the firmware to start its CPUs. */
#ifndef FTVISOR_ARCH_PSCI_H
#define FTVISOR_ARCH_PSCI_H

#include "platform/platform.h"

#include "lib/psci_abi.h"

/* Choose the conduit from the device tree; false when there is no PSCI. */
bool psci_init(const struct platform *p);
/* PSCI version as major << 16 | minor, or a negative error. */
int64_t psci_version(void);
/* Start the CPU with this MPIDR at physical entry with x0 = context. */
int64_t psci_cpu_on(uint64_t mpidr, uint64_t entry, uint64_t context);
void __noreturn psci_system_off(void);
const char *psci_error_name(int64_t err);

#endif
