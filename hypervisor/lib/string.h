/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The C string functions EL2 code may use. Hosted builds (unit tests, host tools)
 * take them from libc; the freestanding hypervisor gets them from lib/string.c.
 */
#ifndef FTVISOR_LIB_STRING_H
#define FTVISOR_LIB_STRING_H

#include <stddef.h>

#if __STDC_HOSTED__
#include <string.h>
#else
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
#endif

/* Copies at most size-1 bytes and always terminates (when size > 0); returns strlen(src). */
size_t ft_strlcpy(char *dst, const char *src, size_t size);

#endif
