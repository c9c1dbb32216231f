/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Platform discovery from the firmware's device tree. Pure logic over lib/fdt: runs at EL2
 * (MMU off, no allocation, bounded loops) and on the host for unit tests and fuzzing.
 */
#include <stdarg.h>

#include "platform/platform.h"
#include "platform/board.h"
#include "lib/fdt.h"
#include "lib/format.h"
#include "lib/string.h"

#define PAGE_4K			0x1000ULL
#define PSCI_0_2_CPU_ON_64	0xc4000003U
#define GIC_DEFAULT_MAINT_INTID 25
#define GIC_SPI_MAX		988 /* SPIs 0..987 -> INTIDs 32..1019 */
#define GIC_PPI_MAX		16

struct ctx {
	struct dt dt;
	struct platform *p;
	char *err;
	size_t err_len;
	int root;
	char path[96];
};

/* ---- error messages ---- */

/* The full path of node, for an error message (valid until the next call). */
static const char *path_of(struct ctx *c, int node)
{
	if (dt_node_path(&c->dt, node, c->path, sizeof(c->path)) < 0)
		return "?";
	return c->path;
}

/* Writes a one-line reason into the caller's buffer and returns code. */
static int __printf(3, 4) fail(struct ctx *c, int code, const char *fmt, ...)
{
	va_list ap;

	if (!c->err || !c->err_len)
		return code;
	va_start(ap, fmt);
	ft_vsnprintf(c->err, c->err_len, fmt, ap);
	va_end(ap);
	return code;
}

/* ---- small helpers ---- */

/* 1 and *s set when the property is a terminated string, 0 when absent, <0 (error) else. */
static int get_str(struct ctx *c, int node, const char *name, const char **s)
{
	int r = dt_getprop_str(&c->dt, node, name, s);

	if (r == DT_ENOTFOUND)
		return 0;
	if (r)
		return fail(c, PLAT_EBADTREE, "%s: %s is not a string", path_of(c, node), name);
	return 1;
}

static bool str_is(const char *s, const char *want)
{
	return !strcmp(s, want);
}

/* Does the string list contain a string starting with prefix? */
static bool list_has_prefix(const char *list, uint32_t len, const char *prefix)
{
	size_t plen = strlen(prefix);
	uint32_t pos = 0, n;

	while (pos < len) {
		for (n = 0; pos + n < len && list[pos + n]; n++)
			;
		if (pos + n == len)
			return false; /* unterminated tail */
		if (n >= plen && !memcmp(list + pos, prefix, plen))
			return true;
		pos += n + 1;
	}
	return false;
}

/*
 * First available node in tree order whose compatible contains one of a / b (b may be NULL),
 * or starts with a when prefix is set. DT_ENOTFOUND when none; another error on a bad walk.
 */
static int find_compat(struct ctx *c, const char *a, const char *b, bool prefix)
{
	const char *list;
	uint32_t len;
	bool hit;
	int node;

	for (node = dt_root(&c->dt); node >= 0; node = dt_next_node(&c->dt, node, NULL)) {
		list = dt_getprop(&c->dt, node, "compatible", &len);
		if (!list)
			continue;
		if (prefix)
			hit = list_has_prefix(list, len, a);
		else
			hit = dt_stringlist_contains(list, len, a) ||
			      (b && dt_stringlist_contains(list, len, b));
		if (hit && dt_node_is_available(&c->dt, node))
			return node;
	}
	return node;
}

/* A GIC interrupt specifier (type, number, flags) as an INTID, 0 if not an SPI or PPI. */
static uint32_t gic_intid(const uint8_t *spec)
{
	uint32_t type = dt_be32(spec), n = dt_be32(spec + 4);

	if (type == 0 && n < GIC_SPI_MAX)
		return 32 + n;
	if (type == 1 && n < GIC_PPI_MAX)
		return 16 + n;
	return 0;
}

static void sort_ranges(struct mem_range *r, uint32_t n)
{
	struct mem_range t;
	uint32_t i, j;

	/* Insertion sort: tiny tables, no recursion, stable. */
	for (i = 1; i < n; i++) {
		t = r[i];
		for (j = i; j > 0 && r[j - 1].base > t.base; j--)
			r[j] = r[j - 1];
		r[j] = t;
	}
}

static void sort_reserved(struct reserved_range *r, uint32_t n)
{
	struct reserved_range t;
	uint32_t i, j;

	for (i = 1; i < n; i++) {
		t = r[i];
		for (j = i; j > 0 && r[j - 1].base > t.base; j--)
			r[j] = r[j - 1];
		r[j] = t;
	}
}

