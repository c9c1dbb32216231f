/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The output file: ftvisor.bin padded to its Image header's image_size, then the bundle
 * (core/bundle.h: header, VM table, channel table, image table, images), with image_size raised to cover the bundle so loaders keep clear of it.
 * The bundle is checked with the hypervisor's own bundle_validate() before it is written.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/compiler.h"
#include "lib/crc32.h"
#include "mkimage.h"

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the bundle structs are written as they are in memory: little-endian hosts only"
#endif

#define ULL(x) ((unsigned long long)(x))

/* A bundle header at a 4 KiB boundary means HYP is already an ftvisor-mkimage output. */
static bool has_bundle(const struct file_buf *f)
{
	for (size_t off = BUNDLE_ALIGN; off + 16 <= f->size; off += BUNDLE_ALIGN)
		if (!memcmp(f->data + off, BUNDLE_MAGIC, 8) &&
		    get_le32(f->data + off + 8) == BUNDLE_VERSION &&
		    get_le32(f->data + off + 12) == sizeof(struct bundle_header))
			return true;
	return false;
}

void hyp_load(const char *path, struct hyp_image *hyp)
{
	struct file_buf *f = &hyp->file;

	if (read_file(path, f))
		die("%s: cannot read it: %s", path, strerror(errno));
	if (f->size < IMAGE_HDR_SIZE || memcmp(f->data + IMAGE_MAGIC_OFFSET, IMAGE_MAGIC, 4))
		die("%s: not an arm64 Image (no \"ARM\\x64\" magic at byte %d)", path,
		    IMAGE_MAGIC_OFFSET);
	hyp->image_size = get_le64(f->data + IMAGE_SIZE_FIELD);
	if (!hyp->image_size || hyp->image_size % BUNDLE_ALIGN || hyp->image_size < f->size ||
	    hyp->image_size > (1ULL << 32))
		die("%s: Image header image_size 0x%llx must be a 4 KiB multiple covering the file (%zu bytes)",
		    path, ULL(hyp->image_size), f->size);
	if (has_bundle(f))
		die("%s: already carries a bundle (give the plain ftvisor.bin)", path);
}

/* Every distinct image once: VMs from one template (or with the same kernel) share it. */
struct image_ref {
	const struct file_buf *f;
	uint32_t kind;
};

struct layout {
	uint32_t n_images;
	struct image_ref images[BUNDLE_MAX_IMAGES];
	uint64_t first_image;
	uint64_t total;
};

/* Index of the image with this kind and these bytes, adding it when it is new. */
static uint32_t image_index(struct layout *l, const struct file_buf *f, uint32_t kind)
{
	uint32_t i;

	for (i = 0; i < l->n_images; i++)
		if (l->images[i].kind == kind && l->images[i].f->size == f->size &&
		    !memcmp(l->images[i].f->data, f->data, f->size))
			return i;
	if (l->n_images == BUNDLE_MAX_IMAGES)
		die("more than %u distinct images", BUNDLE_MAX_IMAGES);
	l->images[l->n_images] = (struct image_ref){ f, kind };
	return l->n_images++;
}

static void add_image(uint8_t *b, struct bundle_image *im, uint64_t *data,
		      const struct file_buf *f, uint32_t kind)
{

	im->offset = *data;
	im->size = f->size;
	im->kind = kind;
	im->crc32 = crc32_update(0, f->data, f->size);
	memcpy(b + *data, f->data, f->size);
	*data = ALIGN_UP(*data + f->size, (uint64_t)BUNDLE_ALIGN);
}

static void plan(const struct config *cfg, struct layout *l)
{
	uint64_t data;

	memset(l, 0, sizeof(*l));
	for (uint32_t i = 0; i < cfg->n_vms; i++) {
		const struct vm_cfg *vm = &cfg->vms[i];

		image_index(l, &vm->kernel, IMAGE_KERNEL);
		if (vm->initrd.size)
			image_index(l, &vm->initrd, IMAGE_INITRD);
		image_index(l, &vm->dtb, IMAGE_DTB);
	}
	data = sizeof(struct bundle_header) + cfg->n_vms * sizeof(struct bundle_vm) +
	       cfg->n_channels * sizeof(struct bundle_channel) +
	       l->n_images * sizeof(struct bundle_image);
	data = ALIGN_UP(data, (uint64_t)BUNDLE_ALIGN);
	l->first_image = data;
	for (uint32_t i = 0; i < l->n_images; i++)
		data += ALIGN_UP((uint64_t)l->images[i].f->size, (uint64_t)BUNDLE_ALIGN);
	l->total = data;
}

