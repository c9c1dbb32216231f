/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lib/fdt: the reader against the real board trees (expected values read with dtc/fdtget)
 * and against crafted or corrupted blobs, which must all be refused without a stray access.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fdt_builder.h"
#include "lib/fdt.h"

static uint64_t out_buf[16384]; /* 128 KiB, 8-byte aligned */

struct tree_facts {
	const char *file;
	int nodes, props, max_depth;
	uint32_t n_rsv;
};

/* Counted with fdtdump: nodes ("{" lines), properties, deepest level (root = 0). */
static const struct tree_facts trees[] = {
	{ "d2000-devboard-dsk-linux4.19.dtb", 65, 421, 4, 1 },
	{ "e2000d-demo-board-linux5.10.dtb", 149, 956, 4, 1 },
	{ "e2000q-demo-board-linux5.10.dtb", 156, 982, 4, 1 },
	{ "e2000s-demo-board-linux5.10.dtb", 156, 934, 3, 1 },
	{ "ft2004-devboard-d4-dsk-linux4.19.dtb", 60, 377, 4, 1 },
	{ "phytiumpi_firefly-linux5.10.dtb", 162, 1037, 4, 1 },
	{ "phytiumpi_firefly-linux6.6.dtb", 173, 1080, 4, 1 },
	{ "qemu-virt-smp1-256M.dtb", 56, 222, 5, 0 },
	{ "qemu-virt-smp18-1G.dtb", 90, 325, 5, 0 },
	{ "qemu-virt-smp4-2G.dtb", 62, 241, 5, 0 },
};

static void open_file(const char *name, struct dt *dt, uint8_t **buf, size_t *len)
{
	*buf = fb_load(name, len);
	assert_int_equal(dt_open(dt, *buf, *len), DT_OK);
}

static int node_at(const struct dt *dt, const char *path)
{
	return dt_path_str(dt, path);
}

static void assert_name(const struct dt *dt, int node, const char *want)
{
	uint32_t len;
	const char *nm = dt_node_name(dt, node, &len);

	assert_non_null(nm);
	assert_int_equal(len, strlen(want));
	assert_memory_equal(nm, want, len);
}

/* ---- real trees ---- */

static void test_real_trees_walk(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(trees); i++) {
		struct dt dt;
		uint8_t *buf;
		size_t len;
		int node, depth = 0, nodes = 0, props = 0, maxd = 0, prop;
		uint64_t a, s;

		open_file(trees[i].file, &dt, &buf, &len);
		assert_int_equal(dt.totalsize, len);
		assert_int_equal(dt.version, 17);
		assert_int_equal(dt_root(&dt), 0);
		for (node = dt_next_node(&dt, -1, &depth); node >= 0;
		     node = dt_next_node(&dt, node, &depth)) {
			nodes++;
			if (depth > maxd)
				maxd = depth;
			for (prop = dt_first_prop(&dt, node); prop >= 0;
			     prop = dt_next_prop(&dt, prop))
				props++;
			assert_int_equal(prop, DT_ENOTFOUND);
		}
		assert_int_equal(node, DT_ENOTFOUND);
		assert_int_equal(depth, -1); /* left the root */
		assert_int_equal(nodes, trees[i].nodes);
		assert_int_equal(props, trees[i].props);
		assert_int_equal(maxd, trees[i].max_depth);

		assert_int_equal(dt.n_rsv, trees[i].n_rsv);
		if (trees[i].n_rsv) {
			assert_int_equal(dt_mem_rsv(&dt, 0, &a, &s), DT_OK);
			assert_int_equal(a, 0x80000000ULL);
			assert_int_equal(s, 0x10000ULL);
		}
		assert_int_equal(dt_mem_rsv(&dt, trees[i].n_rsv, &a, &s), DT_ENOTFOUND);
		free(buf);
	}
}

static void test_path_lookup(void **state)
{
	struct dt dt;
	uint8_t *buf;
	size_t len;
	int n;

	(void)state;
	open_file("phytiumpi_firefly-linux6.6.dtb", &dt, &buf, &len);
	assert_int_equal(node_at(&dt, "/"), 0);
	assert_name(&dt, 0, "");
	n = node_at(&dt, "/chosen");
	assert_true(n > 0);
	assert_name(&dt, n, "chosen");
	/* A name without unit address matches any unit address. */
	n = node_at(&dt, "/memory");
	assert_true(n > 0);
	assert_name(&dt, n, "memory@0");
	assert_int_equal(node_at(&dt, "/memory@0"), n);
	assert_int_equal(node_at(&dt, "/memory@00"), DT_ENOTFOUND);
	assert_int_equal(node_at(&dt, "/memory@1"), DT_ENOTFOUND);
	/* Upper-case unit address, exact only. */
	n = node_at(&dt, "/soc/uart@2802A000");
	assert_true(n > 0);
	assert_name(&dt, n, "uart@2802A000");
	assert_int_equal(node_at(&dt, "/soc/uart@2802a000"), DT_ENOTFOUND);
	assert_int_equal(node_at(&dt, "//soc///uart@2802A000/"), n);
	assert_int_equal(dt_path(&dt, "/soc/uart@2802A000:115200", 18), n);
	/* "cpu" matches the first cpu@N. */
	n = node_at(&dt, "/cpus/cpu");
	assert_name(&dt, n, "cpu@0");
	assert_int_equal(node_at(&dt, "cpus"), DT_EINVAL);
	assert_int_equal(node_at(&dt, ""), DT_EINVAL);
	assert_int_equal(dt_path_str(&dt, NULL), DT_EINVAL);
	assert_int_equal(node_at(&dt, "/nonexistent"), DT_ENOTFOUND);
	assert_int_equal(node_at(&dt, "/chosen/stdout-path"), DT_ENOTFOUND);
	assert_int_equal(node_at(&dt, "/mem"), DT_ENOTFOUND);
	free(buf);

	/* D2000: memory@00 and memory@01, exact match preferred over the first base match. */
	open_file("d2000-devboard-dsk-linux4.19.dtb", &dt, &buf, &len);
	assert_name(&dt, node_at(&dt, "/memory"), "memory@00");
	assert_name(&dt, node_at(&dt, "/memory@01"), "memory@01");
	assert_name(&dt, node_at(&dt, "/interrupt-controller"), "interrupt-controller@29900000");
	free(buf);
}

