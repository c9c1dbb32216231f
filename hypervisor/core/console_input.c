/* SPDX-License-Identifier: Apache-2.0 */
#include "core/console_input.h"
#include "arch/arm64/gicv3.h"
#include "core/console.h"
#include "core/irq.h"
#include "core/pcpu.h"
#include "core/shell.h"
#include "core/vm.h"
#include "drivers/pl011.h"

static uint32_t focus = CONSOLE_FOCUS_SHELL;
static bool escape;

void console_input_focus(uint32_t id)
{
	if (id == CONSOLE_FOCUS_SHELL) {
		focus = id;
		printk("\nftvisor: console input goes to the shell (Ctrl-] N: VM N's console)\n");
		shell_prompt();
		return;
	}
	if (id >= nr_vms || vms[id].state == VM_EMPTY) {
		printk("\nftvisor: no vm %u; console input stays where it was\n", id);
		return;
	}
	focus = id;
	printk("\nftvisor: console input goes to vm %u '%s' (Ctrl-] s: the shell)\n", id, vms[id].name);
}

void console_input_vm_gone(uint32_t id)
{
	if (focus == id)
		focus = CONSOLE_FOCUS_SHELL;
}

void console_input_byte(uint8_t ch)
{
	if (escape) {
		escape = false;
		if (ch >= '0' && ch <= '9') {
			console_input_focus((uint32_t)(ch - '0'));
			return;
		}
		if (ch == 's' || ch == 'S') {
			console_input_focus(CONSOLE_FOCUS_SHELL);
			return;
		}
		if (ch != CONSOLE_ESCAPE)
			return; /* unknown sequence: dropped */
	} else if (ch == CONSOLE_ESCAPE) {
		escape = true;
		return;
	}
	if (focus == CONSOLE_FOCUS_SHELL)
		shell_input(ch);
	else if (focus < nr_vms && vms[focus].state == VM_RUNNING)
		vuart_pl011_receive(&vms[focus].uart, ch);
}

static bool on_uart_rx(uint32_t intid)
{
	int ch;

	(void)intid;
	while ((ch = console_getc()) >= 0)
		console_input_byte((uint8_t)ch);
	return true;
}

void console_input_init(const struct platform *p)
{
	if (!p->uart.present || !p->uart.intid)
		return;
	irq_set_handler(p->uart.intid, on_uart_rx);
	pl011_enable_rx_irq(p->uart.base);
	gicv3_enable_spi(p->uart.intid, this_cpu()->mpidr);
}
