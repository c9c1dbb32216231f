/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Phytium E2000 family (E2000Q/D/S, Phytium Pi): PE2204, PE2202, PE2201. Quirks, each with
 * the section of /work/shared/phytium/FACTS.md (kept in the docs) it rests on:
 * - memory: the kernel-tree memory node is a placeholder (0x8000_0000 + 8 GiB on the Pi)
 *   covering the QSPI flash window at 0x1_0000_0000: banks are clipped to the two DRAM
 *   windows (0.6, 1.1 [V]); U-Boot's rewritten banks (1.4) fall inside them unchanged.
 * - firmware memory: /memreserve/ 0x8000_0000 64 KiB (1.1 [V]) and the PBF runtime area
 *   0xFC00_0000-0xFFFF_FFFF (0.6, 1.4 [I]: very likely, not verified on hardware).
 * - clocks: PL011 UARTCLK 100 MHz (0.8 [V]), generic timer 50 MHz (0.9 [V]), when the tree
 *   has none.
 * - CPUs: the boot CPU is MPIDR 0x200 (0.1 [V]) and the GICR region is larger than the CPU
 *   count on E2000D/S (1.1 [I]); nothing here depends on either: redistributors are found by
 *   GICR_TYPER affinity, CPUs by MPIDR.
 */
#include "platform/board.h"

static const char *const e2000_compat[] = {
	"phytium,pe2204", "phytium,pe2202", "phytium,pe2201", "phytium,pe220x", NULL,
};

static int e2000_fixup(struct platform *p)
{
	/* FACTS.md 0.6/1.1 [V] memreserve; 1.4 [I] PBF runtime in the top 64 MiB of the low window. */
	return phytium_reserve_firmware(p, true);
}

const struct board board_phytium_e2000 = {
	.name = "phytium-e2000",
	.compatibles = e2000_compat,
	.default_uart_clock_hz = 100000000,	/* FACTS.md 0.8 [V]: PL011s run from a 100 MHz clock */
	.default_timer_hz = 50000000,		/* FACTS.md 0.9 [V] (BogoMIPS 100, 2.1) */
	.dram = phytium_dram_windows,		/* FACTS.md 0.6/1.1 [V]: split DRAM, QSPI not RAM */
	.n_dram = PHYTIUM_N_DRAM_WINDOWS,
	.fixup = e2000_fixup,
};
