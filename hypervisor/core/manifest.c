/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Boot bundle validation (core/bundle.h). Pure logic shared by EL2, ftvisor-mkimage (its
 * self-check), the unit tests and the fuzzer. The bundle may be read with the MMU off, so every
 * field is decoded byte by byte into a local copy (no wide or unaligned loads), and nothing
 * outside [bundle, bundle + avail) is ever touched: each offset is checked before its use.
 */
#include <stdarg.h>

#include "core/bundle.h"
#include "core/ivc_layout.h"
#include "lib/crc32.h"
#include "lib/format.h"

#define ULL(x) ((unsigned long long)(x))
#define CRC_FIELD 44 /* offsetof(struct bundle_header, header_crc) */
#define AFFINITY_MASK 0xff00ffffffULL /* MPIDR Aff3..Aff0 */
#define PT_PAGE 0x1000ULL	/* passthrough regions: 4 KiB pages (stage-2 granule) */
#define SPI_FIRST 32		/* SPIs are INTIDs 32-1019 */
#define SPI_END 1020
#define VUART_INTID 33		/* the emulated PL011's SPI 1, in every VM */

_Static_assert(__builtin_offsetof(struct bundle_header, header_crc) == CRC_FIELD, "crc field");

struct ctx {
	const uint8_t *b;
	struct bundle_header h;
	char *err;
	size_t err_len;
};

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

static void copy_bytes(void *dst, const uint8_t *src, size_t n)
{
	uint8_t *d = dst;

	while (n--)
		*d++ = *src++;
}

static void read_header(const uint8_t *p, struct bundle_header *h)
{
	copy_bytes(h->magic, p, sizeof(h->magic));
	h->version = le32(p + 8);
	h->header_size = le32(p + 12);
	h->total_size = le64(p + 16);
	h->n_vms = le32(p + 24);
	h->n_images = le32(p + 28);
	h->vm_offset = le32(p + 32);
	h->image_offset = le32(p + 36);
	h->flags = le32(p + 40);
	h->header_crc = le32(p + 44);
	h->n_channels = le32(p + 48);
	h->channel_offset = le32(p + 52);
	copy_bytes(h->reserved, p + 56, sizeof(h->reserved));
}

/* Callers have checked that the tables lie inside total_size (<= avail). */
static void read_vm(const struct ctx *c, uint32_t i, struct bundle_vm *vm)
{
	const uint8_t *p = c->b + c->h.vm_offset + (uint64_t)i * sizeof(*vm);
	uint32_t k;

	copy_bytes(vm->name, p, BUNDLE_NAME_LEN);
	vm->flags = le32(p + 32);
	vm->n_vcpus = le32(p + 36);
	for (k = 0; k < BUNDLE_MAX_VCPUS; k++)
		vm->vcpu_mpidr[k] = le64(p + 40 + 8 * k);
	vm->mem_ipa = le64(p + 104);
	vm->mem_size = le64(p + 112);
	vm->kernel = le32(p + 120);
	vm->initrd = le32(p + 124);
	vm->dtb = le32(p + 128);
	vm->priority = le32(p + 132);
	vm->kernel_offset = le64(p + 136);
	vm->initrd_offset = le64(p + 144);
	vm->dtb_offset = le64(p + 152);
	vm->n_passthrough_mmio = le32(p + 160);
	vm->n_passthrough_irqs = le32(p + 164);
	for (k = 0; k < BUNDLE_MAX_PT_MMIO; k++) {
		vm->passthrough_mmio[k].base = le64(p + 168 + 16 * k);
		vm->passthrough_mmio[k].size = le64(p + 176 + 16 * k);
	}
	for (k = 0; k < BUNDLE_MAX_PT_IRQS; k++)
		vm->passthrough_irqs[k] = le32(p + 232 + 4 * k);
}

static void read_channel(const struct ctx *c, uint32_t i, struct bundle_channel *ch)
{
	const uint8_t *p = c->b + c->h.channel_offset + (uint64_t)i * sizeof(*ch);
	uint32_t k;

	copy_bytes(ch->name, p, BUNDLE_NAME_LEN);
	ch->size = le64(p + 32);
	ch->n_members = le32(p + 40);
	ch->rate = le32(p + 44);
	for (k = 0; k < BUNDLE_IVC_MAX_MEMBERS; k++) {
		ch->members[k].vm = le32(p + 48 + 8 * k);
		ch->members[k].flags = le32(p + 52 + 8 * k);
	}
}

static void read_image(const struct ctx *c, uint32_t i, struct bundle_image *im)
{
	const uint8_t *p = c->b + c->h.image_offset + (uint64_t)i * sizeof(*im);

	im->offset = le64(p);
	im->size = le64(p + 8);
	im->crc32 = le32(p + 16);
	im->kind = le32(p + 20);
}