/* ---- root, memory, reserved memory ---- */

/* Entry i of a reg value already checked by dt_reg_count() for these cells. */
static void reg_entry(const uint8_t *reg, uint32_t ac, uint32_t sc, uint32_t i, uint64_t *base,
		      uint64_t *size)
{
	const uint8_t *e = reg + (size_t) i * (ac + sc) * 4;

	dt_read_number(e, ac, base);
	dt_read_number(e + ac * 4, sc, size);
}

static int parse_root(struct ctx *c)
{
	struct platform *p = c->p;
	const char *list, *s;
	uint32_t len;
	int r;

	list = dt_getprop(&c->dt, c->root, "compatible", &len);
	if (list) {
		s = dt_stringlist_get(list, len, 0, NULL);
		if (!s)
			return fail(c, PLAT_EBADTREE, "root compatible is not a string list");
		ft_strlcpy(p->compatible, s, sizeof(p->compatible));
	}
	p->board = board_match(list, list ? len : 0);

	r = get_str(c, c->root, "model", &s);
	if (r < 0)
		return r;
	if (r)
		ft_strlcpy(p->model, s, sizeof(p->model));
	return 0;
}

/*
 * Clips the merged banks to the board's DRAM windows: a placeholder memory node can cover
 * flash windows or holes (the E2000's covers QSPI flash at 0x1_0000_0000). Banks and windows
 * are sorted and disjoint, so the pieces come out sorted and disjoint.
 */
static int clip_memory(struct ctx *c)
{
	struct platform *p = c->p;
	const struct board *b = p->board;
	const struct dram_window *w;
	uint64_t last, lo, hi;
	uint32_t i, k, n = 0;

	if (!b->dram || !b->n_dram)
		return 0;
	for (i = 0; i < p->n_tree_mem; i++) {
		last = p->tree_mem[i].base + (p->tree_mem[i].size - 1);
		for (k = 0; k < b->n_dram; k++) {
			w = &b->dram[k];
			lo = MAX(p->tree_mem[i].base, w->base);
			hi = MIN(last, w->last);
			if (lo > hi)
				continue;
			if (hi - lo == UINT64_MAX)
				continue; /* cannot be a size; banks never span 2^64 anyway */
			if (n >= PLAT_MAX_MEM_BANKS)
				return fail(c, PLAT_ETOOMANY, "more than %u memory banks",
					    PLAT_MAX_MEM_BANKS);
			p->mem[n].base = lo;
			p->mem[n].size = hi - lo + 1;
			n++;
		}
	}
	p->n_mem = n;
	if (!n)
		return fail(c, PLAT_ENOMEM, "no memory inside the %s port's DRAM windows",
			    b->name);
	return 0;
}

static int parse_memory(struct ctx *c)
{
	struct platform *p = c->p;
	const uint8_t *reg;
	const char *type;
	uint64_t base, size, end;
	int ac, sc, node, n, i, r;
	uint32_t k, out;

	ac = dt_addr_cells(&c->dt, c->root);
	sc = dt_size_cells(&c->dt, c->root);
	if (ac < 1 || ac > 2 || sc < 1 || sc > 2)
		return fail(c, PLAT_EBADTREE, "root #address-cells/#size-cells not 1 or 2");

	for (node = dt_first_child(&c->dt, c->root); node >= 0;
	     node = dt_next_sibling(&c->dt, node)) {
		r = get_str(c, node, "device_type", &type);
		if (r < 0)
			return r;
		if (!r || !str_is(type, "memory") || !dt_node_is_available(&c->dt, node))
			continue;
		n = dt_reg_count(&c->dt, node, "reg", (uint32_t) ac, (uint32_t) sc);
		if (n == DT_ENOTFOUND)
			continue;
		if (n < 0)
			return fail(c, PLAT_EBADTREE, "memory node %s: reg is not whole entries",
				    path_of(c, node));
		reg = dt_getprop(&c->dt, node, "reg", NULL);
		for (i = 0; i < n; i++) {
			reg_entry(reg, (uint32_t) ac, (uint32_t) sc, (uint32_t) i, &base, &size);
			if (!size)
				continue;
			if (add_overflows(base, size, &end))
				return fail(c, PLAT_EBADTREE, "memory node %s: bank 0x%lx wraps",
					    path_of(c, node), (unsigned long) (base));
			if (p->n_mem >= PLAT_MAX_MEM_BANKS)
				return fail(c, PLAT_ETOOMANY, "more than %u memory banks",
					    PLAT_MAX_MEM_BANKS);
			p->mem[p->n_mem].base = base;
			p->mem[p->n_mem].size = size;
			p->n_mem++;
		}
	}
	if (node != DT_ENOTFOUND)
		return fail(c, PLAT_EBADTREE, "bad tree walk under /");
	if (!p->n_mem)
		return fail(c, PLAT_ENOMEM, "no memory node with a non-empty reg");

	/* Merge overlapping banks (adjacent ones stay as the tree lists them). */
	sort_ranges(p->mem, p->n_mem);
	for (k = 1, out = 0; k < p->n_mem; k++) {
		end = p->mem[out].base + p->mem[out].size;
		if (p->mem[k].base < end) {
			if (p->mem[k].base + p->mem[k].size > end)
				p->mem[out].size =
				    p->mem[k].base + p->mem[k].size - p->mem[out].base;
		} else {
			p->mem[++out] = p->mem[k];
		}
	}
	p->n_mem = out + 1;
	p->n_tree_mem = p->n_mem;
	memcpy(p->tree_mem, p->mem, sizeof(p->mem));
	return clip_memory(c);
}

