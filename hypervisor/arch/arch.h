/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the core may use of the architecture: interrupt masking, the counter, waiting,
 * this CPU's identity, SGIs. The core includes this header, never arch/arm64/ directly.
 */
#ifndef FTVISOR_ARCH_ARCH_H
#define FTVISOR_ARCH_ARCH_H

#include "arch/arm64/gicv3.h"
#include "arch/arm64/sysreg.h"

static inline uint64_t arch_counter(void) { return read_cntpct(); }
static inline uint64_t arch_counter_freq(void) { return read_sysreg(cntfrq_el0); }
/* Counter ticks in microseconds (with the counter's own zero: machine reset on QEMU). */
static inline uint64_t arch_counter_us(uint64_t t)
{
	uint64_t mhz = arch_counter_freq() / 1000000;

	return t / (mhz ? mhz : 1);
}
static inline void arch_wait_for_interrupt(void) { dsb(sy); wfi(); }
static inline void *arch_this_cpu_ptr(void) { return (void *)read_sysreg(tpidr_el2); }
static inline void arch_set_this_cpu_ptr(void *p) { write_sysreg(tpidr_el2, (uint64_t)p); }
static inline uint64_t arch_this_mpidr(void) { return read_sysreg(mpidr_el1) & 0xff00ffffffULL; }

/* Send software-generated interrupt sgi (0-15) to the CPU with this MPIDR. */
void arch_send_sgi(uint64_t mpidr, unsigned int sgi);
/* Interrupt controller: acknowledge (1020-1023: none/spurious) and complete. */
static inline uint32_t arch_irq_ack(void) { return gicv3_ack(); }
static inline void arch_irq_eoi(uint32_t intid) { gicv3_eoi(intid); }
/* Priority drop only: the interrupt stays active (EOImode 1). */
static inline void arch_irq_priority_drop(uint32_t intid) { gicv3_priority_drop(intid); }

/* Program this CPU's EL2 physical timer to fire at counter value cval (0 disables). */
void arch_timer_set(uint64_t cval);

#endif
