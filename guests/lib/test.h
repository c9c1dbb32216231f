/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Test reporting, one whole line each, parsed by the system tests:
 *   PASS <name> [details]
 *   FAIL <name>: <reason>
 *   DONE <guest> passed=N failed=M
 * Names are fixed strings; details and reasons are free text.
 */
#ifndef GUEST_TEST_H
#define GUEST_TEST_H

#include "lib/compiler.h"

void test_init(const char *guest);
const char *test_guest(void);

/* fmt may be NULL: no details. */
void test_pass(const char *name, const char *fmt, ...) __printf(2, 3);
void test_fail(const char *name, const char *fmt, ...) __printf(2, 3);
/* PASS or FAIL by ok, with the same text after the name; returns ok. */
bool test_result(bool ok, const char *name, const char *fmt, ...) __printf(3, 4);

unsigned int test_passed(void);
unsigned int test_failed(void);
void test_count_fail(void);

/* "DONE <guest> passed=N failed=M\n" into buf; returns its length (as snprintf). */
int test_done_line(char *buf, size_t size);
void test_print_done(void);
/* Prints the DONE line and idles in WFI for good. */
void __noreturn test_done(void);

#endif
