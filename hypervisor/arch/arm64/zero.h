/* SPDX-License-Identifier: Apache-2.0 */
#ifndef FTVISOR_ARCH_ZERO_H
#define FTVISOR_ARCH_ZERO_H

#include "lib/compiler.h"

/*
 * Zero [pa, pa+size) (page aligned, MMU on) with DC ZVA when the CPU allows it
 * (DCZID_EL0.DZP = 0), then clean it to the point of coherency so an observer with its
 * caches off (a guest starting with its MMU off) reads zeros.
 */
void arch_zero_and_clean(uint64_t pa, uint64_t size);

#endif
