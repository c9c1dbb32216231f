/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The boot bundle: VM manifests and guest images packed behind ftvisor.bin by
 * tools/mkimage (ftvisor-mkimage), so one file boots the whole system.
 *
 * File layout: ftvisor.bin padded to its Image header's image_size (a 4 KiB multiple, the end
 * of .bss), then the bundle; the tool then raises image_size to cover the bundle so loaders
 * (U-Boot booti) keep clear of it. At run time the bundle starts at __image_end.
 *
 * Bundle layout (all integers little-endian, every offset from the bundle's first byte):
 *   struct bundle_header
 *   struct bundle_vm[n_vms]          at vm_offset
 *   struct bundle_channel[n_channels] at channel_offset (when n_channels > 0)
 *   struct bundle_image[n_images]    at image_offset
 *   image data, each image 4 KiB aligned, in image-table order, zero padding between
 *   (several VMs may name the same image: ftvisor-mkimage stores identical ones once)
 *   total_size is a 4 KiB multiple.
 * header_crc is the CRC-32 (IEEE 802.3, as zlib's crc32) of bytes [0, first image offset, or
 * total_size when there are no images) with the header_crc field taken as 0. Each image has
 * its own CRC-32. The hypervisor validates everything (bundle_validate) before using any of it.
 */
#ifndef FTVISOR_CORE_BUNDLE_H
#define FTVISOR_CORE_BUNDLE_H

#include "lib/compiler.h"

#define BUNDLE_MAGIC "FTVBNDL1"
#define BUNDLE_VERSION 1
#define BUNDLE_ALIGN 4096
#define BUNDLE_MAX_VMS 16
#define BUNDLE_MAX_VCPUS 8
#define BUNDLE_MAX_IMAGES (3 * BUNDLE_MAX_VMS)
#define BUNDLE_NAME_LEN 32
#define BUNDLE_NO_IMAGE 0xffffffffu
#define BUNDLE_MAX_PRIORITY 15
#define BUNDLE_MAX_PT_MMIO 4
#define BUNDLE_MAX_PT_IRQS 8
/* Guest RAM: base and size are 2 MiB multiples (stage-2 blocks), at least 2 MiB. */
#define BUNDLE_MEM_ALIGN (2ULL << 20)
/* Guest RAM ends at or below 2^40 and stays clear of the emulated devices (docs/guest-abi.md). */
#define BUNDLE_IPA_LIMIT (1ULL << 40)
#define BUNDLE_DEV_BASE 0x08000000ULL
#define BUNDLE_DEV_END 0x0b000000ULL

/* struct bundle_header.flags */
#define BUNDLE_F_CONSOLE_TAGGED (1u << 0) /* prefix every VM console line with [name] */

/* struct bundle_vm.flags */
#define VM_F_AUTOSTART (1u << 0)      /* created and started at boot; a VM without it is a
				       * template, created by the shell's `vm create` */
#define VM_F_INTROSPECTION (1u << 1)  /* test aid: may ask for host addresses (hypercall) */
#define VM_F_STOP_ON_UNHANDLED (1u << 2) /* stop the VM on an access to nothing, instead of
					  * injecting a synchronous external abort */
#define VM_F_MIXED_CORES (1u << 3)    /* vCPUs may run on different core types (E2000: FTC310
				       * and FTC664); all of them then report vCPU 0's MIDR */
#define VM_F_KNOWN (VM_F_AUTOSTART | VM_F_INTROSPECTION | VM_F_STOP_ON_UNHANDLED | \
		    VM_F_MIXED_CORES)

/*
 * Inter-VM communication channels (docs/ivc.md): shared memory of `size` bytes plus doorbells
 * between 2..BUNDLE_IVC_MAX_MEMBERS VMs. Member i of a channel has the ID i (ivshmem's
 * IVPosition). Each member VM sees the channel as a PCI endpoint behind an emulated ECAM host
 * bridge; its slot on bus 0 is 1 + the channel's rank among the channels the VM belongs to.
 */
#define BUNDLE_MAX_CHANNELS 8
#define BUNDLE_IVC_MAX_MEMBERS 4
#define BUNDLE_IVC_MIN_SIZE (64ULL << 10)	/* power of two, 64 KiB .. 256 MiB */
#define BUNDLE_IVC_MAX_SIZE (256ULL << 20)
#define BUNDLE_IVC_F_READ_ONLY (1u << 0)	/* member may read the shared memory only */
#define BUNDLE_IVC_DEFAULT_RATE 20000		/* doorbells per second per sender */

struct bundle_channel {
	char name[BUNDLE_NAME_LEN];	/* same syntax as VM names, unique among channels */
	uint64_t size;			/* shared memory bytes: power of two in [MIN, MAX] */
	uint32_t n_members;		/* 2..BUNDLE_IVC_MAX_MEMBERS */
	uint32_t rate;			/* doorbells/s each member may send (0: the default) */
	struct bundle_ivc_member {
		uint32_t vm;		/* index into the VM table (a template) */
		uint32_t flags;		/* BUNDLE_IVC_F_* */
	} members[BUNDLE_IVC_MAX_MEMBERS]; /* unused entries zero */
};

