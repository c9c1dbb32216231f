/* SPDX-License-Identifier: Apache-2.0 */
#include "dtb.h"
#include "lib/string.h"

/* The blob sits at the start of RAM, below the image (which the loader puts 2 MiB in). */
#define DTB_MAX_SIZE (2u << 20)

static struct dt dt;
static bool valid;
static uint64_t address;

int dtb_init(const void *blob)
{
	int err;

	address = (uint64_t)blob;
	if (!blob)
		return DT_EINVAL;
	err = dt_open(&dt, blob, DTB_MAX_SIZE);
	valid = err == DT_OK;
	return err;
}

bool dtb_valid(void)
{
	return valid;
}

const struct dt *dtb_get(void)
{
	return valid ? &dt : NULL;
}

uint64_t dtb_address(void)
{
	return address;
}

bool dtb_ram(uint64_t *base, uint64_t *size)
{
	int node, depth = 0;
	const char *type;

	if (!valid)
		return false;
	/* Children of the root named memory@..., or with device_type "memory". */
	for (node = dt_next_node(&dt, -1, &depth); node >= 0;
	     node = dt_next_node(&dt, node, &depth)) {
		uint32_t len;
		const char *name = dt_node_name(&dt, node, &len);
		bool is_mem;

		if (depth != 1)
			continue;
		is_mem = name && dt_name_matches(name, len, "memory", 6);
		if (!is_mem && dt_getprop_str(&dt, node, "device_type", &type) == DT_OK)
			is_mem = !strcmp(type, "memory");
		if (is_mem && dt_node_is_available(&dt, node) &&
		    dt_reg_translated(&dt, node, 0, base, size) == DT_OK && *size)
			return true;
	}
	return false;
}

static const char *chosen_str(const char *prop)
{
	const char *s;
	int chosen;

	if (!valid)
		return NULL;
	chosen = dt_path_str(&dt, "/chosen");
	if (chosen < 0 || dt_getprop_str(&dt, chosen, prop, &s) != DT_OK)
		return NULL;
	return s;
}

const char *dtb_bootargs(void)
{
	return chosen_str("bootargs");
}

const char *dtb_vm_name(void)
{
	return chosen_str("ftvisor,name");
}

static bool node_base(int node, uint64_t *base)
{
	uint64_t size;

	return node >= 0 && dt_reg_translated(&dt, node, 0, base, &size) == DT_OK;
}

bool dtb_stdout_base(uint64_t *base)
{
	const char *path = chosen_str("stdout-path");
	size_t len;
	int node;

	if (!path)
		path = chosen_str("linux,stdout-path");
	if (!path)
		return false;
	/* "serial0:115200n8": the path ends at the first ':'. */
	for (len = 0; path[len] && path[len] != ':'; len++)
		;
	if (path[0] == '/') {
		node = dt_path(&dt, path, len);
	} else {
		int aliases = dt_path_str(&dt, "/aliases");
		const char *target;
		uint32_t tlen;

		if (aliases < 0)
			return false;
		target = dt_getprop_namelen(&dt, aliases, path, len, &tlen);
		if (!target || !tlen || target[tlen - 1] != '\0')
			return false;
		node = dt_path_str(&dt, target);
	}
	return node_base(node, base);
}

bool dtb_compatible_base(const char *compat, uint64_t *base)
{
	int node;

	if (!valid)
		return false;
	for (node = dt_find_compatible(&dt, -1, compat); node >= 0;
	     node = dt_find_compatible(&dt, node, compat))
		if (dt_node_is_available(&dt, node))
			return node_base(node, base);
	return false;
}
