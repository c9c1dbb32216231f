/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The resources of a VM: memory, stage 2, VMID, vCPUs pinned to their CPUs, devices, the
 * images from the boot bundle. When they are set up or given back is decided by the
 * lifecycle in core/mgmt.c.
 */
#include "core/vm.h"
#include "arch/arm64/cache.h"
#include "arch/arm64/cpuinfo.h"
#include "arch/arm64/gicv3.h"
#include "arch/arm64/stage2.h"
#include "arch/arm64/zero.h"
#include "core/console.h"
#include "core/cpu_policy.h"
#include "core/frame.h"
#include "core/irq.h"
#include "core/ivc.h"
#include "core/pcpu.h"
#include "core/sched.h"
#include "lib/cmdline.h"
#include "lib/format.h"
#include "lib/memrange.h"
#include "lib/string.h"

struct vm vms[MAX_VMS];
uint32_t nr_vms;

static const uint8_t *bundle;
static struct vm *passthrough_owner[1020];	/* INTID -> the VM it is given to */
static struct stage2_geometry s2geo;
static uint64_t vtcr;
static bool vmid_used[256];	/* 8-bit VMIDs; 0 is never given to a guest */
/* ftvisor.stage2=4k on the command line: map guest RAM with 4 KiB pages only (what 2 MiB
 * blocks save in TLB misses is then measurable: `make bench`). */
static bool s2_pages_only;
bool vm_report_entry;

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

/*
 * Guest RAM is mapped with the access flag clear and zeroed lazily: the first access to each
 * block (or page, with ftvisor.stage2=4k) faults once, and vm_ram_touched zeroes it, cleans it
 * to the point of coherency (the guest may run with its MMU and caches off) and sets the
 * flag. So creating a VM costs what its images need, not its RAM size, the guest never sees
 * what the memory held before, and "memory touched" is measured at no cost afterwards.
 * Blocks a VM touched are zeroed again when it lets them go (vm_scrub).
 */
#define S2_RAM_UNTOUCHED (S2_RAM & ~S2_AF)

static bool map_ram(struct vm *vm)
{
	vm->touched = 0;
	return pgt_map(&vm->s2, vm->mem_ipa, vm->mem_pa, vm->mem_size, S2_RAM_UNTOUCHED) == PGT_OK;
}

/* Under vm->lock: make the leaf mapping ipa fresh and accessible (nothing when it is
 * already). Returns the leaf's size, 0 when nothing maps ipa. */
static uint64_t touch_leaf(struct vm *vm, uint64_t ipa)
{
	unsigned int level;
	uint64_t *e = pgt_leaf_ptr(&vm->s2, ipa, &level), size;

	if (!e)
		return 0;
	size = pgt_level_size(level);
	if (*e & S2_AF)
		return size;
	ipa = ALIGN_DOWN(ipa, size);
	arch_zero_and_clean(vm->mem_pa + (ipa - vm->mem_ipa), size);
	/* An entry that faults on its access flag is never in a TLB (Arm ARM D8.4.2): no
	 * invalidation, only the store made visible to the table walker after the zeroes. */
	dsb(ish);
	__atomic_store_n(e, *e | S2_AF, __ATOMIC_RELAXED);
	dsb(ishst);
	vm->touched = MIN(vm->touched + size, vm->mem_size);
	return size;
}

bool vm_ram_touched(struct vm *vm, uint64_t ipa)
{
	if (!vm_ipa_to_pa(vm, ipa, 1))
		return false;
	/* Held while zeroing: a second vCPU faulting on the same block waits, then finds the
	 * flag set, and cannot zero what the first one wrote meanwhile. */
	spin_lock(&vm->lock);
	touch_leaf(vm, ipa);
	spin_unlock(&vm->lock);
	return true;
}

/* Zero every block the guest touched (the others hold nothing of it). Before its stage 2
 * is torn down or remapped. */
static void vm_scrub(struct vm *vm)
{
	uint64_t ipa = vm->mem_ipa, end = vm->mem_ipa + vm->mem_size;

	while (ipa < end) {
		unsigned int level;
		uint64_t *e = pgt_leaf_ptr(&vm->s2, ipa, &level);
		uint64_t size = e ? pgt_level_size(level) : FRAME_SIZE;

		if (e && (*e & S2_AF))
			arch_zero_and_clean(vm->mem_pa + (ALIGN_DOWN(ipa, size) - vm->mem_ipa), size);
		ipa = ALIGN_DOWN(ipa, size) + size;
	}
}

