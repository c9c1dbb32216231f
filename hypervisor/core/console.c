/* SPDX-License-Identifier: Apache-2.0 */
#include "core/console.h"
#include "core/pcpu.h"
#include "drivers/pl011.h"
#include "lib/format.h"
#include "lib/string.h"

static struct {
	uint64_t base;
	bool present, locking;
	/* Owner CPU + 1, 0 when free: a ticket-free lock that knows its holder, so a CPU
	 * faulting inside printk can still report. */
	uint32_t owner;
	uint32_t depth;
	bool prompt_open;	/* the shell's prompt (and typing) ends the last line */
} con;

bool console_init(const struct platform *p)
{
	if (!p->uart.present || strncmp(p->uart.compatible, "arm,pl011", 9) != 0)
		return false;
	con.base = p->uart.base;
	con.present = true;
	/* With the clock known the line is set to the stdout-path baud rate (115200 when the
	 * path gives none); without it the firmware's settings are kept. */
	pl011_init(con.base, p->uart.clock_hz, p->uart.baud ? p->uart.baud : 115200);
	return true;
}

void console_enable_locking(void)
{
	con.locking = true;
}

static void lock(void)
{
	uint32_t me, free = 0;

	/* Before the MMU is on there is one CPU, no exclusives, and maybe no EL2 at all. */
	if (!con.locking)
		return;
	me = this_cpu_id() + 1;
	if (__atomic_load_n(&con.owner, __ATOMIC_RELAXED) == me) {
		con.depth++;
		return;
	}
	while (!__atomic_compare_exchange_n(&con.owner, &free, me, false, __ATOMIC_ACQUIRE,
					    __ATOMIC_RELAXED)) {
		free = 0;
		cpu_relax();
	}
	con.depth = 1;
}

static void unlock(void)
{
	if (!con.locking)
		return;
	if (--con.depth == 0)
		__atomic_store_n(&con.owner, 0, __ATOMIC_RELEASE);
}

static void put_raw(const char *s, size_t len)
{
	if (!con.present)
		return;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			pl011_putc(con.base, '\r');
		pl011_putc(con.base, s[i]);
	}
}

void console_write(const char *s, size_t len)
{
	uint64_t flags = local_irq_save();

	lock();
	/* Anything else starts on a line of its own, below the prompt. */
	if (con.prompt_open && len) {
		put_raw("\n", 1);
		con.prompt_open = false;
	}
	put_raw(s, len);
	unlock();
	local_irq_restore(flags);
}

void console_write_prompt(const char *s, size_t len)
{
	uint64_t flags = local_irq_save();

	lock();
	put_raw(s, len);
	if (len)
		con.prompt_open = s[len - 1] != '\n';
	unlock();
	local_irq_restore(flags);
}

void printk(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = ft_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;
	if (n > 0)
		console_write(buf, (size_t)n);
}

int console_getc(void)
{
	return con.present ? pl011_getc(con.base) : -1;
}

void console_panic_begin(void)
{
	uint64_t t0;

	local_irq_disable();
	if (!con.locking || __atomic_load_n(&con.owner, __ATOMIC_RELAXED) == this_cpu_id() + 1) {
		con.depth++;
		return;
	}
	/* Wait a little for another CPU to finish its line, then take the console anyway. */
	t0 = read_cntpct();
	while (__atomic_load_n(&con.owner, __ATOMIC_ACQUIRE) &&
	       read_cntpct() - t0 < read_sysreg(cntfrq_el0) / 10)
		cpu_relax();
	(void)__atomic_exchange_n(&con.owner, this_cpu_id() + 1, __ATOMIC_ACQUIRE);
	con.depth = 1;
}

void console_panic_end(void)
{
	unlock();
}
