/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Which vCPU a physical CPU runs next. For now each vCPU is pinned to a CPU of its own, so
 * this is the pinned vCPU when it has been powered on; time-slicing comes with the scheduler.
 */
#ifndef FTVISOR_CORE_SCHED_H
#define FTVISOR_CORE_SCHED_H

#include "core/pcpu.h"

struct vcpu *sched_next(struct pcpu *c);

#endif
