/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A board port: data plus a few quirk hooks, chosen by the root compatible of the firmware's
 * device tree. Each port lives in its own file in this directory and is listed in board.c.
 */
#ifndef FTVISOR_PLATFORM_BOARD_H
#define FTVISOR_PLATFORM_BOARD_H

#include "platform/platform.h"

struct board {
	const char *name;		 /* short port name, e.g. "qemu-virt", "phytium-e2000" */
	const char *const *compatibles;	 /* NULL-terminated root compatibles this port matches */
	uint32_t default_uart_clock_hz;	 /* used when the tree gives no UART clock */
	uint32_t default_timer_hz;	 /* used when neither the tree nor CNTFRQ_EL0 gives one */
	/* Adjust the description after parsing (extra reserved memory, ...). May be NULL. */
	void (*fixup)(struct platform *p);
};

/* The ports, one file each; board_generic is the fallback that matches nothing. */
extern const struct board board_qemu_virt;
extern const struct board board_phytium_e2000;
extern const struct board board_phytium_ft2004;
extern const struct board board_phytium_d2000;
extern const struct board board_generic;

/* The port for this root compatible list (a NUL-separated string list of total length len). */
const struct board *board_match(const char *compat_list, size_t len);

/*
 * Appends a reserved range from a quirk; false when the table is full (or the range is empty
 * or wraps past 2^64). platform_discover() sorts the table after the fixup.
 */
bool platform_add_reserved(struct platform *p, uint64_t base, uint64_t size, enum reserved_kind kind);

#endif