static int add_reserved(struct ctx *c, int node, uint64_t base, uint64_t size,
			enum reserved_kind kind)
{
	uint64_t end;

	if (add_overflows(base, size, &end)) {
		if (node < 0)
			return fail(c, PLAT_EBADTREE, "/memreserve/ 0x%lx wraps",
				    (unsigned long) (base));
		return fail(c, PLAT_EBADTREE, "reserved memory %s: 0x%lx wraps", path_of(c, node),
			    (unsigned long) (base));
	}
	if (!platform_add_reserved(c->p, base, size, kind))
		return fail(c, PLAT_ETOOMANY, "more than %u reserved ranges", PLAT_MAX_RESERVED);
	return 0;
}

static int parse_reserved(struct ctx *c)
{
	const uint8_t *reg;
	uint64_t base, size;
	uint32_t k;
	int rm, node, ac, sc, n, i, r;

	for (k = 0; k < c->dt.n_rsv; k++) {
		dt_mem_rsv(&c->dt, k, &base, &size);
		if (!size)
			continue;
		r = add_reserved(c, -1, base, size, RSV_MEMRESERVE);
		if (r)
			return r;
	}

	rm = dt_subnode(&c->dt, c->root, "reserved-memory", 15);
	if (rm == DT_ENOTFOUND)
		return 0;
	if (rm < 0)
		return fail(c, PLAT_EBADTREE, "bad tree walk under /");
	ac = dt_addr_cells(&c->dt, rm);
	sc = dt_size_cells(&c->dt, rm);
	for (node = dt_first_child(&c->dt, rm); node >= 0; node = dt_next_sibling(&c->dt, node)) {
		if (!dt_node_is_available(&c->dt, node) || !dt_getprop(&c->dt, node, "reg", NULL))
			continue; /* disabled, or dynamic (size/alloc-ranges only) */
		if (ac < 1 || ac > 2 || sc < 1 || sc > 2)
			return fail(c, PLAT_EBADTREE, "%s: #address-cells/#size-cells not 1 or 2",
				    path_of(c, rm));
		n = dt_reg_count(&c->dt, node, "reg", (uint32_t) ac, (uint32_t) sc);
		if (n < 0)
			return fail(c, PLAT_EBADTREE,
				    "reserved memory %s: reg is not whole entries",
				    path_of(c, node));
		reg = dt_getprop(&c->dt, node, "reg", NULL);
		for (i = 0; i < n; i++) {
			reg_entry(reg, (uint32_t) ac, (uint32_t) sc, (uint32_t) i, &base, &size);
			if (!size)
				continue;
			r = add_reserved(c, node, base, size, RSV_RESERVED_MEMORY);
			if (r)
				return r;
		}
	}
	if (node != DT_ENOTFOUND)
		return fail(c, PLAT_EBADTREE, "bad tree walk under %s", path_of(c, rm));
	return 0;
}

/* ---- CPUs ---- */

/*
 * Core types by cpu compatible, with the MIDR_EL1 each was seen to report. Phytium values:
 * FACTS.md 0.2 and 2.1 [V] (FTC310 part 0x303 r0p4, FTC664 r1p3, FTC663 r1p3). Arm values
 * are those QEMU's models report (real silicon revisions vary).
 */
