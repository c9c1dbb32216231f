/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The guest's device tree: generated to describe exactly the VM of docs/guest-abi.md, or the
 * config's own DTB with /chosen updated (bootargs, ftvisor,name, the initrd's place). A VM
 * in inter-VM channels gets the PCI host bridge its endpoints sit behind (docs/ivc.md) in a
 * generated tree; a supplied one is left to its author.
 */
#include <libfdt.h>
#include <stdio.h>
#include <string.h>

#include "core/ivc_layout.h"
#include "mkimage.h"

#define GEN_BUF_SIZE (64 * 1024)
#define PATCH_ROOM 4096
#define PHANDLE_APB_PCLK 1
#define PHANDLE_GIC 2
#define PHANDLE_PT_CLOCK 3 /* and up: fixed clocks of passthrough devices */
#define PT_MAX_CLOCKS 8
/* The virtual GICv3 and devices: QEMU virt's addresses (mkimage.h), one GICR per vCPU. */
#define UART_CLOCK_HZ 24000000
/* The interrupt specifier of the arm,gic-v3 binding: type, number, flags (no CPU mask). */
#define GIC_SPI 0
#define GIC_PPI 1
#define IRQ_TYPE_LEVEL_HIGH 0x4
#define UART_SPI 1	/* INTID 33 */
/* The virtual GIC node's #address-cells: interrupt-map entries carry that many zero cells of
 * parent unit address. */
#define GIC_ADDRESS_CELLS 2
/* PCI: the bus address cells (phys.hi, phys.mid, phys.lo) of the ranges property. */
#define PCI_SPACE_MEM32 0x02000000u
#define PCI_SPACE_MEM64_PREF 0x43000000u
#define PCI_DEVFN_SHIFT 11	/* phys.hi bits 15:11: the device (slot) number */
#define PCI_INTA 1
/* Timer PPIs: secure physical, non-secure physical, virtual, hypervisor physical. */
static const uint32_t timer_ppis[] = { 13, 14, 11, 10 };

static void check(const struct config *cfg, const struct vm_cfg *vm, int err, const char *what)
{
	if (err < 0)
		cfg_die(cfg, vm, NULL, "device-tree: %s: %s", what, fdt_strerror(err));
}

/* A property whose value is 64-bit cells (reg, initrd addresses); n <= 2 * BOARD_MAX_REGS. */
static int prop_u64s(void *fdt, const char *name, const uint64_t *v, int n)
{
	fdt64_t cells[2 * BOARD_MAX_REGS];

	for (int i = 0; i < n; i++)
		cells[i] = cpu_to_fdt64(v[i]);
	return fdt_property(fdt, name, cells, n * (int)sizeof(cells[0]));
}

/* A NUL-separated string list literal: sizeof() includes the final NUL. */
#define PROP_STRLIST(fdt, name, lit) fdt_property(fdt, name, lit, sizeof(lit))

static int gen_cpus(void *fdt, const struct vm_cfg *vm)
{
	char node[16];
	int err = 0;

	err |= fdt_begin_node(fdt, "cpus");
	err |= fdt_property_u32(fdt, "#address-cells", 1);
	err |= fdt_property_u32(fdt, "#size-cells", 0);
	for (uint32_t i = 0; i < vm->n_vcpus; i++) {
		snprintf(node, sizeof(node), "cpu@%x", i);
		err |= fdt_begin_node(fdt, node);
		err |= fdt_property_string(fdt, "device_type", "cpu");
		err |= fdt_property_string(fdt, "compatible", "arm,armv8");
		err |= fdt_property_u32(fdt, "reg", i);
		err |= fdt_property_string(fdt, "enable-method", "psci");
		err |= fdt_end_node(fdt);
	}
	err |= fdt_end_node(fdt);
	return err;
}