static void test_name_matches(void **state)
{
	(void)state;
	assert_true(dt_name_matches("memory@0", 8, "memory", 6));
	assert_true(dt_name_matches("memory@0", 8, "memory@0", 8));
	assert_true(dt_name_matches("memory", 6, "memory", 6));
	assert_false(dt_name_matches("memory", 6, "memory@0", 8));
	assert_false(dt_name_matches("memory@0", 8, "memory@00", 9));
	assert_false(dt_name_matches("memoryx@0", 9, "memory", 6));
	assert_false(dt_name_matches("mem", 3, "memory", 6));
	assert_false(dt_name_matches("memory@0", 8, "", 0));
}

static void test_children_and_parents(void **state)
{
	static const char *const want[] = { "cpu-map", "cpu@0", "cpu@1", "cpu@100", "cpu@101" };
	struct dt dt;
	uint8_t *buf;
	size_t len, i = 0;
	int cpus, n, uart, soc, stack[DT_MAX_DEPTH];
	char path[64];

	(void)state;
	open_file("phytiumpi_firefly-linux6.6.dtb", &dt, &buf, &len);
	cpus = node_at(&dt, "/cpus");
	for (n = dt_first_child(&dt, cpus); n >= 0; n = dt_next_sibling(&dt, n)) {
		assert_true(i < ARRAY_SIZE(want));
		assert_name(&dt, n, want[i++]);
		assert_int_equal(dt_parent(&dt, n), cpus);
	}
	assert_int_equal(n, DT_ENOTFOUND);
	assert_int_equal(i, ARRAY_SIZE(want));
	assert_int_equal(dt_subnode(&dt, cpus, "cpu@100", 7), node_at(&dt, "/cpus/cpu@100"));

	uart = node_at(&dt, "/soc/uart@2800d000");
	soc = node_at(&dt, "/soc");
	assert_int_equal(dt_parent(&dt, uart), soc);
	assert_int_equal(dt_parent(&dt, soc), 0);
	assert_int_equal(dt_parent(&dt, 0), DT_ENOTFOUND);
	assert_int_equal(dt_ancestors(&dt, uart, stack, DT_MAX_DEPTH), 3);
	assert_int_equal(stack[0], 0);
	assert_int_equal(stack[1], soc);
	assert_int_equal(stack[2], uart);
	assert_int_equal(dt_ancestors(&dt, uart, stack, 2), DT_EDEPTH);
	/* Not a node offset. */
	assert_true(dt_parent(&dt, uart + 4) < 0);
	assert_true(dt_first_child(&dt, uart + 4) < 0);
	assert_null(dt_node_name(&dt, uart + 4, NULL));
	assert_true(dt_next_node(&dt, uart + 1, NULL) < 0);
	assert_true(dt_first_prop(&dt, 1 << 30) < 0);

	assert_int_equal(dt_node_path(&dt, uart, path, sizeof(path)), 18);
	assert_string_equal(path, "/soc/uart@2800d000");
	assert_int_equal(dt_node_path(&dt, 0, path, sizeof(path)), 1);
	assert_string_equal(path, "/");
	assert_int_equal(dt_node_path(&dt, uart, path, 8), 18);
	assert_string_equal(path, "/soc/ua");
	assert_int_equal(dt_node_path(&dt, uart, path, 0), 18);
	free(buf);
}

