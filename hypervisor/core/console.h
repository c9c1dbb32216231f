/* SPDX-License-Identifier: Apache-2.0 */
/* The hypervisor console on the physical UART named by the firmware's /chosen/stdout-path. */
#ifndef FTVISOR_CORE_CONSOLE_H
#define FTVISOR_CORE_CONSOLE_H

#include "platform/platform.h"

/* Returns false when the platform has no console we can drive (then output is dropped). */
bool console_init(const struct platform *p);
/* Called once the MMU (and so exclusive accesses) work: from now on lines are locked. */
void console_enable_locking(void);

/* Formatted output; a line is written whole even when several CPUs print at once. */
void printk(const char *fmt, ...) __printf(1, 2);
void console_write(const char *s, size_t len);
/* The shell's prompt and the echo of what is typed after it: other output that comes
 * meanwhile starts on a new line instead of continuing the prompt's. */
void console_write_prompt(const char *s, size_t len);
/* A received byte or -1. */
int console_getc(void);

/* Fatal paths: take the console even if this CPU was interrupted while holding it. */
void console_panic_begin(void);
void console_panic_end(void);

#endif
