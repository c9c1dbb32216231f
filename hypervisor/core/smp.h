/* SPDX-License-Identifier: Apache-2.0 */
/* Bringing the other CPUs up and giving them work. */
#ifndef FTVISOR_CORE_SMP_H
#define FTVISOR_CORE_SMP_H

#include "core/pcpu.h"

/* Start every CPU of the device tree but the boot CPU; returns how many are online. */
uint32_t smp_boot_secondaries(uint32_t boot_cpu);

/* Post fn(arg) to an idle online CPU; false when it is offline, halted or busy. */
bool smp_call_on(uint32_t cpu, void (*fn)(void *), void *arg);
/* Wait until the call posted to cpu has finished; false after timeout_ms. */
bool smp_call_wait(uint32_t cpu, uint32_t timeout_ms);

/* Idle loop: sleep in WFI, run posted work. Never returns. */
void __noreturn smp_idle(void);

/* Counter ticks in ms milliseconds. */
uint64_t ms_to_ticks(uint32_t ms);

#endif
