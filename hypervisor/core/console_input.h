/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Input typed on the physical console goes to the ftvisor shell or to one VM's console.
 * Ctrl-] (0x1d) then 's' gives it to the shell, then a digit N to VM N's console; Ctrl-]
 * twice sends one Ctrl-] to the VM. The shell has it at boot.
 */
#ifndef FTVISOR_CORE_CONSOLE_INPUT_H
#define FTVISOR_CORE_CONSOLE_INPUT_H

#include "platform/platform.h"

#define CONSOLE_ESCAPE 0x1d /* Ctrl-] */
#define CONSOLE_FOCUS_SHELL 0xffffffffu

/* Take the console UART's receive interrupt (boot CPU). */
void console_input_init(const struct platform *p);
/* One received byte (also usable by tests of the routing logic). */
void console_input_byte(uint8_t ch);
/* Give the input to VM id, or to the shell (CONSOLE_FOCUS_SHELL). */
void console_input_focus(uint32_t id);
/* VM id is gone: if it had the input, the shell gets it back. */
void console_input_vm_gone(uint32_t id);

#endif