static const struct {
	const char *compat;
	enum plat_core_type type;
	const char *name;
	uint32_t midr;
} core_types[] = {
	{ "phytium,ftc310", CORE_FTC310, "ftc310", 0x700f3034 },
	{ "phytium,ftc664", CORE_FTC664, "ftc664", 0x701f6643 },
	{ "phytium,ftc663", CORE_FTC663, "ftc663", 0x701f6633 },
	{ "arm,cortex-a53", CORE_CORTEX_A53, "cortex-a53", 0x410fd034 },
	{ "arm,cortex-a57", CORE_CORTEX_A57, "cortex-a57", 0x411fd070 },
	{ "arm,cortex-a72", CORE_CORTEX_A72, "cortex-a72", 0x410fd083 },
};

const char *platform_core_name(enum plat_core_type t)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(core_types); i++)
		if (core_types[i].type == t)
			return core_types[i].name;
	return "unknown";
}

bool platform_cpus_same_type(const struct platform *p, uint32_t a, uint32_t b)
{
	const struct plat_cpu *x, *y;

	if (a >= p->n_cpus || b >= p->n_cpus || a >= PLAT_MAX_CPUS || b >= PLAT_MAX_CPUS)
		return false;
	x = &p->cpus[a];
	y = &p->cpus[b];
	if (x->core != CORE_UNKNOWN || y->core != CORE_UNKNOWN)
		return x->core == y->core;
	return !strcmp(x->compatible, y->compatible);
}

/* The first compatible string of a cpu node, and the first one in the table picks the type. */
static int cpu_core_type(struct ctx *c, int node, struct plat_cpu *cpu)
{
	const char *list, *s;
	uint32_t len, k;
	size_t i;

	list = dt_getprop(&c->dt, node, "compatible", &len);
	if (!list)
		return 0;
	s = dt_stringlist_get(list, len, 0, NULL);
	if (!s)
		return fail(c, PLAT_EBADTREE, "cpu node %s: compatible is not a string list",
			    path_of(c, node));
	ft_strlcpy(cpu->compatible, s, sizeof(cpu->compatible));
	/* "phytium,ftc663", "arm,armv8": strings in list order, the first known one wins. */
	for (k = 0; k < 8 && (s = dt_stringlist_get(list, len, k, NULL)); k++)
		for (i = 0; i < ARRAY_SIZE(core_types); i++)
			if (str_is(s, core_types[i].compat)) {
				cpu->core = core_types[i].type;
				cpu->midr = core_types[i].midr;
				return 0;
			}
	return 0;
}

static int parse_cpus(struct ctx *c)
{
	struct platform *p = c->p;
	const char *s, *reg;
	uint64_t mpidr;
	uint32_t len, k;
	int cpus, node, ac, sc, r;

	cpus = dt_subnode(&c->dt, c->root, "cpus", 4);
	if (cpus == DT_ENOTFOUND)
		return fail(c, PLAT_ENOCPU, "no /cpus node");
	if (cpus < 0)
		return fail(c, PLAT_EBADTREE, "bad tree walk under /");
	ac = dt_addr_cells(&c->dt, cpus);
	sc = dt_size_cells(&c->dt, cpus);

	for (node = dt_first_child(&c->dt, cpus); node >= 0; node = dt_next_sibling(&c->dt, node)) {
		r = get_str(c, node, "device_type", &s);
		if (r < 0)
			return r;
		if (!r || !str_is(s, "cpu"))
			continue; /* cpu-map and friends */
		/* A CPU the tree calls disabled may still be started by PSCI; "fail" is gone. */
		r = get_str(c, node, "status", &s);
		if (r < 0)
			return r;
		if (r && !strncmp(s, "fail", 4))
			continue;
		if (ac < 1 || ac > 2)
			return fail(c, PLAT_EBADTREE, "/cpus: #address-cells must be 1 or 2");
		if (sc != 0)
			return fail(c, PLAT_EBADTREE, "/cpus: #size-cells must be 0");
		reg = dt_getprop(&c->dt, node, "reg", &len);
		if (!reg)
			return fail(c, PLAT_EBADTREE, "cpu node %s: no reg", path_of(c, node));
		if (len % 4)
			return fail(c, PLAT_EBADTREE, "cpu node %s: reg has %u bytes",
				    path_of(c, node), len);
		if (len != (uint32_t) ac * 4)
			return fail(c, PLAT_EBADTREE, "cpu node %s: reg has %u cells",
				    path_of(c, node), len / 4);
		/* The MPIDR is reg, never the unit address: Phytium Pi's cpu@100 has reg 0. */
		dt_read_number(reg, (uint32_t) ac, &mpidr);
		mpidr &= MPIDR_AFFINITY_MASK;
		for (k = 0; k < p->n_cpus; k++)
			if (p->cpus[k].mpidr == mpidr)
				return fail(c, PLAT_EBADTREE, "cpu node %s: duplicate MPIDR 0x%lx",
					    path_of(c, node), (unsigned long) (mpidr));
		if (p->n_cpus >= PLAT_MAX_CPUS)
			return fail(c, PLAT_ETOOMANY, "more than %u cpus", PLAT_MAX_CPUS);
		p->cpus[p->n_cpus].mpidr = mpidr;
		r = cpu_core_type(c, node, &p->cpus[p->n_cpus]);
		if (r)
			return r;
		p->n_cpus++;
	}
	if (node != DT_ENOTFOUND)
		return fail(c, PLAT_EBADTREE, "bad tree walk under /cpus");
	if (!p->n_cpus)
		return fail(c, PLAT_ENOCPU, "no cpu node under /cpus");
	return 0;
}

