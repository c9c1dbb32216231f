/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ftvisor-mkimage --plan: a whole-boot simulation on the host. From the same platform
 * description the hypervisor derives at boot (platform_discover(), board-port quirks
 * included) it lays out what a real boot would put where:
 *
 *   1. where the loader puts ftvisor (U-Boot booti: 2 MiB aligned, Image flags bit 3) and
 *      the firmware's device tree;
 *   2. the hypervisor image and bundle, then its per-CPU areas and page-table pool, carved
 *      the way boot.c (carve_hypervisor_memory, el2_layout_free) does;
 *   3. the frame allocator (hypervisor/core/frame.c itself, linked in) over what is left,
 *      then, in the hypervisor's order, each channel's shared memory (ivc_init), then each
 *      autostart VM's RAM, stage-2 root and tables (vm_create, in config order);
 *   4. the CPU map (vCPU -> physical CPU, core type) and the console.
 *
 * Anything that does not fit or lands outside usable memory (reserved, firmware, not RAM)
 * fails with one line naming it. Approximations (said in the output): the stage-2 table
 * pages (counted as pgt_map would need them for RAM, passthrough and channel mappings), a
 * 40-bit IPA (2 concatenated root pages), the device tree's address and size.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/frame.h"
#include "core/ivc_layout.h"
#include "lib/memrange.h"
#include "mkimage.h"
#include "platform/board.h"

#define ULL(x) ((unsigned long long)(x))
#define GIB (1ULL << 30)
#define BLOCK_2M (2 * MIB)
/* hypervisor/arch/arm64/layout.h and boot.c (not includable here: FRAME_SIZE clashes). */
#define PLAN_PERCPU_AREA_SIZE 0x8000ULL
#define PLAN_PT_POOL_PAGES 64ULL
/* stage2_geometry() for a PA range of 40 bits or more: 2 concatenated level-1 root pages. */
#define PLAN_S2_ROOT_PAGES 2
/* U-Boot pads the tree it passes (CONFIG_SYS_FDT_PAD) */
#define PLAN_FDT_PAD 0x3000ULL

/* How each board port is booted (docs/boards/). */
struct boot_method {
	const char *port;
	const char *loader;	/* "booti": U-Boot moves the Image to a 2 MiB boundary */
	uint64_t load_addr, dtb_load, dtb_addr;
	const char *dtb_note;
};

static const struct boot_method methods[] = {
	{ "phytium-e2000", "booti", 0x90100000, 0x90000000, 0xf9c2d000,
	  "U-Boot relocates it near the top of bank 0, as observed on a Phytium Pi" },
	{ "phytium-ft2004", "booti", 0x90100000, 0x90000000, 0x90000000,
	  "assumed to stay where it was loaded (unverified)" },
	{ "phytium-d2000", "booti", 0x90100000, 0x90000000, 0x90000000,
	  "assumed to stay where it was loaded (unverified)" },
	{ "qemu-virt", "qemu", 0x40200000, 0x48000000, 0x48000000,
	  "QEMU -kernel puts it 128 MiB into RAM" },
	{ NULL, "booti", 0x90100000, 0x90000000, 0x90000000, "assumed to stay where it was loaded" },
};

static uint64_t bitmap_bytes;	/* largest bitmap frame_init() may need */

/* The allocator keeps each range's bitmap in the range's first frames: host buffers here. */
void *frame_pa_to_ptr(uint64_t pa)
{
	(void)pa;
	return xcalloc(1, (size_t)bitmap_bytes);
}

static void size_str(char *buf, size_t len, uint64_t size)
{
	if (size >= MIB && !(size % MIB))
		snprintf(buf, len, "%llu MiB", ULL(size / MIB));
	else
		snprintf(buf, len, "%llu KiB", ULL((size + 1023) >> 10));
}

static bool overlaps(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
	return a < b + bs && b < a + as;
}

static const char *reserved_name(enum reserved_kind k)
{
	return k == RSV_BOARD ? "firmware memory reserved by the board port" :
	       k == RSV_MEMRESERVE ? "a /memreserve/ entry" : "a /reserved-memory region";
}

