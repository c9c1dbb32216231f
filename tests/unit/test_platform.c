/* SPDX-License-Identifier: Apache-2.0 */
/*
 * platform_discover() against every board tree in tests/data/dtb (expected values read from
 * the trees with dtc/fdtget, not from this code's output), against crafted trees for each
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

struct expect {
	const char *file, *compat, *model, *board;
	uint32_t n_mem;
	struct mem_range mem[2];
	uint32_t n_rsv;			/* all /memreserve/ 0x80000000 0x10000 when present */
	uint32_t n_usable;
	struct mem_range usable[2];
	uint32_t n_cpus;
	uint64_t mpidr[18];
	uint64_t gicd, gicd_size, gicr, gicr_size;
	uint64_t uart_base;
	uint32_t uart_clock, baud, uart_intid;
	uint32_t timer_hz;
};

#define PHYTIUM_RSV 1
#define E2000_GIC 0x30800000, 0x20000, 0x30880000, 0x80000
#define E2000_UART 0x2800d000, 100000000, 115200, 32 + 0x54
#define QEMU_GIC 0x8000000, 0x10000, 0x80a0000, 0xf60000
#define QEMU_UART 0x9000000, 24000000, 0, 32 + 1

static const struct expect expects[] = {
	{
		"phytiumpi_firefly-linux6.6.dtb", "phytium,pe2204", "Phytium Pi Board",
		"phytium-e2000",
		1, { { 0x80000000, 0x200000000 } }, PHYTIUM_RSV,
		1, { { 0x80010000, 0x1ffff0000 } },
		4, { 0x200, 0x201, 0x0, 0x100 },
		E2000_GIC, E2000_UART, 50000000,
	},
	{
		"phytiumpi_firefly-linux5.10.dtb", "phytium,pe2204", "Phytium Pi Board",
		"phytium-e2000",
		1, { { 0x80000000, 0x200000000 } }, PHYTIUM_RSV,
		1, { { 0x80010000, 0x1ffff0000 } },
		4, { 0x200, 0x201, 0x0, 0x100 },
		E2000_GIC, E2000_UART, 50000000,
	},
	{
		"e2000q-demo-board-linux5.10.dtb", "phytium,pe2204", "Pe2204 DEMO DDR4",
		"phytium-e2000",
		1, { { 0x80000000, 0x80000000 } }, PHYTIUM_RSV,
		1, { { 0x80010000, 0x7fff0000 } },
		4, { 0x200, 0x201, 0x0, 0x100 },
		E2000_GIC, E2000_UART, 50000000,
	},
	{
		"e2000d-demo-board-linux5.10.dtb", "phytium,pe2202", "Pe2202 DEMO DDR4",
		"phytium-e2000",
		1, { { 0x80000000, 0x80000000 } }, PHYTIUM_RSV,
		1, { { 0x80010000, 0x7fff0000 } },
		2, { 0x200, 0x201 },
		E2000_GIC, E2000_UART, 50000000,
	},
	{
		"e2000s-demo-board-linux5.10.dtb", "phytium,pe2201", "Pe2201 DEMO DDR4",
		"phytium-e2000",
		1, { { 0x80000000, 0x80000000 } }, PHYTIUM_RSV,
		1, { { 0x80010000, 0x7fff0000 } },
		1, { 0x200 },
		E2000_GIC, E2000_UART, 50000000,
	},
	{
		"ft2004-devboard-d4-dsk-linux4.19.dtb", "phytium,ft-2004",
		"FT-2000/4-D4-DSK Development Board", "phytium-ft2004",
		2, { { 0x80000000, 0x100000000 }, { 0x2000000000, 0x100000000 } }, PHYTIUM_RSV,
		2, { { 0x80010000, 0xffff0000 }, { 0x2000000000, 0x100000000 } },
		4, { 0x0, 0x1, 0x100, 0x101 },
		0x29900000, 0x20000, 0x29980000, 0x80000,
		0x28001000, 48000000, 115200, 32 + 7, 48000000,
	},
	{
		"d2000-devboard-dsk-linux4.19.dtb", "phytium,d2000", "D2000 Development Board",
		"phytium-d2000",
		2, { { 0x80000000, 0x100000000 }, { 0x2000000000, 0x100000000 } }, PHYTIUM_RSV,
		2, { { 0x80010000, 0xffff0000 }, { 0x2000000000, 0x100000000 } },
		8, { 0x0, 0x1, 0x100, 0x101, 0x200, 0x201, 0x300, 0x301 },
		0x29a00000, 0x20000, 0x29b00000, 0x100000,
		0x28001000, 48000000, 115200, 32 + 7, 48000000,
	},
	{
		"qemu-virt-smp4-2G.dtb", "linux,dummy-virt", "linux,dummy-virt", "qemu-virt",
		1, { { 0x40000000, 0x80000000 } }, 0,
		1, { { 0x40000000, 0x80000000 } },
		4, { 0, 1, 2, 3 },
		QEMU_GIC, QEMU_UART, 0,
	},
	{
		"qemu-virt-smp18-1G.dtb", "linux,dummy-virt", "linux,dummy-virt", "qemu-virt",
		1, { { 0x40000000, 0x40000000 } }, 0,
		1, { { 0x40000000, 0x40000000 } },
		18, { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0x100, 0x101 },
		QEMU_GIC, QEMU_UART, 0,
	},
	{
		"qemu-virt-smp1-256M.dtb", "linux,dummy-virt", "linux,dummy-virt", "qemu-virt",
		1, { { 0x40000000, 0x10000000 } }, 0,
		1, { { 0x40000000, 0x10000000 } },
		1, { 0 },
		QEMU_GIC, QEMU_UART, 0,
	},
};

