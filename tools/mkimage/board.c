/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The board's device tree beyond what platform_discover() keeps, for passthrough devices:
 * which enabled device node a physical region belongs to, that node's registers as CPU
 * physical addresses and its interrupts as GIC INTIDs. Read with the hypervisor's own
 * bounds-checked reader (lib/fdt.h), which also translates bus addresses through "ranges".
 */
#include <string.h>

#include "mkimage.h"

#define GIC_SPI_TYPE 0
#define GIC_PPI_TYPE 1
#define GIC_SPI_COUNT 988 /* SPIs 0-987: INTIDs 32-1019 */
#define GIC_PPI_COUNT 16

void board_open(struct config *cfg, const struct file_buf *board, const struct platform *plat)
{
	int err = dt_open(&cfg->board, board->data, board->size);

	/* platform_discover() has read the same blob with the same reader: this cannot fail. */
	if (err)
		die("%s: %s", board->path, dt_strerror(err));
	cfg->plat = plat;
}

/* The node and every ancestor enabled (status absent, "okay" or "ok"). */
static bool enabled(const struct dt *dt, int node)
{
	int stack[DT_MAX_DEPTH], n = dt_ancestors(dt, node, stack, DT_MAX_DEPTH);

	if (n < 0)
		return false;
	for (int i = 0; i < n; i++)
		if (!dt_node_is_available(dt, stack[i]))
			return false;
	return true;
}

static bool is_memory(const struct dt *dt, int node)
{
	const char *type;

	return !dt_getprop_str(dt, node, "device_type", &type) && !strcmp(type, "memory");
}

int board_node_regs(const struct dt *dt, int node, struct mem_range *out, int max)
{
	uint64_t base, size;
	int n = 0, err;

	for (uint32_t i = 0;; i++) {
		err = dt_reg_translated(dt, node, i, &base, &size);
		if (err == DT_ENOTFOUND && !dt_reg(dt, node, i, &base, &size))
			return -1; /* the entry exists but its bus has no way to the CPU */
		if (err == DT_ENOTFOUND)
			return n;
		if (err || n == max)
			return -1;
		out[n].base = base;
		out[n++].size = size;
	}
}

int board_device_at(const struct dt *dt, uint64_t base, uint64_t size)
{
	struct mem_range regs[BOARD_MAX_REGS];
	uint64_t best_size = 0;
	int node = -1, depth = 0, best = -1, n;

	/* Of all the entries that hold it, the smallest: the device rather than a bus. */
	while ((node = dt_next_node(dt, node, &depth)) >= 0) {
		if (!depth || !dt_getprop(dt, node, "reg", NULL) || is_memory(dt, node) ||
		    !enabled(dt, node))
			continue;
		n = board_node_regs(dt, node, regs, BOARD_MAX_REGS);
		for (int i = 0; i < n; i++) {
			if (base < regs[i].base || regs[i].base + regs[i].size < regs[i].base ||
			    base - regs[i].base > regs[i].size ||
			    size > regs[i].size - (base - regs[i].base))
				continue;
			if (best < 0 || regs[i].size < best_size) {
				best = node;
				best_size = regs[i].size;
			}
		}
	}
	return best;
}

/* The node's interrupt parent: its own or its nearest ancestor's interrupt-parent. */
static int interrupt_parent(const struct dt *dt, int node)
{
	int stack[DT_MAX_DEPTH], n = dt_ancestors(dt, node, stack, DT_MAX_DEPTH);
	uint32_t ph;

	for (int i = n - 1; i >= 0; i--)
		if (!dt_getprop_u32(dt, stack[i], "interrupt-parent", &ph))
			return dt_find_phandle(dt, ph);
	return DT_ENOTFOUND;
}