static int gen_gic(void *fdt, const struct vm_cfg *vm)
{
	const uint64_t reg[] = { GICD_IPA, GICD_SIZE, GICR_IPA, GICR_SIZE_PER_VCPU * vm->n_vcpus };
	char node[32];
	int err = 0;

	/* No ITS and no maintenance interrupt: the VM has neither (docs/guest-abi.md). */
	snprintf(node, sizeof(node), "intc@%llx", (unsigned long long)GICD_IPA);
	err |= fdt_begin_node(fdt, node);
	err |= fdt_property_string(fdt, "compatible", "arm,gic-v3");
	err |= fdt_property_u32(fdt, "#interrupt-cells", 3);
	err |= fdt_property(fdt, "interrupt-controller", NULL, 0);
	err |= fdt_property_u32(fdt, "#address-cells", GIC_ADDRESS_CELLS);
	err |= fdt_property_u32(fdt, "#size-cells", 2);
	err |= fdt_property(fdt, "ranges", NULL, 0);
	err |= prop_u64s(fdt, "reg", reg, 4);
	err |= fdt_property_u32(fdt, "#redistributor-regions", 1);
	err |= fdt_property_u32(fdt, "phandle", PHANDLE_GIC);
	err |= fdt_end_node(fdt);
	return err;
}

static int gen_timer(void *fdt)
{
	/* Level-high as in QEMU's own GICv3 tree; GICv3 PPI specifiers carry no CPU mask. */
	fdt32_t irqs[3 * ARRAY_SIZE(timer_ppis)];
	int err = 0;

	for (size_t i = 0; i < ARRAY_SIZE(timer_ppis); i++) {
		irqs[3 * i] = cpu_to_fdt32(GIC_PPI);
		irqs[3 * i + 1] = cpu_to_fdt32(timer_ppis[i]);
		irqs[3 * i + 2] = cpu_to_fdt32(IRQ_TYPE_LEVEL_HIGH);
	}
	err |= fdt_begin_node(fdt, "timer");
	err |= fdt_property_string(fdt, "compatible", "arm,armv8-timer");
	err |= fdt_property(fdt, "interrupts", irqs, sizeof(irqs));
	err |= fdt_property(fdt, "always-on", NULL, 0);
	err |= fdt_end_node(fdt);
	return err;
}

static int gen_devices(void *fdt)
{
	const uint64_t uart_reg[] = { UART_IPA, UART_SIZE }, test_reg[] = { TEST_IPA, TEST_SIZE };
	const fdt32_t clocks[] = { cpu_to_fdt32(PHANDLE_APB_PCLK), cpu_to_fdt32(PHANDLE_APB_PCLK) };
	const fdt32_t uart_irq[] = { cpu_to_fdt32(GIC_SPI), cpu_to_fdt32(UART_SPI),
				     cpu_to_fdt32(IRQ_TYPE_LEVEL_HIGH) };
	char node[32];
	int err = 0;

	err |= fdt_begin_node(fdt, "apb-pclk");
	err |= fdt_property_string(fdt, "compatible", "fixed-clock");
	err |= fdt_property_u32(fdt, "#clock-cells", 0);
	err |= fdt_property_u32(fdt, "clock-frequency", UART_CLOCK_HZ);
	err |= fdt_property_u32(fdt, "phandle", PHANDLE_APB_PCLK);
	err |= fdt_end_node(fdt);

	snprintf(node, sizeof(node), "pl011@%llx", (unsigned long long)UART_IPA);
	err |= fdt_begin_node(fdt, node);
	err |= PROP_STRLIST(fdt, "compatible", "arm,pl011\0arm,primecell");
	err |= prop_u64s(fdt, "reg", uart_reg, 2);
	err |= fdt_property(fdt, "interrupts", uart_irq, sizeof(uart_irq));
	err |= fdt_property(fdt, "clocks", clocks, sizeof(clocks));
	err |= PROP_STRLIST(fdt, "clock-names", "uartclk\0apb_pclk");
	err |= fdt_end_node(fdt);

	snprintf(node, sizeof(node), "test@%llx", (unsigned long long)TEST_IPA);
	err |= fdt_begin_node(fdt, node);
	err |= fdt_property_string(fdt, "compatible", "ftvisor,test-mmio");
	err |= prop_u64s(fdt, "reg", test_reg, 2);
	err |= fdt_end_node(fdt);
	return err;
}

/* The names generate() gives the root's children, besides memory@<base> and, for a channel
 * member, PCI_NODE. */
static const char *const fixed_nodes[] = {
	"cpus", "psci", "intc@8000000", "timer", "apb-pclk", "pl011@9000000", "test@a000000",
	"chosen", NULL,
};
#define PCI_NODE "pcie@3f000000"

