/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fallback port for an unknown root compatible: no defaults, no quirks. Everything must
 * then come from the tree (and the timer frequency from CNTFRQ_EL0).
 */
#include "platform/board.h"

static const char *const generic_compat[] = { NULL };

const struct board board_generic = {
	.name = "generic",
	.compatibles = generic_compat,
	.default_uart_clock_hz = 0,
	.default_timer_hz = 0,
	.fixup = NULL,
};
