/* SPDX-License-Identifier: Apache-2.0 */
#include "core/vconsole.h"
#include "core/console.h"
#include "lib/string.h"

void vconsole_init(struct vconsole *c, const char *name, bool tagged)
{
	memset(c, 0, sizeof(*c));
	c->name = name;
	c->tagged = tagged;
	spin_lock_init(&c->lock);
}

static void emit_line(struct vconsole *c)
{
	if (c->tagged)
		printk("[%s] %.*s\n", c->name, (int)c->line_len, c->line);
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
