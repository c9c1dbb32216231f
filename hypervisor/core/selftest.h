/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Boot-time checks of the machinery every later feature relies on: SGIs between all CPUs
 * and the EL2 timer on each CPU. Each prints a machine-readable "PASS name ..." or
 * "FAIL name: reason" line. Also the deliberate faults the tests trigger from bootargs.
 */
#ifndef FTVISOR_CORE_SELFTEST_H
#define FTVISOR_CORE_SELFTEST_H

#include "lib/compiler.h"

/* Install the SGI and timer handlers the self-tests use (boot CPU, before SMP). */
void selftest_init(uint32_t timer_intid);
/* Returns the number of failures. */
uint32_t selftest_sgi_pingpong(uint32_t boot_cpu);
uint32_t selftest_timer(uint32_t boot_cpu);

/*
 * "ftvisor.fault=KIND[@CPU]": KIND is data (read of unmapped memory), write-ro (store to
 * rodata), exec (jump into a non-executable page), stack (stack overflow) or undef. The
 * chosen CPU (default: the boot CPU) takes the fault and halts; the others carry on.
 */
void selftest_fault(const char *spec, uint32_t boot_cpu);

#endif