static void test_properties(void **state)
{
	struct dt dt;
	uint8_t *buf;
	size_t len;
	const char *s, *name, *list;
	const void *val;
	uint32_t v, l;
	uint64_t q;
	int psci, prop, uart;

	(void)state;
	open_file("qemu-virt-smp4-2G.dtb", &dt, &buf, &len);
	assert_int_equal(dt_getprop_u32(&dt, 0, "#address-cells", &v), DT_OK);
	assert_int_equal(v, 2);
	assert_int_equal(dt_getprop_str(&dt, 0, "model", &s), DT_OK);
	assert_string_equal(s, "linux,dummy-virt");
	assert_int_equal(dt_getprop_u32(&dt, 0, "model", &v), DT_EBADVALUE);
	assert_int_equal(dt_getprop_u32(&dt, 0, "nope", &v), DT_ENOTFOUND);
	assert_null(dt_getprop(&dt, 0, "#address-cell", NULL));
	assert_non_null(dt_getprop_namelen(&dt, 0, "#address-cells-and-more", 14, &l));
	assert_int_equal(l, 4);

	psci = node_at(&dt, "/psci");
	list = dt_getprop(&dt, psci, "compatible", &l);
	assert_non_null(list);
	assert_int_equal(l, sizeof("arm,psci-1.0\0arm,psci-0.2\0arm,psci"));
	assert_int_equal(dt_stringlist_count(list, l), 3);
	assert_string_equal(dt_stringlist_get(list, l, 1, &v), "arm,psci-0.2");
	assert_int_equal(v, 12);
	assert_null(dt_stringlist_get(list, l, 3, NULL));
	assert_true(dt_stringlist_contains(list, l, "arm,psci"));
	assert_false(dt_stringlist_contains(list, l, "arm,psci-0.1"));
	assert_false(dt_stringlist_contains(list, l, "arm,psc"));
	assert_true(dt_node_is_compatible(&dt, psci, "arm,psci-0.2"));
	assert_int_equal(dt_getprop_u32(&dt, psci, "cpu_on", &v), DT_OK);
	assert_int_equal(v, 0xc4000003);
	assert_int_equal(dt_getprop_u64(&dt, psci, "cpu_on", &q), DT_OK);
	assert_int_equal(q, 0xc4000003);
	assert_true(dt_node_is_available(&dt, psci));

	/* First property of /psci is "migrate" in this dump. */
	prop = dt_first_prop(&dt, psci);
	assert_int_equal(dt_prop_get(&dt, prop, &name, &val, &l), DT_OK);
	assert_string_equal(name, "migrate");
	assert_int_equal(l, 4);
	assert_int_equal(dt_be32(val), 0xc4000005);
	assert_int_equal(dt_prop_get(&dt, psci, &name, &val, &l), DT_EINVAL);
	assert_int_equal(dt_next_prop(&dt, psci), DT_EINVAL);

	/* reg through the root's cells, 64-bit value read from two cells. */
	uart = node_at(&dt, "/pl011@9000000");
	assert_int_equal(dt_parent_addr_cells(&dt, uart), 2);
	assert_int_equal(dt_parent_size_cells(&dt, uart), 2);
	assert_int_equal(dt_reg(&dt, uart, 0, &q, &(uint64_t){ 0 }), DT_OK);
	assert_int_equal(q, 0x9000000);
	assert_int_equal(dt_reg(&dt, uart, 1, &q, &(uint64_t){ 0 }), DT_ENOTFOUND);
	assert_int_equal(dt_reg_count(&dt, uart, "reg", 2, 2), 1);
	assert_int_equal(dt_reg_count(&dt, uart, "reg", 3, 2), DT_EBADVALUE);
	assert_int_equal(dt_reg_count(&dt, uart, "reg", 1, 1), 2);
	assert_int_equal(dt_reg_count(&dt, uart, "reg", 2, 1), DT_EBADVALUE);
	assert_int_equal(dt_reg_count(&dt, uart, "nope", 2, 2), DT_ENOTFOUND);
	free(buf);
}

static void test_phandle(void **state)
{
	struct dt dt;
	uint8_t *buf;
	size_t len;
	int n;

	(void)state;
	open_file("phytiumpi_firefly-linux6.6.dtb", &dt, &buf, &len);
	n = dt_find_phandle(&dt, 0x0d);
	assert_int_equal(n, node_at(&dt, "/clocks/clk100mhz"));
	n = dt_find_phandle(&dt, 0x01);
	assert_int_equal(n, node_at(&dt, "/interrupt-controller@30800000"));
	assert_int_equal(dt_find_phandle(&dt, 0), DT_ENOTFOUND);
	assert_int_equal(dt_find_phandle(&dt, 0xffffffff), DT_ENOTFOUND);
	assert_int_equal(dt_find_phandle(&dt, 0xdead), DT_ENOTFOUND);

	n = dt_find_compatible(&dt, -1, "arm,pl011");
	assert_name(&dt, n, "uart@2800c000");
	n = dt_find_compatible(&dt, n, "arm,pl011");
	assert_name(&dt, n, "uart@2800d000");
	assert_int_equal(dt_find_compatible(&dt, -1, "no,such"), DT_ENOTFOUND);
	n = dt_find_compatible(&dt, -1, "arm,gic-v3");
	assert_name(&dt, n, "interrupt-controller@30800000");
	free(buf);
}

static void test_cells(void **state)
{
	static const uint8_t c[8] = { 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0 };
	uint64_t v = 7;

	(void)state;
	assert_int_equal(dt_read_number(c, 1, &v), DT_OK);
	assert_int_equal(v, 0x12345678);
	assert_int_equal(dt_read_number(c, 2, &v), DT_OK);
	assert_int_equal(v, 0x123456789abcdef0ULL);
	assert_int_equal(dt_read_number(c, 0, &v), DT_EBADVALUE);
	assert_int_equal(dt_read_number(c, 3, &v), DT_EBADVALUE);
	/* Unaligned source: byte loads only. */
	assert_int_equal(dt_be32(c + 1), 0x3456789a);
	assert_int_equal(dt_be64(c), 0x123456789abcdef0ULL);
}