/* ---- GIC ---- */

static int parse_gic(struct ctx *c)
{
	struct plat_gic *g = &c->p->gic;
	const uint8_t *irq;
	uint32_t nr, len, k;
	uint64_t base, size;
	int node, r;

	node = find_compat(c, "arm,gic-v3", NULL, false);
	if (node == DT_ENOTFOUND)
		return 0;
	if (node < 0)
		return fail(c, PLAT_EBADTREE, "bad tree walk");

	r = dt_getprop_u32(&c->dt, node, "#redistributor-regions", &nr);
	if (r == DT_ENOTFOUND)
		nr = 1;
	else if (r || !nr)
		return fail(c, PLAT_EBADTREE, "GIC %s: bad #redistributor-regions",
			    path_of(c, node));
	if (nr > PLAT_MAX_GICR_REGIONS)
		return fail(c, PLAT_ETOOMANY, "GIC %s: more than %u redistributor regions",
			    path_of(c, node), PLAT_MAX_GICR_REGIONS);

	/* reg: GICD, then the redistributor regions (GICC/GICH/GICV may follow). */
	for (k = 0; k <= nr; k++) {
		r = dt_reg(&c->dt, node, k, &base, &size);
		if (r == DT_ENOTFOUND)
			return fail(c, PLAT_EBADTREE, "GIC %s: reg has fewer than %u entries",
				    path_of(c, node), nr + 1);
		if (r)
			return fail(c, PLAT_EBADTREE, "GIC %s: bad reg: %s", path_of(c, node),
				    dt_strerror(r));
		r = dt_translate(&c->dt, node, &base);
		if (r)
			return fail(c, PLAT_EBADTREE, "GIC %s: reg cannot be translated: %s",
				    path_of(c, node), dt_strerror(r));
		if (!k) {
			g->gicd_base = base;
			g->gicd_size = size;
		} else {
			g->gicr[k - 1].base = base;
			g->gicr[k - 1].size = size;
		}
	}
	g->n_gicr = nr;

	r = dt_getprop_u64(&c->dt, node, "redistributor-stride", &g->gicr_stride);
	if (r && r != DT_ENOTFOUND)
		return fail(c, PLAT_EBADTREE, "GIC %s: bad redistributor-stride", path_of(c, node));

	g->maintenance_intid = GIC_DEFAULT_MAINT_INTID;
	irq = dt_getprop(&c->dt, node, "interrupts", &len);
	if (irq) {
		if (len < 12 || !gic_intid(irq))
			return fail(c, PLAT_EBADTREE, "GIC %s: bad maintenance interrupt",
				    path_of(c, node));
		g->maintenance_intid = gic_intid(irq);
	}
	g->version = 3;
	return 0;
}

/* ---- console UART ---- */

/* Value of property name[0..n) of the root's child table, or NULL. */
static const char *lookup_alias(struct ctx *c, const char *table, const char *name, uint32_t n,
				uint32_t *len)
{
	int tbl = dt_subnode(&c->dt, c->root, table, strlen(table));

	return tbl < 0 ? NULL : dt_getprop_namelen(&c->dt, tbl, name, n, len);
}

