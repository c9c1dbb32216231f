/* SPDX-License-Identifier: Apache-2.0 */
/* PL011 transmitter, polled. */
#ifndef GUEST_UART_H
#define GUEST_UART_H

#include "lib/compiler.h"

#define UART_DEFAULT_BASE 0x09000000UL

/* Use the PL011 at base (before this: UART_DEFAULT_BASE). */
void uart_set_base(uint64_t base);
uint64_t uart_base(void);
/* Writes s[0..len), '\n' as "\r\n". */
void uart_write(const char *s, size_t len);

#endif
