/* SPDX-License-Identifier: Apache-2.0 */
/*
 * platform_discover() against every board tree in tests/data/dtb (copies of
 * /work/shared/phytium/dtb plus QEMU's; expected values from the board facts and the trees
 * read with dtc/fdtget, not from this code's output), against crafted trees for each
 * rule, and against truncated or corrupted blobs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fdt_builder.h"
#include "platform/board.h"
#include "platform/platform.h"

static uint64_t out_buf[16384]; /* 128 KiB, 8-byte aligned */
static struct platform plat;
static char err[128];

/* ---- the real trees ---- */

/*
 * Expected descriptions, written from the board facts (/work/shared/phytium/FACTS.md and the
 * board sources), not from this code's output:
 * - E2000 (Phytium Pi, E2000Q/D/S demo boards): DRAM windows 0x8000_0000-0xFFFF_FFFF and
 *   from 0x20_0000_0000 (FACTS 0.6/1.1), so the Pi's placeholder 0x8000_0000 + 8 GiB is RAM
 *   only up to 4 GiB (0x1_0000_0000-0x1_7FFF_FFFF is QSPI flash); /memreserve/ 0x8000_0000
 *   64 KiB; PBF runtime 0xFC00_0000-0xFFFF_FFFF (FACTS 1.4, [I]); GICD 0x3080_0000, GICR
 *   0x3088_0000 + 0x80000; console UART1 0x2800_D000, 100 MHz, SPI 84; timer 50 MHz; CPUs
 *   0x200/0x201 FTC310 and 0x0/0x100 FTC664 (FACTS 0.1/2.2).
 * - FT-2000/4 (FACTS 1.2): same windows, placeholders 0x8000_0000 + 4 GiB and
 *   0x20_0000_0000 + 4 GiB; PBF as on FT-2000/4C (FACTS 1.4 [I]); GICD 0x2990_0000, GICR
 *   0x2998_0000 + 0x80000; UART1 0x2800_1000, 48 MHz, SPI 7; timer 48 MHz; 4 x FTC663.
 * - D2000 (FACTS 1.3): as FT-2000/4 but no documented PBF area; GICD 0x29A0_0000, GICR
 *   0x29B0_0000 + 0x100000; 8 x FTC663 in 4 clusters.
 * - QEMU virt: no windows, no quirks; Cortex-A72 (tests/system runs -cpu cortex-a72).
 */
struct rsv_expect {
	uint64_t base, size;
	enum reserved_kind kind;
};

struct expect {
	const char *file, *compat, *model, *board;
	uint32_t n_tree_mem;
	struct mem_range tree_mem[2];
	uint32_t n_mem;
	struct mem_range mem[2];
	uint32_t n_rsv;
	struct rsv_expect rsv[2];
	uint32_t n_usable;
	struct mem_range usable[2];
	uint32_t n_cpus;
	uint64_t mpidr[18];
	enum plat_core_type core[18];	/* all CORE_CORTEX_A72 when core[0] is 0 (QEMU) */
	uint64_t gicd, gicd_size, gicr, gicr_size;
	uint64_t uart_base;
	uint32_t uart_clock, baud, uart_intid;
	uint32_t timer_hz, timer_expected_hz;
};

#define MEMRESERVE { 0x80000000, 0x10000, RSV_MEMRESERVE }
#define PBF { 0xfc000000, 0x4000000, RSV_BOARD }
#define E2000_LOW { 0x80000000, 0x80000000 }
#define E2000_USABLE { 0x80010000, 0xfc000000 - 0x80010000 }
#define E2000_GIC 0x30800000, 0x20000, 0x30880000, 0x80000
#define E2000_UART 0x2800d000, 100000000, 115200, 32 + 84
#define E2000_TIMER 50000000, 50000000
#define E2000Q_CPUS 4, { 0x200, 0x201, 0x0, 0x100 }, \
	{ CORE_FTC310, CORE_FTC310, CORE_FTC664, CORE_FTC664 }
#define FT_PLACEHOLDERS 2, { { 0x80000000, 0x100000000 }, { 0x2000000000, 0x100000000 } }
#define FT_MEM 2, { { 0x80000000, 0x80000000 }, { 0x2000000000, 0x100000000 } }
#define FT_UART 0x28001000, 48000000, 115200, 32 + 7
#define FT_TIMER 48000000, 48000000
#define QEMU_GIC 0x8000000, 0x10000, 0x80a0000, 0xf60000
#define QEMU_UART 0x9000000, 24000000, 0, 32 + 1
#define QEMU_TIMER 0, 62500000	/* no clock-frequency in QEMU's tree: the port's value */

static const struct expect expects[] = {
	{
		"phytiumpi_firefly-linux6.6.dtb", "phytium,pe2204", "Phytium Pi Board",
		"phytium-e2000",
		1, { { 0x80000000, 0x200000000 } },	/* the 8 GiB placeholder */
		1, { E2000_LOW },
		2, { MEMRESERVE, PBF },
		1, { E2000_USABLE },
		E2000Q_CPUS,
		E2000_GIC, E2000_UART, E2000_TIMER,
	},
	{
		"phytiumpi_firefly-linux5.10.dtb", "phytium,pe2204", "Phytium Pi Board",
		"phytium-e2000",
		1, { { 0x80000000, 0x200000000 } },
		1, { E2000_LOW },
		2, { MEMRESERVE, PBF },
		1, { E2000_USABLE },
		E2000Q_CPUS,
		E2000_GIC, E2000_UART, E2000_TIMER,
	},
	{
		"e2000q-demo-board-linux5.10.dtb", "phytium,pe2204", "Pe2204 DEMO DDR4",
		"phytium-e2000",
		1, { E2000_LOW },
		1, { E2000_LOW },
		2, { MEMRESERVE, PBF },
		1, { E2000_USABLE },
		E2000Q_CPUS,
		E2000_GIC, E2000_UART, E2000_TIMER,
	},
	{
		"e2000d-demo-board-linux5.10.dtb", "phytium,pe2202", "Pe2202 DEMO DDR4",
		"phytium-e2000",
		1, { E2000_LOW },
		1, { E2000_LOW },
		2, { MEMRESERVE, PBF },
		1, { E2000_USABLE },
		2, { 0x200, 0x201 }, { CORE_FTC310, CORE_FTC310 },
		E2000_GIC, E2000_UART, E2000_TIMER,
	},
	{
		"e2000s-demo-board-linux5.10.dtb", "phytium,pe2201", "Pe2201 DEMO DDR4",
		"phytium-e2000",
		1, { E2000_LOW },
		1, { E2000_LOW },
		2, { MEMRESERVE, PBF },
		1, { E2000_USABLE },
		1, { 0x200 }, { CORE_FTC310 },
		E2000_GIC, E2000_UART, E2000_TIMER,
	},
	{
		"ft2004-devboard-d4-dsk-linux4.19.dtb", "phytium,ft-2004",
		"FT-2000/4-D4-DSK Development Board", "phytium-ft2004",
		FT_PLACEHOLDERS,
		FT_MEM,
		2, { MEMRESERVE, PBF },
		2, { { 0x80010000, 0xfc000000 - 0x80010000 }, { 0x2000000000, 0x100000000 } },
		4, { 0x0, 0x1, 0x100, 0x101 },
		{ CORE_FTC663, CORE_FTC663, CORE_FTC663, CORE_FTC663 },
		0x29900000, 0x20000, 0x29980000, 0x80000,
		FT_UART, FT_TIMER,
	},
	{
		"d2000-devboard-dsk-linux4.19.dtb", "phytium,d2000", "D2000 Development Board",
		"phytium-d2000",
		FT_PLACEHOLDERS,
		FT_MEM,
		1, { MEMRESERVE },	/* no documented PBF area on D2000 */
		2, { { 0x80010000, 0x7fff0000 }, { 0x2000000000, 0x100000000 } },
		8, { 0x0, 0x1, 0x100, 0x101, 0x200, 0x201, 0x300, 0x301 },
		{ CORE_FTC663, CORE_FTC663, CORE_FTC663, CORE_FTC663, CORE_FTC663, CORE_FTC663,
		  CORE_FTC663, CORE_FTC663 },
		0x29a00000, 0x20000, 0x29b00000, 0x100000,
		FT_UART, FT_TIMER,
	},
	{
		"qemu-virt-smp4-2G.dtb", "linux,dummy-virt", "linux,dummy-virt", "qemu-virt",
		1, { { 0x40000000, 0x80000000 } },
		1, { { 0x40000000, 0x80000000 } },
		0, { },
		1, { { 0x40000000, 0x80000000 } },
		4, { 0, 1, 2, 3 }, { 0 },
		QEMU_GIC, QEMU_UART, QEMU_TIMER,
	},
	{
		"qemu-virt-smp18-1G.dtb", "linux,dummy-virt", "linux,dummy-virt", "qemu-virt",
		1, { { 0x40000000, 0x40000000 } },
		1, { { 0x40000000, 0x40000000 } },
		0, { },
		1, { { 0x40000000, 0x40000000 } },
		18, { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0x100, 0x101 }, { 0 },
		QEMU_GIC, QEMU_UART, QEMU_TIMER,
	},
	{
		"qemu-virt-smp1-256M.dtb", "linux,dummy-virt", "linux,dummy-virt", "qemu-virt",
		1, { { 0x40000000, 0x10000000 } },
		1, { { 0x40000000, 0x10000000 } },
		0, { },
		1, { { 0x40000000, 0x10000000 } },
		1, { 0 }, { 0 },
		QEMU_GIC, QEMU_UART, QEMU_TIMER,
	},
};

/* The MIDR each core type reports (FACTS 0.2 / 2.1 for Phytium; QEMU's Cortex-A72). */
static uint32_t expected_midr(enum plat_core_type t)
{
	switch (t) {
	case CORE_FTC310: return 0x700f3034;
	case CORE_FTC664: return 0x701f6643;
	case CORE_FTC663: return 0x701f6633;
	case CORE_CORTEX_A72: return 0x410fd083;
	default: return 0;
	}
}

static const char *expected_cpu_compat(enum plat_core_type t)
{
	switch (t) {
	case CORE_FTC310: return "phytium,ftc310";
	case CORE_FTC664: return "phytium,ftc664";
	case CORE_FTC663: return "phytium,ftc663";
	case CORE_CORTEX_A72: return "arm,cortex-a72";
	default: return "";
	}
}

/*
 * Every CPU in turn as the boot CPU: it finds its own index by MPIDR, and a redistributor
 * search by GICR_TYPER affinity over frames laid out in any order (here: reversed, as the
 * description promises nothing about the order) finds one frame per CPU inside the declared
 * GICR region, whichever CPU searches first.
 */
