/* SPDX-License-Identifier: Apache-2.0 */
/*
 * VM creation from the boot bundle, start, stop and guest-requested reset. Each vCPU is
 * pinned to its own physical CPU (the config says which; a CPU hosts at most one vCPU).
 */
#include "core/vm.h"
#include "arch/arm64/cache.h"
#include "arch/arm64/cpuinfo.h"
#include "arch/arm64/gicv3.h"
#include "arch/arm64/stage2.h"
#include "arch/arm64/zero.h"
#include "core/console.h"
#include "core/frame.h"
#include "core/irq.h"
#include "core/pcpu.h"
#include "lib/memrange.h"
#include "lib/string.h"

struct vm vms[MAX_VMS];
uint32_t nr_vms;

static const uint8_t *bundle;
static struct vm *passthrough_owner[1020];	/* INTID -> the VM it is given to */
static struct stage2_geometry s2geo;
static uint64_t vtcr;
static bool vmid_used[256];	/* 8-bit VMIDs; 0 is never given to a guest */

static uint64_t s2_alloc_table(void *ctx)
{
	uint64_t pa = frame_alloc(1, 1);

	(void)ctx;
	if (pa)
		memset((void *)pa, 0, FRAME_SIZE);
	return pa;
}

static void s2_free_table(void *ctx, uint64_t pa)
{
	(void)ctx;
	frame_free(pa, 1);
}

static void *s2_ptr(void *ctx, uint64_t pa)
{
	(void)ctx;
	return (void *)pa;
}

uint64_t vm_stage2_vtcr(void)
{
	return vtcr;
}

uint64_t vm_ipa_to_pa(const struct vm *vm, uint64_t ipa, uint64_t len)
{
	if (ipa < vm->mem_ipa || ipa - vm->mem_ipa >= vm->mem_size ||
	    len > vm->mem_size - (ipa - vm->mem_ipa))
		return 0;
	return vm->mem_pa + (ipa - vm->mem_ipa);
}

static const struct bundle_image *image(uint32_t index)
{
	const struct bundle_header *h = (const void *)bundle;

	return (const struct bundle_image *)(bundle + h->image_offset) + index;
}

static void copy_image(struct vm *vm, uint32_t index, uint64_t offset)
{
	const struct bundle_image *img;

	if (index == BUNDLE_NO_IMAGE)
		return;
	img = image(index);
	memcpy((void *)(vm->mem_pa + offset), bundle + img->offset, img->size);
	dcache_clean_poc(vm->mem_pa + offset, img->size);
}

/*
 * Fresh RAM: zero everything and copy the images, each cleaned to the point of coherency
 * because the guest starts with its MMU and caches off and reads memory directly.
 */
static void load_images(struct vm *vm)
{
	const struct bundle_vm *c = vm->config;

	arch_zero_and_clean(vm->mem_pa, vm->mem_size);
	copy_image(vm, c->kernel, c->kernel_offset);
	copy_image(vm, c->initrd, c->initrd_offset);
	copy_image(vm, c->dtb, c->dtb_offset);
	asm volatile("ic ialluis" ::: "memory");
	dsb(ish);
	isb();
}

/* A passed-through interrupt fired: it stays active until the guest deactivates its virtual
 * twin (list register HW bit), so the device cannot interrupt again before the guest is done. */
static bool on_passthrough_irq(uint32_t intid)
{
	struct vm *vm = intid < ARRAY_SIZE(passthrough_owner) ? passthrough_owner[intid] : NULL;

	if (!vm || vm->state != VM_RUNNING)
		return true; /* nobody to give it to: complete it here */
	vgic_inject_hw_spi(vm, intid);
	return false;
}

void vm_passthrough_route(struct vm *vm, uint32_t intid, struct vcpu *target)
{
	(void)vm;
	if (target)
		gicv3_route_spi(intid, pcpus[target->pcpu].mpidr);
}

