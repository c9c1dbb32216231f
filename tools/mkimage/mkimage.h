/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ftvisor-mkimage: system configuration (device tree) + board tree + guest images -> one
 * bootable file, ftvisor.bin followed by the boot bundle (hypervisor/core/bundle.h).
 *
 *   main.c     command line, the steps in order, the summary
 *   config.c   the configuration schema (docs/config.md) checked against the board
 *   images.c   finding and loading guest images, their place in guest RAM
 *   board.c    the board's tree beyond platform_discover(): devices for passthrough
 *   guestdt.c  the guest device tree: generated (docs/guest-abi.md) or a supplied one patched
 *   output.c   the bundle, the hypervisor's Image header, the atomic write
 *   util.c     errors, files, dtc
 *   plan.c     --plan: the whole boot simulated on the host (frame allocator linked in)
 */
#ifndef FTVISOR_TOOLS_MKIMAGE_H
#define FTVISOR_TOOLS_MKIMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "core/bundle.h"
#include "lib/fdt.h"
#include "platform/platform.h"

#define TOOL "ftvisor-mkimage"
#define CONFIG_COMPATIBLE "ftvisor,config-v1"
#define DEFAULT_MEM_IPA 0x40000000ULL
#define MIB (1ULL << 20)
/* Guest RAM layout: dtb at 0, kernel at 2 MiB (+ text_offset), initrd on the next 2 MiB. */
#define KERNEL_BASE_OFFSET (2 * MIB)
/* Left to ftvisor itself beyond its image and bundle: stacks, page tables, firmware DTB. */
#define HYP_HEADROOM (4 * MIB)
/* The arm64 Image header (Linux Documentation/arch/arm64/booting.rst). */
#define IMAGE_HDR_SIZE 64
#define IMAGE_TEXT_OFFSET 8
#define IMAGE_SIZE_FIELD 16
#define IMAGE_MAGIC_OFFSET 56
#define IMAGE_MAGIC "ARM\x64"
/* What every VM has at fixed IPAs (docs/guest-abi.md); passthrough regions stay clear of it. */
#define GICD_IPA 0x08000000ULL
#define GICD_SIZE 0x10000ULL
#define GICR_IPA 0x080a0000ULL
#define GICR_SIZE_PER_VCPU 0x20000ULL
#define UART_IPA 0x09000000ULL
#define UART_SIZE 0x1000ULL
#define UART_INTID 33	/* SPI 1 */
#define TEST_IPA 0x0a000000ULL
#define TEST_SIZE 0x1000ULL
/* Passthrough: 4 KiB pages, SPIs (INTIDs 32-1019). */
#define PT_PAGE 0x1000ULL
#define SPI_FIRST 32
#define SPI_END 1020
/* Most reg entries / interrupts of one board node looked at. */
#define BOARD_MAX_REGS 16
#define BOARD_MAX_IRQS 32

struct file_buf {
	uint8_t *data;
	size_t size;
	char *path;		/* as opened */
};

struct vm_cfg {
	char node[96];		/* "/vms/vm@1" */
	char name[BUNDLE_NAME_LEN];	/* empty until read */
	uint32_t flags;		/* VM_F_* */
	uint32_t priority;	/* 0..BUNDLE_MAX_PRIORITY */
	uint32_t n_vcpus;
	uint64_t mpidr[BUNDLE_MAX_VCPUS];
	uint64_t mem_ipa, mem_size;
	/* As written in the config; initrd, dtb and bootargs may be NULL. */
	const char *kernel_rel, *initrd_rel, *dtb_rel, *bootargs;

	struct file_buf kernel, initrd, dtb;	/* dtb: the final tree, generated or patched */
	bool has_image_header;
	uint64_t kernel_offset, kernel_extent, initrd_offset, dtb_offset;

	/* Passthrough devices: regions (IPA = PA), the board node holding each, SPIs. */
	uint32_t n_pt_mmio, n_pt_irqs;
	struct bundle_mmio pt_mmio[BUNDLE_MAX_PT_MMIO];
	int pt_node[BUNDLE_MAX_PT_MMIO];
	uint32_t pt_irqs[BUNDLE_MAX_PT_IRQS];
	int fw_channel;		/* board node of the SCMI/SCPI channel it was given, or -1 */
};

/* An inter-VM channel, /ivc/channel@N (docs/config.md, docs/ivc.md). */
struct chan_cfg {
	char node[160];		/* "/ivc/channel@0", then "/ivc/channel@0 (link)" */
	char name[BUNDLE_NAME_LEN];
	uint64_t size;		/* shared memory bytes */
	uint32_t rate;		/* doorbells/s per member; 0: BUNDLE_IVC_DEFAULT_RATE */
	uint32_t n_members;
	uint32_t member_vm[BUNDLE_IVC_MAX_MEMBERS];	/* VM indices, member ID order */
	uint32_t member_flags[BUNDLE_IVC_MAX_MEMBERS];	/* BUNDLE_IVC_F_* */
};

struct config {
	const char *src;	/* the config file as named on the command line */
	char *src_dir;		/* its directory: image paths are relative to it */
	const char **incdirs;	/* -I directories, searched after src_dir */
	int n_incdirs;
	uint32_t bundle_flags;	/* BUNDLE_F_* */
	uint32_t n_vms;
	struct vm_cfg vms[BUNDLE_MAX_VMS];
	uint32_t n_channels;
	struct chan_cfg channels[BUNDLE_MAX_CHANNELS];
	const struct platform *plat;	/* the board as platform_discover() found it */
	struct dt board;		/* its tree (lib/fdt.h), for the devices it has */
};