static void test_stringlists(void **state)
{
	static const char l1[] = "ab\0cde\0";		/* sizeof = 8: two strings and a NUL */
	static const char l2[] = { 'a', 0, 'b', 'c' };	/* unterminated tail */
	uint32_t n;

	(void)state;
	assert_int_equal(dt_stringlist_count(l1, 7), 2);
	assert_int_equal(dt_stringlist_count(l1, 8), 3);	/* trailing empty string */
	assert_int_equal(dt_stringlist_count(l1, 0), 0);
	assert_int_equal(dt_stringlist_count(l2, 4), DT_EBADVALUE);
	assert_string_equal(dt_stringlist_get(l1, 7, 1, &n), "cde");
	assert_int_equal(n, 3);
	assert_null(dt_stringlist_get(l1, 7, 2, NULL));
	assert_string_equal(dt_stringlist_get(l2, 4, 0, NULL), "a");
	assert_null(dt_stringlist_get(l2, 4, 1, NULL));
	assert_null(dt_stringlist_get(l1, 5, 1, NULL));	/* "cd" cut: not a string */
	assert_true(dt_stringlist_contains(l2, 4, "a"));
	assert_false(dt_stringlist_contains(l2, 4, "bc"));
	assert_false(dt_stringlist_contains(l1, 5, "cd"));
	assert_false(dt_stringlist_contains(l1, 0, ""));
}

/* ---- crafted trees ---- */

static void build_translate_tree(struct fdtb *b, int bus_has_ranges)
{
	fb_begin(b, "");
	fb_prop_u32(b, "#address-cells", 2);
	fb_prop_u32(b, "#size-cells", 2);
	fb_begin(b, "bus@10000000");
	fb_prop_u32(b, "#address-cells", 1);
	fb_prop_u32(b, "#size-cells", 1);
	if (bus_has_ranges == 1) /* child 0 -> parent 0x1_1000_0000, 1 MiB; 0x200000 -> 0x4000 */
		fb_prop_cells(b, "ranges", 8, 0x0, 0x1, 0x10000000, 0x100000, 0x200000, 0x0,
			      0x4000, 0x1000);
	else if (bus_has_ranges == 2)
		fb_prop_empty(b, "ranges");
	else if (bus_has_ranges == 3) /* wraps: parent address near 2^64 */
		fb_prop_cells(b, "ranges", 4, 0x0, 0xffffffff, 0xfffff000, 0x100000);
	fb_begin(b, "sub");
	fb_prop_u32(b, "#address-cells", 1);
	fb_prop_u32(b, "#size-cells", 1);
	fb_prop_cells(b, "ranges", 3, 0x0, 0x8000, 0x1000); /* 0..0x1000 -> 0x8000 */
	fb_begin(b, "dev@100");
	fb_prop_cells(b, "reg", 2, 0x100, 0x10);
	fb_end(b);
	fb_end(b);
	fb_begin(b, "dev@8000");
	fb_prop_cells(b, "reg", 4, 0x8000, 0x100, 0x200010, 0x10);
	fb_end(b);
	fb_end(b);
	fb_end(b);
}

static void test_translate(void **state)
{
	struct dt dt;
	struct fdtb *b;
	size_t len;
	uint64_t a, s;
	int dev, sub;

	(void)state;
	b = fb_new();
	build_translate_tree(b, 1);
	len = fb_finish(b, out_buf, sizeof(out_buf));
	assert_int_equal(dt_open(&dt, out_buf, len), DT_OK);
	dev = node_at(&dt, "/bus/dev@8000");
	assert_int_equal(dt_reg_translated(&dt, dev, 0, &a, &s), DT_OK);
	assert_int_equal(a, 0x110008000ULL);
	assert_int_equal(s, 0x100);
	assert_int_equal(dt_reg_translated(&dt, dev, 1, &a, &s), DT_OK);
	assert_int_equal(a, 0x4010);
	/* Two levels: sub maps 0x100 to bus 0x8100, the bus to 0x1_1000_8100. */
	sub = node_at(&dt, "/bus/sub/dev");
	assert_int_equal(dt_reg_translated(&dt, sub, 0, &a, &s), DT_OK);
	assert_int_equal(a, 0x110008100ULL);
	/* An address outside every range. */
	assert_int_equal(dt_read_reg(&dt, dev, "reg", 1, 1, 0, &a, &s), DT_OK);
	a = 0x300000;
	assert_int_equal(dt_translate(&dt, dev, &a), DT_ENOTFOUND);
	free(b);

	b = fb_new();
	build_translate_tree(b, 2); /* empty ranges: identity */
	len = fb_finish(b, out_buf, sizeof(out_buf));
	assert_int_equal(dt_open(&dt, out_buf, len), DT_OK);
	assert_int_equal(dt_reg_translated(&dt, node_at(&dt, "/bus/dev@8000"), 0, &a, &s), DT_OK);
	assert_int_equal(a, 0x8000);
	free(b);

	b = fb_new();
	build_translate_tree(b, 0); /* no ranges: not translatable */
	len = fb_finish(b, out_buf, sizeof(out_buf));
	assert_int_equal(dt_open(&dt, out_buf, len), DT_OK);
	assert_int_equal(dt_reg_translated(&dt, node_at(&dt, "/bus/dev@8000"), 0, &a, &s),
			 DT_ENOTFOUND);
	free(b);

	b = fb_new();
	build_translate_tree(b, 3);
	len = fb_finish(b, out_buf, sizeof(out_buf));
	assert_int_equal(dt_open(&dt, out_buf, len), DT_OK);
	assert_int_equal(dt_reg_translated(&dt, node_at(&dt, "/bus/dev@8000"), 0, &a, &s),
			 DT_EBADVALUE);
	free(b);
}