static void copy_image(struct vm *vm, uint32_t index, uint64_t offset)
{
	const struct bundle_image *img;

	if (index == BUNDLE_NO_IMAGE)
		return;
	img = image(index);
	/* The blocks it lands in are made fresh first, as a guest access would. */
	spin_lock(&vm->lock);
	for (uint64_t ipa = vm->mem_ipa + offset, end = ipa + img->size, size; ipa < end;
	     ipa = ALIGN_DOWN(ipa, size) + size)
		if (!(size = touch_leaf(vm, ipa)))
			break; /* cannot be: bundle_validate checked that the image fits its RAM */
	spin_unlock(&vm->lock);
	memcpy((void *)(vm->mem_pa + offset), bundle + img->offset, img->size);
	dcache_clean_poc(vm->mem_pa + offset, img->size);
}

/* Fresh RAM (mapped untouched): copy the images, each cleaned to the point of coherency
 * because the guest starts with its MMU and caches off and reads memory directly. */
static void load_images(struct vm *vm)
{
	const struct bundle_vm *c = vm->config;

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

	if (!vm || (vm->state != VM_RUNNING && vm->state != VM_PAUSED))
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
		/* A device belongs to one VM at a time (a second instance of a template too). */
		for (uint32_t k = 0; k < MAX_VMS; k++) {
			const struct vm *o = &vms[k];

			if (o == vm || !o->config)
				continue;
			for (uint32_t j = 0; j < o->config->n_passthrough_mmio; j++)
				if (range_overlaps(base, size, o->config->passthrough_mmio[j].base,
						   o->config->passthrough_mmio[j].size))
					return "a passthrough device is given to another VM";
		}
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

void vm_passthrough_enable(struct vm *vm, bool on)
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
	ivc_vm_detach(vm);
	for (uint32_t i = 0; i < ARRAY_SIZE(passthrough_owner); i++)
		if (passthrough_owner[i] == vm)
			passthrough_owner[i] = NULL;
	for (uint32_t i = 0; i < vm->n_vcpus; i++)
		if (vm->vcpus[i].vm)
			sched_detach(&vm->vcpus[i]);
	if (vm->s2.root_pa) {
		vm_scrub(vm); /* nothing survives into a later VM */
		pgt_free_tables(&vm->s2);
		if (vm->vmid)
			stage2_flush_vmid(vm->vttbr ? vm->vttbr : vm->s2.root_pa | (uint64_t)vm->vmid << 48);
		frame_free(vm->s2.root_pa, s2geo.root_pages);
	}
	if (vm->mem_pa)
		frame_free(vm->mem_pa, vm->mem_size / FRAME_SIZE);
	if (vm->vmid)
		vmid_used[vm->vmid] = false;
	memset(vm, 0, sizeof(*vm));
}

void vm_destroy(struct vm *vm)
{
	printk("ftvisor: vm '%s' destroyed: %lu MiB freed (%lu MiB touched, zeroed), VMID %u "
	       "released\n", vm->name, vm->mem_size >> 20, vm->touched >> 20, vm->vmid);
	vm_release(vm);
}

uint32_t vm_vmids_used(void)
{
	uint32_t n = 0;

	for (uint32_t i = 1; i < ARRAY_SIZE(vmid_used); i++)
		n += vmid_used[i];
	return n;
}

static struct vm *fail(struct vm *vm, char *err, size_t err_len, const char *why)
{
	ft_snprintf(err, err_len, "%s", why);
	vm_release(vm);
	return NULL;
}

/* "0x200, 0x201, 0x0, 0x100": the CPUs this machine's device tree has, for messages. */
static void machine_cpus(char *buf, size_t len)
{
	size_t at = 0;

	buf[0] = 0;
	for (uint32_t i = 0; i < hyp_platform->n_cpus && at + 1 < len; i++) {
		int n = ft_snprintf(buf + at, len - at, "%s0x%lx", i ? ", " : "",
				    hyp_platform->cpus[i].mpidr);

		if (n < 0)
			break;
		at += (size_t)n;
	}
	if (at >= len - 1 && len > 4)
		memcpy(buf + len - 4, "...", 4);
}

