/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ftvisor-mkimage: system configuration (device tree) + board tree + guest images -> one
 * bootable file, ftvisor.bin followed by the boot bundle (hypervisor/core/bundle.h).
 *
 *   main.c     command line, the steps in order, the summary
 *   config.c   the configuration schema (docs/config.md) checked against the board
 *   images.c   finding and loading guest images, their place in guest RAM
 *   guestdt.c  the guest device tree: generated (docs/guest-abi.md) or a supplied one patched
 *   output.c   the bundle, the hypervisor's Image header, the atomic write
 *   util.c     errors, files, dtc
 */
#ifndef FTVISOR_TOOLS_MKIMAGE_H
#define FTVISOR_TOOLS_MKIMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "core/bundle.h"
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

struct file_buf {
	uint8_t *data;
	size_t size;
	char *path;		/* as opened */
};

struct vm_cfg {
	char node[96];		/* "/vms/vm@1" */
	char name[BUNDLE_NAME_LEN];	/* empty until read */
	uint32_t flags;		/* VM_F_* */
	uint32_t n_vcpus;
	uint64_t mpidr[BUNDLE_MAX_VCPUS];
	uint64_t mem_ipa, mem_size;
	/* As written in the config; initrd, dtb and bootargs may be NULL. */
	const char *kernel_rel, *initrd_rel, *dtb_rel, *bootargs;

	struct file_buf kernel, initrd, dtb;	/* dtb: the final tree, generated or patched */
	bool has_image_header;
	uint64_t kernel_offset, kernel_extent, initrd_offset, dtb_offset;
};

struct config {
	const char *src;	/* the config file as named on the command line */
	char *src_dir;		/* its directory: image paths are relative to it */
	const char **incdirs;	/* -I directories, searched after src_dir */
	int n_incdirs;
	uint32_t bundle_flags;	/* BUNDLE_F_* */
	uint32_t n_vms;
	struct vm_cfg vms[BUNDLE_MAX_VMS];
};

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

#endif