/* [base, base + size) must lie inside one usable range: say what it hits otherwise. */
static void check_usable(const struct platform *plat, const char *what, uint64_t base,
			 uint64_t size)
{
	bool in_bank = false;

	for (uint32_t i = 0; i < plat->n_usable; i++)
		if (base >= plat->usable[i].base &&
		    base + size <= plat->usable[i].base + plat->usable[i].size)
			return;
	for (uint32_t i = 0; i < plat->n_reserved; i++)
		if (overlaps(base, size, plat->reserved[i].base, plat->reserved[i].size))
			die("plan: %s [0x%llx, 0x%llx) lands on %s [0x%llx, 0x%llx)", what, ULL(base),
			    ULL(base + size), reserved_name(plat->reserved[i].kind),
			    ULL(plat->reserved[i].base),
			    ULL(plat->reserved[i].base + plat->reserved[i].size));
	for (uint32_t i = 0; i < plat->n_mem; i++)
		if (base >= plat->mem[i].base && base + size <= plat->mem[i].base + plat->mem[i].size)
			in_bank = true;
	die("plan: %s [0x%llx, 0x%llx) is %s", what, ULL(base), ULL(base + size),
	    in_bank ? "not inside one usable memory range" : "not in the board's memory");
}

/* Stage-2 tables pgt_map() would add for one mapping (start level 1, blocks at 1 and 2). */
struct s2_tables {
	uint32_t n;
	uint64_t key[512];	/* level << 60 | IPA >> shift */
};

static uint32_t s2_need(struct s2_tables *t, uint64_t ipa, uint64_t pa, uint64_t size)
{
	uint32_t added = 0;

	while (size) {
		uint64_t step, key = 0;

		if (!(ipa % GIB) && !(pa % GIB) && size >= GIB) {
			step = GIB;
		} else if (!(ipa % BLOCK_2M) && !(pa % BLOCK_2M) && size >= BLOCK_2M) {
			step = BLOCK_2M;
			key = 2ULL << 60 | ipa >> 30;
		} else {
			step = MIN(size, FRAME_SIZE);
			key = 3ULL << 60 | ipa >> 21;
		}
		/* a level-3 table sits in a level-2 one */
		for (int pass = 0; pass < 2 && key; pass++) {
			uint32_t i;

			for (i = 0; i < t->n && t->key[i] != key; i++)
				;
			if (i == t->n && t->n < ARRAY_SIZE(t->key)) {
				t->key[t->n++] = key;
				added++;
			}
			key = key >> 60 == 3 ? (2ULL << 60 | ipa >> 30) : 0;
		}
		ipa += step;
		pa += step;
		size -= step;
	}
	return added;
}

static uint64_t alloc_or_die(uint64_t bytes, uint64_t align, const char *what)
{
	uint64_t pa = frame_alloc(bytes / FRAME_SIZE, align / FRAME_SIZE);
	char s[32];

	if (!pa) {
		size_str(s, sizeof(s), bytes);
		die("plan: %s: not enough free memory for %s (%s aligned; %llu MiB free in all)",
		    what, s, align >= MIB ? "2 MiB" : "4 KiB",
		    ULL(frame_free_count() * FRAME_SIZE / MIB));
	}
	return pa;
}