uint8_t *bundle_make(const struct config *cfg, uint64_t *size)
{
	static struct layout l;
	struct bundle_header h = { .version = BUNDLE_VERSION };
	struct bundle_image table[BUNDLE_MAX_IMAGES] = { 0 };
	struct bundle_channel channels[BUNDLE_MAX_CHANNELS];
	uint64_t data;
	char err[256];
	uint8_t *b;

	plan(cfg, &l);
	data = l.first_image;
	b = xcalloc(1, l.total);
	memcpy(h.magic, BUNDLE_MAGIC, sizeof(h.magic));
	h.header_size = sizeof(h);
	h.total_size = l.total;
	h.n_vms = cfg->n_vms;
	h.n_images = l.n_images;
	h.vm_offset = sizeof(h);
	/* The channel table (when there are channels) between the VM and image tables. */
	h.n_channels = cfg->n_channels;
	h.channel_offset = cfg->n_channels ? sizeof(h) + cfg->n_vms * sizeof(struct bundle_vm) : 0;
	h.image_offset = sizeof(h) + cfg->n_vms * sizeof(struct bundle_vm) +
			 cfg->n_channels * sizeof(struct bundle_channel);
	h.flags = cfg->bundle_flags;

	for (uint32_t i = 0; i < cfg->n_vms; i++) {
		const struct vm_cfg *v = &cfg->vms[i];
		struct bundle_vm vm = { 0 };

		memcpy(vm.name, v->name, sizeof(vm.name));
		vm.flags = v->flags;
		vm.priority = v->priority;
		vm.n_vcpus = v->n_vcpus;
		memcpy(vm.vcpu_mpidr, v->mpidr, sizeof(vm.vcpu_mpidr));
		vm.mem_ipa = v->mem_ipa;
		vm.mem_size = v->mem_size;
		vm.kernel = image_index(&l, &v->kernel, IMAGE_KERNEL);
		vm.initrd = BUNDLE_NO_IMAGE;
		if (v->initrd.size) {
			vm.initrd = image_index(&l, &v->initrd, IMAGE_INITRD);
			vm.initrd_offset = v->initrd_offset;
		}
		vm.dtb = image_index(&l, &v->dtb, IMAGE_DTB);
		vm.kernel_offset = v->kernel_offset;
		vm.dtb_offset = v->dtb_offset;
		vm.n_passthrough_mmio = v->n_pt_mmio;
		memcpy(vm.passthrough_mmio, v->pt_mmio, sizeof(vm.passthrough_mmio));
		vm.n_passthrough_irqs = v->n_pt_irqs;
		memcpy(vm.passthrough_irqs, v->pt_irqs, sizeof(vm.passthrough_irqs));
		memcpy(b + h.vm_offset + i * sizeof(vm), &vm, sizeof(vm));
	}
	for (uint32_t i = 0; i < l.n_images; i++)
		add_image(b, &table[i], &data, l.images[i].f, l.images[i].kind);
	config_channel_table(cfg, channels);
	memcpy(b + h.channel_offset, channels, cfg->n_channels * sizeof(channels[0]));
	memcpy(b + h.image_offset, table, l.n_images * sizeof(table[0]));
	memcpy(b, &h, sizeof(h));
	/* header_crc is still 0 in b, as the CRC definition wants it. */
	h.header_crc = crc32_update(0, b, l.first_image);
	memcpy(b, &h, sizeof(h));

	if (bundle_validate(b, l.total, err, sizeof(err)))
		die("internal error: the bundle fails validation: %s", err);
	*size = l.total;
	return b;
}

void output_write(const char *path, const struct hyp_image *hyp, const uint8_t *bundle,
		  uint64_t bundle_size)
{
	size_t total = hyp->image_size + bundle_size, tlen = strlen(path) + 16;
	char *tmp = xmalloc(tlen);
	uint8_t *out = xcalloc(1, total);
	size_t done = 0;
	mode_t mask;
	ssize_t n;
	int fd;

	memcpy(out, hyp->file.data, hyp->file.size);
	memcpy(out + hyp->image_size, bundle, bundle_size);
	/* Loaders reserve image_size bytes from the image's start: make that cover the bundle. */
	put_le64(out + IMAGE_SIZE_FIELD, total);

	snprintf(tmp, tlen, "%s.tmp-XXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0)
		die("%s: cannot create a temporary file next to it: %s", path, strerror(errno));
	remove_at_exit(tmp); /* a no-op once renamed */
	while (done < total) {
		n = write(fd, out + done, total - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("%s: write: %s", tmp, strerror(errno));
		done += (size_t)n;
	}
	mask = umask(0);
	umask(mask);
	/* mkstemp made it 0600: give it what a plain create would have. */
	if (fchmod(fd, 0666 & ~mask) || fsync(fd) || close(fd))
		die("%s: %s", tmp, strerror(errno));
	if (rename(tmp, path))
		die("%s: rename from %s: %s", path, tmp, strerror(errno));
	free(out);
	free(tmp);
}
