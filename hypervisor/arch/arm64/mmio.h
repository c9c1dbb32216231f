/* SPDX-License-Identifier: Apache-2.0 */
/* Device register access. Mapped Device-nGnRE, so accesses to one device stay in order. */
#ifndef FTVISOR_ARCH_MMIO_H
#define FTVISOR_ARCH_MMIO_H

#include "lib/compiler.h"

static inline uint32_t mmio_read32(uint64_t addr) { return *(volatile uint32_t *)addr; }
static inline void mmio_write32(uint64_t addr, uint32_t v) { *(volatile uint32_t *)addr = v; }
static inline uint64_t mmio_read64(uint64_t addr) { return *(volatile uint64_t *)addr; }
static inline void mmio_write64(uint64_t addr, uint64_t v) { *(volatile uint64_t *)addr = v; }
static inline void mmio_write8(uint64_t addr, uint8_t v) { *(volatile uint8_t *)addr = v; }

#endif
