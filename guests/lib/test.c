/* SPDX-License-Identifier: Apache-2.0 */
#include <stdarg.h>
#include "test.h"
#include "console.h"
#include "lib/format.h"
#include "lib/string.h"

static const char *guest = "guest";
/* Updated under the console lock: the vCPUs of one VM report concurrently. */
static unsigned int passed, failed;

void test_init(const char *name)
{
	guest = name;
}

const char *test_guest(void)
{
	return guest;
}

/* "<tag> <name><sep><formatted text>\n", printed and counted at once. */
static void report(bool ok, const char *name, const char *fmt, va_list ap)
{
	char line[CONSOLE_LINE_MAX];
	size_t cap = sizeof(line) - 1;	/* room for the '\n' */
	size_t n;

	n = (size_t)ft_snprintf(line, cap, "%s %s%s", ok ? "PASS" : "FAIL", name,
				!ok ? ": " : fmt ? " " : "");
	n = MIN(n, cap - 1);
	if (fmt)
		n += MIN((size_t)ft_vsnprintf(line + n, cap - n, fmt, ap), cap - 1 - n);
	line[n++] = '\n';

	console_lock();
	if (ok)
		passed++;
	else
		failed++;
	console_write_locked(line, n);
	console_unlock();
}

void test_pass(const char *name, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(true, name, fmt, ap);
	va_end(ap);
}

void test_fail(const char *name, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(false, name, fmt, ap);
	va_end(ap);
}

bool test_result(bool ok, const char *name, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(ok, name, fmt, ap);
	va_end(ap);
	return ok;
}

unsigned int test_passed(void)
{
	return READ_ONCE(passed);
}

unsigned int test_failed(void)
{
	return READ_ONCE(failed);
}

void test_count_fail(void)
{
	failed++;
}

int test_done_line(char *buf, size_t size)
{
	return ft_snprintf(buf, size, "DONE %s passed=%u failed=%u\n", guest, test_passed(),
			   test_failed());
}

void test_print_done(void)
{
	char line[96];
	int n = test_done_line(line, sizeof(line));

	console_write(line, MIN((size_t)n, sizeof(line) - 1));
}

void test_done(void)
{
	extern void __noreturn idle_forever(void);

	test_print_done();
	idle_forever();
}
