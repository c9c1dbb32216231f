/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Phytium D2000 (8 x FTC663, 4 clusters). Quirks with their FACTS.md sections:
 * - memory: same placeholder banks and DRAM windows as FT-2000/4 (1.2, 1.3 [V] windows;
 *   [I] that the 32-bit window ends at 4 GiB).
 * - firmware memory: /memreserve/ 0x8000_0000 64 KiB (1.1 [V]). No PBF runtime area is
 *   reserved: FACTS.md documents one for E2000 and FT-2000/4C only (1.4), none for D2000
 *   [U: check on hardware whether 0xFC00_0000-0xFFFF_FFFF is firmware-owned here too].
 * - clocks: PL011 48 MHz, timer 48 MHz (1.3, 0.9 [V]).
 */
#include "platform/board.h"

static const char *const d2000_compat[] = { "phytium,d2000", NULL };

static int d2000_fixup(struct platform *p)
{
	/* FACTS.md 1.1 [V] memreserve only; no documented PBF area (1.4) [U]. */
	return phytium_reserve_firmware(p, false);
}

const struct board board_phytium_d2000 = {
	.name = "phytium-d2000",
	.compatibles = d2000_compat,
	.default_uart_clock_hz = 48000000,	/* FACTS.md 1.3 (as FT-2000/4) [V] */
	.default_timer_hz = 48000000,		/* FACTS.md 0.9, 1.3 [V] */
	.dram = phytium_dram_windows,		/* FACTS.md 1.2/1.3 [V] windows */
	.n_dram = PHYTIUM_N_DRAM_WINDOWS,
	.fixup = d2000_fixup,
};
