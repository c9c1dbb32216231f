/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Guest images: found relative to the config's directory or an -I directory (first match
 * wins), loaded, and placed in guest RAM (docs/config.md): dtb at 0, kernel at 2 MiB plus
 * the arm64 Image header's text_offset, initrd on the first 2 MiB boundary after the kernel's
 * extent (the header's image_size, which counts .bss, or the file size).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/compiler.h"
#include "mkimage.h"

#define ULL(x) ((unsigned long long)(x))

static char *join(const char *dir, const char *rel)
{
	size_t n = strlen(dir) + strlen(rel) + 2;
	char *p = xmalloc(n);

	snprintf(p, n, "%s/%s", dir, rel);
	return p;
}

/* The first existing candidate; dies listing where it looked. */
static char *resolve(const struct config *cfg, const struct vm_cfg *vm, const char *what,
		     const char *rel)
{
	char looked[1024];
	struct stat st;
	size_t used;
	char *p;

	if (rel[0] == '/') {
		if (stat(rel, &st))
			cfg_die(cfg, vm, NULL, "%s: '%s' not found", what, rel);
		return xstrdup(rel);
	}
	p = join(cfg->src_dir, rel);
	if (!stat(p, &st))
		return p;
	used = (size_t)snprintf(looked, sizeof(looked), "%s", cfg->src_dir);
	free(p);
	for (int i = 0; i < cfg->n_incdirs; i++) {
		p = join(cfg->incdirs[i], rel);
		if (!stat(p, &st))
			return p;
		free(p);
		if (used < sizeof(looked))
			used += (size_t)snprintf(looked + used, sizeof(looked) - used, ", %s",
						 cfg->incdirs[i]);
	}
	cfg_die(cfg, vm, NULL, "%s: '%s' not found (looked in %s)", what, rel, looked);
}

static void load(const struct config *cfg, const struct vm_cfg *vm, const char *what,
		 const char *rel, struct file_buf *out)
{
	char *path = resolve(cfg, vm, what, rel);

	if (read_file(path, out))
		cfg_die(cfg, vm, NULL, "%s: cannot read '%s': %s", what, path, strerror(errno));
	if (!out->size)
		cfg_die(cfg, vm, NULL, "%s: '%s' is empty", what, path);
	free(path);
}

static void check_fit(const struct config *cfg, const struct vm_cfg *vm, const char *what,
		      uint64_t off, uint64_t size)
{
	if (off > vm->mem_size || size > vm->mem_size - off)
		cfg_die(cfg, vm, NULL,
			"%s: %llu bytes at RAM offset 0x%llx do not fit in the VM's %llu MiB of RAM",
			what, ULL(size), ULL(off), ULL(vm->mem_size / MIB));
}

static void place_kernel(const struct config *cfg, struct vm_cfg *vm)
{
	const uint8_t *h = vm->kernel.data;
	uint64_t text_offset = 0, image_size = 0;

	vm->has_image_header = vm->kernel.size >= IMAGE_HDR_SIZE &&
			       !memcmp(h + IMAGE_MAGIC_OFFSET, IMAGE_MAGIC, 4);
	if (vm->has_image_header) {
		text_offset = get_le64(h + IMAGE_TEXT_OFFSET);
		image_size = get_le64(h + IMAGE_SIZE_FIELD);
		/* The bound only keeps the sums below from wrapping: no RAM is that large. */
		if (text_offset % 4 || text_offset >= BUNDLE_IPA_LIMIT)
			cfg_die(cfg, vm, NULL,
				"kernel: Image header text_offset 0x%llx is not usable (4-byte aligned, below 2^40)",
				ULL(text_offset));
	}
	vm->kernel_offset = KERNEL_BASE_OFFSET + text_offset;
	/* image_size 0 means "unknown" (kernels before 3.17). */
	vm->kernel_extent = MAX((uint64_t)vm->kernel.size, image_size);
	check_fit(cfg, vm, "kernel", vm->kernel_offset, vm->kernel_extent);
}

void images_load(struct config *cfg)
{
	struct vm_cfg *vm;

	for (uint32_t i = 0; i < cfg->n_vms; i++) {
		vm = &cfg->vms[i];
		load(cfg, vm, "kernel", vm->kernel_rel, &vm->kernel);
		place_kernel(cfg, vm);
		if (vm->initrd_rel) {
			load(cfg, vm, "initrd", vm->initrd_rel, &vm->initrd);
			vm->initrd_offset = ALIGN_UP(vm->kernel_offset + vm->kernel_extent,
						     BUNDLE_MEM_ALIGN);
			check_fit(cfg, vm, "initrd", vm->initrd_offset, vm->initrd.size);
		}
		if (vm->dtb_rel)
			load(cfg, vm, "device-tree", vm->dtb_rel, &vm->dtb);
		/* Generated or patched now that the initrd's place is known. */
		guest_dt_make(cfg, vm);
		vm->dtb_offset = 0;
		if (vm->dtb.size >= KERNEL_BASE_OFFSET)
			cfg_die(cfg, vm, NULL,
				"device-tree: %zu bytes, must be under 2 MiB (it sits below the kernel)",
				vm->dtb.size);
		check_fit(cfg, vm, "device-tree", vm->dtb_offset, vm->dtb.size);
	}
}
