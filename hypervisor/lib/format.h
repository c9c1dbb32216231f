/* SPDX-License-Identifier: Apache-2.0 */
/* printf-style formatting without libc, for EL2 and shared host code. */
#ifndef FTVISOR_LIB_FORMAT_H
#define FTVISOR_LIB_FORMAT_H

#include <stdarg.h>
#include "lib/compiler.h"

/*
 * Supports %% %c %s %d %i %u %x %X %o %p %b (binary), flags '-' '0' '+' ' ' '#', width and
 * precision (also '*'), length modifiers hh h l ll z t j. %p prints 0x + 16 hex digits.
 * A NULL %s prints "(null)". Unknown conversions are printed literally.
 * Always NUL-terminates when size > 0; returns the length the full output would have had.
 */
int ft_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int ft_snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

#endif
