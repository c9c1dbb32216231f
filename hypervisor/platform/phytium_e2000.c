/* SPDX-License-Identifier: Apache-2.0 */
/* Phytium E2000 family (E2000Q/D/S, Phytium Pi): PE2204, PE2202, PE2201. */
#include "platform/board.h"

static const char *const e2000_compat[] = {
	"phytium,pe2204", "phytium,pe2202", "phytium,pe2201", "phytium,pe220x", NULL,
};

const struct board board_phytium_e2000 = {
	.name = "phytium-e2000",
	.compatibles = e2000_compat,
	.default_uart_clock_hz = 100000000,	/* PL011s run from the 100 MHz fixed clock */
	.default_timer_hz = 50000000,
	/*
	 * No fixup yet. Board quirks (firmware runtime memory the kernel tree does not
	 * describe, ...) are added by a later change.
	 */
	.fixup = NULL,
};
