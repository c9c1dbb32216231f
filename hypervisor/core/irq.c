/* SPDX-License-Identifier: Apache-2.0 */
#include "core/irq.h"
#include "arch/arch.h"
#include "core/console.h"
#include "core/pcpu.h"

static irq_handler_t handlers[IRQ_MAX];

void irq_set_handler(uint32_t intid, irq_handler_t fn)
{
	if (intid < IRQ_MAX)
		handlers[intid] = fn;
}

void irq_handle(void)
{
	for (;;) {
		uint32_t intid = arch_irq_ack();
		irq_handler_t fn;

		if (intid >= 1020 && intid <= 1023)
			return; /* nothing (more) pending */
		this_cpu()->irqs++;
		fn = intid < IRQ_MAX ? handlers[intid] : NULL;
		if (!fn)
			printk("ftvisor: CPU %u: unexpected interrupt %u\n", this_cpu_id(), intid);
		if (!fn || fn(intid))
			arch_irq_eoi(intid);
		else
			arch_irq_priority_drop(intid);
	}
}