static void check_boot_cpus(const struct expect *e)
{
	uint64_t frames[PLAT_MAX_CPUS]; /* GICR_TYPER.Affinity of frame k */
	uint32_t n = plat.n_cpus, b, i, k, hit;
	uint64_t aff;

	assert_true((uint64_t)n * 0x20000 <= plat.gic.gicr[0].size);
	for (k = 0; k < n; k++) {
		aff = plat.cpus[n - 1 - k].mpidr;
		frames[k] = (aff >> 32 & 0xff) << 24 | (aff & 0xffffff);
	}
	for (b = 0; b < n; b++) {
		assert_int_equal(platform_cpu_index(&plat, e->mpidr[b]), (int)b);
		/* MPIDR_EL1 as read on that CPU: RES1 bit 31 (and U/MT bits) must not matter. */
		assert_int_equal(platform_cpu_index(&plat, e->mpidr[b] | 0x80000000ULL), (int)b);
		for (i = 0; i < n; i++) {
			aff = plat.cpus[(b + i) % n].mpidr;
			aff = (aff >> 32 & 0xff) << 24 | (aff & 0xffffff);
			for (k = 0, hit = n; k < n; k++)
				if (frames[k] == aff)
					hit = hit == n ? k : n + 1;
			assert_true(hit < n); /* exactly one frame */
		}
	}
}

static void check_tree(const struct expect *e)
{
	enum plat_core_type core;
	uint8_t *buf;
	size_t len;
	uint32_t i, j;
	int r;

	buf = fb_load(e->file, &len);
	r = platform_discover(buf, len, &plat, err, sizeof(err));
	if (r)
		fail_msg("%s: %d %s", e->file, r, err);
	assert_string_equal(err, "");
	assert_string_equal(plat.compatible, e->compat);
	assert_string_equal(plat.model, e->model);
	assert_string_equal(plat.board->name, e->board);

	assert_int_equal(plat.n_tree_mem, e->n_tree_mem);
	for (i = 0; i < e->n_tree_mem; i++) {
		assert_int_equal(plat.tree_mem[i].base, e->tree_mem[i].base);
		assert_int_equal(plat.tree_mem[i].size, e->tree_mem[i].size);
	}
	assert_int_equal(plat.n_mem, e->n_mem);
	for (i = 0; i < e->n_mem; i++) {
		assert_int_equal(plat.mem[i].base, e->mem[i].base);
		assert_int_equal(plat.mem[i].size, e->mem[i].size);
	}
	assert_int_equal(plat.n_reserved, e->n_rsv);
	for (i = 0; i < e->n_rsv; i++) {
		assert_int_equal(plat.reserved[i].base, e->rsv[i].base);
		assert_int_equal(plat.reserved[i].size, e->rsv[i].size);
		assert_int_equal(plat.reserved[i].kind, e->rsv[i].kind);
	}
	assert_int_equal(plat.n_usable, e->n_usable);
	for (i = 0; i < e->n_usable; i++) {
		assert_int_equal(plat.usable[i].base, e->usable[i].base);
		assert_int_equal(plat.usable[i].size, e->usable[i].size);
		/* Never flash: the E2000 QSPI windows 0-0x0FFF_FFFF and 0x1_0000_0000-0x1_7FFF_FFFF. */
		assert_true(plat.usable[i].base >= 0x10000000);
		assert_true(plat.usable[i].base + plat.usable[i].size <= 0x100000000ULL ||
			    plat.usable[i].base >= 0x180000000ULL);
	}

	assert_int_equal(plat.n_cpus, e->n_cpus);
	for (i = 0; i < e->n_cpus; i++) {
		core = e->core[0] ? e->core[i] : CORE_CORTEX_A72;
		assert_int_equal(plat.cpus[i].mpidr, e->mpidr[i]);
		assert_int_equal(plat.cpus[i].core, core);
		assert_int_equal(plat.cpus[i].midr, expected_midr(core));
		assert_string_equal(plat.cpus[i].compatible, expected_cpu_compat(core));
		for (j = 0; j < e->n_cpus; j++)
			assert_int_equal(platform_cpus_same_type(&plat, i, j),
					 core == (e->core[0] ? e->core[j] : CORE_CORTEX_A72));
	}

	assert_int_equal(plat.gic.version, 3);
	assert_int_equal(plat.gic.gicd_base, e->gicd);
	assert_int_equal(plat.gic.gicd_size, e->gicd_size);
	assert_int_equal(plat.gic.n_gicr, 1);
	assert_int_equal(plat.gic.gicr[0].base, e->gicr);
	assert_int_equal(plat.gic.gicr[0].size, e->gicr_size);
	assert_int_equal(plat.gic.gicr_stride, 0);
	assert_int_equal(plat.gic.maintenance_intid, 25); /* PPI 9 (FACTS 0.5) */
	check_boot_cpus(e);

	assert_true(plat.uart.present);
	assert_string_equal(plat.uart.compatible, "arm,pl011");
	assert_int_equal(plat.uart.base, e->uart_base);
	assert_int_equal(plat.uart.size, 0x1000);
	assert_int_equal(plat.uart.clock_hz, e->uart_clock);
	assert_int_equal(plat.uart.baud, e->baud);
	assert_int_equal(plat.uart.intid, e->uart_intid);

	/* Every tree: <1 13> <1 14> <1 11> <1 10>; no EL2 virtual timer (PPI 12). */
	assert_int_equal(plat.timer.freq_hz, e->timer_hz);
	assert_int_equal(plat.timer.expected_hz, e->timer_expected_hz);
	assert_int_equal(plat.timer.intid_sec_phys, 29);
	assert_int_equal(plat.timer.intid_phys, 30);
	assert_int_equal(plat.timer.intid_virt, 27);
	assert_int_equal(plat.timer.intid_hyp_phys, 26);

	assert_int_equal(plat.psci, PSCI_SMC);
	assert_int_equal(plat.psci_cpu_on, 0xc4000003);
	assert_string_equal(plat.bootargs, "");
	free(buf);
}

static void test_real_trees(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(expects); i++)
		check_tree(&expects[i]);
}

/* ---- crafted trees ---- */

/* Closes whatever nodes are still open (the root, usually), then discovers. */
static int discover(struct fdtb *b)
{
	size_t len;

	fb_close_all(b);
	len = fb_finish(b, out_buf, sizeof(out_buf));

	return platform_discover(out_buf, len, &plat, err, sizeof(err));
}

static void root_begin(struct fdtb *b, const char *compat)
{
	fb_begin(b, "");
	if (compat)
		fb_prop_str(b, "compatible", compat);
	fb_prop_u32(b, "#address-cells", 2);
	fb_prop_u32(b, "#size-cells", 2);
}

static void memory_node(struct fdtb *b)
{
	fb_begin(b, "memory@40000000");
	fb_prop_str(b, "device_type", "memory");
	fb_prop_cells(b, "reg", 4, 0, 0x40000000, 0, 0x40000000);
	fb_end(b);
}

static void cpus_node(struct fdtb *b, int n)
{
	char name[16];
	int i;

	fb_begin(b, "cpus");
	fb_prop_u32(b, "#address-cells", 1);
	fb_prop_u32(b, "#size-cells", 0);
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "cpu@%x", i);
		fb_begin(b, name);
		fb_prop_str(b, "device_type", "cpu");
		fb_prop_u32(b, "reg", (uint32_t)i);
		fb_end(b);
	}
	fb_end(b);
}

/* 1 GiB at 0x8000_0000: inside the Phytium ports' low DRAM window. */
static void phytium_memory_node(struct fdtb *b)
{
	fb_begin(b, "memory@80000000");
	fb_prop_str(b, "device_type", "memory");
	fb_prop_cells(b, "reg", 4, 0, 0x80000000, 0, 0x40000000);
	fb_end(b);
}

/* A minimal good tree: root, memory (where the board port has DRAM), one CPU. */
static struct fdtb *minimal(const char *compat)
{
	struct fdtb *b = fb_new();

	root_begin(b, compat);
	if (compat && !strncmp(compat, "phytium,", 8))
		phytium_memory_node(b);
	else
		memory_node(b);
	cpus_node(b, 1);
	return b;
}

static void expect_fail(struct fdtb *b, int code, const char *msg_part)
{
	int r = discover(b);

	if (r != code)
		fail_msg("expected %d, got %d (%s)", code, r, err);
	if (msg_part && !strstr(err, msg_part))
		fail_msg("message \"%s\" lacks \"%s\"", err, msg_part);
	assert_true(strlen(err) > 0);
	free(b);
}

static void expect_ok(struct fdtb *b)
{
	int r = discover(b);

	if (r)
		fail_msg("expected success, got %d (%s)", r, err);
	free(b);
}

static void test_minimal(void **state)
{
	(void)state;
	expect_ok(minimal(NULL));
	assert_string_equal(plat.compatible, "");
	assert_string_equal(plat.model, "");
	assert_string_equal(plat.board->name, "generic");
	assert_int_equal(plat.n_cpus, 1);
	assert_int_equal(plat.gic.version, 0);
	assert_false(plat.uart.present);
	assert_int_equal(plat.psci, PSCI_NONE);
	assert_int_equal(plat.psci_cpu_on, 0);
	assert_int_equal(plat.timer.freq_hz, 0);
	assert_int_equal(plat.timer.intid_phys, 0);
	assert_int_equal(plat.n_usable, 1);
	assert_int_equal(plat.usable[0].base, 0x40000000);
	assert_int_equal(plat.usable[0].size, 0x40000000);
}