static bool overlaps_platform(uint64_t base, uint64_t size)
{
	const struct platform *p = hyp_platform;

	for (uint32_t i = 0; i < p->n_mem; i++)
		if (range_overlaps(base, size, p->mem[i].base, p->mem[i].size))
			return true;
	if (p->uart.present && range_overlaps(base, size, p->uart.base, MAX(p->uart.size, 4096ULL)))
		return true;
	if (range_overlaps(base, size, p->gic.gicd_base, MAX(p->gic.gicd_size, 0x10000ULL)))
		return true;
	for (uint32_t i = 0; i < p->gic.n_gicr; i++)
		if (range_overlaps(base, size, p->gic.gicr[i].base, p->gic.gicr[i].size))
			return true;
	return false;
}

/* Map the VM's passthrough MMIO (IPA = PA, device memory) and claim its interrupts. */
static const char *setup_passthrough(struct vm *vm)
{
	const struct bundle_vm *c = vm->config;

	for (uint32_t i = 0; i < c->n_passthrough_mmio; i++) {
		uint64_t base = c->passthrough_mmio[i].base, size = c->passthrough_mmio[i].size;

		if (overlaps_platform(base, size))
			return "a passthrough region is RAM or a device the hypervisor keeps";
		if (pgt_map(&vm->s2, base, base, size, S2_DEVICE) != PGT_OK)
			return "no memory for stage-2 tables";
	}
	for (uint32_t i = 0; i < c->n_passthrough_irqs; i++) {
		uint32_t intid = c->passthrough_irqs[i];

		if (intid < 32 || intid >= VGIC_NR_IRQS || passthrough_owner[intid] ||
		    intid == hyp_platform->uart.intid)
			return "a passthrough interrupt is invalid, taken, or the hypervisor's own";
		passthrough_owner[intid] = vm;
		irq_set_handler(intid, on_passthrough_irq);
	}
	return NULL;
}

static void passthrough_irqs_enable(struct vm *vm, bool on)
{
	for (uint32_t i = 0; i < vm->config->n_passthrough_irqs; i++) {
		uint32_t intid = vm->config->passthrough_irqs[i];

		if (on) {
			gicv3_enable_spi(intid, pcpus[vm->vcpus[0].pcpu].mpidr);
		} else {
			gicv3_disable_spi(intid);
			gicv3_deactivate(intid); /* in case the guest never completed it */
		}
	}
}

static void vm_release(struct vm *vm)
{
	for (uint32_t i = 0; i < ARRAY_SIZE(passthrough_owner); i++)
		if (passthrough_owner[i] == vm)
			passthrough_owner[i] = NULL;
	for (uint32_t i = 0; i < vm->n_vcpus; i++)
		if (pcpus[vm->vcpus[i].pcpu].vcpu == &vm->vcpus[i])
			pcpus[vm->vcpus[i].pcpu].vcpu = NULL;
	if (vm->s2.root_pa) {
		pgt_unmap(&vm->s2, vm->mem_ipa, vm->mem_size); /* frees the lower tables */
		frame_free(vm->s2.root_pa, s2geo.root_pages);
	}
	if (vm->mem_pa) {
		arch_zero_and_clean(vm->mem_pa, vm->mem_size); /* nothing survives into a later VM */
		frame_free(vm->mem_pa, vm->mem_size / FRAME_SIZE);
	}
	if (vm->vmid)
		vmid_used[vm->vmid] = false;
	memset(vm, 0, sizeof(*vm));
}

static bool fail(struct vm *vm, const char *why)
{
	printk("ftvisor: vm '%s' not created: %s\n", vm->name, why);
	vm_release(vm);
	return false;
}