/*
 * The VM's channel endpoints (ivc_layout()): their number, 0 when it is in no channel;
 * *bar2_end the end of their shared memory.
 */
static int vm_endpoints(const struct config *cfg, const struct vm_cfg *vm,
			struct ivc_endpoint ep[IVC_MAX_SLOTS], uint64_t *bar2_end)
{
	struct bundle_channel table[BUNDLE_MAX_CHANNELS];
	int n;

	config_channel_table(cfg, table);
	n = ivc_layout(table, cfg->n_channels, (uint32_t)(vm - cfg->vms), ep, bar2_end);
	if (n < 0) /* config_parse() checked the layout */
		cfg_die(cfg, vm, NULL, "ivc: %s", ivc_layout_strerror(n));
	return n;
}

/*
 * The emulated ECAM host bridge of a channel member (include/ftvisor/ivc.h): bus 0 only, as
 * 1:1 ranges only what the endpoints use (ivc_spans()): the MEM32 window is their register
 * pages (n * 4 KiB from IVC_MMIO32_IPA), the 64-bit prefetchable one their shared memory
 * [IVC_PREF_IPA, bar2_end), so the windows never cover devices passed through at IPA = PA
 * elsewhere in [IVC_MMIO32_IPA, IVC_ECAM_IPA); one INTA entry per slot to its SPI on the
 * virtual GIC. The hypervisor programs the BARs (linux,pci-probe-only in /chosen).
 */
static int gen_pci(void *fdt, const struct ivc_endpoint *ep, int n, uint64_t bar2_end)
{
	const uint64_t reg[] = { IVC_ECAM_IPA, IVC_ECAM_SIZE };
	const fdt32_t bus_range[] = { cpu_to_fdt32(0), cpu_to_fdt32(0) };
	const uint64_t mem32 = (uint64_t)n * IVC_REGS_SIZE, pref = bar2_end - IVC_PREF_IPA;
	const fdt32_t ranges[] = {
		cpu_to_fdt32(PCI_SPACE_MEM32), cpu_to_fdt32(IVC_MMIO32_IPA >> 32),
		cpu_to_fdt32((uint32_t)IVC_MMIO32_IPA), cpu_to_fdt32(IVC_MMIO32_IPA >> 32),
		cpu_to_fdt32((uint32_t)IVC_MMIO32_IPA), cpu_to_fdt32(mem32 >> 32),
		cpu_to_fdt32((uint32_t)mem32),
		cpu_to_fdt32(PCI_SPACE_MEM64_PREF), cpu_to_fdt32(IVC_PREF_IPA >> 32),
		cpu_to_fdt32((uint32_t)IVC_PREF_IPA), cpu_to_fdt32(IVC_PREF_IPA >> 32),
		cpu_to_fdt32((uint32_t)IVC_PREF_IPA), cpu_to_fdt32(pref >> 32),
		cpu_to_fdt32((uint32_t)pref),
	};
	const fdt32_t map_mask[] = { cpu_to_fdt32(0x1f << PCI_DEVFN_SHIFT), 0, 0,
				     cpu_to_fdt32(7) };
	/* child unit address (3) + pin (1) + &gic (1) + parent unit address + specifier (3) */
	enum { ENTRY = 3 + 1 + 1 + GIC_ADDRESS_CELLS + 3 };
	fdt32_t map[IVC_MAX_SLOTS * ENTRY];
	char node[32];
	int err = 0;

	memset(map, 0, sizeof(map));
	for (int k = 0; k < n; k++) {
		fdt32_t *e = &map[k * ENTRY];

		e[0] = cpu_to_fdt32(ep[k].slot << PCI_DEVFN_SHIFT);
		e[3] = cpu_to_fdt32(PCI_INTA);
		e[4] = cpu_to_fdt32(PHANDLE_GIC);
		/* e[5 .. 5 + GIC_ADDRESS_CELLS): the GIC's unit address, 0 */
		e[5 + GIC_ADDRESS_CELLS] = cpu_to_fdt32(GIC_SPI);
		e[6 + GIC_ADDRESS_CELLS] = cpu_to_fdt32(ep[k].intid - SPI_FIRST);
		e[7 + GIC_ADDRESS_CELLS] = cpu_to_fdt32(IRQ_TYPE_LEVEL_HIGH);
	}
	snprintf(node, sizeof(node), "pcie@%llx", (unsigned long long)IVC_ECAM_IPA);
	err |= fdt_begin_node(fdt, node);
	err |= fdt_property_string(fdt, "compatible", "pci-host-ecam-generic");
	err |= fdt_property_string(fdt, "device_type", "pci");
	err |= prop_u64s(fdt, "reg", reg, 2);
	err |= fdt_property(fdt, "bus-range", bus_range, sizeof(bus_range));
	err |= fdt_property_u32(fdt, "#address-cells", 3);
	err |= fdt_property_u32(fdt, "#size-cells", 2);
	err |= fdt_property_u32(fdt, "#interrupt-cells", 1);
	err |= fdt_property_u32(fdt, "linux,pci-domain", 0);
	err |= fdt_property(fdt, "ranges", ranges, sizeof(ranges));
	err |= fdt_property(fdt, "interrupt-map-mask", map_mask, sizeof(map_mask));
	err |= fdt_property(fdt, "interrupt-map", map, n * ENTRY * (int)sizeof(map[0]));
	err |= fdt_end_node(fdt);
	return err;
}

