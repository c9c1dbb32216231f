/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The system configuration (docs/config.md): a device tree compiled by dtc, read with libfdt
 * and checked against the schema and the board (CPUs, memory). Anything not in the schema is
 * an error, so a misspelt property never silently does nothing.
 */
#include <libfdt.h>
#include <stdio.h>
#include <string.h>

#include "lib/compiler.h"
#include "mkimage.h"

#define MPIDR_CELL_MASK 0x00ffffffu /* Aff2.Aff1.Aff0: what one cell can name */

static const char *const root_props[] = { "compatible", "console-mode", NULL };
static const char *const vm_props[] = {
	"name", "cpus", "cpu-indices", "memory-size", "memory-base", "kernel", "initrd",
	"device-tree", "bootargs", "console", "flags", NULL,
};

static const struct {
	const char *name;
	uint32_t flag;
} vm_flags[] = {
	{ "autostart", VM_F_AUTOSTART },
	{ "introspection", VM_F_INTROSPECTION },
	{ "stop-on-unhandled", VM_F_STOP_ON_UNHANDLED },
};

static bool in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(s, *list))
			return true;
	return false;
}

/* Only the listed properties (none when props is NULL). */
static void check_props(const struct config *cfg, const struct vm_cfg *vm, const char *path,
			const void *fdt, int node, const char *const *props)
{
	const char *name;
	int off, len;

	fdt_for_each_property_offset(off, fdt, node) {
		if (!fdt_getprop_by_offset(fdt, off, &name, &len))
			cfg_die(cfg, vm, path, "unreadable property (%s)", fdt_strerror(len));
		if (!props || !in_list(name, props))
			cfg_die(cfg, vm, path, "unknown property '%s'", name);
	}
}

/* Only the listed subnodes (none when nodes is NULL). */
static void check_nodes(const struct config *cfg, const struct vm_cfg *vm, const char *path,
			const void *fdt, int node, const char *const *nodes)
{
	const char *name;
	int off;

	fdt_for_each_subnode(off, fdt, node) {
		name = fdt_get_name(fdt, off, NULL);
		if (!name || !nodes || !in_list(name, nodes))
			cfg_die(cfg, vm, path, "unknown node '%s'", name ? name : "?");
	}
}

/* One non-empty NUL-terminated string, or NULL when absent. */
static const char *get_string(const struct config *cfg, const struct vm_cfg *vm,
			      const char *path, const void *fdt, int node, const char *prop)
{
	const char *s;
	int len;

	s = fdt_getprop(fdt, node, prop, &len);
	if (!s)
		return NULL;
	if (len < 2 || s[len - 1] || strlen(s) != (size_t)len - 1)
		cfg_die(cfg, vm, path, "%s: must be one non-empty string", prop);
	return s;
}

/* One or two cells; false when absent. */
static bool get_u64(const struct config *cfg, const struct vm_cfg *vm, const void *fdt,
		    int node, const char *prop, uint64_t *out)
{
	const fdt32_t *p;
	int len;

	p = fdt_getprop(fdt, node, prop, &len);
	if (!p)
		return false;
	if (len == 4)
		*out = fdt32_to_cpu(p[0]);
	else if (len == 8)
		*out = (uint64_t)fdt32_to_cpu(p[0]) << 32 | fdt32_to_cpu(p[1]);
	else
		cfg_die(cfg, vm, NULL, "%s: must be one or two 32-bit cells", prop);
	return true;
}

static bool name_ok(const char *s)
{
	size_t n = strlen(s);

	if (n < 1 || n >= BUNDLE_NAME_LEN || !(s[0] >= 'a' && s[0] <= 'z'))
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' ||
		      *s == '-'))
			return false;
	return true;
}

static void board_cpu_list(const struct platform *plat, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (uint32_t i = 0; i < plat->n_cpus && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s0x%llx", i ? " " : "",
					 (unsigned long long)plat->cpus[i].mpidr);
}

