/* SPDX-License-Identifier: Apache-2.0 */
/* Phytium FT-2000/4. */
#include "platform/board.h"

static const char *const ft2004_compat[] = { "phytium,ft-2004", "phytium,ft2004", NULL };

const struct board board_phytium_ft2004 = {
	.name = "phytium-ft2004",
	.compatibles = ft2004_compat,
	.default_uart_clock_hz = 48000000,
	.default_timer_hz = 48000000,
	.fixup = NULL,
};