static void test_cells_props(void **state)
{
	struct dt dt;
	struct fdtb *b = fb_new();
	size_t len;
	uint64_t a, s;
	int n1, n2, n3;

	(void)state;
	fb_begin(b, "");
	fb_begin(b, "defaults"); /* no cells: 2 / 1 */
	fb_begin(b, "d");
	fb_prop_cells(b, "reg", 3, 0x1, 0x2, 0x3);
	fb_end(b);
	fb_end(b);
	fb_begin(b, "huge");
	fb_prop_u32(b, "#address-cells", 0xffffffff);
	fb_prop_cells(b, "#size-cells", 2, 0, 1);
	fb_begin(b, "d");
	fb_prop_cells(b, "reg", 3, 0x1, 0x2, 0x3);
	fb_end(b);
	fb_end(b);
	fb_begin(b, "three");
	fb_prop_u32(b, "#address-cells", 3);
	fb_prop_u32(b, "#size-cells", 0);
	fb_begin(b, "d");
	fb_prop_cells(b, "reg", 3, 0x1, 0x2, 0x3);
	fb_end(b);
	fb_end(b);
	fb_end(b);
	len = fb_finish(b, out_buf, sizeof(out_buf));
	assert_int_equal(dt_open(&dt, out_buf, len), DT_OK);
	n1 = node_at(&dt, "/defaults/d");
	n2 = node_at(&dt, "/huge/d");
	n3 = node_at(&dt, "/three/d");
	assert_int_equal(dt_parent_addr_cells(&dt, n1), 2);
	assert_int_equal(dt_parent_size_cells(&dt, n1), 1);
	assert_int_equal(dt_reg(&dt, n1, 0, &a, &s), DT_OK);
	assert_int_equal(a, 0x100000002ULL);
	assert_int_equal(s, 3);
	assert_int_equal(dt_parent_addr_cells(&dt, n2), DT_EBADVALUE);
	assert_int_equal(dt_parent_size_cells(&dt, n2), DT_EBADVALUE);
	assert_int_equal(dt_reg(&dt, n2, 0, &a, &s), DT_EBADVALUE);
	assert_int_equal(dt_parent_addr_cells(&dt, n3), 3);
	assert_int_equal(dt_reg(&dt, n3, 0, &a, &s), DT_EBADVALUE);
	assert_int_equal(dt_parent_addr_cells(&dt, 0), DT_ENOTFOUND);
	free(b);
}

static void test_memreserve_and_v16(void **state)
{
	struct dt dt;
	struct fdtb *b = fb_new();
	size_t len;
	uint64_t a, s;

	(void)state;
	fb_rsv(b, 0x1000, 0x2000);
	fb_rsv(b, 0xffffffff00000000ULL, 0x10);
	fb_rsv(b, 0, 0x1000); /* address 0 is fine as long as size is not */
	b->version = 16;
	fb_begin(b, "");
	fb_nop(b);
	fb_prop_str(b, "model", "v16");
	fb_nop(b);
	fb_end(b);
	fb_nop(b);
	len = fb_finish(b, out_buf, sizeof(out_buf));
	assert_int_equal(dt_open(&dt, out_buf, len), DT_OK);
	assert_int_equal(dt.version, 16);
	assert_int_equal(dt.n_rsv, 3);
	assert_int_equal(dt_mem_rsv(&dt, 1, &a, &s), DT_OK);
	assert_int_equal(a, 0xffffffff00000000ULL);
	assert_int_equal(s, 0x10);
	assert_int_equal(dt_mem_rsv(&dt, 2, &a, &s), DT_OK);
	assert_int_equal(a, 0);
	assert_int_equal(dt_mem_rsv(&dt, 3, &a, &s), DT_ENOTFOUND);
	assert_non_null(dt_getprop(&dt, 0, "model", NULL));
	free(b);
}

/* ---- malformed blobs ---- */

static uint8_t *copy_of(const uint8_t *src, size_t len)
{
	uint8_t *p = aligned_alloc(8, (len + 64 + 7) & ~(size_t)7);

	assert_non_null(p);
	memcpy(p, src, len);
	return p;
}

static int open_patched(const uint8_t *src, size_t len, size_t off, uint32_t v)
{
	struct dt dt;
	uint8_t *p = copy_of(src, len);
	int r;

	fb_put32(p + off, v);
	r = dt_open(&dt, p, len);
	free(p);
	return r;
}