static bool irq_passed(const struct vm_cfg *vm, uint32_t intid)
{
	for (uint32_t i = 0; i < vm->n_pt_irqs; i++)
		if (vm->pt_irqs[i] == intid)
			return true;
	return false;
}

/* The frequencies of the board's fixed clocks the passthrough devices use, each a node of the
 * guest tree (24 MHz is the guest's own apb-pclk). */
struct pt_clocks {
	uint32_t n;
	uint32_t hz[PT_MAX_CLOCKS];
};

/* The frequencies of the clocks a board node names, when each is a fixed clock (compatible
 * "fixed-clock", #clock-cells 0): how many, or -1 when one is anything else. */
static int board_fixed_clocks(const struct dt *dt, int node, uint32_t *hz, int max)
{
	const uint8_t *c;
	uint32_t len, cells;
	int n = 0;

	c = dt_getprop(dt, node, "clocks", &len);
	if (!c)
		return 0;
	for (uint32_t off = 0; off + 4 <= len; off += 4) {
		int clk = dt_find_phandle(dt, dt_be32(c + off));

		if (clk < 0 || n == max || !dt_node_is_compatible(dt, clk, "fixed-clock") ||
		    dt_getprop_u32(dt, clk, "#clock-cells", &cells) != DT_OK || cells ||
		    dt_getprop_u32(dt, clk, "clock-frequency", &hz[n]) != DT_OK || !hz[n])
			return -1;
		n++;
	}
	return n;
}

static uint32_t clock_phandle(const struct pt_clocks *pc, uint32_t hz)
{
	for (uint32_t i = 0; i < pc->n; i++)
		if (pc->hz[i] == hz)
			return PHANDLE_PT_CLOCK + i;
	return PHANDLE_APB_PCLK;
}

/* One fixed-clock node per frequency the passthrough devices need that the guest tree lacks. */
static int gen_passthrough_clocks(const struct config *cfg, const struct vm_cfg *vm, void *fdt,
				  struct pt_clocks *pc)
{
	uint32_t hz[PT_MAX_CLOCKS];
	char name[32];
	int err = 0;

	pc->n = 0;
	for (uint32_t k = 0; k < vm->n_pt_mmio; k++) {
		int n = board_fixed_clocks(&cfg->board, vm->pt_node[k], hz, PT_MAX_CLOCKS);

		for (int i = 0; i < n; i++) {
			if (hz[i] == UART_CLOCK_HZ || clock_phandle(pc, hz[i]) != PHANDLE_APB_PCLK)
				continue;
			if (pc->n == PT_MAX_CLOCKS)
				cfg_die(cfg, vm, NULL, "passthrough-mmio: more than %u clock frequencies",
					PT_MAX_CLOCKS);
			pc->hz[pc->n++] = hz[i];
			snprintf(name, sizeof(name), "clock-%u", hz[i]);
			err |= fdt_begin_node(fdt, name);
			err |= fdt_property_string(fdt, "compatible", "fixed-clock");
			err |= fdt_property_u32(fdt, "#clock-cells", 0);
			err |= fdt_property_u32(fdt, "clock-frequency", hz[i]);
			err |= fdt_property_u32(fdt, "phandle", clock_phandle(pc, hz[i]));
			err |= fdt_end_node(fdt);
		}
	}
	return err;
}

