/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ftvisor-mkimage --hypervisor build/ftvisor.bin --config CONFIG --board BOARD [-I DIR]...
 *                 -o OUT.bin
 * Checks the system configuration against the board, loads the guest images, generates the
 * guest device trees and writes ftvisor.bin with the boot bundle behind it. Any problem is
 * one line on stderr naming the config node, and exit status 1; usage errors exit with 2.
 */
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ivc_layout.h"
#include "lib/compiler.h"
#include "mkimage.h"
#include "platform/board.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: " TOOL " --hypervisor FTVISOR.bin --config CONFIG.{dts,dtb}\n"
		"                       --board BOARD.{dts,dtb} [-I DIR]... -o OUT.bin\n"
		"       " TOOL " ... --plan [--load-addr ADDR] [--dtb-addr ADDR] [-o OUT.bin]\n"
		"Packs ftvisor.bin, the VMs of CONFIG (checked against the board's device tree)\n"
		"and their images into one bootable file. Image paths in CONFIG are relative to\n"
		"its directory, then to each -I DIR. See docs/config.md.\n"
		"--plan also simulates the whole boot on the board (load address, hypervisor\n"
		"memory, each VM's RAM and channel in the hypervisor's allocation order, CPU map,\n"
		"console) and fails when something does not fit or lands on reserved memory;\n"
		"-o is then optional.\n");
}

/* "64 KiB", "2 MiB" */
static void size_str(char *buf, size_t len, uint64_t size)
{
	if (size >= MIB && !(size % MIB))
		snprintf(buf, len, "%llu MiB", (unsigned long long)(size / MIB));
	else
		snprintf(buf, len, "%llu KiB", (unsigned long long)(size >> 10));
}

/*
 * "    ivc slot 1 link (id 0), slot 2 mesh (id 2, ro)" for a channel member, and for one whose
 * device tree is supplied, what it must describe itself.
 */
static void vm_ivc_summary(const struct config *cfg, const struct vm_cfg *vm)
{
	struct bundle_channel table[BUNDLE_MAX_CHANNELS];
	struct ivc_endpoint ep[IVC_MAX_SLOTS];
	int n;

	config_channel_table(cfg, table);
	n = ivc_layout(table, cfg->n_channels, (uint32_t)(vm - cfg->vms), ep, NULL);
	if (n <= 0)
		return;
	printf("    ivc");
	for (int k = 0; k < n; k++)
		printf("%s slot %u %s (id %u%s)", k ? "," : "", ep[k].slot, table[ep[k].channel].name,
		       ep[k].member, ep[k].flags & BUNDLE_IVC_F_READ_ONLY ? ", ro" : "");
	printf("\n");
	if (vm->dtb_rel)
		printf("    ivc: the supplied device tree must describe the PCI host bridge %s and set /chosen linux,pci-probe-only (docs/config.md)\n",
		       "pcie@3f000000");
}

/* "  channel 0 link     2 MiB  members linux1,bm(ro)  rate 20000/s (default)" */
static void channel_summary(const struct config *cfg, uint32_t id)
{
	const struct chan_cfg *c = &cfg->channels[id];
	char size[32], members[160];
	size_t used = 0;

	size_str(size, sizeof(size), c->size);
	members[0] = '\0';
	for (uint32_t k = 0; k < c->n_members && used < sizeof(members); k++)
		used += (size_t)snprintf(members + used, sizeof(members) - used, "%s%s%s",
					 k ? "," : "", cfg->vms[c->member_vm[k]].name,
					 c->member_flags[k] & BUNDLE_IVC_F_READ_ONLY ? "(ro)" : "");
	printf("  channel %u %-12s %-8s members %s  rate %u/s%s\n", id, c->name, size, members,
	       c->rate ? c->rate : BUNDLE_IVC_DEFAULT_RATE, c->rate ? "" : " (default)");
}