static void test_bad_headers(void **state)
{
	struct dt dt;
	uint8_t *buf, *p;
	size_t len;
	uint32_t total, off_st, off_str, size_st, size_str;

	(void)state;
	buf = fb_load("qemu-virt-smp1-256M.dtb", &len);
	total = (uint32_t)len;
	off_st = fb_get32(buf + 8);
	off_str = fb_get32(buf + 12);
	size_str = fb_get32(buf + 32);
	size_st = fb_get32(buf + 36);
	assert_int_equal(dt_open(&dt, buf, len), DT_OK);

	assert_int_equal(dt_open(NULL, buf, len), DT_EINVAL);
	assert_int_equal(dt_open(&dt, NULL, len), DT_EINVAL);
	assert_int_equal(open_patched(buf, len, 0, 0xd00dfeee), DT_EBADMAGIC);
	assert_int_equal(open_patched(buf, len, 0, 0xedfe0dd0), DT_EBADMAGIC);
	/* totalsize beyond what may be read, or too small for a header. */
	assert_int_equal(open_patched(buf, len, 4, total + 1), DT_ETRUNCATED);
	assert_int_equal(open_patched(buf, len, 4, 0xffffffff), DT_ETRUNCATED);
	assert_int_equal(open_patched(buf, len, 4, 0), DT_ETRUNCATED);
	assert_int_equal(open_patched(buf, len, 4, 39), DT_ETRUNCATED);
	assert_int_equal(dt_open(&dt, buf, len - 1), DT_ETRUNCATED);
	/* versions */
	assert_int_equal(open_patched(buf, len, 20, 15), DT_EBADVERSION);
	assert_int_equal(open_patched(buf, len, 24, 18), DT_EBADVERSION);
	assert_int_equal(open_patched(buf, len, 24, 0xffffffff), DT_EBADVERSION);
	/* struct block: offset past the end, overflowing size, misaligned, inside the header */
	assert_int_equal(open_patched(buf, len, 8, total + 4), DT_ETRUNCATED);
	assert_int_equal(open_patched(buf, len, 8, 0xfffffffc), DT_ETRUNCATED);
	assert_int_equal(open_patched(buf, len, 8, 0), DT_ETRUNCATED);
	assert_int_equal(open_patched(buf, len, 8, off_st + 2), DT_EALIGN);
	assert_int_equal(open_patched(buf, len, 36, size_st + (total - off_st - size_st) + 1),
			 DT_ETRUNCATED);
	assert_int_equal(open_patched(buf, len, 36, 0xfffffffc), DT_ETRUNCATED);
	assert_int_equal(open_patched(buf, len, 36, 0), DT_EBADSTRUCT);
	assert_int_equal(open_patched(buf, len, 36, size_st - 4), DT_EBADSTRUCT); /* no FDT_END */
	/* strings block */
	assert_int_equal(open_patched(buf, len, 12, total + 1), DT_ETRUNCATED);
	assert_int_equal(open_patched(buf, len, 12, 0xffffffff), DT_ETRUNCATED);
	assert_int_equal(open_patched(buf, len, 32, size_str + 1), DT_ETRUNCATED);
	assert_int_equal(open_patched(buf, len, 32, 0xffffffff), DT_ETRUNCATED);
	assert_int_equal(open_patched(buf, len, 32, 4), DT_EBADSTRUCT); /* names now past it */
	assert_int_equal(open_patched(buf, len, 12, off_str + 8), DT_ETRUNCATED);
	/* reservation map */
	assert_int_equal(open_patched(buf, len, 16, (total + 8) & ~7u), DT_ETRUNCATED);
	assert_int_equal(open_patched(buf, len, 16, 0xfffffff8), DT_ETRUNCATED);
	assert_int_equal(open_patched(buf, len, 16, 0x2c), DT_EALIGN);
	assert_int_equal(open_patched(buf, len, 16, 8), DT_ETRUNCATED);
	/* a map starting in the last 16 bytes cannot hold its terminator */
	assert_int_equal(open_patched(buf, len, 16, (total - 8) & ~7u), DT_ETRUNCATED);

	/* a blob that is not 8-byte aligned */
	p = aligned_alloc(8, (len + 15) & ~(size_t)7);
	memcpy(p + 4, buf, len);
	assert_int_equal(dt_open(&dt, p + 4, len), DT_EALIGN);
	free(p);
	free(buf);
}

/* Every max_size shorter than totalsize must be refused; so must a totalsize cut to it. */
static void test_truncation_sweep(void **state)
{
	static const char *const files[] = { "qemu-virt-smp1-256M.dtb",
					     "phytiumpi_firefly-linux6.6.dtb" };
	struct dt dt;
	uint8_t *buf, *p;
	size_t len, cut, f;
	uint32_t off_st, off_str, size_st, size_str;
	int r;

	(void)state;
	for (f = 0; f < ARRAY_SIZE(files); f++) {
		buf = fb_load(files[f], &len);
		off_st = fb_get32(buf + 8);
		off_str = fb_get32(buf + 12);
		size_st = fb_get32(buf + 36);
		size_str = fb_get32(buf + 32);
		for (cut = 0; cut < len; cut += (f == 0 ? 1 : 7)) {
			/* a fresh buffer of exactly cut bytes: ASan sees any read past it */
			p = aligned_alloc(8, cut ? (cut + 7) & ~(size_t)7 : 8);
			memcpy(p, buf, cut);
			assert_int_not_equal(dt_open(&dt, p, cut), DT_OK);

			/* Header claims cut bytes; blocks clamped to fit, so the walk must fail. */
			if (cut >= 40) {
				fb_put32(p + 4, (uint32_t)cut);
				if (off_st + size_st > cut)
					fb_put32(p + 36, cut > off_st ? (uint32_t)(cut - off_st) : 0);
				if (off_str + size_str > cut)
					fb_put32(p + 32,
						 cut > off_str ? (uint32_t)(cut - off_str) : 0);
				r = dt_open(&dt, p, cut);
				if (cut < off_str + size_str)
					assert_int_not_equal(r, DT_OK);
			}
			free(p);
		}
		free(buf);
	}
}