void plan_run(const struct config *cfg, const struct platform *plat, const struct plan_opts *o)
{
	const struct boot_method *m = methods;
	struct mem_range free[PLAT_MAX_USABLE];
	struct bundle_channel table[BUNDLE_MAX_CHANNELS];
	uint64_t ch_pa[BUNDLE_MAX_CHANNELS];
	uint64_t run, image_end, total, dtb_addr, dtb_size, need, carve, max_range = 0;
	uint32_t n_free, vms_on[PLAT_MAX_CPUS] = { 0 };
	const char *uart_path_ok;
	char s1[32], s2[32], path[128];
	int node;

	while (m->port && (!plat->board || strcmp(m->port, plat->board->name)))
		m++;
	printf("plan: %s on board %s (%s, port %s)\n", cfg->src,
	       plat->model[0] ? plat->model : plat->compatible, plat->compatible,
	       plat->board ? plat->board->name : "?");

	/* 1. The loader. */
	total = o->hyp_image_size + o->bundle_size;
	run = o->load_addr ? o->load_addr : m->load_addr;
	size_str(s1, sizeof(s1), total);
	if (!strcmp(m->loader, "booti")) {
		uint64_t moved = ALIGN_UP(run - o->text_offset, BLOCK_2M) + o->text_offset;

		printf("  loader: U-Boot loads the file (%s) at 0x%llx; booti %s\n", s1, ULL(run),
		       moved == run ? "runs it there (2 MiB aligned)" : "moves it to the next 2 MiB boundary (Image flags bit 3)");
		check_usable(plat, "the loaded file", run, total);
		run = moved;
	} else {
		printf("  loader: %s loads the file (%s) at 0x%llx\n", m->loader, s1, ULL(run));
	}
	dtb_addr = o->dtb_addr ? o->dtb_addr : m->dtb_addr;
	dtb_size = ALIGN_UP(o->dtb_size + PLAN_FDT_PAD, FRAME_SIZE);
	printf("  device tree: loaded at 0x%llx, passed in x0 at 0x%llx (%s), %llu KiB\n",
	       ULL(m->dtb_load), ULL(dtb_addr), o->dtb_addr ? "as given: --dtb-addr" : m->dtb_note,
	       ULL(dtb_size >> 10));
	check_usable(plat, "the device tree the firmware passes", dtb_addr, dtb_size);
	if (overlaps(dtb_addr, dtb_size, run, total))
		die("plan: the device tree [0x%llx, 0x%llx) overlaps ftvisor [0x%llx, 0x%llx)",
		    ULL(dtb_addr), ULL(dtb_addr + dtb_size), ULL(run), ULL(run + total));

	/* 2. The hypervisor: image, bundle, per-CPU areas and page-table pool (boot.c). */
	image_end = run + o->hyp_image_size;
	check_usable(plat, "ftvisor (image + bundle)", run, total);
	printf("  hypervisor: image  0x%010llx-0x%010llx (%llu KiB)\n", ULL(run), ULL(image_end - 1),
	       ULL(o->hyp_image_size >> 10));
	printf("  hypervisor: bundle 0x%010llx-0x%010llx (%llu KiB)\n", ULL(image_end),
	       ULL(image_end + o->bundle_size - 1), ULL(o->bundle_size >> 10));
	n_free = plat->n_usable;
	memcpy(free, plat->usable, n_free * sizeof(free[0]));
	if (!ranges_subtract(free, &n_free, PLAT_MAX_USABLE, run, total) ||
	    !ranges_subtract(free, &n_free, PLAT_MAX_USABLE, ALIGN_DOWN(dtb_addr, FRAME_SIZE),
			     ALIGN_UP(dtb_addr + dtb_size, FRAME_SIZE) - ALIGN_DOWN(dtb_addr, FRAME_SIZE)))
		die("plan: too many free memory ranges");
	need = plat->n_cpus * PLAN_PERCPU_AREA_SIZE + PLAN_PT_POOL_PAGES * FRAME_SIZE;
	if (!ranges_find_free(free, n_free, need, PLAN_PERCPU_AREA_SIZE, image_end, &carve) &&
	    !ranges_find_free(free, n_free, need, PLAN_PERCPU_AREA_SIZE, 0, &carve))
		die("plan: no free memory for the per-CPU areas and page tables (%llu KiB)",
		    ULL(need >> 10));
	printf("  hypervisor: per-CPU areas 0x%010llx-0x%010llx (%u x 32 KiB), page tables 0x%010llx-0x%010llx (%llu x 4 KiB)\n",
	       ULL(carve), ULL(carve + plat->n_cpus * PLAN_PERCPU_AREA_SIZE - 1), plat->n_cpus,
	       ULL(carve + plat->n_cpus * PLAN_PERCPU_AREA_SIZE), ULL(carve + need - 1),
	       ULL(PLAN_PT_POOL_PAGES));
	if (!ranges_subtract(free, &n_free, PLAT_MAX_USABLE, carve, need))
		die("plan: too many free memory ranges");

	/* 3. The frame allocator over the rest, then channels and VMs in the hypervisor's order. */
	for (uint32_t i = 0; i < n_free; i++)
		max_range = MAX(max_range, free[i].size);
	bitmap_bytes = max_range / FRAME_SIZE / 8 + 64;
	for (uint32_t i = 0; i < plat->n_mem; i++)
		printf("  memory: bank 0x%010llx-0x%010llx (%llu MiB)\n", ULL(plat->mem[i].base),
		       ULL(plat->mem[i].base + plat->mem[i].size - 1), ULL(plat->mem[i].size / MIB));
	for (uint32_t i = 0; i < plat->n_reserved; i++)
		printf("  memory: reserved 0x%010llx-0x%010llx (%s)\n", ULL(plat->reserved[i].base),
		       ULL(plat->reserved[i].base + plat->reserved[i].size - 1),
		       plat->reserved[i].kind == RSV_BOARD ? "board" :
		       plat->reserved[i].kind == RSV_MEMRESERVE ? "memreserve" : "reserved-memory");
	if (frame_init(free, n_free) < 0)
		die("plan: no free memory for VMs");
	printf("  memory: %llu MiB free for VMs in %u ranges\n",
	       ULL(frame_free_count() * FRAME_SIZE / MIB), n_free);

	config_channel_table(cfg, table);
	for (uint32_t i = 0; i < cfg->n_channels; i++) {
		const struct chan_cfg *c = &cfg->channels[i];

		ch_pa[i] = alloc_or_die(c->size, MIN(c->size, BLOCK_2M), c->node);
		check_usable(plat, c->node, ch_pa[i], c->size);
		size_str(s1, sizeof(s1), c->size);
		printf("  channel %u %-12s 0x%010llx-0x%010llx (%s)\n", i, c->name, ULL(ch_pa[i]),
		       ULL(ch_pa[i] + c->size - 1), s1);
	}
	for (uint32_t v = 0; v < cfg->n_vms; v++) {
		const struct vm_cfg *vm = &cfg->vms[v];
		struct ivc_endpoint ep[IVC_MAX_SLOTS];
		static struct s2_tables t;
		uint64_t ram, root;
		uint32_t pages;
		int n;

		if (!(vm->flags & VM_F_AUTOSTART)) {
			printf("  vm %u %-12s template: no memory until 'vm create'\n", v, vm->name);
			continue;
		}
		snprintf(path, sizeof(path), "%s (%s): RAM", vm->node, vm->name);
		ram = alloc_or_die(vm->mem_size, BLOCK_2M, path);
		check_usable(plat, path, ram, vm->mem_size);
		snprintf(path, sizeof(path), "%s (%s): stage-2 tables", vm->node, vm->name);
		root = alloc_or_die(PLAN_S2_ROOT_PAGES * FRAME_SIZE, PLAN_S2_ROOT_PAGES * FRAME_SIZE,
				    path);
		memset(&t, 0, sizeof(t));
		pages = s2_need(&t, vm->mem_ipa, ram, vm->mem_size);
		for (uint32_t k = 0; k < vm->n_pt_mmio; k++)
			pages += s2_need(&t, vm->pt_mmio[k].base, vm->pt_mmio[k].base,
					 vm->pt_mmio[k].size);
		n = ivc_layout(table, cfg->n_channels, v, ep, NULL);
		for (int k = 0; k < n; k++)
			pages += s2_need(&t, ep[k].bar2, ch_pa[ep[k].channel], ep[k].size);
		for (uint32_t k = 0; k < pages; k++)
			alloc_or_die(FRAME_SIZE, FRAME_SIZE, path);
		size_str(s1, sizeof(s1), vm->mem_size);
		printf("  vm %u %-12s RAM 0x%010llx-0x%010llx (%s, IPA 0x%llx), stage-2 root 0x%llx + %u table pages\n",
		       v, vm->name, ULL(ram), ULL(ram + vm->mem_size - 1), s1, ULL(vm->mem_ipa),
		       ULL(root), pages);
	}
	printf("  memory: %llu MiB left free (for 'vm create')\n",
	       ULL(frame_free_count() * FRAME_SIZE / MIB));

	/* 4. CPUs and console. */
	for (uint32_t v = 0; v < cfg->n_vms; v++) {
		const struct vm_cfg *vm = &cfg->vms[v];

		for (uint32_t i = 0; i < vm->n_vcpus; i++) {
			int p = platform_cpu_index(plat, vm->mpidr[i]);
			char core[32];

			if (p < 0) /* config_parse() has refused it already */
				die("plan: %s (%s): vCPU %u: no CPU 0x%llx on the board", vm->node,
				    vm->name, i, ULL(vm->mpidr[i]));
			if (vm->flags & VM_F_AUTOSTART)
				vms_on[p]++;
			board_core_name(board_cpu_type(&cfg->board, vm->mpidr[i]), core, sizeof(core));
			printf("  cpu map: vm %u %-12s vCPU %u -> cpu %d MPIDR 0x%03llx %s%s\n", v,
			       vm->name, i, p, ULL(vm->mpidr[i]), core,
			       vm->flags & VM_F_AUTOSTART ? "" : " (template)");
		}
	}
	for (uint32_t p = 0; p < plat->n_cpus; p++) {
		char core[32];

		board_core_name(board_cpu_type(&cfg->board, plat->cpus[p].mpidr), core, sizeof(core));
		printf("  cpu %u MPIDR 0x%03llx %-8s %u vCPU%s at boot%s\n", p,
		       ULL(plat->cpus[p].mpidr), core, vms_on[p], vms_on[p] == 1 ? "" : "s",
		       p == 0 ? "  (first in /cpus: the boot CPU on Phytium boards; runs the shell)" : "");
	}
	if (!plat->uart.present)
		die("plan: the board tree names no console (/chosen/stdout-path)");
	node = board_device_at(&cfg->board, plat->uart.base, MAX(plat->uart.size, 1ULL));
	uart_path_ok = node >= 0 && dt_node_path(&cfg->board, node, path, sizeof(path)) >= 0 ? path : "?";
	snprintf(s2, sizeof(s2), "%u", plat->uart.baud);
	printf("  console: %s at 0x%llx (%s), INTID %u, clock %u Hz, %s baud\n",
	       plat->uart.compatible, ULL(plat->uart.base), uart_path_ok, plat->uart.intid,
	       plat->uart.clock_hz, plat->uart.baud ? s2 : "firmware's");
	printf("plan: OK\n");
}