/*
 * One board node given to the VM, copied to the root: its name, compatible, reg as CPU
 * physical addresses (IPA = PA) in the root's 2 + 2 cells, interrupts only when each is one
 * of the VM's passthrough SPIs (interrupt-parent: the root's, the virtual GIC), and its
 * clocks: the same frequencies as fixed clocks of the guest tree, with the board's
 * clock-names (a UART's baud rate depends on it: 100 MHz on the E2000). A clock that is not
 * a fixed one cannot be given: the node gets the guest's 24 MHz apb_pclk (AMBA drivers need
 * one to probe) and the tool says so.
 */
static int gen_passthrough_node(const struct config *cfg, const struct vm_cfg *vm, void *fdt,
				int node, const struct bundle_mmio *r, const struct pt_clocks *pc)
{
	uint32_t hz[PT_MAX_CLOCKS];
	fdt32_t clocks[PT_MAX_CLOCKS];
	const void *names;
	uint32_t names_len;
	int n_clocks;
	struct mem_range regs[BOARD_MAX_REGS];
	uint64_t reg[2 * BOARD_MAX_REGS];
	uint32_t spec[BOARD_MAX_IRQS][3], intids[BOARD_MAX_IRQS];
	fdt32_t irqs[3 * BOARD_MAX_IRQS];
	const void *compat;
	const char *bname;
	char name[128];
	uint32_t len, clen;
	int n, n_irqs, err = 0;

	bname = dt_node_name(&cfg->board, node, &len);
	if (!bname || !len || len >= sizeof(name))
		cfg_die(cfg, vm, NULL, "passthrough-mmio: 0x%llx: the board node holding it has no usable name",
			(unsigned long long)r->base);
	memcpy(name, bname, len);
	name[len] = '\0';
	n = board_node_regs(&cfg->board, node, regs, BOARD_MAX_REGS);
	if (n <= 0) /* board_device_at() read them all already */
		cfg_die(cfg, vm, NULL, "passthrough-mmio: 0x%llx: board node %s: bad reg",
			(unsigned long long)r->base, name);
	for (int i = 0; i < n; i++) {
		reg[2 * i] = regs[i].base;
		reg[2 * i + 1] = regs[i].size;
	}
	n_irqs = board_node_irqs(&cfg->board, node, spec, intids, BOARD_MAX_IRQS);
	for (int i = 0; i < n_irqs; i++)
		if (!irq_passed(vm, intids[i]))
			n_irqs = -1;
	for (int i = 0; i < n_irqs; i++)
		for (int j = 0; j < 3; j++)
			irqs[3 * i + j] = cpu_to_fdt32(spec[i][j]);

	err |= fdt_begin_node(fdt, name);
	compat = dt_getprop(&cfg->board, node, "compatible", &clen);
	if (compat && clen)
		err |= fdt_property(fdt, "compatible", compat, (int)clen);
	err |= prop_u64s(fdt, "reg", reg, 2 * n);
	if (n_irqs > 0)
		err |= fdt_property(fdt, "interrupts", irqs, 3 * n_irqs * (int)sizeof(irqs[0]));
	n_clocks = board_fixed_clocks(&cfg->board, node, hz, PT_MAX_CLOCKS);
	names = dt_getprop(&cfg->board, node, "clock-names", &names_len);
	if (n_clocks > 0) {
		for (int i = 0; i < n_clocks; i++)
			clocks[i] = cpu_to_fdt32(clock_phandle(pc, hz[i]));
		err |= fdt_property(fdt, "clocks", clocks, n_clocks * (int)sizeof(clocks[0]));
		if (names && names_len)
			err |= fdt_property(fdt, "clock-names", names, (int)names_len);
	} else if (n_clocks < 0) {
		fprintf(stderr, "ftvisor-mkimage: warning: %s (%s): passthrough node %s: a clock that "
			"is not a fixed clock; the guest gets a %u Hz fixed one\n", vm->node, vm->name,
			name, UART_CLOCK_HZ);
		err |= fdt_property_u32(fdt, "clocks", PHANDLE_APB_PCLK);
		err |= fdt_property_string(fdt, "clock-names", "apb_pclk");
	}
	err |= fdt_end_node(fdt);
	return err;
}

