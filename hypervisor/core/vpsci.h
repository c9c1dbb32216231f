/* SPDX-License-Identifier: Apache-2.0 */
/* PSCI 1.0 as a guest sees it (Arm DEN 0022), acting on the calling VM only. */
#ifndef FTVISOR_CORE_VPSCI_H
#define FTVISOR_CORE_VPSCI_H

#include "lib/compiler.h"

struct vcpu;

/* Handle PSCI function fid with arguments/results in x; false if fid is not PSCI. */
bool vpsci_call(struct vcpu *v, uint32_t fid, uint64_t *x);

#endif