/* Finishes b into out_buf and opens it. */
static int open_built(struct fdtb *b)
{
	struct dt dt;
	size_t len = fb_finish(b, out_buf, sizeof(out_buf));

	return dt_open(&dt, out_buf, len);
}

static void test_bad_structure(void **state)
{
	struct fdtb *b;
	uint8_t v[8] = { 0 };
	int i;

	(void)state;
	/* A property length running past the struct block. */
	b = fb_new();
	fb_begin(b, "");
	fb_prop_raw(b, fb_string(b, "x"), 0x1000, v, 4);
	fb_end(b);
	assert_int_equal(open_built(b), DT_EBADSTRUCT);
	free(b);

	b = fb_new();
	fb_begin(b, "");
	fb_prop_raw(b, fb_string(b, "x"), 0xfffffffc, v, 4);
	fb_end(b);
	assert_int_equal(open_built(b), DT_EBADSTRUCT);
	free(b);

	/* Name offset past the strings block, and at its very end. */
	b = fb_new();
	fb_begin(b, "");
	fb_prop_raw(b, 0x100, 4, v, 4);
	fb_end(b);
	fb_string(b, "a");
	assert_int_equal(open_built(b), DT_EBADSTRUCT);
	free(b);

	b = fb_new();
	fb_begin(b, "");
	fb_prop_raw(b, 2, 4, v, 4);
	fb_end(b);
	fb_string(b, "a"); /* strings block is "a\0": offset 2 is its end */
	assert_int_equal(open_built(b), DT_EBADSTRUCT);
	free(b);

	b = fb_new();
	fb_begin(b, "");
	fb_prop_raw(b, 0xffffffff, 4, v, 4);
	fb_end(b);
	assert_int_equal(open_built(b), DT_EBADSTRUCT);
	free(b);

	/* Unterminated property name at the end of the strings block. */
	b = fb_new();
	fb_begin(b, "");
	fb_prop(b, "compatible", "x", 2);
	fb_end(b);
	b->str_len--; /* drop the final NUL */
	assert_int_equal(open_built(b), DT_EBADSTRUCT);
	free(b);

	/* Unterminated node name: the struct block ends inside it. */
	b = fb_new();
	b->no_end = 1;
	fb_begin(b, "");
	fb_word(b, 1);
	fb_bytes(b, "abcd", 4);
	assert_int_equal(open_built(b), DT_EBADSTRUCT);
	free(b);

	/* Unbalanced: missing END_NODE, extra END_NODE, END inside a node, no root. */
	b = fb_new();
	fb_begin(b, "");
	fb_begin(b, "a");
	fb_end(b);
	assert_int_equal(open_built(b), DT_EBADSTRUCT);
	free(b);

	b = fb_new();
	fb_begin(b, "");
	fb_end(b);
	fb_end(b);
	assert_int_equal(open_built(b), DT_EBADSTRUCT);
	free(b);

	b = fb_new();
	assert_int_equal(open_built(b), DT_EBADSTRUCT);
	free(b);

	b = fb_new();
	b->no_end = 1;
	assert_int_equal(open_built(b), DT_EBADSTRUCT); /* empty struct block */
	free(b);

	b = fb_new();
	b->no_end = 1;
	fb_begin(b, "");
	fb_end(b); /* no FDT_END */
	assert_int_equal(open_built(b), DT_EBADSTRUCT);
	free(b);

	/* Two roots; a property outside any node; a property after a subnode. */
	b = fb_new();
	fb_begin(b, "");
	fb_end(b);
	fb_begin(b, "");
	fb_end(b);
	assert_int_equal(open_built(b), DT_EBADSTRUCT);
	free(b);

	b = fb_new();
	fb_prop_u32(b, "x", 1);
	fb_begin(b, "");
	fb_end(b);
	assert_int_equal(open_built(b), DT_EBADSTRUCT);
	free(b);

	b = fb_new();
	fb_begin(b, "");
	fb_begin(b, "a");
	fb_end(b);
	fb_prop_u32(b, "x", 1);
	fb_end(b);
	assert_int_equal(open_built(b), DT_EBADSTRUCT);
	free(b);

	/* Unknown tokens. */
	b = fb_new();
	fb_begin(b, "");
	fb_word(b, 5);
	fb_end(b);
	assert_int_equal(open_built(b), DT_EBADSTRUCT);
	free(b);

	b = fb_new();
	fb_begin(b, "");
	fb_word(b, 0);
	fb_end(b);
	assert_int_equal(open_built(b), DT_EBADSTRUCT);
	free(b);

	/* Property header cut by the end of the block. */
	b = fb_new();
	b->no_end = 1;
	fb_begin(b, "");
	fb_word(b, 3);
	fb_word(b, 0);
	assert_int_equal(open_built(b), DT_EBADSTRUCT);
	free(b);

	/* Depth: DT_MAX_DEPTH nested nodes are fine, one more is not. */
	b = fb_new();
	for (i = 0; i < DT_MAX_DEPTH; i++)
		fb_begin(b, i ? "n" : "");
	for (i = 0; i < DT_MAX_DEPTH; i++)
		fb_end(b);
	assert_int_equal(open_built(b), DT_OK);
	free(b);

	b = fb_new();
	for (i = 0; i < DT_MAX_DEPTH + 1; i++)
		fb_begin(b, i ? "n" : "");
	for (i = 0; i < DT_MAX_DEPTH + 1; i++)
		fb_end(b);
	assert_int_equal(open_built(b), DT_EDEPTH);
	free(b);

	/* Very deep (far past the limit) and unbalanced: refused, no recursion to blow. */
	b = fb_new();
	for (i = 0; i < 5000; i++)
		fb_begin(b, i ? "n" : "");
	assert_int_equal(open_built(b), DT_EDEPTH);
	free(b);
}