static void test_memory_and_reserved(void **state)
{
	static const struct mem_range mem[] = {
		{ 0x10000000, 0x18000000 }, { 0x28000000, 0x1000000 }, { 0x30000000, 0x1000000 },
	};
	static const struct reserved_range rsv[] = {
		{ 0x10000800, 0x1000, RSV_MEMRESERVE },
		{ 0x14000000, 0x100000, RSV_RESERVED_MEMORY },
		{ 0x27fff000, 0x2000, RSV_RESERVED_MEMORY },
		{ 0x28000000, 0x800, RSV_RESERVED_MEMORY },
		{ 0x30ffff00, 0x100000, RSV_MEMRESERVE },
	};
	static const struct mem_range usable[] = {
		{ 0x10002000, 0x3ffe000 },
		{ 0x14100000, 0x13eff000 },
		{ 0x28001000, 0xfff000 },
		{ 0x30000000, 0xfff000 },
	};
	struct fdtb *b = fb_new();
	uint32_t i;

	(void)state;
	fb_rsv(b, 0x10000800, 0x1000);
	fb_rsv(b, 0x30ffff00, 0x100000);
	fb_rsv(b, 0x50000000, 0); /* empty: ignored (the terminator is a separate entry) */
	root_begin(b, NULL);
	fb_begin(b, "memory@30000000"); /* out of order */
	fb_prop_str(b, "device_type", "memory");
	fb_prop_cells(b, "reg", 4, 0, 0x30000000, 0, 0x1000000);
	fb_end(b);
	fb_begin(b, "memory@10000000"); /* two overlapping entries and an empty one */
	fb_prop_str(b, "device_type", "memory");
	fb_prop_cells(b, "reg", 12, 0, 0x10000000, 0, 0x10000000, 0, 0x18000000, 0, 0x10000000,
		      0, 0x80000000, 0, 0);
	fb_end(b);
	fb_begin(b, "ram@28000000"); /* adjacent: kept separate; any name with the type */
	fb_prop_str(b, "device_type", "memory");
	fb_prop_cells(b, "reg", 4, 0, 0x28000000, 0, 0x1000000);
	fb_end(b);
	fb_begin(b, "memory@90000000");
	fb_prop_str(b, "device_type", "memory");
	fb_prop_str(b, "status", "disabled");
	fb_prop_cells(b, "reg", 4, 0, 0x90000000, 0, 0x1000000);
	fb_end(b);
	fb_begin(b, "memory@a0000000"); /* no device_type */
	fb_prop_cells(b, "reg", 4, 0, 0xa0000000, 0, 0x1000000);
	fb_end(b);
	fb_begin(b, "soc");
	fb_begin(b, "memory@b0000000"); /* not directly under the root */
	fb_prop_str(b, "device_type", "memory");
	fb_prop_cells(b, "reg", 4, 0, 0xb0000000, 0, 0x1000000);
	fb_end(b);
	fb_end(b);
	fb_begin(b, "reserved-memory");
	fb_prop_u32(b, "#address-cells", 1);
	fb_prop_u32(b, "#size-cells", 1);
	fb_prop_empty(b, "ranges");
	fb_begin(b, "fw@14000000");
	fb_prop_cells(b, "reg", 2, 0x14000000, 0x100000);
	fb_prop_empty(b, "no-map");
	fb_end(b);
	fb_begin(b, "pool");
	fb_prop_u32(b, "size", 0x100000);
	fb_end(b);
	fb_begin(b, "off@16000000");
	fb_prop_str(b, "status", "disabled");
	fb_prop_cells(b, "reg", 2, 0x16000000, 0x1000);
	fb_end(b);
	fb_begin(b, "two@27fff000");
	fb_prop_cells(b, "reg", 4, 0x27fff000, 0x2000, 0x28000000, 0x800);
	fb_end(b);
	fb_end(b);
	cpus_node(b, 1);
	expect_ok(b);

	assert_int_equal(plat.n_mem, ARRAY_SIZE(mem));
	for (i = 0; i < ARRAY_SIZE(mem); i++) {
		assert_int_equal(plat.mem[i].base, mem[i].base);
		assert_int_equal(plat.mem[i].size, mem[i].size);
	}
	assert_int_equal(plat.n_reserved, ARRAY_SIZE(rsv));
	for (i = 0; i < ARRAY_SIZE(rsv); i++) {
		assert_int_equal(plat.reserved[i].base, rsv[i].base);
		assert_int_equal(plat.reserved[i].size, rsv[i].size);
		assert_int_equal(plat.reserved[i].kind, rsv[i].kind);
	}
	assert_int_equal(plat.n_usable, ARRAY_SIZE(usable));
	for (i = 0; i < ARRAY_SIZE(usable); i++) {
		assert_int_equal(plat.usable[i].base, usable[i].base);
		assert_int_equal(plat.usable[i].size, usable[i].size);
	}
}

static void test_memory_errors(void **state)
{
	struct fdtb *b;
	char name[32];
	int i;

	(void)state;
	/* No memory node at all; one with only empty or disabled banks. */
	b = fb_new();
	root_begin(b, NULL);
	cpus_node(b, 1);
	expect_fail(b, PLAT_ENOMEM, "memory");

	b = fb_new();
	root_begin(b, NULL);
	fb_begin(b, "memory@0");
	fb_prop_str(b, "device_type", "memory");
	fb_prop_cells(b, "reg", 4, 0, 0x40000000, 0, 0);
	fb_end(b);
	cpus_node(b, 1);
	expect_fail(b, PLAT_ENOMEM, NULL);

	/* Everything reserved, or what is left is smaller than a page. */
	b = minimal(NULL);
	fb_end(b);
	fb_rsv(b, 0x3ffff000, 0x40000800);
	expect_fail(b, PLAT_ENOMEM, "usable");

	/* A bank that wraps past 2^64. */
	b = fb_new();
	root_begin(b, NULL);
	fb_begin(b, "memory@0");
	fb_prop_str(b, "device_type", "memory");
	fb_prop_cells(b, "reg", 4, 0xffffffff, 0xfffff000, 0, 0x2000);
	fb_end(b);
	cpus_node(b, 1);
	expect_fail(b, PLAT_EBADTREE, "memory node /memory@0");

	/* Not whole reg entries. */
	b = fb_new();
	root_begin(b, NULL);
	fb_begin(b, "memory@0");
	fb_prop_str(b, "device_type", "memory");
	fb_prop_cells(b, "reg", 3, 0, 0x40000000, 0);
	fb_end(b);
	cpus_node(b, 1);
	expect_fail(b, PLAT_EBADTREE, "reg");

	/* Huge or unsupported root cell counts. */
	b = fb_new();
	fb_begin(b, "");
	fb_prop_u32(b, "#address-cells", 0xffffffff);
	memory_node(b);
	cpus_node(b, 1);
	expect_fail(b, PLAT_EBADTREE, "#address-cells");

	b = fb_new();
	fb_begin(b, "");
	fb_prop_u32(b, "#address-cells", 3);
	fb_prop_u32(b, "#size-cells", 2);
	memory_node(b);
	cpus_node(b, 1);
	expect_fail(b, PLAT_EBADTREE, "#address-cells");

	/* A device_type that is not a string (no NUL). */
	b = fb_new();
	root_begin(b, NULL);
	fb_begin(b, "memory@0");
	fb_prop(b, "device_type", "memory", 6);
	fb_end(b);
	fb_end(b);
	expect_fail(b, PLAT_EBADTREE, "device_type is not a string");

	/* More banks than the table holds. */
	b = fb_new();
	root_begin(b, NULL);
	for (i = 0; i <= PLAT_MAX_MEM_BANKS; i++) {
		snprintf(name, sizeof(name), "memory@%x", i);
		fb_begin(b, name);
		fb_prop_str(b, "device_type", "memory");
		fb_prop_cells(b, "reg", 4, i, 0, 0, 0x1000000);
		fb_end(b);
	}
	cpus_node(b, 1);
	expect_fail(b, PLAT_ETOOMANY, "memory banks");

	/* /memreserve/ that wraps. */
	b = minimal(NULL);
	fb_end(b);
	fb_rsv(b, 0xfffffffffffff000ULL, 0x2000);
	expect_fail(b, PLAT_EBADTREE, "/memreserve/");

	/* A reserved-memory child that wraps, one with bad cells, too many ranges. */
	b = minimal(NULL);
	fb_begin(b, "reserved-memory");
	fb_prop_u32(b, "#address-cells", 2);
	fb_prop_u32(b, "#size-cells", 2);
	fb_begin(b, "x@0");
	fb_prop_cells(b, "reg", 4, 0xffffffff, 0xffffffff, 0, 2);
	fb_end(b);
	fb_end(b);
	fb_end(b);
	expect_fail(b, PLAT_EBADTREE, "reserved memory /reserved-memory/x@0");

	b = minimal(NULL);
	fb_begin(b, "reserved-memory");
	fb_prop_u32(b, "#address-cells", 0xffffffff);
	fb_begin(b, "x@0");
	fb_prop_cells(b, "reg", 2, 0x40000000, 0x1000);
	fb_end(b);
	fb_end(b);
	fb_end(b);
	expect_fail(b, PLAT_EBADTREE, "/reserved-memory");

	b = minimal(NULL);
	fb_begin(b, "reserved-memory");
	fb_prop_u32(b, "#address-cells", 1);
	fb_prop_u32(b, "#size-cells", 1);
	for (i = 0; i <= PLAT_MAX_RESERVED; i++) {
		snprintf(name, sizeof(name), "r@%x", 0x40000000 + i * 0x2000);
		fb_begin(b, name);
		fb_prop_cells(b, "reg", 2, 0x40000000 + i * 0x2000, 0x1000);
		fb_end(b);
	}
	fb_end(b);
	fb_end(b);
	expect_fail(b, PLAT_ETOOMANY, "reserved");

	/* 32 reserved holes in one bank: 33 usable pieces, all page aligned. */
	b = minimal(NULL);
	fb_begin(b, "reserved-memory");
	fb_prop_u32(b, "#address-cells", 1);
	fb_prop_u32(b, "#size-cells", 1);
	for (i = 0; i < PLAT_MAX_RESERVED; i++) {
		snprintf(name, sizeof(name), "r@%x", 0x40001000 + i * 0x2000);
		fb_begin(b, name);
		fb_prop_cells(b, "reg", 2, 0x40001000 + i * 0x2000, 0x1000);
		fb_end(b);
	}
	fb_end(b);
	fb_end(b);
	expect_ok(b);
	assert_int_equal(plat.n_usable, PLAT_MAX_RESERVED + 1);
	assert_int_equal(plat.usable[1].base, 0x40002000);
	assert_int_equal(plat.usable[1].size, 0x1000);
	assert_int_equal(plat.usable[32].base, 0x40040000);
	assert_int_equal(plat.usable[32].size, 0x40000000 - 0x40000);
}

