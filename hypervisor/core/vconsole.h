/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A VM's console output: kept in a ring buffer (nothing is lost whoever watches) and written
 * to the physical console, one whole line at a time, prefixed "[name] " in tagged mode.
 * With ftvisor.console_stamps on the hypervisor's command line, the prefix also carries the
 * time the line was completed: "[name] @<us since counter zero>us " (`make bench`).
 */
#ifndef FTVISOR_CORE_VCONSOLE_H
#define FTVISOR_CORE_VCONSOLE_H

#include "lib/compiler.h"
#include "lib/spinlock.h"

#define VCONSOLE_RING 16384
#define VCONSOLE_LINE 160

struct vconsole {
	const char *name;
	bool tagged;
	struct spinlock lock;
	uint64_t written;		/* bytes ever written; ring holds the last VCONSOLE_RING */
	char ring[VCONSOLE_RING];
	uint32_t writer;		/* vCPU that wrote the last byte */
	uint32_t line_len;
	char line[VCONSOLE_LINE];
};

void vconsole_init(struct vconsole *c, const char *name, bool tagged);
void vconsole_putc(struct vconsole *c, char ch, uint32_t vcpu);
/* Write out a partial line (when the VM stops). */
void vconsole_flush(struct vconsole *c);
/* vCPU vcpu went idle: if it wrote the partial line (a shell prompt, say), show it now. */
void vconsole_idle(struct vconsole *c, uint32_t vcpu);

#endif
