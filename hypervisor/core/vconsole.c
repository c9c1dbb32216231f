/* SPDX-License-Identifier: Apache-2.0 */
#include "core/vconsole.h"
#include "arch/arch.h"
#include "core/console.h"
#include "core/pcpu.h"
#include "lib/cmdline.h"
#include "lib/string.h"

/*
 * ftvisor.console_stamps (bare, or any value but 0) on the hypervisor's command line: every
 * VM console line carries the counter time it was written out at, in microseconds since the
 * counter's zero (QEMU: machine reset), "[name] @123456us text" (`make bench`'s boot times).
 */
static bool stamps, stamps_known;

static bool stamps_on(void)
{
	char v[4];

	if (!stamps_known) {
		stamps = hyp_platform &&
			 cmdline_get(hyp_platform->bootargs, "ftvisor.console_stamps", v, sizeof(v)) &&
			 strcmp(v, "0") != 0;
		stamps_known = true;
	}
	return stamps;
}

void vconsole_init(struct vconsole *c, const char *name, bool tagged)
{
	memset(c, 0, sizeof(*c));
	c->name = name;
	c->tagged = tagged;
	spin_lock_init(&c->lock);
	(void)stamps_on(); /* read the option at VM creation, not on a guest's exit path */
}

static void emit_line(struct vconsole *c)
{
	bool st = stamps_on();

	if (c->tagged && st)
		printk("[%s] @%luus %.*s\n", c->name, arch_counter_us(arch_counter()), (int)c->line_len, c->line);
	else if (c->tagged)
		printk("[%s] %.*s\n", c->name, (int)c->line_len, c->line);
	else if (st)
		printk("@%luus %.*s\n", arch_counter_us(arch_counter()), (int)c->line_len, c->line);
	else
		printk("%.*s\n", (int)c->line_len, c->line);
	c->line_len = 0;
}

void vconsole_putc(struct vconsole *c, char ch, uint32_t vcpu)
{
	spin_lock(&c->lock);
	c->writer = vcpu;
	c->ring[c->written++ % VCONSOLE_RING] = ch;
	if (ch == '\n') {
		emit_line(c);
	} else if (ch != '\r') {
		c->line[c->line_len++] = ch;
		if (c->line_len == VCONSOLE_LINE)
			emit_line(c); /* an overlong line is split, never dropped */
	}
	spin_unlock(&c->lock);
}

void vconsole_flush(struct vconsole *c)
{
	spin_lock(&c->lock);
	if (c->line_len)
		emit_line(c);
	spin_unlock(&c->lock);
}

void vconsole_idle(struct vconsole *c, uint32_t vcpu)
{
	/* Another vCPU idling says nothing about a line still being written. */
	spin_lock(&c->lock);
	if (c->line_len && c->writer == vcpu)
		emit_line(c);
	spin_unlock(&c->lock);
}