static void test_cpus(void **state)
{
	static const uint64_t want[] = { 0x200, 0x201, 0x0, 0xff00000001ULL, 0x100 };
	struct fdtb *b;
	uint32_t i;

	(void)state;
	b = fb_new();
	root_begin(b, NULL);
	memory_node(b);
	fb_begin(b, "cpus");
	fb_prop_u32(b, "#address-cells", 2);
	fb_prop_u32(b, "#size-cells", 0);
	fb_begin(b, "cpu-map"); /* not a cpu */
	fb_begin(b, "cluster0");
	fb_end(b);
	fb_end(b);
	fb_begin(b, "cpu@0"); /* unit addresses deliberately unlike reg */
	fb_prop_str(b, "device_type", "cpu");
	fb_prop_cells(b, "reg", 2, 0, 0x200);
	fb_end(b);
	fb_begin(b, "cpu@1");
	fb_prop_str(b, "device_type", "cpu");
	fb_prop_cells(b, "reg", 2, 0, 0x201);
	fb_end(b);
	fb_begin(b, "cpu@100");
	fb_prop_str(b, "device_type", "cpu");
	fb_prop_str(b, "status", "disabled"); /* still a CPU: PSCI may start it */
	fb_prop_cells(b, "reg", 2, 0, 0);
	fb_end(b);
	fb_begin(b, "cpu@2");
	fb_prop_str(b, "device_type", "cpu");
	fb_prop_str(b, "status", "fail"); /* gone */
	fb_prop_cells(b, "reg", 2, 0, 0x300);
	fb_end(b);
	fb_begin(b, "cpu@3"); /* non-affinity bits masked off */
	fb_prop_str(b, "device_type", "cpu");
	fb_prop_cells(b, "reg", 2, 0xffffffff, 0xff000001);
	fb_end(b);
	fb_begin(b, "l2-cache");
	fb_prop_str(b, "compatible", "cache");
	fb_end(b);
	fb_begin(b, "cpu@101");
	fb_prop_str(b, "device_type", "cpu");
	fb_prop_cells(b, "reg", 2, 0, 0x100);
	fb_end(b);
	fb_end(b);
	expect_ok(b);
	assert_int_equal(plat.n_cpus, ARRAY_SIZE(want));
	for (i = 0; i < ARRAY_SIZE(want); i++)
		assert_int_equal(plat.cpus[i].mpidr, want[i]);
	assert_int_equal(platform_cpu_index(&plat, 0x0), 2);
	assert_int_equal(platform_cpu_index(&plat, 0x80000100), 4); /* bit 31 (RES1) ignored */
	assert_int_equal(platform_cpu_index(&plat, 0x300), -1);
	assert_int_equal(platform_cpu_index(&plat, 0x202), -1);

	/* reg with three cells where #address-cells is 1. */
	b = fb_new();
	root_begin(b, NULL);
	memory_node(b);
	fb_begin(b, "cpus");
	fb_prop_u32(b, "#address-cells", 1);
	fb_prop_u32(b, "#size-cells", 0);
	fb_begin(b, "cpu@0");
	fb_prop_str(b, "device_type", "cpu");
	fb_prop_u32(b, "reg", 0);
	fb_end(b);
	fb_begin(b, "cpu@1");
	fb_prop_str(b, "device_type", "cpu");
	fb_prop_cells(b, "reg", 3, 0, 0, 1);
	fb_end(b);
	fb_end(b);
	expect_fail(b, PLAT_EBADTREE, "cpu node /cpus/cpu@1: reg has 3 cells");

	/* reg not a whole number of cells, missing reg. */
	b = fb_new();
	root_begin(b, NULL);
	memory_node(b);
	fb_begin(b, "cpus");
	fb_prop_u32(b, "#address-cells", 1);
	fb_prop_u32(b, "#size-cells", 0);
	fb_begin(b, "cpu@0");
	fb_prop_str(b, "device_type", "cpu");
	fb_prop(b, "reg", "\0\0\0\0\0", 5);
	fb_end(b);
	fb_end(b);
	expect_fail(b, PLAT_EBADTREE, "reg has 5 bytes");

	b = fb_new();
	root_begin(b, NULL);
	memory_node(b);
	fb_begin(b, "cpus");
	fb_prop_u32(b, "#address-cells", 1);
	fb_prop_u32(b, "#size-cells", 0);
	fb_begin(b, "cpu@0");
	fb_prop_str(b, "device_type", "cpu");
	fb_end(b);
	fb_end(b);
	expect_fail(b, PLAT_EBADTREE, "cpu node /cpus/cpu@0: no reg");

	/* /cpus without #size-cells defaults to 1, which a cpus node may not have. */
	b = fb_new();
	root_begin(b, NULL);
	memory_node(b);
	fb_begin(b, "cpus");
	fb_prop_u32(b, "#address-cells", 1);
	fb_begin(b, "cpu@0");
	fb_prop_str(b, "device_type", "cpu");
	fb_prop_u32(b, "reg", 0);
	fb_end(b);
	fb_end(b);
	expect_fail(b, PLAT_EBADTREE, "/cpus: #size-cells must be 0");

	/* Duplicate MPIDR. */
	b = fb_new();
	root_begin(b, NULL);
	memory_node(b);
	fb_begin(b, "cpus");
	fb_prop_u32(b, "#address-cells", 1);
	fb_prop_u32(b, "#size-cells", 0);
	fb_begin(b, "cpu@0");
	fb_prop_str(b, "device_type", "cpu");
	fb_prop_u32(b, "reg", 0x100);
	fb_end(b);
	fb_begin(b, "cpu@1");
	fb_prop_str(b, "device_type", "cpu");
	fb_prop_u32(b, "reg", 0x100);
	fb_end(b);
	fb_end(b);
	expect_fail(b, PLAT_EBADTREE, "cpu node /cpus/cpu@1: duplicate MPIDR 0x100");

	/* Bad /cpus cells. */
	b = fb_new();
	root_begin(b, NULL);
	memory_node(b);
	fb_begin(b, "cpus");
	fb_prop_u32(b, "#address-cells", 3);
	fb_prop_u32(b, "#size-cells", 0);
	fb_begin(b, "cpu@0");
	fb_prop_str(b, "device_type", "cpu");
	fb_prop_cells(b, "reg", 3, 0, 0, 0);
	fb_end(b);
	fb_end(b);
	expect_fail(b, PLAT_EBADTREE, "/cpus: #address-cells");

	b = fb_new();
	root_begin(b, NULL);
	memory_node(b);
	fb_begin(b, "cpus");
	fb_prop_u32(b, "#address-cells", 1);
	fb_prop_u32(b, "#size-cells", 1);
	fb_begin(b, "cpu@0");
	fb_prop_str(b, "device_type", "cpu");
	fb_prop_cells(b, "reg", 2, 0, 0);
	fb_end(b);
	fb_end(b);
	expect_fail(b, PLAT_EBADTREE, "/cpus: #size-cells");

	/* No /cpus, no cpu in it, only failed ones, too many. */
	b = fb_new();
	root_begin(b, NULL);
	memory_node(b);
	expect_fail(b, PLAT_ENOCPU, "/cpus");

	b = fb_new();
	root_begin(b, NULL);
	memory_node(b);
	cpus_node(b, 0);
	expect_fail(b, PLAT_ENOCPU, NULL);

	b = fb_new();
	root_begin(b, NULL);
	memory_node(b);
	fb_begin(b, "cpus");
	fb_prop_u32(b, "#address-cells", 1);
	fb_prop_u32(b, "#size-cells", 0);
	fb_begin(b, "cpu@0");
	fb_prop_str(b, "device_type", "cpu");
	fb_prop_str(b, "status", "fail-sss");
	fb_prop_u32(b, "reg", 0);
	fb_end(b);
	fb_end(b);
	expect_fail(b, PLAT_ENOCPU, NULL);

	b = fb_new();
	root_begin(b, NULL);
	memory_node(b);
	cpus_node(b, PLAT_MAX_CPUS);
	expect_ok(b);
	assert_int_equal(plat.n_cpus, PLAT_MAX_CPUS);
	assert_int_equal(plat.cpus[63].mpidr, 63);

	b = fb_new();
	root_begin(b, NULL);
	memory_node(b);
	cpus_node(b, PLAT_MAX_CPUS + 1);
	expect_fail(b, PLAT_ETOOMANY, "cpus");
}

/* A root with memory and a CPU, plus a GIC node with the given extra properties. */
static struct fdtb *gic_tree(void)
{
	struct fdtb *b = minimal("linux,dummy-virt");

	fb_begin(b, "intc@8000000");
	fb_prop_str(b, "compatible", "arm,gic-v3");
	return b;
}

static void test_gic(void **state)
{
	struct fdtb *b;

	(void)state;
	b = gic_tree();
	fb_prop_u32(b, "#redistributor-regions", 2);
	fb_prop_cells(b, "redistributor-stride", 2, 0, 0x40000);
	fb_prop_cells(b, "reg", 12, 0, 0x8000000, 0, 0x10000, 0, 0x80a0000, 0, 0x100000, 0x1,
		      0x0, 0, 0x200000);
	fb_prop_cells(b, "interrupts", 3, 0, 5, 4); /* an SPI, oddly */
	fb_end(b);
	fb_end(b);
	expect_ok(b);
	assert_int_equal(plat.gic.version, 3);
	assert_int_equal(plat.gic.gicd_base, 0x8000000);
	assert_int_equal(plat.gic.gicd_size, 0x10000);
	assert_int_equal(plat.gic.n_gicr, 2);
	assert_int_equal(plat.gic.gicr[0].base, 0x80a0000);
	assert_int_equal(plat.gic.gicr[0].size, 0x100000);
	assert_int_equal(plat.gic.gicr[1].base, 0x100000000ULL);
	assert_int_equal(plat.gic.gicr[1].size, 0x200000);
	assert_int_equal(plat.gic.gicr_stride, 0x40000);
	assert_int_equal(plat.gic.maintenance_intid, 37);

	b = gic_tree();
	fb_prop_u32(b, "redistributor-stride", 0x20000);
	fb_prop_cells(b, "reg", 8, 0, 0x8000000, 0, 0x10000, 0, 0x80a0000, 0, 0x100000);
	fb_end(b);
	fb_end(b);
	expect_ok(b);
	assert_int_equal(plat.gic.gicr_stride, 0x20000);
	assert_int_equal(plat.gic.maintenance_intid, 25);

	/* Under a bus with a real ranges: addresses translated. */
	b = minimal(NULL);
	fb_begin(b, "soc");
	fb_prop_str(b, "compatible", "simple-bus");
	fb_prop_u32(b, "#address-cells", 1);
	fb_prop_u32(b, "#size-cells", 1);
	fb_prop_cells(b, "ranges", 4, 0x0, 0x0, 0x30000000, 0x1000000);
	fb_begin(b, "gic@800000");
	fb_prop_str(b, "compatible", "arm,gic-v3");
	fb_prop_cells(b, "reg", 4, 0x800000, 0x20000, 0x880000, 0x80000);
	fb_prop_cells(b, "interrupts", 3, 1, 9, 8);
	fb_end(b);
	fb_end(b);
	fb_end(b);
	expect_ok(b);
	assert_int_equal(plat.gic.gicd_base, 0x30800000);
	assert_int_equal(plat.gic.gicd_size, 0x20000);
	assert_int_equal(plat.gic.gicr[0].base, 0x30880000);
	assert_int_equal(plat.gic.gicr[0].size, 0x80000);

	/* A disabled GIC is skipped, the next one used. */
	b = minimal(NULL);
	fb_begin(b, "gic@1");
	fb_prop_str(b, "compatible", "arm,gic-v3");
	fb_prop_str(b, "status", "disabled");
	fb_prop_cells(b, "reg", 8, 0, 0x1000, 0, 0x1000, 0, 0x2000, 0, 0x1000);
	fb_end(b);
	fb_begin(b, "gic@2");
	fb_prop_str(b, "compatible", "arm,gic-v3");
	fb_prop_cells(b, "reg", 8, 0, 0x3000, 0, 0x1000, 0, 0x4000, 0, 0x1000);
	fb_end(b);
	fb_end(b);
	expect_ok(b);
	assert_int_equal(plat.gic.gicd_base, 0x3000);

	/* Errors. */
	b = gic_tree();
	fb_prop_cells(b, "reg", 4, 0, 0x8000000, 0, 0x10000);
	fb_end(b);
	fb_end(b);
	expect_fail(b, PLAT_EBADTREE, "GIC /intc@8000000: reg has fewer than 2 entries");

	b = gic_tree();
	fb_prop_u32(b, "#redistributor-regions", 9);
	fb_end(b);
	fb_end(b);
	expect_fail(b, PLAT_ETOOMANY, "redistributor");

	b = gic_tree();
	fb_prop_u32(b, "#redistributor-regions", 0);
	fb_end(b);
	fb_end(b);
	expect_fail(b, PLAT_EBADTREE, "#redistributor-regions");

	b = gic_tree();
	fb_prop_cells(b, "reg", 8, 0, 0x8000000, 0, 0x10000, 0, 0x80a0000, 0, 0x100000);
	fb_prop(b, "redistributor-stride", "\0\0\1", 3);
	fb_end(b);
	fb_end(b);
	expect_fail(b, PLAT_EBADTREE, "redistributor-stride");

	b = gic_tree();
	fb_prop_cells(b, "reg", 8, 0, 0x8000000, 0, 0x10000, 0, 0x80a0000, 0, 0x100000);
	fb_prop_cells(b, "interrupts", 3, 1, 16, 4); /* PPI 16 does not exist */
	fb_end(b);
	fb_end(b);
	expect_fail(b, PLAT_EBADTREE, "maintenance");

	b = gic_tree();
	fb_prop_cells(b, "reg", 8, 0, 0x8000000, 0, 0x10000, 0, 0x80a0000, 0, 0x100000);
	fb_prop_cells(b, "interrupts", 2, 1, 9);
	fb_end(b);
	fb_end(b);
	expect_fail(b, PLAT_EBADTREE, "maintenance");

	b = gic_tree();
	fb_prop_cells(b, "reg", 7, 0, 0x8000000, 0, 0x10000, 0, 0x80a0000, 0);
	fb_end(b);
	fb_end(b);
	expect_fail(b, PLAT_EBADTREE, "bad reg");

	/* GIC on a bus without ranges: cannot be translated. */
	b = minimal(NULL);
	fb_begin(b, "bus");
	fb_begin(b, "gic@0");
	fb_prop_str(b, "compatible", "arm,gic-v3");
	fb_prop_cells(b, "reg", 6, 0, 0x1000, 0x1000, 0, 0x2000, 0x1000);
	fb_end(b);
	fb_end(b);
	fb_end(b);
	expect_fail(b, PLAT_EBADTREE, "GIC /bus/gic@0: reg cannot be translated");
}

