/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Builds boot bundles (core/bundle.h) for the manifest tests and the fuzzer's seeds, laid out
 * as ftvisor-mkimage lays them out: header, VM table, image table, then each VM's kernel,
 * initrd and dtb, 4 KiB aligned. Fields are written byte by byte (little-endian) at the
 * offsets of the structs, independently of the validator's own decoding.
 */
#ifndef FTVISOR_TESTS_BUNDLE_BUILDER_H
#define FTVISOR_TESTS_BUNDLE_BUILDER_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/bundle.h"
#include "lib/crc32.h"

#define BB_HDR(f) offsetof(struct bundle_header, f)
#define BB_VM(f) offsetof(struct bundle_vm, f)
#define BB_IMG(f) offsetof(struct bundle_image, f)

struct bb_vm {
	const char *name;
	uint32_t flags;
	uint32_t n_vcpus;
	uint64_t mpidr[BUNDLE_MAX_VCPUS];
	uint64_t mem_ipa, mem_size;
	uint32_t kernel_size, initrd_size, dtb_size; /* initrd_size 0: no initrd */
};

/* A VM's passthrough devices, for bb_put_passthrough(). */
struct bb_pt {
	uint32_t n_mmio;
	struct bundle_mmio mmio[BUNDLE_MAX_PT_MMIO];
	uint32_t n_irqs;
	uint32_t irqs[BUNDLE_MAX_PT_IRQS];
};

static inline void bb_put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static inline void bb_put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static inline uint32_t bb_get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t bb_get64(const uint8_t *p)
{
	return bb_get32(p) | (uint64_t)bb_get32(p + 4) << 32;
}

static inline uint64_t bb_align(uint64_t x, uint64_t a)
{
	return (x + a - 1) & ~(a - 1);
}

/* Offsets of the tables of a bundle built by bb_build(). */
static inline uint8_t *bb_vm_at(uint8_t *b, uint32_t i)
{
	return b + bb_get32(b + BB_HDR(vm_offset)) + (size_t)i * sizeof(struct bundle_vm);
}

static inline uint8_t *bb_img_at(uint8_t *b, uint32_t i)
{
	return b + bb_get32(b + BB_HDR(image_offset)) + (size_t)i * sizeof(struct bundle_image);
}

/*
 * Recomputes the header CRC and every image CRC, as far as the bundle's own offsets stay
 * inside [b, b + size): lets a test change one field and still reach the check behind the
 * CRC, and lets the fuzzer get past the CRCs.
 */
static inline void bb_fix_crcs(uint8_t *b, size_t size)
{
	static const uint8_t zero[4];
	uint64_t total, end, off, len;
	uint32_t n_img, img_off, i, crc;

	if (size < sizeof(struct bundle_header))
		return;
	total = bb_get64(b + BB_HDR(total_size));
	n_img = bb_get32(b + BB_HDR(n_images));
	img_off = bb_get32(b + BB_HDR(image_offset));
	if (n_img > BUNDLE_MAX_IMAGES ||
	    (uint64_t)img_off + (uint64_t)n_img * sizeof(struct bundle_image) > size)
		n_img = 0;
	for (i = 0; i < n_img; i++) {
		uint8_t *im = b + img_off + (size_t)i * sizeof(struct bundle_image);

		off = bb_get64(im + BB_IMG(offset));
		len = bb_get64(im + BB_IMG(size));
		if (off <= size && len <= size - off)
			bb_put32(im + BB_IMG(crc32), crc32_update(0, b + off, len));
	}
	end = n_img ? bb_get64(b + img_off + BB_IMG(offset)) : total;
	if (end < sizeof(struct bundle_header) || end > size)
		return;
	crc = crc32_update(0, b, BB_HDR(header_crc));
	crc = crc32_update(crc, zero, 4);
	crc = crc32_update(crc, b + BB_HDR(header_crc) + 4, end - BB_HDR(header_crc) - 4);
	bb_put32(b + BB_HDR(header_crc), crc);
}

/* Bytes bb_build() needs for these VMs. */
static inline size_t bb_size(const struct bb_vm *vms, uint32_t n)
{
	uint64_t off = sizeof(struct bundle_header) + n * sizeof(struct bundle_vm);
	uint32_t i, n_img = 0;

	for (i = 0; i < n; i++)
		n_img += vms[i].initrd_size ? 3 : 2;
	off = bb_align(off + n_img * sizeof(struct bundle_image), BUNDLE_ALIGN);
	for (i = 0; i < n; i++) {
		off += bb_align(vms[i].kernel_size, BUNDLE_ALIGN);
		off += bb_align(vms[i].initrd_size, BUNDLE_ALIGN);
		off += bb_align(vms[i].dtb_size, BUNDLE_ALIGN);
	}
	return off;
}