int board_node_irqs(const struct dt *dt, int node, uint32_t spec[][3], uint32_t *intids, int max)
{
	const uint8_t *p;
	uint32_t len, cells, type, num;
	int gic, n;

	p = dt_getprop(dt, node, "interrupts", &len);
	if (!p)
		return 0;
	gic = interrupt_parent(dt, node);
	/* Only what the guest's GIC can name: an arm,gic-v3 parent with 3 (or 4) cells each. */
	if (gic < 0 || !dt_node_is_compatible(dt, gic, "arm,gic-v3") ||
	    dt_getprop_u32(dt, gic, "#interrupt-cells", &cells) || cells < 3 || cells > 4 ||
	    !len || len % (4 * cells) || len / (4 * cells) > (uint32_t)max)
		return -1;
	n = (int)(len / (4 * cells));
	for (int i = 0; i < n; i++, p += 4 * cells) {
		type = dt_be32(p);
		num = dt_be32(p + 4);
		if (type == GIC_SPI_TYPE && num < GIC_SPI_COUNT)
			intids[i] = 32 + num;
		else if (type == GIC_PPI_TYPE && num < GIC_PPI_COUNT)
			intids[i] = 16 + num;
		else
			return -1;
		spec[i][0] = type;
		spec[i][1] = num;
		spec[i][2] = dt_be32(p + 8);
	}
	return n;
}

/* ---- CPU core types and the SCMI/SCPI firmware channel ---- */

int board_cpu_node(const struct dt *dt, uint64_t mpidr)
{
	int cpus = dt_path_str(dt, "/cpus"), node;
	const char *type;
	uint64_t reg, size;

	if (cpus < 0)
		return -1;
	for (node = dt_first_child(dt, cpus); node >= 0; node = dt_next_sibling(dt, node)) {
		if (dt_getprop_str(dt, node, "device_type", &type) || strcmp(type, "cpu"))
			continue;
		/* reg is the MPIDR (never the unit name: Phytium's cpu@100 has reg 0x0) */
		if (!dt_reg(dt, node, 0, &reg, &size) &&
		    (reg & MPIDR_AFFINITY_MASK) == (mpidr & MPIDR_AFFINITY_MASK))
			return node;
	}
	return -1;
}

const char *board_cpu_type(const struct dt *dt, uint64_t mpidr)
{
	int node = board_cpu_node(dt, mpidr);
	const char *compat;

	if (node < 0 || dt_getprop_str(dt, node, "compatible", &compat) || !*compat)
		return "unknown";
	return compat;
}

void board_core_name(const char *compat, char *buf, size_t len)
{
	const char *s = strchr(compat, ',');
	size_t i;

	s = s ? s + 1 : compat;
	for (i = 0; s[i] && i + 1 < len; i++)
		buf[i] = (s[i] >= 'a' && s[i] <= 'z') ? (char)(s[i] - 'a' + 'A') : s[i];
	buf[i] = '\0';
}

/* Adds the reg entries of the node a phandle names; false when the table is full. */
static bool add_phandle_regs(const struct dt *dt, uint32_t ph, int owner,
			     struct board_fw_range *out, int *n, int max)
{
	struct mem_range regs[BOARD_MAX_REGS];
	int node = dt_find_phandle(dt, ph), k;

	if (node < 0)
		return true;
	k = board_node_regs(dt, node, regs, BOARD_MAX_REGS);
	for (int i = 0; i < k; i++) {
		if (*n == max)
			return false;
		out[*n].base = regs[i].base;
		out[*n].size = regs[i].size;
		out[*n].node = node;
		out[*n].owner = owner;
		(*n)++;
	}
	return true;
}

int board_fw_channels(const struct dt *dt, struct board_fw_range *out, int max)
{
	static const char *const compats[] = { "arm,scmi", "arm,scmi-smc", "arm,scpi", NULL };
	const uint8_t *p;
	uint32_t len, cells, ph;
	int n = 0, node, mbox;

	for (const char *const *c = compats; *c; c++) {
		for (node = dt_find_compatible(dt, -1, *c); node >= 0;
		     node = dt_find_compatible(dt, node, *c)) {
			if (!enabled(dt, node))
				continue;
			/* mboxes = <&mbox cells...>, each entry #mbox-cells long after the phandle */
			p = dt_getprop(dt, node, "mboxes", &len);
			for (uint32_t off = 0; p && off + 4 <= len;) {
				ph = dt_be32(p + off);
				mbox = dt_find_phandle(dt, ph);
				if (mbox < 0 || dt_getprop_u32(dt, mbox, "#mbox-cells", &cells))
					cells = 0;
				if (!add_phandle_regs(dt, ph, node, out, &n, max))
					return n;
				off += 4 * (1 + cells);
			}
			/* shmem = <&shm...> */
			p = dt_getprop(dt, node, "shmem", &len);
			for (uint32_t off = 0; p && off + 4 <= len; off += 4)
				if (!add_phandle_regs(dt, dt_be32(p + off), node, out, &n, max))
					return n;
		}
	}
	return n;
}