/* The node stdout-path names: a full path, or an alias (from /aliases, else /__symbols__). */
static int stdout_node(struct ctx *c, const char *path, uint32_t n)
{
	const char *val;
	uint32_t len = 0;
	int node;

	if (path[0] == '/') {
		node = dt_path(&c->dt, path, n);
		if (node < 0)
			return fail(c, PLAT_EBADTREE, "stdout-path %.*s: no such node", (int) (n),
				    path);
		return node;
	}
	/*
	 * dtc -@ trees (the D2000 and FT-2000/4 ones) say "uart1:115200n8" with no /aliases
	 * entry: the label is only in /__symbols__.
	 */
	val = lookup_alias(c, "aliases", path, n, &len);
	if (!val)
		val = lookup_alias(c, "__symbols__", path, n, &len);
	if (!val)
		return fail(c, PLAT_EBADTREE, "stdout-path %.*s: no such alias", (int) (n), path);
	/* An alias is a full path; one naming another alias could loop, so refuse it. */
	if (!len || val[0] != '/' || strnlen(val, len) == len)
		return fail(c, PLAT_EBADTREE, "stdout-path %.*s: alias is not an absolute path",
			    (int) (n), path);
	node = dt_path(&c->dt, val, len);
	if (node < 0)
		return fail(c, PLAT_EBADTREE, "stdout-path %.*s: alias names a missing node",
			    (int) (n), path);
	return node;
}

static uint32_t parse_baud(const char *opt)
{
	uint64_t v = 0;

	for (; *opt >= '0' && *opt <= '9'; opt++) {
		v = v * 10 + (uint64_t) (*opt - '0');
		if (v > 0xffffffffULL)
			return 0;
	}
	return (uint32_t) v;
}

static int uart_clock(struct ctx *c, int node, uint32_t *hz)
{
	const uint8_t *clk;
	uint32_t len, ph, own;
	int cn, r;

	*hz = 0;
	clk = dt_getprop(&c->dt, node, "clocks", &len);
	if (clk && len >= 4) {
		ph = dt_be32(clk);
		if (!dt_getprop_u32(&c->dt, node, "phandle", &own) && own == ph)
			return fail(c, PLAT_EBADTREE, "console %s: clocks refers to itself",
				    path_of(c, node));
		cn = dt_find_phandle(&c->dt, ph);
		if (cn == DT_EBADSTRUCT)
			return fail(c, PLAT_EBADTREE,
				    "console %s: clock phandle 0x%lx is not unique",
				    path_of(c, node), (unsigned long) ((uint64_t) ph));
		if (cn < 0)
			return fail(c, PLAT_EBADTREE, "console %s: clock phandle 0x%lx not found",
				    path_of(c, node), (unsigned long) ((uint64_t) ph));
		r = dt_getprop_u32(&c->dt, cn, "clock-frequency", hz);
		if (r && r != DT_ENOTFOUND)
			return fail(c, PLAT_EBADTREE, "clock %s: bad clock-frequency",
				    path_of(c, cn));
		if (!r)
			return 0;
	}
	r = dt_getprop_u32(&c->dt, node, "clock-frequency", hz);
	if (r && r != DT_ENOTFOUND)
		return fail(c, PLAT_EBADTREE, "console %s: bad clock-frequency", path_of(c, node));
	if (r)
		*hz = c->p->board->default_uart_clock_hz;
	return 0;
}

static int parse_uart(struct ctx *c)
{
	struct plat_uart *u = &c->p->uart;
	const char *path = NULL, *list, *s;
	const uint8_t *irq;
	uint32_t n, len;
	int chosen, node, r;

	chosen = dt_subnode(&c->dt, c->root, "chosen", 6);
	if (chosen >= 0) {
		r = get_str(c, chosen, "stdout-path", &path);
		if (!r)
			r = get_str(c, chosen, "linux,stdout-path", &path);
		if (r < 0)
			return r;
	}
	if (path) {
		/* "serial1:115200n8": node or alias, then options starting with the baud rate. */
		for (n = 0; path[n] && path[n] != ':'; n++)
			;
		if (!n)
			return fail(c, PLAT_EBADTREE, "stdout-path is empty");
		if (path[n] == ':')
			u->baud = parse_baud(path + n + 1);
		node = stdout_node(c, path, n);
		if (node < 0)
			return node;
	} else {
		/* No stdout-path: the first enabled PL011, as a best guess. */
		node = find_compat(c, "arm,pl011", NULL, false);
		if (node == DT_ENOTFOUND)
			return 0;
		if (node < 0)
			return fail(c, PLAT_EBADTREE, "bad tree walk");
	}

	r = dt_reg(&c->dt, node, 0, &u->base, &u->size);
	if (r == DT_ENOTFOUND)
		return 0; /* not a memory-mapped console */
	if (r)
		return fail(c, PLAT_EBADTREE, "console %s: bad reg: %s", path_of(c, node),
			    dt_strerror(r));
	r = dt_translate(&c->dt, node, &u->base);
	if (r)
		return fail(c, PLAT_EBADTREE, "console %s: reg cannot be translated: %s",
			    path_of(c, node), dt_strerror(r));

	list = dt_getprop(&c->dt, node, "compatible", &len);
	s = list ? dt_stringlist_get(list, len, 0, NULL) : NULL;
	if (s)
		ft_strlcpy(u->compatible, s, sizeof(u->compatible));

	r = uart_clock(c, node, &u->clock_hz);
	if (r)
		return r;
	/* Lenient: a console wired to a non-GIC controller just has no INTID. */
	irq = dt_getprop(&c->dt, node, "interrupts", &len);
	if (irq && len >= 12)
		u->intid = gic_intid(irq);
	u->present = true;
	return 0;
}