static bool vm_create(struct vm *vm, uint32_t id, const struct bundle_vm *c, bool tagged)
{
	uint64_t root;
	const char *why;

	memset(vm, 0, sizeof(*vm));
	vm->id = id;
	memcpy(vm->name, c->name, BUNDLE_NAME_LEN);
	vm->name[BUNDLE_NAME_LEN - 1] = '\0';
	vm->flags = c->flags;
	vm->config = c;
	vm->n_vcpus = c->n_vcpus;
	vm->mem_ipa = c->mem_ipa;
	vm->mem_size = c->mem_size;
	spin_lock_init(&vm->lock);

	for (uint32_t i = 0; i < c->n_vcpus; i++) {
		int p = platform_cpu_index(hyp_platform, c->vcpu_mpidr[i]);
		struct vcpu *v = &vm->vcpus[i];

		if (p < 0)
			return fail(vm, "a configured CPU is not in this machine's device tree");
		if (!__atomic_load_n(&pcpus[p].online, __ATOMIC_ACQUIRE) || pcpus[p].halted)
			return fail(vm, "a configured CPU is not online");
		if (pcpus[p].vcpu)
			return fail(vm, "a configured CPU already runs another vCPU");
		v->vm = vm;
		v->index = i;
		v->pcpu = (uint32_t)p;
		pcpus[p].vcpu = v;
	}

	for (uint32_t i = 1; i < ARRAY_SIZE(vmid_used); i++) {
		if (!vmid_used[i]) {
			vmid_used[i] = true;
			vm->vmid = i;
			break;
		}
	}
	if (!vm->vmid)
		return fail(vm, "no free VMID");

	vm->mem_pa = frame_alloc(vm->mem_size / FRAME_SIZE, BUNDLE_MEM_ALIGN / FRAME_SIZE);
	if (!vm->mem_pa)
		return fail(vm, "not enough free memory");

	root = frame_alloc(s2geo.root_pages, s2geo.root_pages);
	if (!root)
		return fail(vm, "no memory for stage-2 tables");
	memset((void *)root, 0, s2geo.root_pages * FRAME_SIZE);
	vm->s2 = (struct pgtable){
		.root_pa = root, .start_level = s2geo.start_level,
		.root_entries = s2geo.root_entries, .min_block_level = 1,
		.alloc_table = s2_alloc_table, .free_table = s2_free_table, .pa_to_ptr = s2_ptr,
	};
	if (pgt_map(&vm->s2, vm->mem_ipa, vm->mem_pa, vm->mem_size, S2_RAM) != PGT_OK)
		return fail(vm, "no memory for stage-2 tables");
	why = setup_passthrough(vm);
	if (why)
		return fail(vm, why);
	dsb(ishst);
	vm->vttbr = root | (uint64_t)vm->vmid << 48;
	stage2_flush_vmid(vm->vttbr);

	vconsole_init(&vm->console, vm->name, tagged);
	if (!vgic_init(vm) || !vuart_pl011_attach(&vm->mmio, &vm->uart, &vm->console, vm) ||
	    !testdev_attach(&vm->mmio, &vm->testdev))
		return fail(vm, "device set-up failed");

	load_images(vm);
	vm->state = VM_CREATED;
	printk("vm %u '%s': %u vCPU%s on CPU", id, vm->name, vm->n_vcpus, vm->n_vcpus > 1 ? "s" : "");
	for (uint32_t i = 0; i < vm->n_vcpus; i++)
		printk("%s%u", i ? "," : " ", vm->vcpus[i].pcpu);
	printk(", %lu MiB RAM at IPA 0x%lx (PA 0x%lx), VMID %u\n", vm->mem_size >> 20, vm->mem_ipa,
	       vm->mem_pa, vm->vmid);
	return true;
}