/* A tree with a console: chosen's stdout-path, aliases, a clock and two PL011s. */
static struct fdtb *uart_tree(const char *stdout_path, const char *alias_val, int symbols)
{
	struct fdtb *b = minimal("linux,dummy-virt");

	if (alias_val) {
		fb_begin(b, "aliases");
		fb_prop_str(b, "serial0", alias_val);
		fb_prop_str(b, "serial5", "serial0"); /* not a path */
		fb_prop_str(b, "serial6", "/soc/nothing@0");
		fb_end(b);
	}
	fb_begin(b, "chosen");
	if (stdout_path)
		fb_prop_str(b, "stdout-path", stdout_path);
	fb_end(b);
	fb_begin(b, "clk");
	fb_prop_u32(b, "clock-frequency", 100000000);
	fb_prop_u32(b, "phandle", 7);
	fb_end(b);
	fb_begin(b, "soc");
	fb_prop_u32(b, "#address-cells", 1);
	fb_prop_u32(b, "#size-cells", 1);
	fb_prop_cells(b, "ranges", 4, 0x0, 0x0, 0x28000000, 0x100000);
	fb_begin(b, "uart@c000");
	fb_prop(b, "compatible", "arm,pl011\0arm,primecell", 24);
	fb_prop_str(b, "status", "disabled");
	fb_prop_cells(b, "reg", 2, 0xc000, 0x1000);
	fb_end(b);
	fb_begin(b, "uart@d000");
	fb_prop(b, "compatible", "arm,pl011\0arm,primecell", 24);
	fb_prop_cells(b, "reg", 2, 0xd000, 0x1000);
	fb_prop_cells(b, "interrupts", 3, 0, 0x54, 4);
	fb_prop_cells(b, "clocks", 2, 7, 7);
	fb_end(b);
	fb_end(b);
	if (symbols) {
		fb_begin(b, "__symbols__");
		fb_prop_str(b, "uart1", "/soc/uart@d000");
		fb_end(b);
	}
	fb_end(b);
	return b;
}

static void assert_console(uint32_t baud)
{
	assert_true(plat.uart.present);
	assert_string_equal(plat.uart.compatible, "arm,pl011");
	assert_int_equal(plat.uart.base, 0x2800d000);
	assert_int_equal(plat.uart.size, 0x1000);
	assert_int_equal(plat.uart.clock_hz, 100000000);
	assert_int_equal(plat.uart.intid, 116);
	assert_int_equal(plat.uart.baud, baud);
}

static void test_uart_paths(void **state)
{
	struct fdtb *b;

	(void)state;
	expect_ok(uart_tree("serial0:115200n8", "/soc/uart@d000", 0));
	assert_console(115200);
	expect_ok(uart_tree("serial0", "/soc/uart@d000", 0));
	assert_console(0);
	expect_ok(uart_tree("/soc/uart@d000:1500000", NULL, 0));
	assert_console(1500000);
	expect_ok(uart_tree("/soc/uart@d000:n8", NULL, 0));
	assert_console(0);
	expect_ok(uart_tree("/soc/uart@d000:99999999999", NULL, 0));
	assert_console(0); /* does not fit: ignored */
	/* A label only in __symbols__ (D2000, FT-2000/4 trees). */
	expect_ok(uart_tree("uart1:9600", "/soc/uart@d000", 1));
	assert_console(9600);
	/* No stdout-path: the first enabled PL011. */
	expect_ok(uart_tree(NULL, NULL, 0));
	assert_console(0);

	/* Broken references. */
	expect_fail(uart_tree("serial1:115200n8", "/soc/uart@d000", 0), PLAT_EBADTREE,
		    "stdout-path serial1: no such alias");
	expect_fail(uart_tree("uart1:115200n8", NULL, 0), PLAT_EBADTREE, "no such alias");
	expect_fail(uart_tree("serial5", "/soc/uart@d000", 0), PLAT_EBADTREE,
		    "alias is not an absolute path");
	expect_fail(uart_tree("serial6:115200", "/soc/uart@d000", 0), PLAT_EBADTREE,
		    "alias names a missing node");
	expect_fail(uart_tree("/soc/uart@e000", NULL, 0), PLAT_EBADTREE, "no such node");
	expect_fail(uart_tree(":115200", NULL, 0), PLAT_EBADTREE, "empty");
	expect_fail(uart_tree("", NULL, 0), PLAT_EBADTREE, "empty");

	/* linux,stdout-path and an unterminated stdout-path. */
	b = minimal(NULL);
	fb_begin(b, "chosen");
	fb_prop_str(b, "linux,stdout-path", "/pl011@9000000");
	fb_end(b);
	fb_begin(b, "pl011@9000000");
	fb_prop_cells(b, "reg", 4, 0, 0x9000000, 0, 0x1000);
	fb_prop_u32(b, "clock-frequency", 24000000);
	fb_end(b);
	fb_end(b);
	expect_ok(b);
	assert_true(plat.uart.present);
	assert_int_equal(plat.uart.base, 0x9000000);
	assert_int_equal(plat.uart.clock_hz, 24000000);
	assert_string_equal(plat.uart.compatible, "");
	assert_int_equal(plat.uart.intid, 0);

	b = minimal(NULL);
	fb_begin(b, "chosen");
	fb_prop(b, "stdout-path", "/pl011", 6);
	fb_end(b);
	fb_end(b);
	expect_fail(b, PLAT_EBADTREE, "stdout-path is not a string");

	/* A console without reg (not memory-mapped): no UART, no error. */
	b = minimal(NULL);
	fb_begin(b, "chosen");
	fb_prop_str(b, "stdout-path", "/hvc");
	fb_end(b);
	fb_begin(b, "hvc");
	fb_end(b);
	fb_end(b);
	expect_ok(b);
	assert_false(plat.uart.present);

	/* A console on a bus without ranges. */
	b = minimal(NULL);
	fb_begin(b, "chosen");
	fb_prop_str(b, "stdout-path", "/bus/uart@0");
	fb_end(b);
	fb_begin(b, "bus");
	fb_begin(b, "uart@0");
	fb_prop_cells(b, "reg", 3, 0, 0x1000, 0x1000);
	fb_end(b);
	fb_end(b);
	fb_end(b);
	expect_fail(b, PLAT_EBADTREE, "console /bus/uart@0: reg cannot be translated");
}

/* A console at /uart@1000 with the given clock properties. */
static struct fdtb *clock_tree(const char *compat, int clocks, int own_freq, int self_ph,
			       int dup_ph)
{
	struct fdtb *b = minimal(compat);

	fb_begin(b, "chosen");
	fb_prop_str(b, "stdout-path", "/uart@1000");
	fb_end(b);
	fb_begin(b, "clk");
	fb_prop_u32(b, "phandle", 7);
	fb_prop_u32(b, "#clock-cells", 1); /* a provider without a fixed rate */
	fb_end(b);
	if (dup_ph) {
		fb_begin(b, "clk2");
		fb_prop_u32(b, "linux,phandle", 7);
		fb_end(b);
	}
	fb_begin(b, "uart@1000");
	fb_prop_cells(b, "reg", 4, 0, 0x1000, 0, 0x1000);
	if (clocks)
		fb_prop_cells(b, "clocks", 2, (uint32_t)clocks, 3);
	if (own_freq)
		fb_prop_u32(b, "clock-frequency", (uint32_t)own_freq);
	if (self_ph)
		fb_prop_u32(b, "phandle", (uint32_t)self_ph);
	fb_end(b);
	fb_end(b);
	return b;
}