/* Each board node holding a passthrough region, once, in the order of the regions. */
static int gen_passthrough(const struct config *cfg, const struct vm_cfg *vm, void *fdt,
			   bool has_pci)
{
	struct pt_clocks pc;
	char name[128];
	const char *bname;
	uint32_t len;
	int err = gen_passthrough_clocks(cfg, vm, fdt, &pc);
	bool seen;

	for (uint32_t k = 0; k < vm->n_pt_mmio; k++) {
		seen = false;
		for (uint32_t j = 0; j < k; j++)
			seen |= vm->pt_node[j] == vm->pt_node[k];
		if (seen)
			continue;
		/* A name the tree has already would make two nodes of one name. */
		bname = dt_node_name(&cfg->board, vm->pt_node[k], &len);
		snprintf(name, sizeof(name), "%.*s", bname ? (int)len : 0, bname ? bname : "");
		for (const char *const *f = fixed_nodes; *f; f++)
			if (!strcmp(name, *f) || !strncmp(name, "memory@", 7) ||
			    (has_pci && !strcmp(name, PCI_NODE)))
				cfg_die(cfg, vm, NULL,
					"passthrough-mmio: 0x%llx: its board node '%s' has the name of a node the guest tree already has",
					(unsigned long long)vm->pt_mmio[k].base, name);
		for (uint32_t j = 0; j < k; j++) {
			bname = dt_node_name(&cfg->board, vm->pt_node[j], &len);
			if (vm->pt_node[j] != vm->pt_node[k] && bname && strlen(name) == len &&
			    !memcmp(name, bname, len))
				cfg_die(cfg, vm, NULL,
					"passthrough-mmio: 0x%llx: its board node '%s' has the name of the node of 0x%llx",
					(unsigned long long)vm->pt_mmio[k].base, name,
					(unsigned long long)vm->pt_mmio[j].base);
		}
		err |= gen_passthrough_node(cfg, vm, fdt, vm->pt_node[k], &vm->pt_mmio[k], &pc);
	}
	return err;
}

static int gen_chosen(void *fdt, const struct vm_cfg *vm, bool has_pci)
{
	char path[32];
	uint64_t v;
	int err = 0;

	snprintf(path, sizeof(path), "/pl011@%llx", (unsigned long long)UART_IPA);
	err |= fdt_begin_node(fdt, "chosen");
	err |= fdt_property_string(fdt, "stdout-path", path);
	if (vm->bootargs)
		err |= fdt_property_string(fdt, "bootargs", vm->bootargs);
	err |= fdt_property_string(fdt, "ftvisor,name", vm->name);
	/* The hypervisor placed the IVC BARs: Linux must claim them as they are. */
	if (has_pci)
		err |= fdt_property_u32(fdt, "linux,pci-probe-only", 1);
	if (vm->initrd.size) {
		v = vm->mem_ipa + vm->initrd_offset;
		err |= prop_u64s(fdt, "linux,initrd-start", &v, 1);
		v += vm->initrd.size;
		err |= prop_u64s(fdt, "linux,initrd-end", &v, 1);
	}
	err |= fdt_end_node(fdt);
	return err;
}

