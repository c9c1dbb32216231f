/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Phytium FT-2000/4 (4 x FTC663). Quirks with their FACTS.md sections:
 * - memory: the board DTS banks are placeholders (0x8000_0000 + 4 GiB, 0x20_0000_0000 +
 *   4 GiB); banks are clipped to the 32-bit window (ends at 4 GiB) and the 64-bit window
 *   (1.2 [V] for the windows; that nothing in 0x1_0000_0000-0x1_7FFF_FFFF is RAM is [I]).
 * - firmware memory: /memreserve/ 0x8000_0000 64 KiB (1.1 [V]) and 0xFC00_0000-0xFFFF_FFFF,
 *   which the FT-2000/4C DTS comment calls "reserved for PBF runtime" (1.4 [I]: a sibling
 *   board's comment, not verified on an FT-2000/4).
 * - clocks: PL011 48 MHz, timer 48 MHz (1.2, 0.9 [V]).
 */
#include "platform/board.h"

static const char *const ft2004_compat[] = { "phytium,ft-2004", "phytium,ft2004", NULL };

static int ft2004_fixup(struct platform *p)
{
	/* FACTS.md 1.1 [V] memreserve; 1.4 [I] "4GiB-64MiB ~ 4GiB is reserved for PBF runtime". */
	return phytium_reserve_firmware(p, true);
}

const struct board board_phytium_ft2004 = {
	.name = "phytium-ft2004",
	.compatibles = ft2004_compat,
	.default_uart_clock_hz = 48000000,	/* FACTS.md 1.2 [V] */
	.default_timer_hz = 48000000,		/* FACTS.md 0.9, 1.2 [V] */
	.dram = phytium_dram_windows,		/* FACTS.md 1.2 [V] windows */
	.n_dram = PHYTIUM_N_DRAM_WINDOWS,
	.fixup = ft2004_fixup,
};