static void test_uart_clock(void **state)
{
	(void)state;
	/* Clock provider without clock-frequency: the node's own, else the board default. */
	expect_ok(clock_tree(NULL, 7, 1843200, 0, 0));
	assert_int_equal(plat.uart.clock_hz, 1843200);
	expect_ok(clock_tree("linux,dummy-virt", 7, 0, 0, 0));
	assert_int_equal(plat.uart.clock_hz, 24000000);
	expect_ok(clock_tree("phytium,pe2202", 0, 0, 0, 0));
	assert_int_equal(plat.uart.clock_hz, 100000000);
	expect_ok(clock_tree(NULL, 0, 0, 0, 0));
	assert_int_equal(plat.uart.clock_hz, 0); /* generic board: unknown */

	expect_fail(clock_tree(NULL, 8, 0, 0, 0), PLAT_EBADTREE,
		    "console /uart@1000: clock phandle 0x8 not found");
	expect_fail(clock_tree(NULL, 9, 0, 9, 0), PLAT_EBADTREE, "clocks refers to itself");
	expect_fail(clock_tree(NULL, 7, 0, 0, 1), PLAT_EBADTREE, "not unique");
	expect_fail(clock_tree(NULL, 0xffffffff, 0, 0, 0), PLAT_EBADTREE, "not found");
}

static void test_timer(void **state)
{
	struct fdtb *b;

	(void)state;
	b = minimal(NULL);
	fb_begin(b, "timer");
	fb_prop_str(b, "compatible", "arm,armv7-timer");
	fb_prop_u32(b, "clock-frequency", 25000000);
	fb_prop_cells(b, "interrupts", 15, 1, 13, 4, 1, 14, 4, 1, 11, 4, 1, 10, 4, 1, 12, 4);
	fb_end(b);
	fb_end(b);
	expect_ok(b);
	assert_int_equal(plat.timer.freq_hz, 25000000);
	assert_int_equal(plat.timer.intid_sec_phys, 29);
	assert_int_equal(plat.timer.intid_phys, 30);
	assert_int_equal(plat.timer.intid_virt, 27);
	assert_int_equal(plat.timer.intid_hyp_phys, 26);

	b = minimal(NULL);
	fb_begin(b, "timer");
	fb_prop_str(b, "compatible", "arm,armv8-timer");
	fb_prop_cells(b, "interrupts", 9, 1, 13, 4, 1, 14, 4, 1, 11, 4);
	fb_end(b);
	fb_end(b);
	expect_fail(b, PLAT_EBADTREE, "timer /timer: interrupts has 36 bytes");

	b = minimal(NULL);
	fb_begin(b, "timer");
	fb_prop_str(b, "compatible", "arm,armv8-timer");
	fb_prop_cells(b, "interrupts", 12, 1, 13, 4, 0, 14, 4, 1, 11, 4, 1, 10, 4);
	fb_end(b);
	fb_end(b);
	expect_fail(b, PLAT_EBADTREE, "interrupt 1 is not a PPI");

	b = minimal(NULL);
	fb_begin(b, "timer");
	fb_prop_str(b, "compatible", "arm,armv8-timer");
	fb_prop_cells(b, "clock-frequency", 2, 0, 1);
	fb_end(b);
	fb_end(b);
	expect_fail(b, PLAT_EBADTREE, "clock-frequency");
}

static void test_psci(void **state)
{
	struct fdtb *b;

	(void)state;
	b = minimal(NULL);
	fb_begin(b, "psci");
	fb_prop(b, "compatible", "arm,psci-0.2\0arm,psci", 22);
	fb_prop_str(b, "method", "hvc");
	fb_end(b);
	fb_end(b);
	expect_ok(b);
	assert_int_equal(plat.psci, PSCI_HVC);
	assert_int_equal(plat.psci_cpu_on, 0xc4000003);

	/* PSCI 0.1: function IDs from the node. */
	b = minimal(NULL);
	fb_begin(b, "firmware");
	fb_begin(b, "psci");
	fb_prop_str(b, "compatible", "arm,psci");
	fb_prop_str(b, "method", "smc");
	fb_prop_u32(b, "cpu_on", 0x95c1ba5e);
	fb_end(b);
	fb_end(b);
	fb_end(b);
	expect_ok(b);
	assert_int_equal(plat.psci, PSCI_SMC);
	assert_int_equal(plat.psci_cpu_on, 0x95c1ba5e);

	b = minimal(NULL);
	fb_begin(b, "psci");
	fb_prop_str(b, "compatible", "arm,psci-1.0");
	fb_prop_str(b, "method", "svc");
	fb_end(b);
	fb_end(b);
	expect_fail(b, PLAT_EBADTREE, "psci /psci: method");

	b = minimal(NULL);
	fb_begin(b, "psci");
	fb_prop_str(b, "compatible", "arm,psci-1.0");
	fb_end(b);
	fb_end(b);
	expect_fail(b, PLAT_EBADTREE, "method");

	b = minimal(NULL);
	fb_begin(b, "psci");
	fb_prop_str(b, "compatible", "arm,psci-1.0");
	fb_prop_str(b, "method", "smc");
	fb_prop_cells(b, "cpu_on", 2, 0, 1);
	fb_end(b);
	fb_end(b);
	expect_fail(b, PLAT_EBADTREE, "cpu_on");

	/* Disabled PSCI node: as if absent. */
	b = minimal(NULL);
	fb_begin(b, "psci");
	fb_prop_str(b, "compatible", "arm,psci-1.0");
	fb_prop_str(b, "status", "disabled");
	fb_prop_str(b, "method", "smc");
	fb_end(b);
	fb_end(b);
	expect_ok(b);
	assert_int_equal(plat.psci, PSCI_NONE);
}

/* 64 characters, then a known one: the second string picks the port. */
#define LONG_COMPAT "vendor,very-long-board-name-that-goes-on-and-on-and-on-beyond-64\0phytium,d2000"

static void test_strings(void **state)
{
	char longs[400];
	struct fdtb *b;

	(void)state;
	memset(longs, 'x', sizeof(longs) - 1);
	longs[sizeof(longs) - 1] = '\0';
	b = fb_new();
	fb_begin(b, "");
	fb_prop_u32(b, "#address-cells", 2);
	fb_prop_u32(b, "#size-cells", 2);
	fb_prop_str(b, "model", longs);
	fb_prop(b, "compatible", LONG_COMPAT, sizeof(LONG_COMPAT));
	phytium_memory_node(b);
	cpus_node(b, 1);
	fb_begin(b, "chosen");
	fb_prop_str(b, "bootargs", longs);
	fb_end(b);
	fb_end(b);
	expect_ok(b);
	assert_int_equal(strlen(plat.model), PLAT_NAME_LEN - 1);
	assert_int_equal(strlen(plat.compatible), PLAT_NAME_LEN - 1);
	assert_int_equal(strlen(plat.bootargs), sizeof(plat.bootargs) - 1);
	assert_string_equal(plat.board->name, "phytium-d2000"); /* second string matched */

	b = minimal(NULL);
	fb_begin(b, "chosen");
	fb_prop_str(b, "bootargs", "console=ttyAMA0 earlycon");
	fb_end(b);
	fb_end(b);
	expect_ok(b);
	assert_string_equal(plat.bootargs, "console=ttyAMA0 earlycon");

	b = minimal(NULL);
	fb_begin(b, "chosen");
	fb_prop(b, "bootargs", "abc", 3);
	fb_end(b);
	fb_end(b);
	expect_fail(b, PLAT_EBADTREE, "/chosen: bootargs is not a string");

	b = fb_new();
	fb_begin(b, "");
	fb_prop(b, "compatible", "abc", 3);
	fb_end(b);
	expect_fail(b, PLAT_EBADTREE, "root compatible is not a string list");

	b = fb_new();
	fb_begin(b, "");
	fb_prop(b, "model", "abc", 3);
	fb_end(b);
	expect_fail(b, PLAT_EBADTREE, "/: model is not a string");
}

static void test_board_match(void **state)
{
	(void)state;
	assert_string_equal(board_match("linux,dummy-virt", 17)->name, "qemu-virt");
	assert_string_equal(board_match("phytium,pe2204", 15)->name, "phytium-e2000");
	assert_string_equal(board_match("phytium,pe2202", 15)->name, "phytium-e2000");
	assert_string_equal(board_match("phytium,pe2201", 15)->name, "phytium-e2000");
	assert_string_equal(board_match("phytium,pe220x", 15)->name, "phytium-e2000");
	assert_string_equal(board_match("phytium,ft-2004", 16)->name, "phytium-ft2004");
	assert_string_equal(board_match("phytium,ft2004", 15)->name, "phytium-ft2004");
	assert_string_equal(board_match("phytium,d2000", 14)->name, "phytium-d2000");
	/* First string that any port knows wins, in list order. */
	assert_string_equal(board_match("acme,x\0phytium,ft2004\0linux,dummy-virt", 39)->name,
			    "phytium-ft2004");
	assert_string_equal(board_match("linux,dummy-virt\0phytium,ft2004", 32)->name,
			    "qemu-virt");
	/* Unknown, empty, NULL, unterminated, a prefix of a known one. */
	assert_ptr_equal(board_match("acme,board", 11), &board_generic);
	assert_ptr_equal(board_match("", 0), &board_generic);
	assert_ptr_equal(board_match(NULL, 12), &board_generic);
	assert_ptr_equal(board_match("phytium,d2000", 13), &board_generic);
	assert_ptr_equal(board_match("phytium,d200", 13), &board_generic);
	assert_ptr_equal(board_match("phytium,d2000x", 15), &board_generic);
	assert_string_equal(board_generic.name, "generic");
	assert_int_equal(board_phytium_e2000.default_uart_clock_hz, 100000000);
	assert_int_equal(board_phytium_e2000.default_timer_hz, 50000000);
	assert_int_equal(board_phytium_ft2004.default_uart_clock_hz, 48000000);
	assert_int_equal(board_phytium_d2000.default_timer_hz, 48000000);
	assert_int_equal(board_qemu_virt.default_uart_clock_hz, 24000000);
}

/* A Phytium-compatible tree with the given memory banks (pairs of base, size) and one CPU. */
static struct fdtb *banks_tree(const char *compat, uint32_t n, const uint64_t *banks)
{
	struct fdtb *b = fb_new();
	char name[32];
	uint32_t i;

	root_begin(b, compat);
	for (i = 0; i < n; i++) {
		/* One node per bank, as U-Boot writes them (memory@00, memory@01). */
		snprintf(name, sizeof(name), "memory@%02x", i);
		fb_begin(b, name);
		fb_prop_str(b, "device_type", "memory");
		fb_prop_cells(b, "reg", 4, (uint32_t)(banks[2 * i] >> 32), (uint32_t)banks[2 * i],
			      (uint32_t)(banks[2 * i + 1] >> 32), (uint32_t)banks[2 * i + 1]);
		fb_end(b);
	}
	cpus_node(b, 1);
	return b;
}