static uint32_t bits_for(uint64_t end)
{
	uint32_t b = 0;

	while (b < 64 && (end - 1) >> b)
		b++;
	return b;
}

/*
 * The bundle against this machine, before any VM is created: every configured CPU exists,
 * every VM's RAM fits the stage-2 IPA size this CPU allows, passthrough devices lie inside
 * the CPU's physical address range, and no VM spans two core types without "mixed-cores".
 * A bundle built for another board (ftvisor-mkimage --board) fails here: one line per
 * problem, and the number of problems is returned.
 */
uint32_t vm_bundle_check_machine(const void *b, uint32_t pa_bits, uint32_t ipa_bits)
{
	const struct bundle_header *h = b;
	const struct bundle_vm *t = (const void *)((const uint8_t *)b + h->vm_offset);
	uint32_t problems = 0;
	char cpus[200];

	machine_cpus(cpus, sizeof(cpus));
	for (uint32_t k = 0; k < h->n_vms; k++, t++) {
		uint64_t ram_end = t->mem_ipa + t->mem_size;
		int first = -1;

		for (uint32_t i = 0; i < t->n_vcpus; i++) {
			int p = platform_cpu_index(hyp_platform, t->vcpu_mpidr[i]);

			if (p < 0) {
				printk("ftvisor: vm '%s': CPU 0x%lx (vCPU %u) is not in this machine, "
				       "which has CPUs %s\n", t->name, t->vcpu_mpidr[i], i, cpus);
				problems++;
				continue;
			}
			if (!__atomic_load_n(&pcpus[p].online, __ATOMIC_ACQUIRE))
				continue; /* its MIDR is unknown; vm_create refuses an offline CPU */
			if (first < 0) {
				first = p;
			} else if (!(t->flags & VM_F_MIXED_CORES) &&
				   !cpu_same_core_type(pcpus[first].midr, pcpus[p].midr)) {
				printk("ftvisor: vm '%s': CPUs 0x%lx (%s) and 0x%lx (%s) are different "
				       "core types and the VM has no \"mixed-cores\" flag\n", t->name,
				       pcpus[first].mpidr, midr_name(pcpus[first].midr), pcpus[p].mpidr,
				       midr_name(pcpus[p].midr));
				problems++;
			}
		}
		if (bits_for(ram_end) > ipa_bits) {
			printk("ftvisor: vm '%s': RAM at IPA 0x%lx-0x%lx needs a %u-bit IPA; this CPU's "
			       "stage 2 has %u bits (%u-bit PA range)\n", t->name, t->mem_ipa,
			       ram_end - 1, bits_for(ram_end), ipa_bits, pa_bits);
			problems++;
		}
		for (uint32_t i = 0; i < t->n_passthrough_mmio; i++) {
			uint64_t base = t->passthrough_mmio[i].base, end = base + t->passthrough_mmio[i].size;

			if (bits_for(end) > pa_bits) {
				printk("ftvisor: vm '%s': passthrough MMIO 0x%lx-0x%lx is beyond this "
				       "CPU's %u-bit physical address range\n", t->name, base, end - 1,
				       pa_bits);
				problems++;
			}
		}
	}
	return problems;
}

bool vm_bundle_init(const void *b, uint64_t size)
{
	const struct bundle_header *h = b;
	uint32_t parange = BITS(read_sysreg(id_aa64mmfr0_el1), 3, 0);
	uint32_t problems;
	char err[160];

	if (bundle_validate(b, size, err, sizeof(err)) != 0) {
		printk("ftvisor: boot bundle rejected: %s\nftvisor: no VMs started\n", err);
		return false;
	}
	stage2_geometry(parange_to_bits(parange), &s2geo);
	problems = vm_bundle_check_machine(b, parange_to_bits(parange), s2geo.ipa_bits);
	if (problems) {
		printk("ftvisor: this bundle does not fit this machine: %u problem%s; no VMs started\n",
		       problems, problems == 1 ? "" : "s");
		return false;
	}
	bundle = b;
	{
		char v[8];

		s2_pages_only = cmdline_get(hyp_platform->bootargs, "ftvisor.stage2", v, sizeof(v)) &&
				!strcmp(v, "4k");
		if (s2_pages_only)
			printk("vms: stage 2 maps guest RAM with 4 KiB pages only (ftvisor.stage2=4k)\n");
		vm_report_entry = cmdline_get(hyp_platform->bootargs, "ftvisor.boot_times", v,
					      sizeof(v)) && strcmp(v, "0") != 0;
	}
	vcpu_irqs_init();
	ivc_init(b);
	vtcr = stage2_vtcr(&s2geo, parange);
	printk("vms: %u in the boot bundle; stage 2: %u-bit IPA, %u-level walk from level %u\n",
	       h->n_vms, s2geo.ipa_bits, 4 - s2geo.start_level, s2geo.start_level);
	return true;
}

