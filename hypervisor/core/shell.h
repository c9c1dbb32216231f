/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The ftvisor shell on the physical console (`ftvisor>`): VM lifecycle, statistics and
 * console switching (docs/shell.md). Bytes arrive in the UART interrupt (line editing and
 * echo happen there); whole lines run on the management CPU (mgmt_poll -> shell_poll).
 */
#ifndef FTVISOR_CORE_SHELL_H
#define FTVISOR_CORE_SHELL_H

#include "lib/compiler.h"

/* Boot CPU, once. */
void shell_init(void);
/* A byte typed while the shell has the console (interrupt context). */
void shell_input(uint8_t ch);
/* Run queued lines, refresh `top` (management CPU). */
void shell_poll(void);
/* When `top` wants its next refresh (counter), 0 when it is not running. */
uint64_t shell_next_deadline(void);
/* Print the prompt (the console came back to the shell). */
void shell_prompt(void);

#endif