/* A VM whose vCPUs may be on different core types (the lead adds it to core/bundle.h). */
#ifndef VM_F_MIXED_CORES
#define VM_F_MIXED_CORES (1u << 3)
/* plan.c: the whole-boot simulation (--plan) */
struct plan_opts {
	uint64_t hyp_image_size;	/* ftvisor's own image_size (before the bundle) */
	uint64_t text_offset;		/* its Image header's text_offset */
	uint64_t bundle_size;
	uint64_t dtb_size;		/* the board tree's size */
	uint64_t load_addr, dtb_addr;	/* 0: the board port's usual ones */
};
void plan_run(const struct config *cfg, const struct platform *plat, const struct plan_opts *o);

#endif

/* util.c */
void __attribute__((noreturn, format(printf, 1, 2))) die(const char *fmt, ...);
/* "ftvisor-mkimage: CONFIG: /vms/vm@1 (victim): ..."; vm NULL names node instead. */
void __attribute__((noreturn, format(printf, 4, 5)))
cfg_die(const struct config *cfg, const struct vm_cfg *vm, const char *node, const char *fmt, ...);
void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
char *xstrdup(const char *s);
/* Reads a whole file: 0, or -1 with errno set. */
int read_file(const char *path, struct file_buf *out);
/* A device tree from a .dtb, or from device-tree source through dtc; dies naming what. */
void load_tree(const char *path, const char *what, struct file_buf *out);
void remove_at_exit(const char *path);
uint32_t get_le32(const uint8_t *p);
uint64_t get_le64(const uint8_t *p);
void put_le64(uint8_t *p, uint64_t v);

/* config.c */
void config_parse(struct config *cfg, const void *fdt, const struct platform *plat);
/* The 2 MiB blocks of usable board memory, in bytes. */
uint64_t board_usable_memory(const struct platform *plat);
void config_check_memory(const struct config *cfg, const struct platform *plat,
			 uint64_t hyp_footprint);
/* The channels as the bundle has them (out: cfg->n_channels entries). */
void config_channel_table(const struct config *cfg, struct bundle_channel *out);
/* The bytes of RAM the channels' shared memory takes. */
uint64_t config_channel_memory(const struct config *cfg);

/* board.c */
/* Opens the board tree (already checked by platform_discover()) into cfg->board. */
void board_open(struct config *cfg, const struct file_buf *board, const struct platform *plat);
/*
 * The enabled (itself and its ancestors), non-memory node with a reg entry, as a CPU
 * physical range, holding all of [base, base + size): of several, the one with the smallest
 * such entry. -1 when none.
 */
int board_device_at(const struct dt *dt, uint64_t base, uint64_t size);
/* The node's reg entries as CPU physical ranges: their number, or -1 (unreadable, too many). */
int board_node_regs(const struct dt *dt, int node, struct mem_range *out, int max);
/*
 * The node's "interrupts" when its interrupt parent is an arm,gic-v3: the number of them
 * (0 when it has none), each as (type, number, flags) and as an INTID (SPI n: 32 + n, PPI n:
 * 16 + n); -1 when they are not the GIC's, unreadable or more than max.
 */
int board_node_irqs(const struct dt *dt, int node, uint32_t spec[][3], uint32_t *intids, int max);
/* The enabled /cpus node whose reg is this MPIDR, or -1. */
int board_cpu_node(const struct dt *dt, uint64_t mpidr);
/* Its core type: the first compatible string ("phytium,ftc664"), or "unknown". */
const char *board_cpu_type(const struct dt *dt, uint64_t mpidr);
/* "phytium,ftc664" -> "FTC664" */
void board_core_name(const char *compat, char *buf, size_t len);
/*
 * The registers of the firmware's power/clock channel (an enabled arm,scmi / arm,scpi node:
 * the mailboxes its mboxes name and the shared memory its shmem names), as CPU physical
 * ranges: their number (at most max). Only one VM may own that channel.
 */
struct board_fw_range {
	uint64_t base, size;
	int node;	/* the mailbox or shared-memory node */
	int owner;	/* the scmi/scpi node */
};
int board_fw_channels(const struct dt *dt, struct board_fw_range *out, int max);

/* images.c */
void images_load(struct config *cfg);

/* guestdt.c */
void guest_dt_make(const struct config *cfg, struct vm_cfg *vm);

/* output.c */
struct hyp_image {
	struct file_buf file;
	uint64_t image_size;	/* from its Image header: the padded size, a 4 KiB multiple */
};
void hyp_load(const char *path, struct hyp_image *hyp);
/* The bundle for cfg (validated with bundle_validate()); *size is total_size. */
uint8_t *bundle_make(const struct config *cfg, uint64_t *size);
void output_write(const char *path, const struct hyp_image *hyp, const uint8_t *bundle,
		  uint64_t bundle_size);

/* plan.c: the whole-boot simulation (--plan) */
struct plan_opts {
	uint64_t hyp_image_size;	/* ftvisor's own image_size (before the bundle) */
	uint64_t text_offset;		/* its Image header's text_offset */
	uint64_t bundle_size;
	uint64_t dtb_size;		/* the board tree's size */
	uint64_t load_addr, dtb_addr;	/* 0: the board port's usual ones */
};
void plan_run(const struct config *cfg, const struct platform *plat, const struct plan_opts *o);

#endif