static void check_tree(const struct expect *e)
{
	uint8_t *buf;
	size_t len;
	uint32_t i;
	int r;

	buf = fb_load(e->file, &len);
	r = platform_discover(buf, len, &plat, err, sizeof(err));
	if (r)
		fail_msg("%s: %d %s", e->file, r, err);
	assert_string_equal(err, "");
	assert_string_equal(plat.compatible, e->compat);
	assert_string_equal(plat.model, e->model);
	assert_string_equal(plat.board->name, e->board);

	assert_int_equal(plat.n_mem, e->n_mem);
	for (i = 0; i < e->n_mem; i++) {
		assert_int_equal(plat.mem[i].base, e->mem[i].base);
		assert_int_equal(plat.mem[i].size, e->mem[i].size);
	}
	assert_int_equal(plat.n_reserved, e->n_rsv);
	if (e->n_rsv) {
		assert_int_equal(plat.reserved[0].base, 0x80000000);
		assert_int_equal(plat.reserved[0].size, 0x10000);
		assert_int_equal(plat.reserved[0].kind, RSV_MEMRESERVE);
	}
	assert_int_equal(plat.n_usable, e->n_usable);
	for (i = 0; i < e->n_usable; i++) {
		assert_int_equal(plat.usable[i].base, e->usable[i].base);
		assert_int_equal(plat.usable[i].size, e->usable[i].size);
	}

	assert_int_equal(plat.n_cpus, e->n_cpus);
	for (i = 0; i < e->n_cpus; i++) {
		assert_int_equal(plat.cpus[i].mpidr, e->mpidr[i]);
		assert_int_equal(platform_cpu_index(&plat, e->mpidr[i]), (int)i);
	}

	assert_int_equal(plat.gic.version, 3);
	assert_int_equal(plat.gic.gicd_base, e->gicd);
	assert_int_equal(plat.gic.gicd_size, e->gicd_size);
	assert_int_equal(plat.gic.n_gicr, 1);
	assert_int_equal(plat.gic.gicr[0].base, e->gicr);
	assert_int_equal(plat.gic.gicr[0].size, e->gicr_size);
	assert_int_equal(plat.gic.gicr_stride, 0);
	assert_int_equal(plat.gic.maintenance_intid, 25);

	assert_true(plat.uart.present);
	assert_string_equal(plat.uart.compatible, "arm,pl011");
	assert_int_equal(plat.uart.base, e->uart_base);
	assert_int_equal(plat.uart.size, 0x1000);
	assert_int_equal(plat.uart.clock_hz, e->uart_clock);
	assert_int_equal(plat.uart.baud, e->baud);
	assert_int_equal(plat.uart.intid, e->uart_intid);

	/* Every tree: <1 13> <1 14> <1 11> <1 10>. */
	assert_int_equal(plat.timer.freq_hz, e->timer_hz);
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

/* A minimal good tree: root, memory, one CPU. */
static struct fdtb *minimal(const char *compat)
{
	struct fdtb *b = fb_new();

	root_begin(b, compat);
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
	memory_node(b);
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
		cmocka_unit_test(test_add_reserved),
		cmocka_unit_test(test_errors_and_args),
		cmocka_unit_test(test_truncation_sweep),
		cmocka_unit_test(test_random_corruption),
	};

	return cmocka_run_group_tests_name("platform", tests, NULL, NULL);
}
