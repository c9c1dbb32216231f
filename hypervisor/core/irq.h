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

#define IRQ_MAX 1020

/* Returns false to leave the interrupt active: its deactivation is then up to a guest
 * (list register HW bit) or to later code. */
typedef bool (*irq_handler_t)(uint32_t intid);

/* Set the handler of an interrupt (SGIs and PPIs: the same on every CPU). Boot CPU. */
void irq_set_handler(uint32_t intid, irq_handler_t fn);

/* Called from the IRQ exception vector: handles every pending interrupt. */
void irq_handle(void);

#endif