static void parse_cpus(const struct config *cfg, struct vm_cfg *vm, const void *fdt, int node,
		       const struct platform *plat)
{
	const fdt32_t *by_mpidr, *by_index, *cells;
	const char *prop;
	char list[256];
	int len_m, len_i, len;
	uint32_t n, i, j, v;

	by_mpidr = fdt_getprop(fdt, node, "cpus", &len_m);
	by_index = fdt_getprop(fdt, node, "cpu-indices", &len_i);
	if (by_mpidr && by_index)
		cfg_die(cfg, vm, NULL, "both cpus and cpu-indices given (use one)");
	if (!by_mpidr && !by_index)
		cfg_die(cfg, vm, NULL, "missing required property 'cpus' (or 'cpu-indices')");
	cells = by_mpidr ? by_mpidr : by_index;
	len = by_mpidr ? len_m : len_i;
	prop = by_mpidr ? "cpus" : "cpu-indices";
	if (len <= 0 || len % 4)
		cfg_die(cfg, vm, NULL, "%s: must be one or more 32-bit cells", prop);
	n = (uint32_t)len / 4;
	if (n > BUNDLE_MAX_VCPUS)
		cfg_die(cfg, vm, NULL, "too many vCPUs (%u, at most %u)", n, BUNDLE_MAX_VCPUS);
	for (i = 0; i < n; i++) {
		v = fdt32_to_cpu(cells[i]);
		if (by_mpidr) {
			if (v & ~MPIDR_CELL_MASK)
				cfg_die(cfg, vm, NULL,
					"cpus: 0x%x is not an MPIDR affinity value", v);
			if (platform_cpu_index(plat, v) < 0) {
				board_cpu_list(plat, list, sizeof(list));
				cfg_die(cfg, vm, NULL,
					"cpus: no CPU with MPIDR 0x%x on the board (it has %s)", v,
					list);
			}
			vm->mpidr[i] = v;
		} else {
			if (v >= plat->n_cpus)
				cfg_die(cfg, vm, NULL,
					"cpu-indices: no CPU %u on the board (it has %u CPUs)", v,
					plat->n_cpus);
			vm->mpidr[i] = plat->cpus[v].mpidr;
		}
		for (j = 0; j < i; j++)
			if (vm->mpidr[j] == vm->mpidr[i])
				cfg_die(cfg, vm, NULL, "CPU 0x%llx given twice",
					(unsigned long long)vm->mpidr[i]);
	}
	vm->n_vcpus = n;
	for (const struct vm_cfg *o = cfg->vms; o < vm; o++)
		for (i = 0; i < n; i++)
			for (j = 0; j < o->n_vcpus; j++)
				if (vm->mpidr[i] == o->mpidr[j])
					cfg_die(cfg, vm, NULL, "CPU 0x%llx is already used by %s (%s)",
						(unsigned long long)vm->mpidr[i], o->node, o->name);
}

static void parse_memory(const struct config *cfg, struct vm_cfg *vm, const void *fdt, int node)
{
	uint64_t end;

	if (!get_u64(cfg, vm, fdt, node, "memory-size", &vm->mem_size))
		cfg_die(cfg, vm, NULL, "missing required property 'memory-size'");
	if (!vm->mem_size || vm->mem_size % BUNDLE_MEM_ALIGN)
		cfg_die(cfg, vm, NULL, "memory-size 0x%llx: must be a non-zero multiple of 2 MiB",
			(unsigned long long)vm->mem_size);
	vm->mem_ipa = DEFAULT_MEM_IPA;
	get_u64(cfg, vm, fdt, node, "memory-base", &vm->mem_ipa);
	if (vm->mem_ipa % BUNDLE_MEM_ALIGN)
		cfg_die(cfg, vm, NULL, "memory-base 0x%llx: must be 2 MiB aligned",
			(unsigned long long)vm->mem_ipa);
	if (vm->mem_ipa >= BUNDLE_IPA_LIMIT || vm->mem_size > BUNDLE_IPA_LIMIT - vm->mem_ipa)
		cfg_die(cfg, vm, NULL, "guest RAM at 0x%llx, %llu MiB, reaches beyond 2^40",
			(unsigned long long)vm->mem_ipa, (unsigned long long)(vm->mem_size / MIB));
	end = vm->mem_ipa + vm->mem_size;
	if (vm->mem_ipa < BUNDLE_DEV_END && end > BUNDLE_DEV_BASE)
		cfg_die(cfg, vm, NULL,
			"guest RAM [0x%llx, 0x%llx) overlaps the device window [0x%llx, 0x%llx)",
			(unsigned long long)vm->mem_ipa, (unsigned long long)end,
			(unsigned long long)BUNDLE_DEV_BASE, (unsigned long long)BUNDLE_DEV_END);
}

static void parse_flags(const struct config *cfg, struct vm_cfg *vm, const void *fdt, int node)
{
	const char *list, *s;
	int len, n;
	size_t k;

	list = fdt_getprop(fdt, node, "flags", &len);
	if (!list)
		return;
	n = fdt_stringlist_count(fdt, node, "flags");
	if (len <= 0 || n <= 0 || list[len - 1])
		cfg_die(cfg, vm, NULL, "flags: must be a list of strings");
	for (int i = 0; i < n; i++) {
		s = fdt_stringlist_get(fdt, node, "flags", i, NULL);
		for (k = 0; k < ARRAY_SIZE(vm_flags); k++)
			if (s && !strcmp(s, vm_flags[k].name))
				break;
		if (k == ARRAY_SIZE(vm_flags))
			cfg_die(cfg, vm, NULL,
				"flags: unknown flag '%s' (known: autostart, introspection, stop-on-unhandled)",
				s ? s : "");
		vm->flags |= vm_flags[k].flag;
	}
}