static inline uint64_t bb_put_image(uint8_t *b, uint32_t idx, uint64_t *data_off,
				    uint32_t size, uint32_t kind)
{
	uint8_t *im = bb_img_at(b, idx);
	uint32_t i;

	for (i = 0; i < size; i++)
		b[*data_off + i] = (uint8_t)(idx * 31 + i * 7 + kind);
	bb_put64(im + BB_IMG(offset), *data_off);
	bb_put64(im + BB_IMG(size), size);
	bb_put32(im + BB_IMG(kind), kind);
	*data_off = bb_align(*data_off + size, BUNDLE_ALIGN);
	return idx;
}

/*
 * Writes a valid bundle for vms[0..n) into b (bb_size() bytes, zeroed here) and returns its
 * size. Kernels go at RAM offset 2 MiB, initrds at the next 2 MiB boundary, dtbs at 0.
 */
static inline size_t bb_build(uint8_t *b, uint32_t flags, const struct bb_vm *vms, uint32_t n)
{
	size_t total = bb_size(vms, n);
	uint64_t data, koff;
	uint32_t i, k, img = 0, n_img = 0;

	memset(b, 0, total);
	for (i = 0; i < n; i++)
		n_img += vms[i].initrd_size ? 3 : 2;
	memcpy(b, BUNDLE_MAGIC, 8);
	bb_put32(b + BB_HDR(version), BUNDLE_VERSION);
	bb_put32(b + BB_HDR(header_size), sizeof(struct bundle_header));
	bb_put64(b + BB_HDR(total_size), total);
	bb_put32(b + BB_HDR(n_vms), n);
	bb_put32(b + BB_HDR(n_images), n_img);
	bb_put32(b + BB_HDR(vm_offset), sizeof(struct bundle_header));
	bb_put32(b + BB_HDR(image_offset),
		 sizeof(struct bundle_header) + n * sizeof(struct bundle_vm));
	bb_put32(b + BB_HDR(flags), flags);
	data = bb_align(sizeof(struct bundle_header) + n * sizeof(struct bundle_vm) +
				n_img * sizeof(struct bundle_image), BUNDLE_ALIGN);
	for (i = 0; i < n; i++) {
		const struct bb_vm *v = &vms[i];
		uint8_t *vm = bb_vm_at(b, i);

		strncpy((char *)vm, v->name, BUNDLE_NAME_LEN);
		bb_put32(vm + BB_VM(flags), v->flags);
		bb_put32(vm + BB_VM(n_vcpus), v->n_vcpus);
		for (k = 0; k < BUNDLE_MAX_VCPUS; k++)
			bb_put64(vm + BB_VM(vcpu_mpidr) + 8 * k, v->mpidr[k]);
		bb_put64(vm + BB_VM(mem_ipa), v->mem_ipa);
		bb_put64(vm + BB_VM(mem_size), v->mem_size);
		koff = 2ULL << 20;
		bb_put32(vm + BB_VM(kernel), bb_put_image(b, img++, &data, v->kernel_size,
							  IMAGE_KERNEL));
		bb_put64(vm + BB_VM(kernel_offset), koff);
		if (v->initrd_size) {
			bb_put32(vm + BB_VM(initrd), bb_put_image(b, img++, &data, v->initrd_size,
								  IMAGE_INITRD));
			bb_put64(vm + BB_VM(initrd_offset),
				 bb_align(koff + v->kernel_size, BUNDLE_MEM_ALIGN));
		} else {
			bb_put32(vm + BB_VM(initrd), BUNDLE_NO_IMAGE);
		}
		bb_put32(vm + BB_VM(dtb), bb_put_image(b, img++, &data, v->dtb_size, IMAGE_DTB));
		bb_put64(vm + BB_VM(dtb_offset), 0);
	}
	bb_fix_crcs(b, total);
	return total;
}

/*
 * Gives VM i of a bundle built by bb_build() (size bytes) these passthrough devices: counts
 * and both arrays written whole (entries past the counts as pt has them), CRCs recomputed.
 */
static inline void bb_put_passthrough(uint8_t *b, size_t size, uint32_t i,
				      const struct bb_pt *pt)
{
	uint8_t *vm = bb_vm_at(b, i);
	uint32_t k;

	bb_put32(vm + BB_VM(n_passthrough_mmio), pt->n_mmio);
	bb_put32(vm + BB_VM(n_passthrough_irqs), pt->n_irqs);
	for (k = 0; k < BUNDLE_MAX_PT_MMIO; k++) {
		bb_put64(vm + BB_VM(passthrough_mmio) + 16 * k, pt->mmio[k].base);
		bb_put64(vm + BB_VM(passthrough_mmio) + 16 * k + 8, pt->mmio[k].size);
	}
	for (k = 0; k < BUNDLE_MAX_PT_IRQS; k++)
		bb_put32(vm + BB_VM(passthrough_irqs) + 4 * k, pt->irqs[k]);
	bb_fix_crcs(b, size);
}

#endif
