/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The system configuration (docs/config.md): a device tree compiled by dtc, read with libfdt
 * and checked against the schema and the board (CPUs, memory). Anything not in the schema is
 * an error, so a misspelt property never silently does nothing.
 */
#include <libfdt.h>
#include <stdio.h>
#include <string.h>

#include "core/ivc_layout.h"
#include "lib/compiler.h"
#include "mkimage.h"

#define MPIDR_CELL_MASK 0x00ffffffu /* Aff2.Aff1.Aff0: what one cell can name */
#define ULL(x) ((unsigned long long)(x))

static const char *const root_props[] = { "compatible", "console-mode", NULL };
static const char *const vm_props[] = {
	"name", "cpus", "cpu-indices", "memory-size", "memory-base", "kernel", "initrd",
	"device-tree", "bootargs", "console", "flags", "priority", "passthrough-mmio",
	"passthrough-irqs", NULL,
};
static const char *const channel_props[] = {
	"name", "size", "members", "read-only", "doorbell-rate", NULL,
};

static const struct {
	const char *name;
	uint32_t flag;
} vm_flags[] = {
	{ "autostart", VM_F_AUTOSTART },
	{ "introspection", VM_F_INTROSPECTION },
	{ "stop-on-unhandled", VM_F_STOP_ON_UNHANDLED },
	{ "mixed-cores", VM_F_MIXED_CORES },
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
static bool get_u64(const struct config *cfg, const struct vm_cfg *vm, const char *path,
		    const void *fdt, int node, const char *prop, uint64_t *out)
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
		cfg_die(cfg, vm, path, "%s: must be one or two 32-bit cells", prop);
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
	/* Other VMs may name the same CPUs: the hypervisor time-slices VMs sharing a CPU. */
	vm->n_vcpus = n;
}

/* Optional, one cell, 0..BUNDLE_MAX_PRIORITY; 0 when absent. */
static void parse_priority(const struct config *cfg, struct vm_cfg *vm, const void *fdt,
			   int node)
{
	const fdt32_t *p;
	uint32_t v;
	int len;

	p = fdt_getprop(fdt, node, "priority", &len);
	if (!p)
		return;
	if (len != 4)
		cfg_die(cfg, vm, NULL, "priority: must be one 32-bit cell");
	v = fdt32_to_cpu(p[0]);
	if (v > BUNDLE_MAX_PRIORITY)
		cfg_die(cfg, vm, NULL, "priority %u: must be 0 to %u (higher wins a shared CPU)",
			v, BUNDLE_MAX_PRIORITY);
	vm->priority = v;
}

static void parse_memory(const struct config *cfg, struct vm_cfg *vm, const void *fdt, int node)
{
	uint64_t end;

	if (!get_u64(cfg, vm, NULL, fdt, node, "memory-size", &vm->mem_size))
		cfg_die(cfg, vm, NULL, "missing required property 'memory-size'");
	if (!vm->mem_size || vm->mem_size % BUNDLE_MEM_ALIGN)
		cfg_die(cfg, vm, NULL, "memory-size 0x%llx: must be a non-zero multiple of 2 MiB",
			(unsigned long long)vm->mem_size);
	vm->mem_ipa = DEFAULT_MEM_IPA;
	get_u64(cfg, vm, NULL, fdt, node, "memory-base", &vm->mem_ipa);
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
				"flags: unknown flag '%s' (known: autostart, introspection, stop-on-unhandled, mixed-cores)",
				s ? s : "");
		vm->flags |= vm_flags[k].flag;
	}
}

static bool overlaps(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
	/* Callers keep both ranges below 2^64 (checked against 2^40 or from the board). */
	return a < b + bs && b < a + as;
}