uint32_t vm_template_count(void)
{
	return bundle ? ((const struct bundle_header *)bundle)->n_vms : 0;
}

const struct bundle_vm *vm_template(uint32_t index)
{
	const struct bundle_header *h = (const void *)bundle;

	if (!bundle || index >= h->n_vms)
		return NULL;
	return (const struct bundle_vm *)(bundle + h->vm_offset) + index;
}

/*
 * The MIDR each vCPU reports (core/cpu_policy.h): its CPU's when all are one core type; on a
 * heterogeneous SoC (E2000: FTC310 + FTC664) only with "mixed-cores", and then vCPU 0's.
 */
static bool set_vpidr(struct vm *vm, char *err, size_t err_len)
{
	uint64_t midr[BUNDLE_MAX_VCPUS], vpidr[BUNDLE_MAX_VCPUS];
	uint32_t odd = 0;
	int rc;

	for (uint32_t i = 0; i < vm->n_vcpus; i++)
		midr[i] = pcpus[vm->vcpus[i].pcpu].midr;
	rc = cpu_policy_vpidr(midr, vm->n_vcpus, vm->flags & VM_F_MIXED_CORES, vpidr, &odd);
	if (rc < 0) {
		ft_snprintf(err, err_len, "vCPU 0 on CPU %u is %s, vCPU %u on CPU %u is %s: mixed "
			    "core types need flag \"mixed-cores\"", vm->vcpus[0].pcpu,
			    midr_name(midr[0]), odd, vm->vcpus[odd].pcpu, midr_name(midr[odd]));
		return false;
	}
	for (uint32_t i = 0; i < vm->n_vcpus; i++)
		vm->vcpus[i].vpidr = vpidr[i];
	if (rc > 0)
		printk("vm '%s': vCPUs on different core types; all report vCPU 0's MIDR 0x%08lx "
		       "(%s)\n", vm->name, vpidr[0], midr_name(vpidr[0]));
	return true;
}

