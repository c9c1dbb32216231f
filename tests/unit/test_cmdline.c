/* SPDX-License-Identifier: Apache-2.0 */
/* lib/cmdline.c: cmdline_get on "key=value" words. Values land in guarded heap buffers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lib/cmdline.h"

#define GUARD 0x5a

/*
 * cmdline_get into an exactly val_len-byte heap buffer (so ASan sees any overrun) with a
 * canary byte after it; returns the result, *val the value (or NULL if none was found).
 */
static char out[256];

static bool get(const char *cmdline, const char *key, size_t val_len, const char **val)
{
	char *buf = malloc(val_len + 1);
	bool found;

	assert_non_null(buf);
	memset(buf, GUARD, val_len + 1);
	found = cmdline_get(cmdline, key, buf, val_len);
	assert_int_equal((unsigned char)buf[val_len], GUARD);
	if (found && val_len) {
		assert_non_null(memchr(buf, '\0', val_len));
		strcpy(out, buf);
	}
	free(buf);
	*val = found ? out : NULL;
	return found;
}

/* Found with the value want (a full-size buffer). */
static void expect(const char *cmdline, const char *key, const char *want)
{
	const char *v;

	if (!get(cmdline, key, 64, &v))
		fail_msg("\"%s\" in \"%s\": not found, want \"%s\"", key, cmdline, want);
	if (strcmp(v, want))
		fail_msg("\"%s\" in \"%s\": \"%s\", want \"%s\"", key, cmdline, v, want);
}

static void expect_none(const char *cmdline, const char *key)
{
	const char *v;

	if (get(cmdline, key, 64, &v))
		fail_msg("\"%s\" in \"%s\": found \"%s\", want nothing", key, cmdline, v);
}

static void test_empty(void **state)
{
	expect_none("", "ftvisor.debug");
	expect_none(" ", "ftvisor.debug");
	expect_none(" \t \t", "ftvisor.debug");
	expect_none("=", "ftvisor.debug");
	/* An empty key matches nothing. */
	expect_none("a=1 =2 b", "");
	expect_none("", "");
}

static void test_key_only(void **state)
{
	expect("ftvisor.debug", "ftvisor.debug", "");
	expect("console=ttyAMA0 ftvisor.debug earlycon", "ftvisor.debug", "");
	expect("ftvisor.debug=", "ftvisor.debug", "");
	expect_none("console=ttyAMA0 earlycon", "ftvisor.debug");
}

static void test_key_value(void **state)
{
	const char *cl = "console=ttyAMA0,115200 ftvisor.log=3 earlycon root=/dev/vda2 rw";

	expect(cl, "console", "ttyAMA0,115200");
	expect(cl, "ftvisor.log", "3");
	expect(cl, "earlycon", "");
	expect(cl, "root", "/dev/vda2");
	expect(cl, "rw", "");
	expect_none(cl, "ro");
	/* Only the first '=' separates. */
	expect("a=b=c", "a", "b=c");
	expect("a==", "a", "=");
	/* The key is matched from the start of a word, whole. */
	expect_none("xa=1", "a");
	expect_none("a.b=1", "a");
	expect_none("ab", "a");
	expect_none("a", "ab");
	expect_none("ftvisor.fau=1", "ftvisor.fault");
}

static void test_last_wins(void **state)
{
	expect("a=1 a=2", "a", "2");
	expect("a=1 b=5 a=2 c", "a", "2");
	expect("a=1 a", "a", "");
	expect("a a=3", "a", "3");
	expect("a=3 a=", "a", "");
	/* A later word that only starts like the key does not count. */
	expect("a=1 ab=2 a.c=3", "a", "1");
}

static void test_prefix_not_matched(void **state)
{
	expect_none("ftvisor.faultx=1", "ftvisor.fault");
	expect_none("ftvisor.faultx", "ftvisor.fault");
	expect("ftvisor.fault=2 ftvisor.faultx=1", "ftvisor.fault", "2");
	expect("ftvisor.faultx=1 ftvisor.fault=2 ftvisor.faulty", "ftvisor.fault", "2");
	expect("ftvisor.faultx=1 ftvisor.fault", "ftvisor.fault", "");
}

static void test_whitespace(void **state)
{
	expect("a=1\tb=2\t\tc", "b", "2");
	expect("a=1\tb=2\t\tc", "c", "");
	expect("a=1\tb=2\t\tc", "a", "1");
	expect("  \t a=x  \t", "a", "x");
	expect("b=1 \t a=y", "a", "y");
	/* A tab or space ends the value. */
	expect("a=hello\tworld", "a", "hello");
	expect("a=hello world", "a", "hello");
	expect_none("a=hello world", "world=");
}

static void test_truncation(void **state)
{
	const char *v;

	assert_true(get("x=1 a=hello y", "a", 6, &v));
	assert_string_equal(v, "hello");
	assert_true(get("x=1 a=hello y", "a", 5, &v));
	assert_string_equal(v, "hell");
	assert_true(get("a=hello", "a", 2, &v));
	assert_string_equal(v, "h");
	assert_true(get("a=hello", "a", 1, &v));
	assert_string_equal(v, "");
	assert_true(get("a", "a", 1, &v));
	assert_string_equal(v, "");
	/* Last one wins, even when shorter. */
	assert_true(get("a=longvalue a=xy", "a", 4, &v));
	assert_string_equal(v, "xy");
	assert_false(get("b=hello", "a", 3, &v));
}

/* val_len 0: only whether the key is there; val is never written. */
static void test_val_len_zero(void **state)
{
	const char *v;

	assert_true(get("a=hello", "a", 0, &v));
	assert_true(get("a", "a", 0, &v));
	assert_false(get("ab=hello", "a", 0, &v));
	assert_false(get("", "a", 0, &v));
}

/* A word longer than any buffer, and many words. */
static void test_long(void **state)
{
	char cl[4096], want[128];
	size_t n = 0;
	const char *v;

	for (int i = 0; i < 200; i++)
		n += (size_t)snprintf(cl + n, sizeof(cl) - n, "k%d=v%d ", i, i);
	expect(cl, "k0", "v0");
	expect(cl, "k199", "v199");
	expect(cl, "k57", "v57");
	expect_none(cl, "k200");
	expect_none(cl, "k");

	memset(cl, 'z', 3000);
	memcpy(cl, "big=", 4);
	cl[3000] = '\0';
	assert_true(get(cl, "big", 100, &v));
	memset(want, 'z', 99);
	want[99] = '\0';
	assert_string_equal(v, want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_key_only),
		cmocka_unit_test(test_key_value),
		cmocka_unit_test(test_last_wins),
		cmocka_unit_test(test_prefix_not_matched),
		cmocka_unit_test(test_whitespace),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_val_len_zero),
		cmocka_unit_test(test_long),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