static void parse_vm(struct config *cfg, struct vm_cfg *vm, const void *fdt, int node,
		     const struct platform *plat)
{
	const char *name, *console;

	/* The name first, so every later message can show it. */
	name = get_string(cfg, vm, NULL, fdt, node, "name");
	if (!name)
		cfg_die(cfg, vm, NULL, "missing required property 'name'");
	if (!name_ok(name))
		cfg_die(cfg, vm, NULL,
			"bad name '%s' (1-31 characters of a-z 0-9 _ -, starting with a letter)",
			name);
	snprintf(vm->name, sizeof(vm->name), "%s", name);
	for (const struct vm_cfg *o = cfg->vms; o < vm; o++)
		if (!strcmp(o->name, name))
			cfg_die(cfg, vm, NULL, "duplicate name '%s' (also %s)", name, o->node);

	check_props(cfg, vm, NULL, fdt, node, vm_props);
	check_nodes(cfg, vm, NULL, fdt, node, NULL);
	parse_cpus(cfg, vm, fdt, node, plat);
	parse_memory(cfg, vm, fdt, node);
	vm->kernel_rel = get_string(cfg, vm, NULL, fdt, node, "kernel");
	if (!vm->kernel_rel)
		cfg_die(cfg, vm, NULL, "missing required property 'kernel'");
	vm->initrd_rel = get_string(cfg, vm, NULL, fdt, node, "initrd");
	vm->dtb_rel = get_string(cfg, vm, NULL, fdt, node, "device-tree");
	vm->bootargs = fdt_getprop(fdt, node, "bootargs", NULL) ?
			       get_string(cfg, vm, NULL, fdt, node, "bootargs") : NULL;
	console = get_string(cfg, vm, NULL, fdt, node, "console");
	if (console && strcmp(console, "pl011"))
		cfg_die(cfg, vm, NULL, "console: unknown console '%s' (only \"pl011\")", console);
	parse_flags(cfg, vm, fdt, node);
}

void config_parse(struct config *cfg, const void *fdt, const struct platform *plat)
{
	static const char *const root_nodes[] = { "vms", NULL };
	const char *mode, *nname;
	struct vm_cfg *vm;
	int vms, node, r;

	check_props(cfg, NULL, "/", fdt, 0, root_props);
	check_nodes(cfg, NULL, "/", fdt, 0, root_nodes);
	r = fdt_node_check_compatible(fdt, 0, CONFIG_COMPATIBLE);
	if (r < 0)
		cfg_die(cfg, NULL, "/", "missing required property 'compatible' (\"%s\")",
			CONFIG_COMPATIBLE);
	if (r)
		cfg_die(cfg, NULL, "/", "compatible: not \"%s\"", CONFIG_COMPATIBLE);
	cfg->bundle_flags = BUNDLE_F_CONSOLE_TAGGED;
	mode = get_string(cfg, NULL, "/", fdt, 0, "console-mode");
	if (mode && !strcmp(mode, "plain"))
		cfg->bundle_flags &= ~BUNDLE_F_CONSOLE_TAGGED;
	else if (mode && strcmp(mode, "tagged"))
		cfg_die(cfg, NULL, "/", "console-mode: unknown mode '%s' (tagged or plain)", mode);

	vms = fdt_subnode_offset(fdt, 0, "vms");
	if (vms < 0)
		cfg_die(cfg, NULL, "/", "missing node 'vms'");
	check_props(cfg, NULL, "/vms", fdt, vms, NULL);
	fdt_for_each_subnode(node, fdt, vms) {
		nname = fdt_get_name(fdt, node, NULL);
		if (!nname || (strcmp(nname, "vm") && strncmp(nname, "vm@", 3)))
			cfg_die(cfg, NULL, "/vms", "unknown node '%s' (VMs are vm@N nodes)",
				nname ? nname : "?");
		if (cfg->n_vms == BUNDLE_MAX_VMS)
			cfg_die(cfg, NULL, "/vms", "too many VMs (more than %u)", BUNDLE_MAX_VMS);
		vm = &cfg->vms[cfg->n_vms++];
		snprintf(vm->node, sizeof(vm->node), "/vms/%s", nname);
		parse_vm(cfg, vm, fdt, node, plat);
	}
	if (!cfg->n_vms)
		cfg_die(cfg, NULL, "/vms", "no VMs (add a vm@N node)");
}

uint64_t board_usable_memory(const struct platform *plat)
{
	uint64_t sum = 0, lo, hi;

	/* VM RAM is handed out in 2 MiB blocks: count only whole aligned ones. */
	for (uint32_t i = 0; i < plat->n_usable; i++) {
		lo = ALIGN_UP(plat->usable[i].base, BUNDLE_MEM_ALIGN);
		hi = ALIGN_DOWN(plat->usable[i].base + plat->usable[i].size, BUNDLE_MEM_ALIGN);
		if (hi > lo)
			sum += hi - lo;
	}
	return sum;
}

void config_check_memory(const struct config *cfg, const struct platform *plat,
			 uint64_t hyp_footprint)
{
	uint64_t usable = board_usable_memory(plat), need = 0, avail;

	for (uint32_t i = 0; i < cfg->n_vms; i++)
		need += cfg->vms[i].mem_size;
	avail = usable > hyp_footprint ? usable - hyp_footprint : 0;
	if (need > avail)
		cfg_die(cfg, NULL, "/vms",
			"the VMs need %llu MiB of RAM, the board has %llu MiB for them (%llu MiB usable, less %llu MiB for ftvisor)",
			(unsigned long long)(need / MIB), (unsigned long long)(avail / MIB),
			(unsigned long long)(usable / MIB),
			(unsigned long long)(hyp_footprint / MIB));
}