/* The deepest legal tree works with every accessor that walks up or down. */
static void test_max_depth_accessors(void **state)
{
	struct dt dt;
	struct fdtb *b = fb_new();
	char path[256], want[256];
	size_t len;
	int i, node = -1, d = 0, last = 0, stack[DT_MAX_DEPTH];

	(void)state;
	for (i = 0; i < DT_MAX_DEPTH; i++) {
		fb_begin(b, i ? "n" : "");
		fb_prop_u32(b, "phandle", (uint32_t)i + 1);
	}
	for (i = 0; i < DT_MAX_DEPTH; i++)
		fb_end(b);
	len = fb_finish(b, out_buf, sizeof(out_buf));
	assert_int_equal(dt_open(&dt, out_buf, len), DT_OK);
	for (node = dt_next_node(&dt, -1, &d); node >= 0; node = dt_next_node(&dt, node, &d))
		last = node;
	assert_int_equal(d, -1); /* last node at depth 31, then 32 END_NODEs */
	assert_int_equal(dt_ancestors(&dt, last, stack, DT_MAX_DEPTH), DT_MAX_DEPTH);
	assert_int_equal(dt_find_phandle(&dt, DT_MAX_DEPTH), last);
	want[0] = 0;
	for (i = 1; i < DT_MAX_DEPTH; i++)
		strcat(want, "/n");
	assert_int_equal(dt_node_path(&dt, last, path, sizeof(path)), (int)strlen(want));
	assert_string_equal(path, want);
	assert_int_equal(dt_path_str(&dt, want), last);
	assert_int_equal(dt_next_sibling(&dt, 0), DT_ENOTFOUND);
	free(b);
}

/* Random corruption of a real tree: anything may happen except a stray access. */
static void test_random_corruption(void **state)
{
	struct dt dt;
	uint8_t *buf, *p;
	size_t len;
	uint32_t seed = 12345, i, k, off;
	int node, prop, d;
	uint64_t a, s;

	(void)state;
	buf = fb_load("e2000s-demo-board-linux5.10.dtb", &len);
	for (i = 0; i < 3000; i++) {
		p = copy_of(buf, len);
		for (k = 0; k < 1 + i % 4; k++) {
			seed = seed * 1103515245u + 12345u;
			off = (seed >> 8) % (uint32_t)len;
			p[off] = (uint8_t)(seed >> 3);
		}
		if (dt_open(&dt, p, len) == DT_OK) {
			for (node = dt_next_node(&dt, -1, &d), k = 0; node >= 0 && k < 400;
			     node = dt_next_node(&dt, node, &d), k++) {
				for (prop = dt_first_prop(&dt, node); prop >= 0;
				     prop = dt_next_prop(&dt, prop))
					dt_prop_get(&dt, prop, NULL, NULL, NULL);
				if (k % 16 == 0) {
					dt_reg_translated(&dt, node, 0, &a, &s);
					dt_find_phandle(&dt, (uint32_t)k);
				}
			}
		}
		free(p);
	}
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_trees_walk),
		cmocka_unit_test(test_path_lookup),
		cmocka_unit_test(test_name_matches),
		cmocka_unit_test(test_children_and_parents),
		cmocka_unit_test(test_properties),
		cmocka_unit_test(test_phandle),
		cmocka_unit_test(test_cells),
		cmocka_unit_test(test_stringlists),
		cmocka_unit_test(test_translate),
		cmocka_unit_test(test_cells_props),
		cmocka_unit_test(test_memreserve_and_v16),
		cmocka_unit_test(test_bad_headers),
		cmocka_unit_test(test_truncation_sweep),
		cmocka_unit_test(test_bad_structure),
		cmocka_unit_test(test_max_depth_accessors),
		cmocka_unit_test(test_random_corruption),
	};

	return cmocka_run_group_tests_name("fdt", tests, NULL, NULL);
}
