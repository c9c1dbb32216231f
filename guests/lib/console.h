/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Console output. Each call writes its whole text at once under a lock, so lines from two
 * vCPUs never interleave (the hypervisor tags every line with the VM's name): callers
 * print whole lines.
 */
#ifndef GUEST_CONSOLE_H
#define GUEST_CONSOLE_H

#include <stdarg.h>
#include "lib/compiler.h"

#define CONSOLE_LINE_MAX 512	/* longer output is cut */

int printf(const char *fmt, ...) __printf(1, 2);
int vprintf(const char *fmt, va_list ap);
void console_write(const char *s, size_t len);

/* The console lock, for callers that must print several lines together. */
void console_lock(void);
void console_unlock(void);
/* Bounded attempt (exception paths: the lock may be held by the code that faulted). */
bool console_lock_timeout(void);
/* Write without taking the lock (holder only). */
void console_write_locked(const char *s, size_t len);

#endif