/* ---- timer, PSCI, chosen ---- */

static int parse_timer(struct ctx *c)
{
	struct plat_timer *t = &c->p->timer;
	uint32_t *ids[4] = {&t->intid_sec_phys, &t->intid_phys, &t->intid_virt, &t->intid_hyp_phys};
	const uint8_t *irq;
	uint32_t len, k;
	int node, r;

	node = find_compat(c, "arm,armv8-timer", "arm,armv7-timer", false);
	if (node == DT_ENOTFOUND)
		return 0;
	if (node < 0)
		return fail(c, PLAT_EBADTREE, "bad tree walk");
	r = dt_getprop_u32(&c->dt, node, "clock-frequency", &t->freq_hz);
	if (r && r != DT_ENOTFOUND)
		return fail(c, PLAT_EBADTREE, "timer %s: bad clock-frequency", path_of(c, node));
	irq = dt_getprop(&c->dt, node, "interrupts", &len);
	if (!irq)
		return 0;
	/* secure phys, non-secure phys, virt, hyp phys[, hyp virt]: PPIs. */
	if (len % 12 || len / 12 < 4 || len / 12 > 5)
		return fail(c, PLAT_EBADTREE, "timer %s: interrupts has %u bytes", path_of(c, node),
			    len);
	for (k = 0; k < len / 12; k++) {
		if (dt_be32(irq + k * 12) != 1 || !gic_intid(irq + k * 12))
			return fail(c, PLAT_EBADTREE, "timer %s: interrupt %u is not a PPI",
				    path_of(c, node), k);
		if (k < ARRAY_SIZE(ids))
			*ids[k] = gic_intid(irq + k * 12);
	}
	return 0;
}

static int parse_psci(struct ctx *c)
{
	struct platform *p = c->p;
	const char *m;
	int node, r;

	node = find_compat(c, "arm,psci", NULL, true);
	if (node == DT_ENOTFOUND)
		return 0;
	if (node < 0)
		return fail(c, PLAT_EBADTREE, "bad tree walk");
	r = get_str(c, node, "method", &m);
	if (r < 0)
		return r;
	if (r && str_is(m, "smc"))
		p->psci = PSCI_SMC;
	else if (r && str_is(m, "hvc"))
		p->psci = PSCI_HVC;
	else
		return fail(c, PLAT_EBADTREE, "psci %s: method is not smc or hvc",
			    path_of(c, node));
	r = dt_getprop_u32(&c->dt, node, "cpu_on", &p->psci_cpu_on);
	if (r == DT_ENOTFOUND)
		p->psci_cpu_on = PSCI_0_2_CPU_ON_64;
	else if (r)
		return fail(c, PLAT_EBADTREE, "psci %s: bad cpu_on", path_of(c, node));
	return 0;
}

static int parse_bootargs(struct ctx *c)
{
	const char *s;
	int chosen, r;

	chosen = dt_subnode(&c->dt, c->root, "chosen", 6);
	if (chosen < 0)
		return 0;
	r = get_str(c, chosen, "bootargs", &s);
	if (r > 0)
		ft_strlcpy(c->p->bootargs, s, sizeof(c->p->bootargs));
	return r < 0 ? r : 0;
}

/* ---- usable memory ---- */

