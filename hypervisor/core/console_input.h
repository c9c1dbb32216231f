/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Input typed on the physical console goes to one VM at a time (the focused one). Ctrl-]
 * (0x1d) followed by a VM number (0-9) moves the focus; Ctrl-] twice sends one Ctrl-].
 */
#ifndef FTVISOR_CORE_CONSOLE_INPUT_H
#define FTVISOR_CORE_CONSOLE_INPUT_H

#include "platform/platform.h"

#define CONSOLE_ESCAPE 0x1d /* Ctrl-] */

/* Take the console UART's receive interrupt (boot CPU). */
void console_input_init(const struct platform *p);
/* One received byte (also usable by tests of the routing logic). */
void console_input_byte(uint8_t ch);

#endif