_Static_assert(__builtin_offsetof(struct bundle_vm, vcpu_mpidr) == 40, "vm layout");
_Static_assert(__builtin_offsetof(struct bundle_vm, mem_ipa) == 104, "vm layout");
_Static_assert(__builtin_offsetof(struct bundle_vm, priority) == 132, "vm layout");
_Static_assert(__builtin_offsetof(struct bundle_vm, kernel_offset) == 136, "vm layout");
_Static_assert(__builtin_offsetof(struct bundle_vm, n_passthrough_mmio) == 160, "vm layout");
_Static_assert(__builtin_offsetof(struct bundle_vm, passthrough_mmio) == 168, "vm layout");
_Static_assert(__builtin_offsetof(struct bundle_vm, passthrough_irqs) == 232, "vm layout");
_Static_assert(__builtin_offsetof(struct bundle_header, n_channels) == 48, "header layout");
_Static_assert(__builtin_offsetof(struct bundle_header, reserved) == 56, "header layout");
_Static_assert(__builtin_offsetof(struct bundle_channel, size) == 32, "channel layout");
_Static_assert(__builtin_offsetof(struct bundle_channel, rate) == 44, "channel layout");
_Static_assert(__builtin_offsetof(struct bundle_channel, members) == 48, "channel layout");