struct vm *vm_create(const struct bundle_vm *c, const char *name, bool tagged, char *err,
		     size_t err_len)
{
	struct vm *vm = NULL;
	uint64_t root;
	const char *why;
	char ivc_err[128];
	uint32_t id;

	for (id = 0; id < MAX_VMS && !vm; id++)
		if (vms[id].state == VM_EMPTY && !vms[id].config)
			vm = &vms[id];
	if (!vm) {
		ft_snprintf(err, err_len, "all %u VM slots are in use", MAX_VMS);
		return NULL;
	}
	id = (uint32_t)(vm - vms);
	memset(vm, 0, sizeof(*vm));
	vm->id = id;
	ft_snprintf(vm->name, sizeof(vm->name), "%s", name);
	vm->flags = c->flags;
	vm->prio = c->priority;
	vm->config = c; /* claims the slot while it is being set up */
	vm->n_vcpus = c->n_vcpus;
	vm->mem_ipa = c->mem_ipa;
	vm->mem_size = c->mem_size;
	spin_lock_init(&vm->lock);
	if (id >= nr_vms)
		nr_vms = id + 1;

	for (uint32_t i = 0; i < c->n_vcpus; i++) {
		int p = platform_cpu_index(hyp_platform, c->vcpu_mpidr[i]);
		struct vcpu *v = &vm->vcpus[i];

		if (p < 0)
			return fail(vm, err, err_len, "a configured CPU is not in this machine's device tree");
		if (!__atomic_load_n(&pcpus[p].online, __ATOMIC_ACQUIRE) || pcpus[p].halted)
			return fail(vm, err, err_len, "a configured CPU is not online");
		v->index = i;
		v->pcpu = (uint32_t)p;
		v->prio = vm->prio;
	}
	if (!set_vpidr(vm, err, err_len)) {
		vm_release(vm);
		return NULL;
	}

	for (uint32_t i = 1; i < ARRAY_SIZE(vmid_used); i++) {
		if (!vmid_used[i]) {
			vmid_used[i] = true;
			vm->vmid = i;
			break;
		}
	}
	if (!vm->vmid)
		return fail(vm, err, err_len, "no free VMID");

	vm->mem_pa = frame_alloc(vm->mem_size / FRAME_SIZE, BUNDLE_MEM_ALIGN / FRAME_SIZE);
	if (!vm->mem_pa)
		return fail(vm, err, err_len, "not enough free memory");

	root = frame_alloc(s2geo.root_pages, s2geo.root_pages);
	if (!root)
		return fail(vm, err, err_len, "no memory for stage-2 tables");
	memset((void *)root, 0, s2geo.root_pages * FRAME_SIZE);
	vm->s2 = (struct pgtable){
		.root_pa = root, .start_level = s2geo.start_level,
		.root_entries = s2geo.root_entries, .min_block_level = 1,
		.no_blocks = s2_pages_only,
		.alloc_table = s2_alloc_table, .free_table = s2_free_table, .pa_to_ptr = s2_ptr,
	};
	if (!map_ram(vm))
		return fail(vm, err, err_len, "no memory for stage-2 tables");
	why = setup_passthrough(vm);
	if (why)
		return fail(vm, err, err_len, why);
	dsb(ishst);
	vm->vttbr = root | (uint64_t)vm->vmid << 48;
	stage2_flush_vmid(vm->vttbr);

	vconsole_init(&vm->console, vm->name, tagged);
	if (!vgic_init(vm) || !vuart_pl011_attach(&vm->mmio, &vm->uart, &vm->console, vm) ||
	    !testdev_attach(&vm->mmio, &vm->testdev))
		return fail(vm, err, err_len, "device set-up failed");
	if (!ivc_vm_attach(vm, ivc_err, sizeof(ivc_err)))
		return fail(vm, err, err_len, ivc_err);

	/* Last: pinning makes the vCPUs visible to their CPUs' schedulers. */
	for (uint32_t i = 0; i < vm->n_vcpus; i++) {
		vm->vcpus[i].vm = vm;
		if (!sched_attach(&vm->vcpus[i])) {
			char why2[96];

			vm->vcpus[i].vm = NULL;
			ft_snprintf(why2, sizeof(why2), "CPU %u already hosts %u vCPUs",
				    vm->vcpus[i].pcpu, SCHED_MAX_PER_CPU);
			return fail(vm, err, err_len, why2);
		}
	}
	load_images(vm);
	__atomic_store_n(&vm->state, VM_CREATED, __ATOMIC_RELEASE);
	printk("vm %u '%s': %u vCPU%s on CPU", id, vm->name, vm->n_vcpus, vm->n_vcpus > 1 ? "s" : "");
	for (uint32_t i = 0; i < vm->n_vcpus; i++)
		printk("%s%u", i ? "," : " ", vm->vcpus[i].pcpu);
	printk(", %lu MiB RAM at IPA 0x%lx (PA 0x%lx), VMID %u, priority %u\n", vm->mem_size >> 20,
	       vm->mem_ipa, vm->mem_pa, vm->vmid, vm->prio);
	return vm;
}

void vm_reload(struct vm *vm)
{
	for (uint32_t i = 0; i < vm->n_vcpus; i++) {
		struct vcpu *v = &vm->vcpus[i];

		v->power = VCPU_OFF;
		v->blocked = false;
		v->t_out = v->t_woken = 0;
		memset(&v->st, 0, sizeof(v->st));
	}
	vuart_pl011_reset(&vm->uart);
	testdev_reset(&vm->testdev);
	vgic_reset(vm);
	ivc_vm_reset(vm); /* its channel endpoints; the shared memory is kept */
	/* Zero what the guest touched and forget it: a fresh map with the access flags clear. */
	spin_lock(&vm->lock);
	vm_scrub(vm);
	pgt_unmap(&vm->s2, vm->mem_ipa, vm->mem_size);
	map_ram(vm);
	spin_unlock(&vm->lock);
	dsb(ishst);
	stage2_flush_vmid(vm->vttbr);
	load_images(vm);
}

void vm_boot_vcpu0(struct vm *vm)
{
	const struct bundle_vm *c = vm->config;

	vcpu_power_on(&vm->vcpus[0], vm->mem_ipa + c->kernel_offset, vm->mem_ipa + c->dtb_offset);
}