static void vm_summary(const struct vm_cfg *vm, uint32_t id)
{
	static const char *const flag_names[] = { "autostart", "introspection",
						  "stop-on-unhandled", "mixed-cores" };
	char cpus[128], flags[64], pt[256];
	size_t used = 0;

	cpus[0] = flags[0] = '\0';
	for (uint32_t i = 0; i < vm->n_vcpus; i++)
		used += (size_t)snprintf(cpus + used, sizeof(cpus) - used, "%s0x%llx",
					 i ? "," : "", (unsigned long long)vm->mpidr[i]);
	/* A VM without autostart is a template: created only by the shell's `vm create`. */
	used = vm->flags & VM_F_AUTOSTART ? 0 : (size_t)snprintf(flags, sizeof(flags), "template");
	for (uint32_t i = 0; i < ARRAY_SIZE(flag_names); i++)
		if (vm->flags & (1u << i))
			used += (size_t)snprintf(flags + used, sizeof(flags) - used, "%s%s",
						 used ? "," : "", flag_names[i]);
	/* "  passthrough 0x9010000+0x1000 irqs 34": what the VM owns of the board */
	used = 0;
	pt[0] = '\0';
	for (uint32_t i = 0; i < vm->n_pt_mmio && used < sizeof(pt); i++)
		used += (size_t)snprintf(pt + used, sizeof(pt) - used, "%s0x%llx+0x%llx",
					 i ? "," : "  passthrough ",
					 (unsigned long long)vm->pt_mmio[i].base,
					 (unsigned long long)vm->pt_mmio[i].size);
	for (uint32_t i = 0; i < vm->n_pt_irqs && used < sizeof(pt); i++)
		used += (size_t)snprintf(pt + used, sizeof(pt) - used, "%s%u",
					 i ? "," : vm->n_pt_mmio ? " irqs " : "  passthrough irqs ",
					 vm->pt_irqs[i]);
	printf("  vm %u %-12s cpus %-14s prio %2u  RAM %5llu MiB at 0x%llx  kernel %zu B%s  dtb %zu B (%s)%s  %s\n",
	       id, vm->name, cpus, vm->priority, (unsigned long long)(vm->mem_size / MIB),
	       (unsigned long long)vm->mem_ipa, vm->kernel.size,
	       vm->initrd.size ? "  initrd" : "", vm->dtb.size,
	       vm->dtb_rel ? "supplied" : "generated", pt, flags);
	if (vm->initrd.size)
		printf("    initrd %zu B at RAM offset 0x%llx\n", vm->initrd.size,
		       (unsigned long long)vm->initrd_offset);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "hypervisor", required_argument, NULL, 'H' },
		{ "config", required_argument, NULL, 'c' },
		{ "board", required_argument, NULL, 'b' },
		{ "output", required_argument, NULL, 'o' },
		{ "include", required_argument, NULL, 'I' },
		{ "help", no_argument, NULL, 'h' },
		{ "plan", no_argument, NULL, 'P' },
		{ "load-addr", required_argument, NULL, 'L' },
		{ "dtb-addr", required_argument, NULL, 'D' },
		{ 0 },
	};
	static struct config cfg;
	static struct platform plat;
	const char *hyp_path = NULL, *board_path = NULL, *out_path = NULL;
	struct file_buf board, config;
	struct hyp_image hyp;
	uint64_t bundle_size, footprint;
	uint8_t *bundle;
	struct plan_opts popts = { 0 };
	bool plan = false;
	char err[160], *end;
	int c;

	cfg.incdirs = xcalloc((size_t)argc, sizeof(*cfg.incdirs));
	while ((c = getopt_long(argc, argv, "H:c:b:o:I:h", opts, NULL)) != -1) {
		switch (c) {
		case 'H': hyp_path = optarg; break;
		case 'c': cfg.src = optarg; break;
		case 'b': board_path = optarg; break;
		case 'o': out_path = optarg; break;
		case 'I': cfg.incdirs[cfg.n_incdirs++] = optarg; break;
		case 'h': usage(stdout); return 0;
		case 'P': plan = true; break;
		case 'L':
		case 'D':
			*(c == 'L' ? &popts.load_addr : &popts.dtb_addr) = strtoull(optarg, &end, 0);
			if (!*optarg || *end) {
				usage(stderr);
				return 2;
			}
			break;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc || !hyp_path || !cfg.src || !board_path || (!out_path && !plan)) {
		usage(stderr);
		return 2;
	}
	cfg.src_dir = xstrdup(cfg.src);
	cfg.src_dir = dirname(cfg.src_dir);

	hyp_load(hyp_path, &hyp);
	load_tree(board_path, board_path, &board);
	if (platform_discover(board.data, board.size, &plat, err, sizeof(err)))
		die("%s: %s", board_path, err);
	board_open(&cfg, &board, &plat);
	load_tree(cfg.src, cfg.src, &config);
	config_parse(&cfg, config.data, &plat);
	images_load(&cfg);
	bundle = bundle_make(&cfg, &bundle_size);
	/* ftvisor occupies its image and the bundle behind it, in 2 MiB blocks, plus headroom. */
	footprint = ALIGN_UP(hyp.image_size + bundle_size, BUNDLE_MEM_ALIGN) + HYP_HEADROOM;
	config_check_memory(&cfg, &plat, footprint);
	if (plan) {
		popts.hyp_image_size = hyp.image_size;
		popts.text_offset = get_le64(hyp.file.data + IMAGE_TEXT_OFFSET);
		popts.bundle_size = bundle_size;
		popts.dtb_size = board.size;
		plan_run(&cfg, &plat, &popts);
		if (!out_path)
			return 0;
	}
	output_write(out_path, &hyp, bundle, bundle_size);

	snprintf(err, sizeof(err), ", %u channel%s", cfg.n_channels,
		 cfg.n_channels == 1 ? "" : "s");
	printf("%s: %u VM%s%s, bundle %llu KiB, %llu bytes in all (board %s, %llu MiB for VMs)\n",
	       out_path, cfg.n_vms, cfg.n_vms == 1 ? "" : "s", cfg.n_channels ? err : "",
	       (unsigned long long)(bundle_size >> 10),
	       (unsigned long long)(hyp.image_size + bundle_size),
	       plat.board ? plat.board->name : "?",
	       (unsigned long long)((board_usable_memory(&plat) - footprint -
				     ALIGN_UP(config_channel_memory(&cfg), BUNDLE_MEM_ALIGN)) / MIB));
	for (uint32_t i = 0; i < cfg.n_vms; i++) {
		vm_summary(&cfg.vms[i], i);
		vm_ivc_summary(&cfg, &cfg.vms[i]);
	}
	for (uint32_t i = 0; i < cfg.n_channels; i++)
		channel_summary(&cfg, i);
	return 0;
}
