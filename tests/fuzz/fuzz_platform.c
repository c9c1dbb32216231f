/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target for the firmware device tree path: platform_discover() on the input, then
 * every lib/fdt accessor over every node and property of it when it opens as a tree.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/fdt.h"
#include "platform/platform.h"

#define MAX_INPUT 65536
#define DEEP_NODES 12	/* nodes that also get the O(tree) accessors (parent, path, ...) */

static volatile uint64_t sink;

static void touch(const void *p, uint32_t len)
{
	const uint8_t *b = p;

	if (len)
		sink += b[0] + b[len - 1];
}

static void walk_props(const struct dt *dt, int node)
{
	const char *name, *s;
	const void *val;
	uint32_t len, i, slen;
	int prop;

	for (prop = dt_first_prop(dt, node); prop >= 0; prop = dt_next_prop(dt, prop)) {
		if (dt_prop_get(dt, prop, &name, &val, &len))
			break;
		sink += strlen(name);
		touch(val, len);
		sink += (uint64_t)dt_stringlist_count(val, len);
		for (i = 0; i < 4; i++) {
			s = dt_stringlist_get(val, len, i, &slen);
			if (s)
				touch(s, slen + 1);
		}
		sink += dt_stringlist_contains(val, len, "okay");
	}
}

static void walk(const struct dt *dt)
{
	int stack[DT_MAX_DEPTH];
	char path[128];
	uint64_t a, s;
	uint32_t len, ph, i;
	const char *name;
	int node, depth = 0, n = 0, child;

	for (i = 0; dt_mem_rsv(dt, i, &a, &s) == DT_OK; i++)
		sink += a + s;
	for (node = dt_next_node(dt, -1, &depth); node >= 0;
	     node = dt_next_node(dt, node, &depth), n++) {
		name = dt_node_name(dt, node, &len);
		if (name)
			touch(name, len + 1);
		walk_props(dt, node);
		sink += (uint64_t)dt_addr_cells(dt, node) + (uint64_t)dt_size_cells(dt, node);
		sink += dt_node_is_available(dt, node) + dt_node_is_compatible(dt, node, "arm,pl011");
		if (!dt_getprop_u64(dt, node, "clock-frequency", &a))
			sink += a;
		if (n >= DEEP_NODES)
			continue;
		/* The accessors that walk the tree again: only for the first nodes. */
		sink += (uint64_t)dt_parent(dt, node);
		sink += (uint64_t)dt_ancestors(dt, node, stack, DT_MAX_DEPTH);
		sink += (uint64_t)dt_node_path(dt, node, path, sizeof(path));
		for (i = 0; i < 2; i++)
			if (!dt_reg_translated(dt, node, i, &a, &s))
				sink += a + s;
		for (child = dt_first_child(dt, node); child >= 0; child = dt_next_sibling(dt, child))
			sink++;
		sink += (uint64_t)dt_subnode(dt, node, "cpu", 3);
		if (!dt_getprop_u32(dt, node, "phandle", &ph))
			sink += (uint64_t)dt_find_phandle(dt, ph);
		if (name && len < sizeof(path) - 2) {
			/* look the node up again by a path built from its own name */
			path[0] = '/';
			memcpy(path + 1, name, len);
			sink += (uint64_t)dt_path(dt, path, len + 1);
		}
	}
	sink += (uint64_t)dt_find_compatible(dt, -1, "arm,gic-v3");
	sink += (uint64_t)dt_path_str(dt, "/cpus/cpu@0");
	sink += (uint64_t)dt_path_str(dt, "/memory");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct platform p;
	char err[128];
	struct dt dt;
	uint8_t *buf;

	if (size > MAX_INPUT)
		return 0;
	/* Exactly size bytes (malloc is 16-byte aligned), so ASan sees any read past the end. */
	buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	if (platform_discover(buf, size, &p, err, sizeof(err)) == PLAT_OK) {
		if (!p.n_cpus || p.n_cpus > PLAT_MAX_CPUS || !p.n_usable || p.n_usable > PLAT_MAX_USABLE)
			abort();
		sink += (uint64_t)platform_cpu_index(&p, p.cpus[0].mpidr);
	} else if (!err[0]) {
		abort(); /* every failure says why */
	}
	if (dt_open(&dt, buf, size) == DT_OK)
		walk(&dt);
	free(buf);
	return 0;
}
