/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A board port: data plus a few quirk hooks, chosen by the root compatible of the firmware's
 * device tree. Each port lives in its own file in this directory and is listed in board.c.
 */
#ifndef FTVISOR_PLATFORM_BOARD_H
#define FTVISOR_PLATFORM_BOARD_H

#include "platform/platform.h"

/* A physical address range [base, last] the SoC decodes to DRAM (last inclusive: no overflow). */
struct dram_window {
	uint64_t base, last;
};

struct board {
	const char *name;		 /* short port name, e.g. "qemu-virt", "phytium-e2000" */
	const char *const *compatibles;	 /* NULL-terminated root compatibles this port matches */
	uint32_t default_uart_clock_hz;	 /* used when the tree gives no UART clock */
	uint32_t default_timer_hz;	 /* used when neither the tree nor CNTFRQ_EL0 gives one */
	/*
	 * Where the SoC has DRAM. When n_dram > 0, memory banks are clipped to these windows
	 * before anything else uses them (tree_mem keeps the tree's view). NULL/0: trust the tree.
	 */
	const struct dram_window *dram;
	uint32_t n_dram;
	/*
	 * Adjust the description after parsing (extra reserved memory, ...). May be NULL.
	 * Returns 0 or a negative plat_error (PLAT_ETOOMANY when the reserved table is full),
	 * which fails the discovery: a lost reservation would hand firmware memory to a VM.
	 */
	int (*fixup)(struct platform *p);
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

/*
 * For quirks: reserves [base, base + size) as kind unless one reserved range already covers
 * all of it (e.g. the tree's own /memreserve/). True when covered or added.
 */
bool platform_reserve_unless_covered(struct platform *p, uint64_t base, uint64_t size,
				     enum reserved_kind kind);

/*
 * Shared by the Phytium ports (defined in board.c; facts in docs from FACTS.md sections 1.1,
 * 1.2, 1.4). The DRAM windows: low 0x8000_0000-0xFFFF_FFFF, high from 0x20_0000_0000 (no
 * documented end).
 */
#define PHYTIUM_MEMRESERVE_BASE 0x80000000ULL	/* /memreserve/ of every board DTS, 64 KiB */
#define PHYTIUM_MEMRESERVE_SIZE 0x10000ULL
#define PHYTIUM_PBF_BASE 0xfc000000ULL		/* top 64 MiB of the low window: PBF runtime */
#define PHYTIUM_PBF_SIZE 0x4000000ULL
#define PHYTIUM_N_DRAM_WINDOWS 2
extern const struct dram_window phytium_dram_windows[PHYTIUM_N_DRAM_WINDOWS];

/*
 * Keeps the firmware's 64 KiB at 0x8000_0000 out of every VM even when the tree lacks its
 * /memreserve/ (RSV_BOARD then), and the PBF runtime area too when pbf is set. 0 or
 * PLAT_ETOOMANY.
 */
int phytium_reserve_firmware(struct platform *p, bool pbf);

#endif