static void assert_ranges(const struct mem_range *got, uint32_t n_got, const uint64_t *want,
			  uint32_t n_want)
{
	uint32_t i;

	assert_int_equal(n_got, n_want);
	for (i = 0; i < n_want; i++) {
		assert_int_equal(got[i].base, want[2 * i]);
		assert_int_equal(got[i].size, want[2 * i + 1]);
	}
}

/* The Phytium DRAM windows (FACTS 0.6, 1.1, 1.2): split banks, placeholders, flash. */
static void test_phytium_memory(void **state)
{
	/* What U-Boot hands over on a 4 GiB Phytium Pi (FACTS 1.4): bank0 ends at the PBF area. */
	static const uint64_t pi4g[] = { 0x80000000, 0x7c000000, 0x2000000000, 0x80000000 };
	static const uint64_t pi4g_usable[] = { 0x80010000, 0x7bff0000, 0x2000000000, 0x80000000 };
	/* A placeholder from 0 covering both QSPI windows and the PCIe/MMIO space. */
	static const uint64_t from0[] = { 0x0, 0x200000000 };
	static const uint64_t from0_mem[] = { 0x80000000, 0x80000000 };
	/* One bank straddling the gap between the windows (PCIe MEM64 at 0x10_0000_0000). */
	static const uint64_t gap[] = { 0xc0000000, 0x1f80000000 };
	static const uint64_t gap_mem[] = { 0xc0000000, 0x40000000, 0x2000000000, 0x40000000 };
	static const uint64_t flash_only[] = { 0x0, 0x10000000, 0x100000000, 0x80000000 };
	static const uint64_t top[] = { 0xfffffffff0000000ULL, 0xffffff0 };
	static const uint64_t top_mem[] = { 0xfffffffff0000000ULL, 0xffffff0 };
	uint64_t many[32];
	struct fdtb *b;
	uint32_t i;

	(void)state;
	expect_ok(banks_tree("phytium,pe2204", 2, pi4g));
	assert_ranges(plat.tree_mem, plat.n_tree_mem, pi4g, 2);
	assert_ranges(plat.mem, plat.n_mem, pi4g, 2);
	assert_ranges(plat.usable, plat.n_usable, pi4g_usable, 2);
	/* No /memreserve/ in this tree: the port keeps the firmware's 64 KiB anyway. */
	assert_int_equal(plat.n_reserved, 2);
	assert_int_equal(plat.reserved[0].base, 0x80000000);
	assert_int_equal(plat.reserved[0].size, 0x10000);
	assert_int_equal(plat.reserved[0].kind, RSV_BOARD);
	assert_int_equal(plat.reserved[1].base, 0xfc000000);
	assert_int_equal(plat.reserved[1].size, 0x4000000);
	assert_int_equal(plat.reserved[1].kind, RSV_BOARD);

	/* Same banks, listed high first: sorted, same result (FT-2000/4 and D2000 alike). */
	{
		static const uint64_t rev[] = { 0x2000000000, 0x80000000, 0x80000000, 0x7c000000 };

		expect_ok(banks_tree("phytium,ft-2004", 2, rev));
		assert_ranges(plat.mem, plat.n_mem, pi4g, 2);
		expect_ok(banks_tree("phytium,d2000", 2, rev));
		assert_ranges(plat.mem, plat.n_mem, pi4g, 2);
		assert_int_equal(plat.n_reserved, 1); /* no PBF area on D2000 */
		assert_int_equal(plat.reserved[0].kind, RSV_BOARD);
	}

	expect_ok(banks_tree("phytium,pe2201", 1, from0));
	assert_ranges(plat.tree_mem, plat.n_tree_mem, from0, 1);
	assert_ranges(plat.mem, plat.n_mem, from0_mem, 1);

	expect_ok(banks_tree("phytium,pe220x", 1, gap));
	assert_ranges(plat.mem, plat.n_mem, gap_mem, 2);
	assert_int_equal(plat.n_usable, 2); /* 0xFC00_0000 up is the PBF's */
	assert_int_equal(plat.usable[0].base, 0xc0000000);
	assert_int_equal(plat.usable[0].size, 0x3c000000);

	/* The high window has no documented end. */
	expect_ok(banks_tree("phytium,pe2204", 1, top));
	assert_ranges(plat.mem, plat.n_mem, top_mem, 1);

	/* Only flash: nothing is RAM. */
	expect_fail(banks_tree("phytium,pe2204", 2, flash_only), PLAT_ENOMEM,
		    "no memory inside the phytium-e2000 port's DRAM windows");
	/* The same banks on QEMU virt or an unknown board: the tree is trusted. */
	expect_ok(banks_tree("linux,dummy-virt", 2, flash_only));
	assert_ranges(plat.mem, plat.n_mem, flash_only, 2);
	expect_ok(banks_tree(NULL, 2, flash_only));
	assert_ranges(plat.mem, plat.n_mem, flash_only, 2);

	/* 16 banks are fine, but one split across both windows makes 17. */
	for (i = 0; i < 15; i++) {
		many[2 * i] = 0x80000000 + (uint64_t)i * 0x1000000;
		many[2 * i + 1] = 0x100000;
	}
	many[30] = 0xf0000000;
	many[31] = 0x1f20000000;
	expect_fail(banks_tree("phytium,pe2204", 16, many), PLAT_ETOOMANY, "more than 16 memory banks");
	many[31] = 0x100000;
	expect_ok(banks_tree("phytium,pe2204", 16, many));
	assert_int_equal(plat.n_mem, 16);

	/* A /memreserve/ only partly covering the firmware's 64 KiB: the port adds its own. */
	b = banks_tree("phytium,pe2204", 2, pi4g);
	fb_rsv(b, 0x80000000, 0x8000);
	expect_ok(b);
	assert_int_equal(plat.n_reserved, 3);
	assert_int_equal(plat.reserved[0].size, 0x8000); /* equal bases keep the order added */
	assert_int_equal(plat.reserved[0].kind, RSV_MEMRESERVE);
	assert_int_equal(plat.reserved[1].size, 0x10000);
	assert_int_equal(plat.reserved[1].kind, RSV_BOARD);
	assert_int_equal(plat.usable[0].base, 0x80010000);
	/* A larger one covers it: nothing added. */
	b = banks_tree("phytium,ft2004", 2, pi4g);
	fb_rsv(b, 0x7ffff000, 0x20000);
	fb_rsv(b, 0xf0000000, 0x10000000);
	expect_ok(b);
	assert_int_equal(plat.n_reserved, 2);
	assert_int_equal(plat.reserved[0].kind, RSV_MEMRESERVE);
	assert_int_equal(plat.reserved[1].kind, RSV_MEMRESERVE);
	assert_int_equal(plat.usable[0].base, 0x8001f000);
	assert_int_equal(plat.usable[0].size, 0xf0000000 - 0x8001f000);
}

/* The port's reservations fail the discovery when the table is full, never silently. */
static void test_phytium_reserved_full(void **state)
{
	static const uint64_t bank[] = { 0x80000000, 0x80000000 };
	char name[32];
	struct fdtb *b;
	int i;

	(void)state;
	for (int left = 0; left <= 2; left++) {
		b = banks_tree("phytium,pe2204", 1, bank);
		fb_begin(b, "reserved-memory");
		fb_prop_u32(b, "#address-cells", 2);
		fb_prop_u32(b, "#size-cells", 2);
		fb_prop_empty(b, "ranges");
		for (i = 0; i < PLAT_MAX_RESERVED - left; i++) {
			snprintf(name, sizeof(name), "r@%x", i);
			fb_begin(b, name);
			fb_prop_cells(b, "reg", 4, 0, 0x90000000 + i * 0x100000, 0, 0x1000);
			fb_end(b);
		}
		fb_end(b);
		if (left < 2) {
			expect_fail(b, PLAT_ETOOMANY,
				    "phytium-e2000 port: cannot add its reserved ranges");
		} else {
			expect_ok(b);
			assert_int_equal(plat.n_reserved, PLAT_MAX_RESERVED);
		}
	}
}

/* Core types from each cpu node's compatible (FACTS 0.2, 2.1). */
static void test_core_types(void **state)
{
	static const char *const compats[] = {
		"phytium,ftc310\0arm,armv8",	  /* E2000 little */
		"phytium,ftc664\0arm,armv8",	  /* E2000Q big */
		"phytium,ftc663\0arm,armv8",	  /* FT-2000/4, D2000 */
		"arm,cortex-a72",
		"arm,armv8",			  /* unknown: by compatible */
		"acme,core\0arm,cortex-a53",	  /* first known string in list order */
		"arm,cortex-a57\0arm,cortex-a53",
		"",				  /* an empty string: unknown, compatible "" */
		NULL,				  /* no compatible at all */
		"arm,armv8",
		"acme,core",
	};
	static const size_t lens[] = { 25, 25, 25, 15, 10, 25, 30, 1, 0, 10, 10 };
	static const enum plat_core_type want[] = {
		CORE_FTC310, CORE_FTC664, CORE_FTC663, CORE_CORTEX_A72, CORE_UNKNOWN,
		CORE_CORTEX_A53, CORE_CORTEX_A57, CORE_UNKNOWN, CORE_UNKNOWN, CORE_UNKNOWN,
		CORE_UNKNOWN,
	};
	static const uint32_t midr[] = {
		0x700f3034, 0x701f6643, 0x701f6633, 0x410fd083, 0, 0x410fd034, 0x411fd070, 0, 0, 0, 0,
	};
	struct fdtb *b = fb_new();
	char name[16];
	uint32_t i;

	(void)state;
	root_begin(b, NULL);
	memory_node(b);
	fb_begin(b, "cpus");
	fb_prop_u32(b, "#address-cells", 1);
	fb_prop_u32(b, "#size-cells", 0);
	for (i = 0; i < ARRAY_SIZE(compats); i++) {
		snprintf(name, sizeof(name), "cpu@%x", i);
		fb_begin(b, name);
		fb_prop_str(b, "device_type", "cpu");
		if (compats[i])
			fb_prop(b, "compatible", compats[i], lens[i]);
		fb_prop_u32(b, "reg", i);
		fb_end(b);
	}
	fb_end(b);
	expect_ok(b);
	assert_int_equal(plat.n_cpus, ARRAY_SIZE(compats));
	for (i = 0; i < ARRAY_SIZE(compats); i++) {
		assert_int_equal(plat.cpus[i].core, want[i]);
		assert_int_equal(plat.cpus[i].midr, midr[i]);
		assert_string_equal(plat.cpus[i].compatible, compats[i] ? compats[i] : "");
	}
	assert_string_equal(platform_core_name(CORE_FTC310), "ftc310");
	assert_string_equal(platform_core_name(CORE_FTC664), "ftc664");
	assert_string_equal(platform_core_name(CORE_FTC663), "ftc663");
	assert_string_equal(platform_core_name(CORE_CORTEX_A72), "cortex-a72");
	assert_string_equal(platform_core_name(CORE_UNKNOWN), "unknown");
	assert_string_equal(platform_core_name((enum plat_core_type)99), "unknown");
	/* FACTS 0.2: same part, other revision -> same model under the mask. */
	assert_int_equal(0x700f3035 & PLAT_MIDR_MODEL_MASK, plat.cpus[0].midr & PLAT_MIDR_MODEL_MASK);
	assert_int_not_equal(plat.cpus[0].midr & PLAT_MIDR_MODEL_MASK,
			     plat.cpus[1].midr & PLAT_MIDR_MODEL_MASK);

	assert_true(platform_cpus_same_type(&plat, 0, 0));
	assert_false(platform_cpus_same_type(&plat, 0, 1));
	assert_false(platform_cpus_same_type(&plat, 1, 2));
	assert_true(platform_cpus_same_type(&plat, 4, 9));	/* both "arm,armv8" */
	assert_false(platform_cpus_same_type(&plat, 4, 10));	/* unknown, different */
	assert_true(platform_cpus_same_type(&plat, 7, 8));	/* both "" */
	assert_false(platform_cpus_same_type(&plat, 4, 3));	/* unknown vs known */
	assert_false(platform_cpus_same_type(&plat, 0, ARRAY_SIZE(compats)));
	assert_false(platform_cpus_same_type(&plat, 1000, 0));

	/* A compatible that is not a string list. */
	b = fb_new();
	root_begin(b, NULL);
	memory_node(b);
	fb_begin(b, "cpus");
	fb_prop_u32(b, "#address-cells", 1);
	fb_prop_u32(b, "#size-cells", 0);
	fb_begin(b, "cpu@0");
	fb_prop_str(b, "device_type", "cpu");
	fb_prop(b, "compatible", "arm,cortex-a72", 14);
	fb_prop_u32(b, "reg", 0);
	fb_end(b);
	fb_end(b);
	expect_fail(b, PLAT_EBADTREE, "cpu node /cpus/cpu@0: compatible is not a string list");
}