static int __printf(2, 3) fail(const struct ctx *c, const char *fmt, ...)
{
	va_list ap;

	if (c->err && c->err_len) {
		va_start(ap, fmt);
		ft_vsnprintf(c->err, c->err_len, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* 0 when name is 1-31 chars of [a-z0-9_-] starting with a letter, NUL-terminated, else -1. */
static bool name_char_ok(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
}

/* what: "vm" or "channel", for "vm #2: ..." */
static int check_name(const struct ctx *c, const char *what, uint32_t idx, const char *name)
{
	uint32_t i;
	char ch;

	for (i = 0; i < BUNDLE_NAME_LEN && name[i]; i++)
		;
	if (i == BUNDLE_NAME_LEN)
		return fail(c, "%s #%u: name is not NUL-terminated", what, idx);
	if (!(name[0] >= 'a' && name[0] <= 'z'))
		return fail(c, "%s #%u: name must start with a letter a-z", what, idx);
	for (i = 1; name[i]; i++) {
		ch = name[i];
		if (!name_char_ok(ch))
			return fail(c, "%s #%u: bad character 0x%02x in name (allowed: a-z 0-9 _ -)",
				    what, idx, (unsigned int)(uint8_t)ch);
	}
	return 0;
}

static bool names_equal(const char *a, const char *b)
{
	uint32_t i;

	for (i = 0; i < BUNDLE_NAME_LEN; i++) {
		if (a[i] != b[i])
			return false;
		if (!a[i])
			return true;
	}
	return true;
}

static bool name_is_valid(const char *name)
{
	struct ctx quiet = { 0 };

	return check_name(&quiet, "vm", 0, name) == 0;
}

static const char *kind_name(uint32_t kind)
{
	switch (kind) {
	case IMAGE_KERNEL: return "kernel";
	case IMAGE_INITRD: return "initrd";
	case IMAGE_DTB: return "dtb";
	default: return "image";
	}
}

/*
 * "vm 'name': kernel image #3" for the first VM that uses image i, "image #3" when none does.
 * Only for messages: the VM table is inside the bundle, but its entries may not be valid yet.
 */
static void image_who(const struct ctx *c, uint32_t i, char *buf, size_t len)
{
	static const char *const roles[] = { "kernel", "initrd", "dtb" };
	struct bundle_vm vm;
	uint32_t v, r, ref[3];

	for (v = 0; v < c->h.n_vms; v++) {
		read_vm(c, v, &vm);
		ref[0] = vm.kernel;
		ref[1] = vm.initrd;
		ref[2] = vm.dtb;
		for (r = 0; r < 3; r++) {
			if (ref[r] != i)
				continue;
			if (name_is_valid(vm.name))
				ft_snprintf(buf, len, "vm '%s': %s image #%u", vm.name, roles[r],
					    i);
			else
				ft_snprintf(buf, len, "vm #%u: %s image #%u", v, roles[r], i);
			return;
		}
	}
	ft_snprintf(buf, len, "image #%u", i);
}

static int check_header(struct ctx *c, uint64_t avail)
{
	const struct bundle_header *h = &c->h;
	uint64_t vm_end, im_end, ch_end;
	uint32_t i;

	if (avail < sizeof(*h))
		return fail(c, "bundle: truncated: %llu bytes, the header alone is %u", ULL(avail),
			    (unsigned int)sizeof(*h));
	read_header(c->b, &c->h);
	for (i = 0; i < sizeof(h->magic); i++)
		if (h->magic[i] != BUNDLE_MAGIC[i])
			return fail(c, "bundle: bad magic (not an ftvisor bundle)");
	if (h->version != BUNDLE_VERSION)
		return fail(c, "bundle: version %u, expected %u", h->version, BUNDLE_VERSION);
	if (h->header_size != sizeof(*h))
		return fail(c, "bundle: header_size %u, expected %u", h->header_size,
			    (unsigned int)sizeof(*h));
	for (i = 0; i < sizeof(h->reserved); i++)
		if (h->reserved[i])
			return fail(c, "bundle: reserved header bytes are not zero");
	if (h->flags & ~BUNDLE_F_CONSOLE_TAGGED)
		return fail(c, "bundle: unknown flags 0x%x", h->flags & ~BUNDLE_F_CONSOLE_TAGGED);
	if (!h->total_size || h->total_size % BUNDLE_ALIGN)
		return fail(c, "bundle: total_size 0x%llx is not a non-zero multiple of %u",
			    ULL(h->total_size), BUNDLE_ALIGN);
	if (h->total_size > avail)
		return fail(c, "bundle: total_size 0x%llx exceeds the 0x%llx bytes available",
			    ULL(h->total_size), ULL(avail));
	if (!h->n_vms)
		return fail(c, "bundle: no VMs");
	if (h->n_vms > BUNDLE_MAX_VMS)
		return fail(c, "bundle: %u VMs, at most %u", h->n_vms, BUNDLE_MAX_VMS);
	if (h->n_images > BUNDLE_MAX_IMAGES)
		return fail(c, "bundle: %u images, at most %u", h->n_images, BUNDLE_MAX_IMAGES);
	if (h->n_channels > BUNDLE_MAX_CHANNELS)
		return fail(c, "bundle: %u channels, at most %u", h->n_channels,
			    BUNDLE_MAX_CHANNELS);
	/* The counts are small now, so these sums cannot wrap. */
	vm_end = (uint64_t)h->vm_offset + (uint64_t)h->n_vms * sizeof(struct bundle_vm);
	im_end = (uint64_t)h->image_offset + (uint64_t)h->n_images * sizeof(struct bundle_image);
	ch_end = (uint64_t)h->channel_offset +
		 (uint64_t)h->n_channels * sizeof(struct bundle_channel);
	if (h->vm_offset % 8 || h->vm_offset < sizeof(*h))
		return fail(c, "bundle: vm_offset 0x%x is misaligned or inside the header",
			    h->vm_offset);
	if (vm_end > h->total_size)
		return fail(c, "bundle: the VM table runs past total_size");
	if (h->image_offset % 8 || h->image_offset < sizeof(*h))
		return fail(c, "bundle: image_offset 0x%x is misaligned or inside the header",
			    h->image_offset);
	if (im_end > h->total_size)
		return fail(c, "bundle: the image table runs past total_size");
	if (h->n_images && h->image_offset < vm_end && h->vm_offset < im_end)
		return fail(c, "bundle: the VM and image tables overlap");
	if (!h->n_channels) {
		if (h->channel_offset)
			return fail(c, "bundle: channel_offset 0x%x without channels (must be 0)",
				    h->channel_offset);
		return 0;
	}
	if (h->channel_offset % 8 || h->channel_offset < sizeof(*h))
		return fail(c, "bundle: channel_offset 0x%x is misaligned or inside the header",
			    h->channel_offset);
	if (ch_end > h->total_size)
		return fail(c, "bundle: the channel table runs past total_size");
	if (h->channel_offset < vm_end && h->vm_offset < ch_end)
		return fail(c, "bundle: the VM and channel tables overlap");
	if (h->n_images && h->channel_offset < im_end && h->image_offset < ch_end)
		return fail(c, "bundle: the channel and image tables overlap");
	return 0;
}

/* "<who uses image i>: <message>" */
static int __printf(3, 4) image_fail(const struct ctx *c, uint32_t i, const char *fmt, ...)
{
	char who[64], msg[128];
	va_list ap;

	image_who(c, i, who, sizeof(who));
	va_start(ap, fmt);
	ft_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return fail(c, "%s: %s", who, msg);
}

/*
 * Image data: known kind, aligned, non-empty, after the (three) tables, in table order, inside
 * total_size. *crc_end gets the end of what the header CRC covers (the first image's offset).
 */
static int check_images(const struct ctx *c, uint64_t *crc_end)
{
	const struct bundle_header *h = &c->h;
	struct bundle_image im;
	uint64_t prev_end, vm_end, im_end, ch_end;
	uint32_t i;

	vm_end = (uint64_t)h->vm_offset + (uint64_t)h->n_vms * sizeof(struct bundle_vm);
	im_end = (uint64_t)h->image_offset + (uint64_t)h->n_images * sizeof(struct bundle_image);
	ch_end = (uint64_t)h->channel_offset +
		 (uint64_t)h->n_channels * sizeof(struct bundle_channel);
	prev_end = MAX(MAX(vm_end, im_end), ch_end);
	*crc_end = h->total_size;
	for (i = 0; i < h->n_images; i++) {
		read_image(c, i, &im);
		if (im.kind < IMAGE_KERNEL || im.kind > IMAGE_DTB)
			return image_fail(c, i, "unknown kind %u", im.kind);
		if (im.offset % BUNDLE_ALIGN)
			return image_fail(c, i, "offset 0x%llx is not %u-byte aligned",
					  ULL(im.offset), BUNDLE_ALIGN);
		if (!im.size)
			return image_fail(c, i, "empty");
		if (im.offset < prev_end) {
			if (!i)
				return image_fail(c, i, "offset 0x%llx overlaps the bundle header or tables",
						  ULL(im.offset));
			return image_fail(c, i, "offset 0x%llx overlaps image #%u (images must be in table order)",
					  ULL(im.offset), i - 1);
		}
		if (im.offset > h->total_size || im.size > h->total_size - im.offset)
			return image_fail(c, i, "0x%llx bytes at 0x%llx run past total_size 0x%llx",
					  ULL(im.size), ULL(im.offset), ULL(h->total_size));
		if (!i)
			*crc_end = im.offset;
		prev_end = im.offset + im.size;
	}
	return 0;
}

static int check_header_crc(const struct ctx *c, uint64_t crc_end)
{
	static const uint8_t zero[4];
	uint32_t crc;

	crc = crc32_update(0, c->b, CRC_FIELD);
	crc = crc32_update(crc, zero, sizeof(zero));
	crc = crc32_update(crc, c->b + CRC_FIELD + 4, (size_t)(crc_end - CRC_FIELD - 4));
	if (crc != c->h.header_crc)
		return fail(c, "bundle: header CRC 0x%08x, computed 0x%08x", c->h.header_crc, crc);
	return 0;
}

/* Image index idx for a VM's role (kernel/initrd/dtb): in range and of the right kind. */
static int check_ref(const struct ctx *c, const char *who, const char *role, uint32_t idx,
		     uint32_t kind, struct bundle_image *im)
{
	if (idx >= c->h.n_images)
		return fail(c, "%s: %s image index %u out of range (%u images)", who, role, idx,
			    c->h.n_images);
	read_image(c, idx, im);
	if (im->kind != kind)
		return fail(c, "%s: %s image #%u has kind %s", who, role, idx,
			    kind_name(im->kind));
	return 0;
}

/* Each placed image [off, off + size) must lie inside the VM's RAM. */
static int check_fit(const struct ctx *c, const char *who, const char *role, uint64_t off,
		     uint64_t size, uint64_t mem_size)
{
	if (off > mem_size || size > mem_size - off)
		return fail(c, "%s: %s (0x%llx bytes at RAM offset 0x%llx) does not fit in 0x%llx bytes of RAM",
			    who, role, ULL(size), ULL(off), ULL(mem_size));
	return 0;
}

/*
 * vCPU count and MPIDRs. Each vCPU of one VM has its own physical CPU; VMs may share CPUs
 * (the scheduler time-slices them), so other VMs' CPUs are not compared.
 */
static int check_vcpus(const struct ctx *c, const struct bundle_vm *vm, const char *who)
{
	uint32_t i, j;

	if (vm->n_vcpus < 1 || vm->n_vcpus > BUNDLE_MAX_VCPUS)
		return fail(c, "%s: %u vCPUs, must be 1 to %u", who, vm->n_vcpus,
			    BUNDLE_MAX_VCPUS);
	for (i = 0; i < BUNDLE_MAX_VCPUS; i++) {
		if (i >= vm->n_vcpus) {
			if (vm->vcpu_mpidr[i])
				return fail(c, "%s: vcpu_mpidr[%u] is set but the VM has %u vCPUs",
					    who, i, vm->n_vcpus);
			continue;
		}
		if (vm->vcpu_mpidr[i] & ~AFFINITY_MASK)
			return fail(c, "%s: vCPU %u: MPIDR 0x%llx has bits outside the affinity fields",
				    who, i, ULL(vm->vcpu_mpidr[i]));
		for (j = 0; j < i; j++)
			if (vm->vcpu_mpidr[j] == vm->vcpu_mpidr[i])
				return fail(c, "%s: vCPUs %u and %u are both on physical CPU 0x%llx",
					    who, j, i, ULL(vm->vcpu_mpidr[i]));
	}
	return 0;
}

static int check_memory(const struct ctx *c, const struct bundle_vm *vm, const char *who)
{
	if (vm->mem_ipa % BUNDLE_MEM_ALIGN)
		return fail(c, "%s: mem_ipa 0x%llx is not 2 MiB aligned", who, ULL(vm->mem_ipa));
	if (!vm->mem_size || vm->mem_size % BUNDLE_MEM_ALIGN)
		return fail(c, "%s: mem_size 0x%llx is not a non-zero multiple of 2 MiB", who,
			    ULL(vm->mem_size));
	if (vm->mem_ipa >= BUNDLE_IPA_LIMIT || vm->mem_size > BUNDLE_IPA_LIMIT - vm->mem_ipa)
		return fail(c, "%s: RAM at 0x%llx, 0x%llx bytes, reaches beyond 2^40", who,
			    ULL(vm->mem_ipa), ULL(vm->mem_size));
	if (vm->mem_ipa < BUNDLE_DEV_END && vm->mem_ipa + vm->mem_size > BUNDLE_DEV_BASE)
		return fail(c, "%s: RAM [0x%llx, 0x%llx) overlaps the device window [0x%llx, 0x%llx)",
			    who, ULL(vm->mem_ipa), ULL(vm->mem_ipa + vm->mem_size),
			    ULL(BUNDLE_DEV_BASE), ULL(BUNDLE_DEV_END));
	return 0;
}

static bool overlaps(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
	/* Callers compare ranges below 2^40 (RAM, images in it, devices), so no end wraps. */
	return a < b + bs && b < a + as;
}

static int check_images_of(const struct ctx *c, const struct bundle_vm *vm, const char *who)
{
	struct bundle_image kernel, initrd, dtb;

	if (check_ref(c, who, "kernel", vm->kernel, IMAGE_KERNEL, &kernel) ||
	    check_ref(c, who, "dtb", vm->dtb, IMAGE_DTB, &dtb))
		return -1;
	if (vm->initrd != BUNDLE_NO_IMAGE) {
		if (check_ref(c, who, "initrd", vm->initrd, IMAGE_INITRD, &initrd))
			return -1;
	} else if (vm->initrd_offset) {
		return fail(c, "%s: initrd_offset set without an initrd", who);
	}
	/* Instructions are 4-byte aligned; the boot protocol wants the DTB 8-byte aligned. */
	if (vm->kernel_offset % 4)
		return fail(c, "%s: kernel_offset 0x%llx is not 4-byte aligned", who,
			    ULL(vm->kernel_offset));
	if (vm->dtb_offset % 8)
		return fail(c, "%s: dtb_offset 0x%llx is not 8-byte aligned", who,
			    ULL(vm->dtb_offset));
	if (check_fit(c, who, "kernel", vm->kernel_offset, kernel.size, vm->mem_size) ||
	    check_fit(c, who, "dtb", vm->dtb_offset, dtb.size, vm->mem_size))
		return -1;
	if (overlaps(vm->kernel_offset, kernel.size, vm->dtb_offset, dtb.size))
		return fail(c, "%s: kernel and dtb overlap in RAM", who);
	if (vm->initrd == BUNDLE_NO_IMAGE)
		return 0;
	if (check_fit(c, who, "initrd", vm->initrd_offset, initrd.size, vm->mem_size))
		return -1;
	if (overlaps(vm->initrd_offset, initrd.size, vm->kernel_offset, kernel.size))
		return fail(c, "%s: kernel and initrd overlap in RAM", who);
	if (overlaps(vm->initrd_offset, initrd.size, vm->dtb_offset, dtb.size))
		return fail(c, "%s: initrd and dtb overlap in RAM", who);
	return 0;
}

/*
 * The emulated devices every VM has (docs/guest-abi.md). A passthrough region is mapped at
 * IPA = PA and must not hide one; the rest of the device window is free for passthrough (on
 * QEMU virt the real PL031 and PL061 sit in it). The redistributor frames are counted for the
 * largest VM, whatever this one's vCPU count.
 */
static const struct {
	uint64_t base, size;
	const char *name;
} emulated[] = {
	{ 0x08000000, 0x10000, "GIC distributor" },
	{ 0x080a0000, 0x20000ULL * BUNDLE_MAX_VCPUS, "GIC redistributors" },
	{ 0x09000000, 0x1000, "UART" },
	{ 0x0a000000, 0x1000, "test device" },
};

/* Region k of vm (idx): aligned, below 2^40, clear of RAM, emulated devices and other regions. */
static int check_pt_mmio(const struct ctx *c, uint32_t idx, const struct bundle_vm *vm,
			 const char *who, uint32_t k)
{
	const struct bundle_mmio *r = &vm->passthrough_mmio[k];
	struct bundle_vm other;
	char what[96];
	uint32_t i, j;

	ft_snprintf(what, sizeof(what), "%s: passthrough mmio #%u 0x%llx", who, k, ULL(r->base));
	if (!r->size)
		return fail(c, "%s: empty (size 0)", what);
	if (r->base % PT_PAGE)
		return fail(c, "%s: base is not 4 KiB aligned", what);
	if (r->size % PT_PAGE)
		return fail(c, "%s: size 0x%llx is not a multiple of 4 KiB", what, ULL(r->size));
	if (r->base >= BUNDLE_IPA_LIMIT || r->size > BUNDLE_IPA_LIMIT - r->base)
		return fail(c, "%s: 0x%llx bytes reach beyond 2^40", what, ULL(r->size));
	/* From here every range compared is below 2^40, so overlaps() cannot wrap. */
	if (overlaps(r->base, r->size, vm->mem_ipa, vm->mem_size))
		return fail(c, "%s: overlaps the VM's RAM [0x%llx, 0x%llx)", what, ULL(vm->mem_ipa),
			    ULL(vm->mem_ipa + vm->mem_size));
	for (i = 0; i < ARRAY_SIZE(emulated); i++)
		if (overlaps(r->base, r->size, emulated[i].base, emulated[i].size))
			return fail(c, "%s: overlaps the emulated %s [0x%llx, 0x%llx)", what,
				    emulated[i].name, ULL(emulated[i].base),
				    ULL(emulated[i].base + emulated[i].size));
	for (j = 0; j < k; j++)
		if (overlaps(r->base, r->size, vm->passthrough_mmio[j].base,
			     vm->passthrough_mmio[j].size))
			return fail(c, "%s: overlaps passthrough mmio #%u 0x%llx of the same VM", what,
				    j, ULL(vm->passthrough_mmio[j].base));
	/* Earlier VMs have passed every check: their counts are in range, their names valid. */
	for (i = 0; i < idx; i++) {
		read_vm(c, i, &other);
		for (j = 0; j < other.n_passthrough_mmio; j++)
			if (overlaps(r->base, r->size, other.passthrough_mmio[j].base,
				     other.passthrough_mmio[j].size))
				return fail(c, "%s: overlaps passthrough mmio #%u 0x%llx of vm '%s'",
					    what, j, ULL(other.passthrough_mmio[j].base), other.name);
	}
	return 0;
}

/* IRQ k of vm (idx): an SPI, not the emulated UART's, given to no other VM and only once. */
static int check_pt_irq(const struct ctx *c, uint32_t idx, const struct bundle_vm *vm,
			const char *who, uint32_t k)
{
	uint32_t intid = vm->passthrough_irqs[k], i, j;
	struct bundle_vm other;

	if (intid < SPI_FIRST || intid >= SPI_END)
		return fail(c, "%s: passthrough irq %u: not an SPI (INTIDs %u-%u)", who, intid,
			    SPI_FIRST, SPI_END - 1);
	if (intid == VUART_INTID)
		return fail(c, "%s: passthrough irq %u: is the emulated UART's interrupt", who,
			    intid);
	for (j = 0; j < k; j++)
		if (vm->passthrough_irqs[j] == intid)
			return fail(c, "%s: passthrough irq %u: listed twice", who, intid);
	for (i = 0; i < idx; i++) {
		read_vm(c, i, &other);
		for (j = 0; j < other.n_passthrough_irqs; j++)
			if (other.passthrough_irqs[j] == intid)
				return fail(c, "%s: passthrough irq %u: already passed through to vm '%s'",
					    who, intid, other.name);
	}
	return 0;
}

static int check_passthrough(const struct ctx *c, uint32_t idx, const struct bundle_vm *vm,
			     const char *who)
{
	uint32_t k;

	if (vm->n_passthrough_mmio > BUNDLE_MAX_PT_MMIO)
		return fail(c, "%s: %u passthrough MMIO regions, at most %u", who,
			    vm->n_passthrough_mmio, BUNDLE_MAX_PT_MMIO);
	if (vm->n_passthrough_irqs > BUNDLE_MAX_PT_IRQS)
		return fail(c, "%s: %u passthrough IRQs, at most %u", who, vm->n_passthrough_irqs,
			    BUNDLE_MAX_PT_IRQS);
	for (k = vm->n_passthrough_mmio; k < BUNDLE_MAX_PT_MMIO; k++)
		if (vm->passthrough_mmio[k].base || vm->passthrough_mmio[k].size)
			return fail(c, "%s: passthrough_mmio[%u] is set but the VM has %u regions",
				    who, k, vm->n_passthrough_mmio);
	for (k = vm->n_passthrough_irqs; k < BUNDLE_MAX_PT_IRQS; k++)
		if (vm->passthrough_irqs[k])
			return fail(c, "%s: passthrough_irqs[%u] is set but the VM has %u IRQs", who,
				    k, vm->n_passthrough_irqs);
	for (k = 0; k < vm->n_passthrough_mmio; k++)
		if (check_pt_mmio(c, idx, vm, who, k))
			return -1;
	for (k = 0; k < vm->n_passthrough_irqs; k++)
		if (check_pt_irq(c, idx, vm, who, k))
			return -1;
	return 0;
}

static int check_vm(const struct ctx *c, uint32_t idx)
{
	struct bundle_vm vm, other;
	char who[48];
	uint32_t j;

	read_vm(c, idx, &vm);
	if (check_name(c, "vm", idx, vm.name))
		return -1;
	ft_snprintf(who, sizeof(who), "vm '%s'", vm.name);
	for (j = 0; j < idx; j++) {
		read_vm(c, j, &other);
		if (names_equal(other.name, vm.name))
			return fail(c, "%s: duplicate name (vm #%u has it too)", who, j);
	}
	if (vm.flags & ~VM_F_KNOWN)
		return fail(c, "%s: unknown flags 0x%x", who, vm.flags & ~VM_F_KNOWN);
	if (vm.priority > BUNDLE_MAX_PRIORITY)
		return fail(c, "%s: priority %u is above %u", who, vm.priority,
			    BUNDLE_MAX_PRIORITY);
	if (check_vcpus(c, &vm, who) || check_memory(c, &vm, who) ||
	    check_images_of(c, &vm, who))
		return -1;
	return check_passthrough(c, idx, &vm, who);
}

/*
 * Channel idx, after every VM has passed: name, size, members (2..4, each a VM of the table
 * once, known flags; unused entries zero). The rate is any u32 (0: the default).
 */
static int check_channel(const struct ctx *c, uint32_t idx, const struct bundle_channel *chans)
{
	const struct bundle_channel *ch = &chans[idx];
	const struct bundle_ivc_member *mb;
	struct bundle_vm vm;
	char who[48];
	uint32_t j, k;

	if (check_name(c, "channel", idx, ch->name))
		return -1;
	ft_snprintf(who, sizeof(who), "channel '%s'", ch->name);
	for (j = 0; j < idx; j++)
		if (names_equal(chans[j].name, ch->name))
			return fail(c, "%s: duplicate name (channel #%u has it too)", who, j);
	if (ch->size < BUNDLE_IVC_MIN_SIZE || ch->size > BUNDLE_IVC_MAX_SIZE ||
	    (ch->size & (ch->size - 1)))
		return fail(c, "%s: size 0x%llx is not a power of two from 64 KiB to 256 MiB", who,
			    ULL(ch->size));
	if (ch->n_members < 2 || ch->n_members > BUNDLE_IVC_MAX_MEMBERS)
		return fail(c, "%s: %u members, must be 2 to %u", who, ch->n_members,
			    BUNDLE_IVC_MAX_MEMBERS);
	for (k = ch->n_members; k < BUNDLE_IVC_MAX_MEMBERS; k++)
		if (ch->members[k].vm || ch->members[k].flags)
			return fail(c, "%s: members[%u] is set but the channel has %u members", who,
				    k, ch->n_members);
	for (k = 0; k < ch->n_members; k++) {
		mb = &ch->members[k];
		if (mb->vm >= c->h.n_vms)
			return fail(c, "%s: member %u: vm index %u out of range (%u VMs)", who, k,
				    mb->vm, c->h.n_vms);
		read_vm(c, mb->vm, &vm);
		for (j = 0; j < k; j++)
			if (ch->members[j].vm == mb->vm)
				return fail(c, "%s: member %u: vm '%s' is member %u already", who, k,
					    vm.name, j);
		if (mb->flags & ~BUNDLE_IVC_F_READ_ONLY)
			return fail(c, "%s: member %u (vm '%s'): unknown flags 0x%x", who, k,
				    vm.name, mb->flags & ~BUNDLE_IVC_F_READ_ONLY);
	}
	return 0;
}

/*
 * What VM idx sees of the valid channels: at most IVC_MAX_SLOTS of them, their BAR2s inside
 * the prefetchable window, and, when it has any, what they occupy (ivc_spans(): its register
 * pages, shared memory and the PCI ECAM) clear of its RAM and passthrough regions and its
 * INTx INTIDs not passed through. The rest of [0x10000000, 0x3f100000) is the VM's to use.
 */
static int check_vm_ivc(const struct ctx *c, uint32_t idx, const struct bundle_channel *chans)
{
	struct ivc_endpoint ep[IVC_MAX_SLOTS];
	struct ivc_span sp[IVC_MAX_SPANS];
	struct bundle_vm vm;
	uint64_t end;
	uint32_t j, k, n = 0;
	int r, n_sp;

	read_vm(c, idx, &vm);
	for (j = 0; j < c->h.n_channels; j++)
		n += ivc_member_of(&chans[j], idx) >= 0;
	if (!n)
		return 0;
	r = ivc_layout(chans, c->h.n_channels, idx, ep, &end);
	if (r == IVC_LAYOUT_E_SLOTS)
		return fail(c, "vm '%s': member of %u channels, at most %u", vm.name, n,
			    IVC_MAX_SLOTS);
	if (r == IVC_LAYOUT_E_WINDOW)
		return fail(c, "vm '%s': the shared memory of its channels (each aligned to its size) needs 0x%llx-0x%llx, beyond the window 0x%llx-0x%llx",
			    vm.name, ULL(IVC_PREF_IPA), ULL(end - 1), ULL(IVC_PREF_IPA),
			    ULL(IVC_PREF_IPA + IVC_PREF_SIZE - 1));
	if (r < 0) /* sizes were checked: cannot happen */
		return fail(c, "vm '%s': %s", vm.name, ivc_layout_strerror(r));
	n_sp = ivc_spans(r, end, sp);
	/* RAM and regions are below 2^40 and the spans too: overlaps() cannot wrap. */
	for (int s = 0; s < n_sp; s++)
		if (overlaps(vm.mem_ipa, vm.mem_size, sp[s].base, sp[s].size))
			return fail(c, "vm '%s': RAM overlaps its IVC %s 0x%llx-0x%llx", vm.name,
				    sp[s].name, ULL(sp[s].base), ULL(sp[s].base + sp[s].size - 1));
	for (k = 0; k < vm.n_passthrough_mmio; k++)
		for (int s = 0; s < n_sp; s++)
			if (overlaps(vm.passthrough_mmio[k].base, vm.passthrough_mmio[k].size,
				     sp[s].base, sp[s].size))
				return fail(c, "vm '%s': passthrough mmio #%u 0x%llx: overlaps its IVC %s 0x%llx-0x%llx",
					    vm.name, k, ULL(vm.passthrough_mmio[k].base),
					    sp[s].name, ULL(sp[s].base),
					    ULL(sp[s].base + sp[s].size - 1));
	for (k = 0; k < vm.n_passthrough_irqs; k++)
		for (j = 0; j < (uint32_t)r; j++)
			if (vm.passthrough_irqs[k] == ep[j].intid)
				return fail(c, "vm '%s': passthrough irq %u: is the INTx of its IVC slot %u (channel '%s')",
					    vm.name, ep[j].intid, ep[j].slot,
					    chans[ep[j].channel].name);
	return 0;
}

static int check_channels(const struct ctx *c)
{
	struct bundle_channel chans[BUNDLE_MAX_CHANNELS];
	uint32_t i;

	for (i = 0; i < c->h.n_channels; i++)
		read_channel(c, i, &chans[i]);
	for (i = 0; i < c->h.n_channels; i++)
		if (check_channel(c, i, chans))
			return -1;
	for (i = 0; c->h.n_channels && i < c->h.n_vms; i++)
		if (check_vm_ivc(c, i, chans))
			return -1;
	return 0;
}

static int check_image_crcs(const struct ctx *c)
{
	struct bundle_image im;
	uint32_t i, crc;

	for (i = 0; i < c->h.n_images; i++) {
		read_image(c, i, &im);
		crc = crc32_update(0, c->b + im.offset, (size_t)im.size);
		if (crc != im.crc32)
			return image_fail(c, i, "CRC 0x%08x, computed 0x%08x", im.crc32, crc);
	}
	return 0;
}

int bundle_validate(const void *bundle, uint64_t avail, char *err, size_t err_len)
{
	struct ctx c = { .b = bundle, .err = err, .err_len = err_len };
	uint64_t crc_end;
	uint32_t i;

	if (err && err_len)
		err[0] = '\0';
	if (!bundle)
		return fail(&c, "bundle: none");
	if (check_header(&c, avail) || check_images(&c, &crc_end) ||
	    check_header_crc(&c, crc_end))
		return -1;
	for (i = 0; i < c.h.n_vms; i++)
		if (check_vm(&c, i))
			return -1;
	if (check_channels(&c))
		return -1;
	return check_image_crcs(&c);
}