enum bundle_image_kind { IMAGE_KERNEL = 1, IMAGE_INITRD = 2, IMAGE_DTB = 3 };

struct bundle_header {
	char magic[8];		/* BUNDLE_MAGIC, not NUL-terminated */
	uint32_t version;	/* BUNDLE_VERSION */
	uint32_t header_size;	/* sizeof(struct bundle_header) */
	uint64_t total_size;
	uint32_t n_vms;
	uint32_t n_images;
	uint32_t vm_offset;	/* 8-byte aligned */
	uint32_t image_offset;	/* 8-byte aligned */
	uint32_t flags;		/* BUNDLE_F_* */
	uint32_t header_crc;
	uint32_t n_channels;	/* inter-VM channels, <= BUNDLE_MAX_CHANNELS */
	uint32_t channel_offset; /* 8-byte aligned; 0 when n_channels is 0 */
	uint8_t reserved[8];	/* zero */
};

struct bundle_vm {
	char name[BUNDLE_NAME_LEN]; /* NUL-terminated, 1-31 chars of [a-z0-9_-], starts with a letter */
	uint32_t flags;		/* VM_F_* */
	uint32_t n_vcpus;	/* 1..BUNDLE_MAX_VCPUS */
	uint64_t vcpu_mpidr[BUNDLE_MAX_VCPUS]; /* physical CPU of vCPU i (affinity bits); unused = 0 */
	uint64_t mem_ipa;	/* guest-physical base of RAM */
	uint64_t mem_size;
	uint32_t kernel;	/* index into the image table; required */
	uint32_t initrd;	/* or BUNDLE_NO_IMAGE */
	uint32_t dtb;		/* required: the tool generates one when the config gives none */
	uint32_t priority;	/* scheduling priority 0..BUNDLE_MAX_PRIORITY, higher wins a
				 * shared physical CPU; 0 by default */
	/* Where each image is copied, as offsets into the VM's RAM. The kernel entry point is
	 * mem_ipa + kernel_offset; x0 = mem_ipa + dtb_offset. */
	uint64_t kernel_offset;
	uint64_t initrd_offset;
	uint64_t dtb_offset;
	/* Physical devices given to this VM: MMIO regions mapped at IPA = PA (page aligned,
	 * clear of the VM's RAM and of its emulated devices, owned by no other VM) and SPIs
	 * (INTIDs 32-1019, not the emulated UART's 33; the hypervisor's virtual GIC takes
	 * 32-255) injected with the list-register HW bit, so the guest's deactivation
	 * completes the physical interrupt. */
	uint32_t n_passthrough_mmio;	/* <= BUNDLE_MAX_PT_MMIO */
	uint32_t n_passthrough_irqs;	/* <= BUNDLE_MAX_PT_IRQS */
	struct bundle_mmio {
		uint64_t base, size;
	} passthrough_mmio[BUNDLE_MAX_PT_MMIO];
	uint32_t passthrough_irqs[BUNDLE_MAX_PT_IRQS]; /* unused entries 0 */
};

struct bundle_image {
	uint64_t offset;	/* BUNDLE_ALIGN aligned */
	uint64_t size;		/* > 0 */
	uint32_t crc32;
	uint32_t kind;		/* enum bundle_image_kind */
};

_Static_assert(sizeof(struct bundle_header) == 64, "bundle header layout");
_Static_assert(sizeof(struct bundle_vm) == 264, "bundle vm layout");
_Static_assert(sizeof(struct bundle_image) == 24, "bundle image layout");
_Static_assert(sizeof(struct bundle_channel) == 80, "bundle channel layout");

/*
 * Check a bundle of at most avail bytes (read byte by byte, any alignment): header, table
 * bounds, image bounds (4 KiB aligned, in table order, after the tables, inside total_size),
 * header CRC, every VM (name syntax and uniqueness, flags, priority, vCPU count, MPIDRs with
 * affinity bits only, no physical CPU used twice within one VM (VMs may share CPUs), memory
 * alignment, RAM below 2^40 and clear of the device window, image indices and kinds, images
 * inside the VM's RAM and not overlapping each other, passthrough devices), then the image
 * CRCs. Whether the CPUs exist and the RAM fits is for the caller, which knows the platform.
 * Returns 0 (err set to "") or -1 with a one-line reason in err: "bundle: ...", "image #3: ...",
 * "vm 'linux1': ..." (or "vm #2: ..." when the name itself is bad).
 */
int bundle_validate(const void *bundle, uint64_t avail, char *err, size_t err_len);

#endif