/* "passthrough-mmio: 0x9010000 (0x1000 bytes): problem" */
#define PT_MMIO_DIE(cfg, vm, r, fmt, ...)                                                  \
	cfg_die(cfg, vm, NULL, "passthrough-mmio: 0x%llx (0x%llx bytes): " fmt, ULL((r)->base), \
		ULL((r)->size), ##__VA_ARGS__)

/* The board side of a region: in a device, clear of memory, the console and the GIC. */
static int pt_mmio_board(const struct config *cfg, const struct vm_cfg *vm,
			 const struct bundle_mmio *r)
{
	const struct platform *plat = cfg->plat;
	const struct plat_gic *gic = &plat->gic;
	int node;

	/* Reserved first: firmware memory says more than "board memory". */
	for (uint32_t i = 0; i < plat->n_reserved; i++)
		if (overlaps(r->base, r->size, plat->reserved[i].base, plat->reserved[i].size))
			PT_MMIO_DIE(cfg, vm, r, "overlaps %s [0x%llx, 0x%llx)",
				    plat->reserved[i].kind == RSV_BOARD ?
					    "firmware memory the board port reserves" :
				    plat->reserved[i].kind == RSV_MEMRESERVE ?
					    "reserved memory (/memreserve/ of the board tree)" :
					    "reserved memory (/reserved-memory of the board tree)",
				    ULL(plat->reserved[i].base),
				    ULL(plat->reserved[i].base + plat->reserved[i].size));
	for (uint32_t i = 0; i < plat->n_mem; i++)
		if (overlaps(r->base, r->size, plat->mem[i].base, plat->mem[i].size))
			PT_MMIO_DIE(cfg, vm, r, "overlaps board memory [0x%llx, 0x%llx)",
				    ULL(plat->mem[i].base), ULL(plat->mem[i].base + plat->mem[i].size));
	/* A console of unknown size still has its first byte. */
	if (plat->uart.present &&
	    overlaps(r->base, r->size, plat->uart.base, MAX(plat->uart.size, 1ULL)))
		PT_MMIO_DIE(cfg, vm, r,
			    "overlaps the board's console UART [0x%llx, 0x%llx) (its stdout-path, ftvisor's own console)",
			    ULL(plat->uart.base), ULL(plat->uart.base + MAX(plat->uart.size, 1ULL)));
	if (gic->version && overlaps(r->base, r->size, gic->gicd_base, gic->gicd_size))
		PT_MMIO_DIE(cfg, vm, r, "overlaps the board's GIC distributor [0x%llx, 0x%llx)",
			    ULL(gic->gicd_base), ULL(gic->gicd_base + gic->gicd_size));
	for (uint32_t i = 0; gic->version && i < gic->n_gicr; i++)
		if (overlaps(r->base, r->size, gic->gicr[i].base, gic->gicr[i].size))
			PT_MMIO_DIE(cfg, vm, r,
				    "overlaps the board's GIC redistributors [0x%llx, 0x%llx)",
				    ULL(gic->gicr[i].base), ULL(gic->gicr[i].base + gic->gicr[i].size));
	node = board_device_at(&cfg->board, r->base, r->size);
	if (node < 0)
		PT_MMIO_DIE(cfg, vm, r, "not inside the reg of any enabled device of the board");
	return node;
}

/*
 * The firmware's SCMI/SCPI channel (mailbox + shared memory): whoever drives it sets CPU
 * clocks and reads sensors for the whole SoC, so at most one VM may be given any part of it.
 */
static void pt_mmio_fw_channel(const struct config *cfg, struct vm_cfg *vm,
			       const struct bundle_mmio *r)
{
	struct board_fw_range fw[16];
	char path[128], owner[128];
	int n = board_fw_channels(&cfg->board, fw, 16);

	for (int i = 0; i < n; i++) {
		if (!overlaps(r->base, r->size, fw[i].base, fw[i].size))
			continue;
		for (const struct vm_cfg *o = cfg->vms; o < vm; o++) {
			if (o->fw_channel != fw[i].owner)
				continue;
			if (dt_node_path(&cfg->board, fw[i].node, path, sizeof(path)) < 0)
				snprintf(path, sizeof(path), "?");
			if (dt_node_path(&cfg->board, fw[i].owner, owner, sizeof(owner)) < 0)
				snprintf(owner, sizeof(owner), "?");
			PT_MMIO_DIE(cfg, vm, r,
				    "is part of the firmware channel %s (%s [0x%llx, 0x%llx)), already passed through to %s (%s): only one VM may own it",
				    owner, path, ULL(fw[i].base), ULL(fw[i].base + fw[i].size),
				    o->node, o->name);
		}
		vm->fw_channel = fw[i].owner;
	}
}

static void parse_pt_mmio(const struct config *cfg, struct vm_cfg *vm, const void *fdt,
			  int node)
{
	static const struct {
		uint64_t base, size;
		const char *name;
	} emulated[] = {
		{ GICD_IPA, GICD_SIZE, "GIC distributor" },
		{ GICR_IPA, GICR_SIZE_PER_VCPU * BUNDLE_MAX_VCPUS, "GIC redistributors" },
		{ UART_IPA, UART_SIZE, "UART" },
		{ TEST_IPA, TEST_SIZE, "test device" },
	};
	const fdt32_t *p;
	struct bundle_mmio *r;
	uint32_t n;
	int len;

	p = fdt_getprop(fdt, node, "passthrough-mmio", &len);
	if (!p)
		return;
	if (len <= 0 || len % 16)
		cfg_die(cfg, vm, NULL,
			"passthrough-mmio: must be one or more <base-hi base-lo size-hi size-lo> groups of 4 cells");
	n = (uint32_t)len / 16;
	if (n > BUNDLE_MAX_PT_MMIO)
		cfg_die(cfg, vm, NULL, "passthrough-mmio: too many regions (%u, at most %u)", n,
			BUNDLE_MAX_PT_MMIO);
	for (uint32_t k = 0; k < n; k++, p += 4) {
		r = &vm->pt_mmio[k];
		r->base = (uint64_t)fdt32_to_cpu(p[0]) << 32 | fdt32_to_cpu(p[1]);
		r->size = (uint64_t)fdt32_to_cpu(p[2]) << 32 | fdt32_to_cpu(p[3]);
		if (!r->size)
			PT_MMIO_DIE(cfg, vm, r, "empty");
		if (r->base % PT_PAGE || r->size % PT_PAGE)
			PT_MMIO_DIE(cfg, vm, r, "not 4 KiB aligned (base and size must be 4 KiB multiples)");
		if (r->base >= BUNDLE_IPA_LIMIT || r->size > BUNDLE_IPA_LIMIT - r->base)
			PT_MMIO_DIE(cfg, vm, r, "reaches beyond 2^40");
		/* Mapped at IPA = PA: the guest-physical side must be free too. */
		if (overlaps(r->base, r->size, vm->mem_ipa, vm->mem_size))
			PT_MMIO_DIE(cfg, vm, r, "overlaps the VM's RAM [0x%llx, 0x%llx)",
				    ULL(vm->mem_ipa), ULL(vm->mem_ipa + vm->mem_size));
		vm->pt_node[k] = pt_mmio_board(cfg, vm, r);
		pt_mmio_fw_channel(cfg, vm, r);
		for (size_t i = 0; i < ARRAY_SIZE(emulated); i++)
			if (overlaps(r->base, r->size, emulated[i].base, emulated[i].size))
				PT_MMIO_DIE(cfg, vm, r,
					    "overlaps the VM's emulated %s at [0x%llx, 0x%llx)",
					    emulated[i].name, ULL(emulated[i].base),
					    ULL(emulated[i].base + emulated[i].size));
		for (uint32_t j = 0; j < k; j++)
			if (overlaps(r->base, r->size, vm->pt_mmio[j].base, vm->pt_mmio[j].size))
				PT_MMIO_DIE(cfg, vm, r, "overlaps 0x%llx (0x%llx bytes) of this VM",
					    ULL(vm->pt_mmio[j].base), ULL(vm->pt_mmio[j].size));
		for (const struct vm_cfg *o = cfg->vms; o < vm; o++)
			for (uint32_t j = 0; j < o->n_pt_mmio; j++)
				if (overlaps(r->base, r->size, o->pt_mmio[j].base,
					     o->pt_mmio[j].size))
					PT_MMIO_DIE(cfg, vm, r,
						    "overlaps 0x%llx (0x%llx bytes), passed through to %s (%s)",
						    ULL(o->pt_mmio[j].base), ULL(o->pt_mmio[j].size),
						    o->node, o->name);
		vm->n_pt_mmio = k + 1;
	}
}

static void parse_pt_irqs(const struct config *cfg, struct vm_cfg *vm, const void *fdt,
			  int node)
{
	/*
	 * How many SPIs the board's GIC implements is not in its tree (the arm,gic-v3 binding
	 * has no such property; only GICD_TYPER knows, at run time): the architecture's limit.
	 */
	uint32_t n, intid, end = SPI_END;
	const fdt32_t *p;
	int len;

	p = fdt_getprop(fdt, node, "passthrough-irqs", &len);
	if (!p)
		return;
	if (len <= 0 || len % 4)
		cfg_die(cfg, vm, NULL, "passthrough-irqs: must be one or more 32-bit cells (GIC INTIDs)");
	n = (uint32_t)len / 4;
	if (n > BUNDLE_MAX_PT_IRQS)
		cfg_die(cfg, vm, NULL, "passthrough-irqs: too many interrupts (%u, at most %u)", n,
			BUNDLE_MAX_PT_IRQS);
	for (uint32_t k = 0; k < n; k++) {
		intid = fdt32_to_cpu(p[k]);
		if (intid < SPI_FIRST || intid >= end)
			cfg_die(cfg, vm, NULL,
				"passthrough-irqs: %u: not an SPI (INTIDs %u-%u; SPI n is INTID 32 + n)",
				intid, SPI_FIRST, end - 1);
		if (intid == UART_INTID)
			cfg_die(cfg, vm, NULL,
				"passthrough-irqs: %u: is the interrupt of every VM's emulated UART (SPI 1)",
				intid);
		if (cfg->plat->uart.present && intid == cfg->plat->uart.intid)
			cfg_die(cfg, vm, NULL,
				"passthrough-irqs: %u: is the interrupt of the board's console UART",
				intid);
		for (uint32_t j = 0; j < k; j++)
			if (vm->pt_irqs[j] == intid)
				cfg_die(cfg, vm, NULL, "passthrough-irqs: %u: given twice", intid);
		for (const struct vm_cfg *o = cfg->vms; o < vm; o++)
			for (uint32_t j = 0; j < o->n_pt_irqs; j++)
				if (o->pt_irqs[j] == intid)
					cfg_die(cfg, vm, NULL,
						"passthrough-irqs: %u: already passed through to %s (%s)",
						intid, o->node, o->name);
		vm->pt_irqs[k] = intid;
		vm->n_pt_irqs = k + 1;
	}
}

/*
 * The vCPUs of one VM on one core type (the compatible of each board cpu node): a guest sees
 * one MIDR and one cache geometry, and the E2000's FTC310 and FTC664 differ in both. The flag
 * "mixed-cores" allows it anyway.
 */
static void check_core_types(const struct config *cfg, const struct vm_cfg *vm)
{
	const char *t0, *t;
	char n0[32], n[32];

	if (vm->flags & VM_F_MIXED_CORES)
		return;
	t0 = board_cpu_type(&cfg->board, vm->mpidr[0]);
	for (uint32_t i = 1; i < vm->n_vcpus; i++) {
		t = board_cpu_type(&cfg->board, vm->mpidr[i]);
		if (strcmp(t, t0)) {
			board_core_name(t0, n0, sizeof(n0));
			board_core_name(t, n, sizeof(n));
			cfg_die(cfg, vm, NULL,
				"cpus: 0x%llx is an %s core (\"%s\") but 0x%llx an %s core (\"%s\"): a VM's vCPUs must be on one core type, or add flag \"mixed-cores\"",
				ULL(vm->mpidr[0]), n0, t0, ULL(vm->mpidr[i]), n, t);
		}
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

	vm->fw_channel = -1;
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
	check_core_types(cfg, vm);
	parse_priority(cfg, vm, fdt, node);
	parse_pt_mmio(cfg, vm, fdt, node);
	parse_pt_irqs(cfg, vm, fdt, node);
}

/* ---- inter-VM channels (/ivc) ---- */

/* A list of non-empty strings (count >= 1); dies with "prop: must be ..." otherwise. */
static int get_strlist(const struct config *cfg, const char *path, const void *fdt, int node,
		       const char *prop, const char *what)
{
	const char *list;
	int len, n;

	list = fdt_getprop(fdt, node, prop, &len);
	n = list ? fdt_stringlist_count(fdt, node, prop) : 0;
	if (!list || len <= 0 || n <= 0 || list[len - 1])
		cfg_die(cfg, NULL, path, "%s: must be a list of %s (strings)", prop, what);
	/* no empty string: no NUL first or right after another */
	for (int i = 0; i < len; i++)
		if (!list[i] && (!i || !list[i - 1]))
			cfg_die(cfg, NULL, path, "%s: must be a list of %s (strings)", prop, what);
	return n;
}

static int vm_by_name(const struct config *cfg, const char *name)
{
	for (uint32_t i = 0; i < cfg->n_vms; i++)
		if (!strcmp(cfg->vms[i].name, name))
			return (int)i;
	return -1;
}

void config_channel_table(const struct config *cfg, struct bundle_channel *out)
{
	for (uint32_t i = 0; i < cfg->n_channels; i++) {
		const struct chan_cfg *c = &cfg->channels[i];

		memset(&out[i], 0, sizeof(out[i]));
		memcpy(out[i].name, c->name, sizeof(out[i].name));
		out[i].size = c->size;
		out[i].n_members = c->n_members;
		out[i].rate = c->rate;
		for (uint32_t k = 0; k < c->n_members; k++) {
			out[i].members[k].vm = c->member_vm[k];
			out[i].members[k].flags = c->member_flags[k];
		}
	}
}

uint64_t config_channel_memory(const struct config *cfg)
{
	uint64_t sum = 0;

	for (uint32_t i = 0; i < cfg->n_channels; i++)
		sum += cfg->channels[i].size;
	return sum;
}

static void parse_members(const struct config *cfg, struct chan_cfg *ch, const void *fdt,
			  int node)
{
	const char *s;
	int n, v;

	if (!fdt_getprop(fdt, node, "members", NULL))
		cfg_die(cfg, NULL, ch->node, "missing required property 'members'");
	n = get_strlist(cfg, ch->node, fdt, node, "members", "VM names");
	if (n < 2 || n > BUNDLE_IVC_MAX_MEMBERS)
		cfg_die(cfg, NULL, ch->node, "members: %d VMs, a channel has 2 to %u", n,
			BUNDLE_IVC_MAX_MEMBERS);
	for (int k = 0; k < n; k++) {
		s = fdt_stringlist_get(fdt, node, "members", k, NULL);
		v = s ? vm_by_name(cfg, s) : -1;
		if (v < 0)
			cfg_die(cfg, NULL, ch->node, "members: no VM named '%s'", s ? s : "");
		for (int j = 0; j < k; j++)
			if (ch->member_vm[j] == (uint32_t)v)
				cfg_die(cfg, NULL, ch->node, "members: '%s' given twice", s);
		ch->member_vm[k] = (uint32_t)v;
	}
	ch->n_members = (uint32_t)n;

	if (!fdt_getprop(fdt, node, "read-only", NULL))
		return;
	n = get_strlist(cfg, ch->node, fdt, node, "read-only", "member VM names");
	for (int k = 0; k < n; k++) {
		uint32_t m;

		s = fdt_stringlist_get(fdt, node, "read-only", k, NULL);
		v = s ? vm_by_name(cfg, s) : -1;
		for (m = 0; m < ch->n_members; m++)
			if (v >= 0 && ch->member_vm[m] == (uint32_t)v)
				break;
		if (m == ch->n_members)
			cfg_die(cfg, NULL, ch->node, "read-only: '%s' is not a member of the channel",
				s ? s : "");
		if (ch->member_flags[m] & BUNDLE_IVC_F_READ_ONLY)
			cfg_die(cfg, NULL, ch->node, "read-only: '%s' given twice", s);
		ch->member_flags[m] |= BUNDLE_IVC_F_READ_ONLY;
	}
}

/*
 * What the members of the channel just parsed (the last of cfg->channels) see: their BAR2s
 * inside the prefetchable window, what their channels so far occupy (ivc_spans(): register
 * pages, shared memory, PCI ECAM) clear of their RAM and passthrough regions, this channel's
 * INTx not one of their passthrough interrupts. The rest of [0x10000000, 0x3f100000) is
 * theirs to use (on Phytium boards the devices passed through at IPA = PA lie there).
 */
static void check_members(const struct config *cfg, const struct chan_cfg *ch)
{
	struct bundle_channel table[BUNDLE_MAX_CHANNELS];
	struct ivc_endpoint ep[IVC_MAX_SLOTS];
	struct ivc_span sp[IVC_MAX_SPANS];
	const struct ivc_endpoint *mine;
	const struct vm_cfg *vm;
	uint64_t end;
	int n, n_sp;

	config_channel_table(cfg, table);
	for (uint32_t k = 0; k < ch->n_members; k++) {
		vm = &cfg->vms[ch->member_vm[k]];
		n = ivc_layout(table, cfg->n_channels, ch->member_vm[k], ep, &end);
		if (n == IVC_LAYOUT_E_WINDOW)
			cfg_die(cfg, NULL, ch->node,
				"members: '%s': no room for this channel's shared memory: with the VM's earlier channels, each aligned to its size, it would end at 0x%llx, past the window [0x%llx, 0x%llx)",
				vm->name, ULL(end), ULL(IVC_PREF_IPA),
				ULL(IVC_PREF_IPA + IVC_PREF_SIZE));
		if (n <= 0) /* 8 channels at most, sizes checked: cannot happen */
			cfg_die(cfg, NULL, ch->node, "members: '%s': %s", vm->name,
				ivc_layout_strerror(n));
		n_sp = ivc_spans(n, end, sp);
		for (int s = 0; s < n_sp; s++)
			if (overlaps(vm->mem_ipa, vm->mem_size, sp[s].base, sp[s].size))
				cfg_die(cfg, NULL, ch->node,
					"members: '%s': guest RAM [0x%llx, 0x%llx) overlaps the VM's IVC %s [0x%llx, 0x%llx)",
					vm->name, ULL(vm->mem_ipa), ULL(vm->mem_ipa + vm->mem_size),
					sp[s].name, ULL(sp[s].base), ULL(sp[s].base + sp[s].size));
		for (uint32_t j = 0; j < vm->n_pt_mmio; j++)
			for (int s = 0; s < n_sp; s++)
				if (overlaps(vm->pt_mmio[j].base, vm->pt_mmio[j].size, sp[s].base,
					     sp[s].size))
					cfg_die(cfg, NULL, ch->node,
						"members: '%s': passthrough-mmio 0x%llx (0x%llx bytes) overlaps the VM's IVC %s [0x%llx, 0x%llx)",
						vm->name, ULL(vm->pt_mmio[j].base),
						ULL(vm->pt_mmio[j].size), sp[s].name,
						ULL(sp[s].base), ULL(sp[s].base + sp[s].size));
		mine = &ep[n - 1];
		for (uint32_t j = 0; j < vm->n_pt_irqs; j++)
			if (vm->pt_irqs[j] == mine->intid)
				cfg_die(cfg, NULL, ch->node,
					"members: '%s': its passthrough-irqs %u is the INTx of this channel (its PCI slot %u)",
					vm->name, mine->intid, mine->slot);
	}
}

static void parse_channel(struct config *cfg, struct chan_cfg *ch, const void *fdt, int node)
{
	const fdt32_t *p;
	const char *name;
	int len;

	name = get_string(cfg, NULL, ch->node, fdt, node, "name");
	if (!name)
		cfg_die(cfg, NULL, ch->node, "missing required property 'name'");
	if (!name_ok(name))
		cfg_die(cfg, NULL, ch->node,
			"bad name '%s' (1-31 characters of a-z 0-9 _ -, starting with a letter)",
			name);
	snprintf(ch->name, sizeof(ch->name), "%s", name);
	/* From here on messages name the channel: "/ivc/channel@0 (link)". */
	snprintf(ch->node + strlen(ch->node), sizeof(ch->node) - strlen(ch->node), " (%s)", name);
	for (const struct chan_cfg *o = cfg->channels; o < ch; o++)
		if (!strcmp(o->name, name))
			cfg_die(cfg, NULL, ch->node, "duplicate name '%s' (also %.*s)", name,
				(int)strcspn(o->node, " "), o->node);

	check_props(cfg, NULL, ch->node, fdt, node, channel_props);
	check_nodes(cfg, NULL, ch->node, fdt, node, NULL);
	if (!get_u64(cfg, NULL, ch->node, fdt, node, "size", &ch->size))
		cfg_die(cfg, NULL, ch->node, "missing required property 'size'");
	if (ch->size < BUNDLE_IVC_MIN_SIZE || ch->size > BUNDLE_IVC_MAX_SIZE ||
	    (ch->size & (ch->size - 1)))
		cfg_die(cfg, NULL, ch->node,
			"size 0x%llx: must be a power of two from 64 KiB (0x10000) to 256 MiB (0x10000000)",
			ULL(ch->size));
	parse_members(cfg, ch, fdt, node);
	p = fdt_getprop(fdt, node, "doorbell-rate", &len);
	if (p) {
		if (len != 4)
			cfg_die(cfg, NULL, ch->node, "doorbell-rate: must be one 32-bit cell");
		ch->rate = fdt32_to_cpu(p[0]);
		if (!ch->rate)
			cfg_die(cfg, NULL, ch->node,
				"doorbell-rate 0: must be at least 1 doorbell per second (leave it out for the default %u)",
				BUNDLE_IVC_DEFAULT_RATE);
	}
	check_members(cfg, ch);
}

static void parse_ivc(struct config *cfg, const void *fdt, int ivc)
{
	struct chan_cfg *ch;
	const char *nname;
	int node;

	check_props(cfg, NULL, "/ivc", fdt, ivc, NULL);
	fdt_for_each_subnode(node, fdt, ivc) {
		nname = fdt_get_name(fdt, node, NULL);
		if (!nname || (strcmp(nname, "channel") && strncmp(nname, "channel@", 8)))
			cfg_die(cfg, NULL, "/ivc", "unknown node '%s' (channels are channel@N nodes)",
				nname ? nname : "?");
		if (cfg->n_channels == BUNDLE_MAX_CHANNELS)
			cfg_die(cfg, NULL, "/ivc", "too many channels (more than %u)",
				BUNDLE_MAX_CHANNELS);
		ch = &cfg->channels[cfg->n_channels++];
		snprintf(ch->node, sizeof(ch->node), "/ivc/%s", nname);
		parse_channel(cfg, ch, fdt, node);
	}
}

void config_parse(struct config *cfg, const void *fdt, const struct platform *plat)
{
	static const char *const root_nodes[] = { "vms", "ivc", NULL };
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
	/* After the VMs: members name them. */
	node = fdt_subnode_offset(fdt, 0, "ivc");
	if (node >= 0)
		parse_ivc(cfg, fdt, node);
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
	uint64_t usable = board_usable_memory(plat), need = 0, avail, shm;

	for (uint32_t i = 0; i < cfg->n_vms; i++)
		need += cfg->vms[i].mem_size;
	avail = usable > hyp_footprint ? usable - hyp_footprint : 0;
	if (need > avail)
		cfg_die(cfg, NULL, "/vms",
			"the VMs need %llu MiB of RAM, the board has %llu MiB for them (%llu MiB usable, less %llu MiB for ftvisor)",
			(unsigned long long)(need / MIB), (unsigned long long)(avail / MIB),
			(unsigned long long)(usable / MIB),
			(unsigned long long)(hyp_footprint / MIB));
	/* The channels' shared memory comes from the same pool, in 2 MiB blocks overall. */
	shm = ALIGN_UP(config_channel_memory(cfg), BUNDLE_MEM_ALIGN);
	if (shm && need + shm > avail)
		cfg_die(cfg, NULL, "/ivc",
			"the VMs need %llu MiB of RAM and the channels %llu MiB, the board has %llu MiB for them (%llu MiB usable, less %llu MiB for ftvisor)",
			(unsigned long long)(need / MIB), (unsigned long long)(shm / MIB),
			(unsigned long long)(avail / MIB), (unsigned long long)(usable / MIB),
			(unsigned long long)(hyp_footprint / MIB));
}