/* A console at /uart@1000 (clock-frequency uart_hz unless 0) and a timer (timer_hz, same). */
static struct fdtb *port_clock_tree(const char *compat, uint32_t uart_hz, uint32_t timer_hz)
{
	struct fdtb *b = minimal(compat);

	fb_begin(b, "chosen");
	fb_prop_str(b, "stdout-path", "/uart@1000");
	fb_end(b);
	fb_begin(b, "uart@1000");
	fb_prop_cells(b, "reg", 4, 0, 0x1000, 0, 0x1000);
	if (uart_hz)
		fb_prop_u32(b, "clock-frequency", uart_hz);
	fb_end(b);
	fb_begin(b, "timer");
	fb_prop_str(b, "compatible", "arm,armv8-timer");
	if (timer_hz)
		fb_prop_u32(b, "clock-frequency", timer_hz);
	fb_end(b);
	return b;
}

/* Timer and console clocks from the tree, else the port's (FACTS 0.8, 0.9, 1.2). */
static void test_port_clocks(void **state)
{
	static const struct {
		const char *compat;
		uint32_t timer_hz, uart_hz;
	} ports[] = {
		{ "phytium,pe2204", 50000000, 100000000 }, { "phytium,pe2201", 50000000, 100000000 },
		{ "phytium,ft-2004", 48000000, 48000000 }, { "phytium,d2000", 48000000, 48000000 },
		{ "linux,dummy-virt", 62500000, 24000000 }, { NULL, 0, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(ports); i++) {
		/* No timer node at all. */
		expect_ok(minimal(ports[i].compat));
		assert_int_equal(plat.timer.freq_hz, 0);
		assert_int_equal(plat.timer.expected_hz, ports[i].timer_hz);
		/* A timer node without clock-frequency, and a console without a clock. */
		expect_ok(port_clock_tree(ports[i].compat, 0, 0));
		assert_int_equal(plat.timer.freq_hz, 0);
		assert_int_equal(plat.timer.expected_hz, ports[i].timer_hz);
		assert_int_equal(plat.uart.clock_hz, ports[i].uart_hz);
		/* The tree wins when it says. */
		expect_ok(port_clock_tree(ports[i].compat, 1843200, 25000000));
		assert_int_equal(plat.timer.freq_hz, 25000000);
		assert_int_equal(plat.timer.expected_hz, 25000000);
		assert_int_equal(plat.uart.clock_hz, 1843200);
	}
}

static void test_add_reserved(void **state)
{
	int i;

	(void)state;
	memset(&plat, 0, sizeof(plat));
	assert_false(platform_add_reserved(&plat, 0x1000, 0, RSV_BOARD));
	/* The end (base + size) must be representable: the last byte of 2^64 stays out. */
	assert_false(platform_add_reserved(&plat, 0xfffffffffffff000ULL, 0x1000, RSV_BOARD));
	assert_true(platform_add_reserved(&plat, 0xfffffffffffff000ULL, 0xfff, RSV_BOARD));
	for (i = 1; i < PLAT_MAX_RESERVED; i++)
		assert_true(platform_add_reserved(&plat, (uint64_t)i << 12, 0x1000, RSV_BOARD));
	assert_false(platform_add_reserved(&plat, 0x100000, 0x1000, RSV_BOARD));
	assert_int_equal(plat.n_reserved, PLAT_MAX_RESERVED);
	assert_int_equal(plat.reserved[1].kind, RSV_BOARD);
}

static void test_errors_and_args(void **state)
{
	uint8_t *buf;
	size_t len;
	char small[8];

	(void)state;
	buf = fb_load("qemu-virt-smp1-256M.dtb", &len);
	assert_int_equal(platform_discover(buf, len, NULL, err, sizeof(err)), PLAT_EBADTREE);
	assert_int_equal(platform_discover(NULL, len, &plat, err, sizeof(err)), PLAT_EBADTREE);
	assert_string_equal(err, "invalid device tree: invalid argument");
	assert_int_equal(platform_discover(buf, len - 1, &plat, err, sizeof(err)), PLAT_EBADTREE);
	assert_string_equal(err, "invalid device tree: truncated or block outside the blob");
	assert_int_equal(platform_discover(buf, len - 1, &plat, NULL, 0), PLAT_EBADTREE);
	assert_int_equal(platform_discover(buf, len - 1, &plat, small, sizeof(small)),
			 PLAT_EBADTREE);
	assert_string_equal(small, "invalid");
	small[0] = 'x';
	assert_int_equal(platform_discover(buf, len - 1, &plat, small, 1), PLAT_EBADTREE);
	assert_int_equal(small[0], '\0');
	buf[0] ^= 1;
	assert_int_equal(platform_discover(buf, len, &plat, err, sizeof(err)), PLAT_EBADTREE);
	assert_string_equal(err, "invalid device tree: bad magic");
	assert_ptr_equal(plat.board, &board_generic);
	buf[0] ^= 1;
	assert_int_equal(platform_discover(buf, len, &plat, err, sizeof(err)), PLAT_OK);
	assert_string_equal(err, "");
	free(buf);
}

/* Every cut of a real tree fails cleanly, with the header's sizes cut to match or not. */
static void test_truncation_sweep(void **state)
{
	uint8_t *buf, *p;
	size_t len, cut;
	uint32_t off_st, size_st, off_str, size_str;

	(void)state;
	buf = fb_load("phytiumpi_firefly-linux6.6.dtb", &len);
	off_st = fb_get32(buf + 8);
	size_st = fb_get32(buf + 36);
	off_str = fb_get32(buf + 12);
	size_str = fb_get32(buf + 32);
	for (cut = 0; cut < len; cut += cut < 1024 ? 1 : 13) {
		p = aligned_alloc(8, cut ? (cut + 7) & ~(size_t)7 : 8);
		memcpy(p, buf, cut);
		assert_int_equal(platform_discover(p, cut, &plat, err, sizeof(err)),
				 PLAT_EBADTREE);
		if (cut >= 40) {
			fb_put32(p + 4, (uint32_t)cut);
			if (off_st + size_st > cut)
				fb_put32(p + 36, cut > off_st ? (uint32_t)(cut - off_st) : 0);
			if (off_str + size_str > cut)
				fb_put32(p + 32, cut > off_str ? (uint32_t)(cut - off_str) : 0);
			assert_int_equal(platform_discover(p, cut, &plat, err, sizeof(err)),
					 PLAT_EBADTREE);
		}
		free(p);
	}
	free(buf);
}

/* Random byte corruption of real trees: any result but a crash or sanitizer report. */
static void test_random_corruption(void **state)
{
	static const char *const files[] = { "phytiumpi_firefly-linux6.6.dtb",
					     "d2000-devboard-dsk-linux4.19.dtb",
					     "qemu-virt-smp18-1G.dtb" };
	uint8_t *buf, *p;
	size_t len, f;
	uint32_t seed = 42, i, k, off;
	int ok = 0;

	(void)state;
	for (f = 0; f < ARRAY_SIZE(files); f++) {
		buf = fb_load(files[f], &len);
		p = aligned_alloc(8, (len + 7) & ~(size_t)7);
		for (i = 0; i < 1500; i++) {
			memcpy(p, buf, len);
			for (k = 0; k < 1 + i % 3; k++) {
				seed = seed * 1664525u + 1013904223u;
				/* mostly the struct block, where it matters most */
				off = (seed >> 8) % (uint32_t)len;
				p[off] = (uint8_t)(seed >> 24);
			}
			if (platform_discover(p, len, &plat, err, sizeof(err)) == PLAT_OK) {
				ok++;
				assert_true(plat.n_cpus > 0 && plat.n_cpus <= PLAT_MAX_CPUS);
				assert_true(plat.n_usable > 0 && plat.n_usable <= PLAT_MAX_USABLE);
			} else {
				assert_true(strlen(err) > 0);
			}
		}
		free(p);
		free(buf);
	}
	assert_true(ok > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_trees),
		cmocka_unit_test(test_minimal),
		cmocka_unit_test(test_memory_and_reserved),
		cmocka_unit_test(test_memory_errors),
		cmocka_unit_test(test_cpus),
		cmocka_unit_test(test_gic),
		cmocka_unit_test(test_uart_paths),
		cmocka_unit_test(test_uart_clock),
		cmocka_unit_test(test_timer),
		cmocka_unit_test(test_psci),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_board_match),
		cmocka_unit_test(test_phytium_memory),
		cmocka_unit_test(test_phytium_reserved_full),
		cmocka_unit_test(test_core_types),
		cmocka_unit_test(test_port_clocks),
		cmocka_unit_test(test_add_reserved),
		cmocka_unit_test(test_errors_and_args),
		cmocka_unit_test(test_truncation_sweep),
		cmocka_unit_test(test_random_corruption),
	};

	return cmocka_run_group_tests_name("platform", tests, NULL, NULL);
}