static int add_usable(struct ctx *c, uint64_t start, uint64_t end)
{
	struct platform *p = c->p;

	/* Shrink inward to whole 4 KiB pages; a start in the last page of 2^64 cannot round up. */
	if (start > UINT64_MAX - (PAGE_4K - 1))
		return 0;
	start = ALIGN_UP(start, PAGE_4K);
	end = ALIGN_DOWN(end, PAGE_4K);
	if (start >= end)
		return 0;
	if (p->n_usable >= PLAT_MAX_USABLE)
		return fail(c, PLAT_ETOOMANY, "more than %u usable ranges", PLAT_MAX_USABLE);
	p->usable[p->n_usable].base = start;
	p->usable[p->n_usable].size = end - start;
	p->n_usable++;
	return 0;
}

static int compute_usable(struct ctx *c)
{
	struct platform *p = c->p;
	uint64_t cur, end, rb, re;
	uint32_t i, k;
	int r;

	/* Banks are sorted and disjoint, reserved ranges sorted by base: pieces come out sorted. */
	for (i = 0; i < p->n_mem; i++) {
		cur = p->mem[i].base;
		end = p->mem[i].base + p->mem[i].size;
		for (k = 0; k < p->n_reserved && cur < end; k++) {
			rb = p->reserved[k].base;
			re = rb + p->reserved[k].size;
			if (re <= cur || rb >= end)
				continue;
			if (rb > cur) {
				r = add_usable(c, cur, rb);
				if (r)
					return r;
			}
			cur = re;
		}
		if (cur < end) {
			r = add_usable(c, cur, end);
			if (r)
				return r;
		}
	}
	if (!p->n_usable)
		return fail(c, PLAT_ENOMEM, "no usable memory left after reservations");
	return 0;
}

static int check_reserved(struct ctx *c)
{
	struct platform *p = c->p;
	uint64_t end;
	uint32_t k;

	/* A fixup only adds through platform_add_reserved(), but never trust the table blindly. */
	if (p->n_reserved > PLAT_MAX_RESERVED)
		return fail(c, PLAT_ETOOMANY, "more than %u reserved ranges", PLAT_MAX_RESERVED);
	for (k = 0; k < p->n_reserved; k++)
		if (add_overflows(p->reserved[k].base, p->reserved[k].size, &end))
			return fail(c, PLAT_EBADTREE, "reserved range 0x%lx wraps",
				    (unsigned long) (p->reserved[k].base));
	sort_reserved(p->reserved, p->n_reserved);
	return 0;
}

int platform_discover(const void *dtb, size_t max_size, struct platform *out, char *err,
		      size_t err_len)
{
	struct ctx c;
	int r;

	memset(&c, 0, sizeof(c));
	c.p = out;
	c.err = err;
	c.err_len = err_len;
	if (err && err_len)
		err[0] = '\0';
	if (!out)
		return PLAT_EBADTREE;
	memset(out, 0, sizeof(*out));
	out->board = &board_generic;

	r = dt_open(&c.dt, dtb, max_size);
	if (r)
		return fail(&c, PLAT_EBADTREE, "invalid device tree: %s", dt_strerror(r));
	c.root = dt_root(&c.dt);
	if (c.root < 0)
		return fail(&c, PLAT_EBADTREE, "invalid device tree: no root node");

	r = parse_root(&c);
	if (!r)
		r = parse_memory(&c);
	if (!r)
		r = parse_reserved(&c);
	if (!r)
		r = parse_cpus(&c);
	if (!r)
		r = parse_gic(&c);
	if (!r)
		r = parse_uart(&c);
	if (!r)
		r = parse_timer(&c);
	if (!r)
		r = parse_psci(&c);
	if (!r)
		r = parse_bootargs(&c);
	if (r)
		return r;

	out->timer.expected_hz = out->timer.freq_hz ? out->timer.freq_hz
						    : out->board->default_timer_hz;
	if (out->board->fixup) {
		r = out->board->fixup(out);
		if (r)
			return fail(&c, r < 0 ? r : PLAT_EBADTREE,
				    "%s port: cannot add its reserved ranges (more than %u)",
				    out->board->name, PLAT_MAX_RESERVED);
	}
	r = check_reserved(&c);
	if (!r)
		r = compute_usable(&c);
	return r;
}

int platform_cpu_index(const struct platform *p, uint64_t mpidr)
{
	uint32_t i;

	mpidr &= MPIDR_AFFINITY_MASK;
	for (i = 0; i < p->n_cpus && i < PLAT_MAX_CPUS; i++)
		if ((p->cpus[i].mpidr & MPIDR_AFFINITY_MASK) == mpidr)
			return (int) i;
	return -1;
}