void vms_create_from_bundle(const void *b, uint64_t size)
{
	const struct bundle_header *h = b;
	const struct bundle_vm *cfg;
	uint32_t parange = BITS(read_sysreg(id_aa64mmfr0_el1), 3, 0);
	char err[160];

	if (bundle_validate(b, size, err, sizeof(err)) != 0) {
		printk("ftvisor: boot bundle rejected: %s\nftvisor: no VMs started\n", err);
		return;
	}
	bundle = b;
	vcpu_irqs_init();
	stage2_geometry(parange_to_bits(parange), &s2geo);
	vtcr = stage2_vtcr(&s2geo, parange);
	printk("vms: %u in the boot bundle; stage 2: %u-bit IPA, %u-level walk from level %u\n",
	       h->n_vms, s2geo.ipa_bits, 4 - s2geo.start_level, s2geo.start_level);

	cfg = (const struct bundle_vm *)((const uint8_t *)b + h->vm_offset);
	for (uint32_t i = 0; i < h->n_vms; i++)
		if (vm_create(&vms[i], i, &cfg[i], h->flags & BUNDLE_F_CONSOLE_TAGGED))
			nr_vms = i + 1;
	for (uint32_t i = 0; i < h->n_vms; i++)
		if (vms[i].state == VM_CREATED && (vms[i].flags & VM_F_AUTOSTART))
			vm_start(&vms[i]);
}

int vm_start(struct vm *vm)
{
	const struct bundle_vm *c = vm->config;

	if (vm->state != VM_CREATED && vm->state != VM_STOPPED)
		return -1;
	vm->cntvoff = read_cntpct(); /* the guest's virtual counter starts near 0 */
	vm->state = VM_RUNNING;
	passthrough_irqs_enable(vm, true);
	printk("ftvisor: vm '%s' started\n", vm->name);
	vcpu_power_on(&vm->vcpus[0], vm->mem_ipa + c->kernel_offset, vm->mem_ipa + c->dtb_offset);
	return 0;
}

static void request_stop_all(struct vm *vm)
{
	for (uint32_t i = 0; i < vm->n_vcpus; i++) {
		struct vcpu *v = &vm->vcpus[i];

		__atomic_store_n(&v->stop_request, true, __ATOMIC_RELEASE);
		vcpu_kick(v);
	}
}

void vm_stop(struct vm *vm, const char *reason)
{
	spin_lock(&vm->lock);
	if (vm->state != VM_RUNNING) {
		spin_unlock(&vm->lock);
		return;
	}
	vm->state = VM_STOPPED;
	spin_unlock(&vm->lock);
	passthrough_irqs_enable(vm, false);
	vconsole_flush(&vm->console);
	printk("ftvisor: vm '%s' stopped: %s\n", vm->name, reason);
	request_stop_all(vm);
}

void vm_reset(struct vm *vm, struct vcpu *caller)
{
	(void)caller;
	spin_lock(&vm->lock);
	if (vm->state != VM_RUNNING || vm->restart_pending) {
		spin_unlock(&vm->lock);
		return;
	}
	vm->restart_pending = true;
	spin_unlock(&vm->lock);
	vconsole_flush(&vm->console);
	printk("ftvisor: vm '%s' resets (PSCI SYSTEM_RESET)\n", vm->name);
	request_stop_all(vm);
}

/* Called by each vCPU leaving its run loop: the last one out of a resetting VM restarts it. */
void vm_vcpu_left(struct vm *vm)
{
	bool restart = false;

	spin_lock(&vm->lock);
	if (vm->restart_pending) {
		restart = true;
		for (uint32_t i = 0; i < vm->n_vcpus; i++)
			if (__atomic_load_n(&vm->vcpus[i].running, __ATOMIC_ACQUIRE))
				restart = false;
		if (restart)
			vm->restart_pending = false;
	}
	spin_unlock(&vm->lock);
	if (!restart)
		return;
	for (uint32_t i = 0; i < vm->n_vcpus; i++)
		__atomic_store_n(&vm->vcpus[i].stop_request, false, __ATOMIC_RELEASE);
	vuart_pl011_reset(&vm->uart);
	testdev_reset(&vm->testdev);
	vgic_reset(vm);
	load_images(vm);
	vm->state = VM_STOPPED;
	vm_start(vm);
}