static void generate(const struct config *cfg, struct vm_cfg *vm)
{
	const uint64_t mem_reg[] = { vm->mem_ipa, vm->mem_size };
	void *fdt = xcalloc(1, GEN_BUF_SIZE);
	struct ivc_endpoint ep[IVC_MAX_SLOTS];
	uint64_t bar2_end;
	int err = 0, n_ep = vm_endpoints(cfg, vm, ep, &bar2_end);
	char node[32], model[64];

	/* libfdt's sequential writer returns 0 or a negative error; OR-ing keeps "some error". */
	err |= fdt_create(fdt, GEN_BUF_SIZE);
	err |= fdt_finish_reservemap(fdt);
	err |= fdt_begin_node(fdt, "");
	err |= fdt_property_u32(fdt, "interrupt-parent", PHANDLE_GIC);
	err |= fdt_property_u32(fdt, "#address-cells", 2);
	err |= fdt_property_u32(fdt, "#size-cells", 2);
	err |= fdt_property_string(fdt, "compatible", "ftvisor,vm");
	snprintf(model, sizeof(model), "ftvisor VM %s", vm->name);
	err |= fdt_property_string(fdt, "model", model);

	snprintf(node, sizeof(node), "memory@%llx", (unsigned long long)vm->mem_ipa);
	err |= fdt_begin_node(fdt, node);
	err |= fdt_property_string(fdt, "device_type", "memory");
	err |= prop_u64s(fdt, "reg", mem_reg, 2);
	err |= fdt_end_node(fdt);

	err |= gen_cpus(fdt, vm);
	err |= fdt_begin_node(fdt, "psci");
	err |= PROP_STRLIST(fdt, "compatible", "arm,psci-1.0\0arm,psci-0.2");
	err |= fdt_property_string(fdt, "method", "hvc");
	err |= fdt_end_node(fdt);
	err |= gen_gic(fdt, vm);
	err |= gen_timer(fdt);
	err |= gen_devices(fdt);
	err |= gen_passthrough(cfg, vm, fdt, n_ep > 0);
	if (n_ep > 0)
		err |= gen_pci(fdt, ep, n_ep, bar2_end);
	err |= gen_chosen(fdt, vm, n_ep > 0);
	err |= fdt_end_node(fdt);
	err |= fdt_finish(fdt);
	if (err)
		cfg_die(cfg, vm, NULL, "device-tree: generating it failed");
	vm->dtb.data = fdt;
	vm->dtb.size = fdt_totalsize(fdt);
	vm->dtb.path = NULL;
}

static void patch(const struct config *cfg, struct vm_cfg *vm)
{
	size_t room = vm->dtb.size + PATCH_ROOM + (vm->bootargs ? strlen(vm->bootargs) : 0);
	void *fdt = xcalloc(1, room);
	uint64_t start, end;
	int err, chosen;

	if (vm->dtb.size > INT32_MAX || room > INT32_MAX)
		err = -FDT_ERR_TRUNCATED;
	else
		err = fdt_check_full(vm->dtb.data, vm->dtb.size);
	if (err)
		cfg_die(cfg, vm, NULL, "device-tree: '%s' is not a valid DTB (%s)", vm->dtb.path,
			fdt_strerror(err));
	check(cfg, vm, fdt_open_into(vm->dtb.data, fdt, (int)room), "copying it");
	chosen = fdt_path_offset(fdt, "/chosen");
	if (chosen == -FDT_ERR_NOTFOUND)
		chosen = fdt_add_subnode(fdt, 0, "chosen");
	check(cfg, vm, chosen, "/chosen");
	if (vm->bootargs)
		check(cfg, vm, fdt_setprop_string(fdt, chosen, "bootargs", vm->bootargs),
		      "setting bootargs");
	check(cfg, vm, fdt_setprop_string(fdt, chosen, "ftvisor,name", vm->name),
	      "setting ftvisor,name");
	if (vm->initrd.size) {
		start = vm->mem_ipa + vm->initrd_offset;
		end = start + vm->initrd.size;
		check(cfg, vm, fdt_setprop_u64(fdt, chosen, "linux,initrd-start", start),
		      "setting linux,initrd-start");
		check(cfg, vm, fdt_setprop_u64(fdt, chosen, "linux,initrd-end", end),
		      "setting linux,initrd-end");
	} else {
		/* A stale range from the supplied tree would point the guest at garbage. */
		fdt_delprop(fdt, chosen, "linux,initrd-start");
		fdt_delprop(fdt, chosen, "linux,initrd-end");
	}
	check(cfg, vm, fdt_pack(fdt), "packing it");
	free(vm->dtb.data);
	vm->dtb.data = fdt;
	vm->dtb.size = fdt_totalsize(fdt);
}

void guest_dt_make(const struct config *cfg, struct vm_cfg *vm)
{
	if (vm->dtb.data)
		patch(cfg, vm);
	else
		generate(cfg, vm);
}
