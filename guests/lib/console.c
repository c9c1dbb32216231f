/* SPDX-License-Identifier: Apache-2.0 */
#include "console.h"
#include "lib/format.h"
#include "lib/string.h"
#include "spinlock.h"
#include "uart.h"

static spinlock_t lock;

/* With the MMU off there is one vCPU and no usable exclusives (spinlock.h). */
void console_lock(void)
{
	if (mmu_is_on())
		spin_lock(&lock);
}

void console_unlock(void)
{
	if (mmu_is_on())
		spin_unlock(&lock);
}

bool console_lock_timeout(void)
{
	int i;

	if (!mmu_is_on())
		return true;
	for (i = 0; i < 1000000; i++)
		if (spin_trylock(&lock))
			return true;
	return false;
}

void console_write_locked(const char *s, size_t len)
{
	uart_write(s, len);
}

void console_write(const char *s, size_t len)
{
	console_lock();
	uart_write(s, len);
	console_unlock();
}

int vprintf(const char *fmt, va_list ap)
{
	char buf[CONSOLE_LINE_MAX];
	int n = ft_vsnprintf(buf, sizeof(buf), fmt, ap);

	/* A cut line still ends its line. */
	if (n >= (int)sizeof(buf))
		buf[sizeof(buf) - 2] = '\n';
	console_write(buf, strlen(buf));
	return n;
}

int printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}
