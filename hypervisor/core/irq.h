/* SPDX-License-Identifier: Apache-2.0 */
/* Interrupts the hypervisor takes itself: dispatch by INTID. */
#ifndef FTVISOR_CORE_IRQ_H
#define FTVISOR_CORE_IRQ_H

#include "lib/compiler.h"

/* SGIs ftvisor uses between its CPUs. */
enum {
	SGI_WAKE = 0,	/* work posted with smp_call_on(); also a plain wake-up */
	SGI_PING = 1,	/* self-test */
	SGI_PONG = 2,	/* self-test */
};

#define IRQ_MAX_PRIVATE 32

typedef void (*irq_handler_t)(uint32_t intid);

/* Set the handler of an SGI or PPI (the same on every CPU). Boot CPU, before SMP. */
void irq_set_private_handler(uint32_t intid, irq_handler_t fn);

/* Called from the IRQ exception vector: handles every pending interrupt. */
void irq_handle(void);

#endif
