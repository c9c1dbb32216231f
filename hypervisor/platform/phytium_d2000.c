/* SPDX-License-Identifier: Apache-2.0 */
/* Phytium D2000. */
#include "platform/board.h"

static const char *const d2000_compat[] = { "phytium,d2000", NULL };

const struct board board_phytium_d2000 = {
	.name = "phytium-d2000",
	.compatibles = d2000_compat,
	.default_uart_clock_hz = 48000000,
	.default_timer_hz = 48000000,
	.fixup = NULL,
};
