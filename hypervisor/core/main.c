/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The boot sequence once the MMU is on (the boot CPU), and the secondary CPUs' entry.
 * Everything printed here is the boot banner the system tests read.
 */
#include "arch/arm64/boot.h"
#include "arch/arm64/gicv3.h"
#include "arch/arm64/psci.h"
#include "core/console.h"
#include "core/console_input.h"
#include "core/frame.h"
#include "core/irq.h"
#include "core/mgmt.h"
#include "core/sched.h"
#include "core/shell.h"
#include "core/pcpu.h"
#include "core/selftest.h"
#include "core/smp.h"
#include "core/version.h"
#include "core/vm.h"
#include "lib/cmdline.h"
#include "lib/crc32.h"
#include "platform/board.h"

#define HYP_TIMER_INTID_DEFAULT 26 /* PPI 10: the EL2 physical timer on every GICv3 board */

const struct platform *hyp_platform;
uint64_t hyp_image_base;
static const struct platform *plat;
static uint32_t hyp_timer_intid;
static uint64_t banner_at;

void *frame_pa_to_ptr(uint64_t pa)
{
	return (void *)pa; /* EL2 maps RAM 1:1 */
}

static void __noreturn stop(const char *why)
{
	printk("ftvisor: cannot go on: %s\nftvisor: halted\n", why);
	for (;;)
		arch_wait_for_interrupt();
}

static const char *reserved_kind_name(enum reserved_kind k)
{
	return k == RSV_MEMRESERVE ? "memreserve" : k == RSV_RESERVED_MEMORY ? "reserved-memory" : "board";
}

static void print_memory(void)
{
	for (uint32_t i = 0; i < plat->n_mem; i++)
		printk("memory: bank %u 0x%010lx-0x%010lx (%lu MiB)\n", i, plat->mem[i].base,
		       plat->mem[i].base + plat->mem[i].size - 1, plat->mem[i].size >> 20);
	for (uint32_t i = 0; i < plat->n_reserved; i++)
		printk("memory: reserved 0x%010lx-0x%010lx (%s)\n", plat->reserved[i].base,
		       plat->reserved[i].base + plat->reserved[i].size - 1,
		       reserved_kind_name(plat->reserved[i].kind));
}

/* Free memory = usable minus the image, its per-CPU areas and page tables, the tree. */
static void init_frames(const struct el2_layout *l)
{
	struct mem_range free[PLAT_MAX_USABLE];
	uint64_t hyp_end = l->pt_pool_base + (uint64_t)l->pt_pool_pages * 4096;
	int n = el2_layout_free(plat, l, free);

	if (n < 0 || frame_init(free, (uint32_t)n) < 0)
		stop("no free memory for guests");
	printk("memory: %lu MiB free for VMs in %d ranges; hypervisor uses %lu KiB\n",
	       (frame_free_count() * FRAME_SIZE) >> 20, n,
	       (l->image_end - l->image_base + hyp_end - l->percpu_base) >> 10);
}

static void print_cpus(void)
{
	uint32_t online = 0;

	for (uint32_t i = 0; i < nr_cpus; i++) {
		struct pcpu *c = &pcpus[i];
		bool up = __atomic_load_n(&c->online, __ATOMIC_ACQUIRE);

		online += up;
		if (up)
			printk("cpu %u: MPIDR 0x%06lx MIDR 0x%08lx (%s) online%s\n", i, c->mpidr, c->midr,
			       midr_name(c->midr), i == this_cpu_id() ? " [boot]" : "");
		else
			printk("cpu %u: MPIDR 0x%06lx offline\n", i, c->mpidr);
	}
	printk("cpus: %u online of %u\n", online, nr_cpus);
}

/* Redistributor, CPU interface and timer PPI of the calling CPU. */
static bool cpu_irq_init(void)
{
	struct pcpu *c = this_cpu();

	c->gicr_base = gicv3_init_cpu(&plat->gic, c->mpidr);
	if (!c->gicr_base)
		return false;
	gicv3_enable_private(c->gicr_base, hyp_timer_intid);
	return true;
}

void __noreturn hyp_main(const struct boot_info *bi)
{
	const struct cpu_features *f = &bi->features;
	struct gicv3_info gic;
	char err[128], fault[32];
	uint32_t online, failures = 0;

	plat = hyp_platform = bi->plat;
	hyp_image_base = bi->layout.image_base;
	console_enable_locking();
	arch_cpu_init();
	this_cpu()->midr = f->midr;

	banner_at = arch_counter();
	printk("ftvisor %s (%s), a type-1 hypervisor for Phytium ARMv8 - Apache-2.0\n",
	       FTVISOR_VERSION, FTVISOR_GIT);
	printk("board: %s (compatible \"%s\", port %s)\n",
	       plat->model[0] ? plat->model : plat->compatible, plat->compatible, plat->board->name);
	printk("image: 0x%lx-0x%lx (%lu KiB), W^X EL2 stage-1, caches on\n", bi->layout.image_base,
	       bi->layout.image_end - 1, (bi->layout.image_end - bi->layout.image_base) >> 10);
	if (bi->layout.bundle_size)
		printk("bundle: 0x%lx-0x%lx (%lu KiB)\n", bi->layout.bundle_base,
		       bi->layout.bundle_base + bi->layout.bundle_size - 1, bi->layout.bundle_size >> 10);
	printk("features: PA %u bits (PARange %u), VMID %u bits, VHE %s, LSE %s, CRC32 %s\n",
	       f->pa_bits, f->parange, f->vmid_bits, f->vhe ? "yes (unused)" : "no",
	       f->lse ? "yes (unused)" : "no", crc32_use_instructions() ? "yes" : "no");
	if (plat->uart.present)
		printk("console: %s at 0x%lx, clock %u Hz\n", plat->uart.compatible, plat->uart.base,
		       plat->uart.clock_hz);
	print_memory();
	init_frames(&bi->layout);

	if (gicv3_init_distributor(&plat->gic, &gic, err, sizeof(err)) != 0)
		stop(err);
	printk("gic: GICv3 GICD 0x%lx, GICR 0x%lx (%u region%s), %u SPIs, %u list registers, "
	       "%u priority bits%s\n",
	       plat->gic.gicd_base, plat->gic.gicr[0].base, plat->gic.n_gicr,
	       plat->gic.n_gicr == 1 ? "" : "s", gic.nr_spis, gic.list_registers, gic.pri_bits,
	       gic.security_disabled ? ", single security state" : "");
	hyp_timer_intid = plat->timer.intid_hyp_phys ? plat->timer.intid_hyp_phys : HYP_TIMER_INTID_DEFAULT;
	if (!arch_counter_freq())
		stop("CNTFRQ_EL0 is 0 (firmware did not program the counter frequency)");
	printk("timer: counter %lu Hz (device tree says %u), EL2 timer INTID %u\n", arch_counter_freq(),
	       plat->timer.freq_hz, hyp_timer_intid);
	selftest_init(hyp_timer_intid);
	if (!cpu_irq_init())
		stop("no redistributor matches the boot CPU's MPIDR");
	__atomic_store_n(&this_cpu()->online, true, __ATOMIC_RELEASE);
	local_irq_enable();

	if (nr_cpus > 1 && !psci_init(plat))
		printk("psci: no PSCI over SMC in the device tree: running on the boot CPU only\n");
	else if (nr_cpus > 1)
		printk("psci: version %ld.%ld over SMC\n", psci_version() >> 16, psci_version() & 0xffff);
	online = nr_cpus > 1 ? smp_boot_secondaries(bi->boot_cpu) : 1;
	print_cpus();
	(void)online;

	failures += selftest_sgi_pingpong(bi->boot_cpu);
	failures += selftest_timer(bi->boot_cpu);
	if (cmdline_get(plat->bootargs, "ftvisor.fault", fault, sizeof(fault)))
		selftest_fault(fault, bi->boot_cpu);

	sched_init(hyp_timer_intid);
	if (bi->layout.bundle_size) {
		const struct bundle_header *h = (const void *)bi->layout.bundle_base;
		uint32_t n = 0;

		shell_init();
		if (vm_bundle_init(h, bi->layout.bundle_size))
			mgmt_boot(bi->boot_cpu, h->flags & BUNDLE_F_CONSOLE_TAGGED);
		console_input_init(plat);
		for (uint32_t i = 0; i < nr_vms; i++)
			n += vms[i].state != VM_EMPTY;
		printk("ftvisor: ready (%s; %u VMs). Shell: 'help'; Ctrl-] N: VM N's console, "
		       "Ctrl-] s: back to the shell. QEMU: Ctrl-A X quits.\n",
		       failures ? "SELF-TEST FAILURES" : "self-tests passed", n);
		printk("ftvisor: boot took %lu us of counter time (banner at %lu us)\n",
		       arch_counter_us(arch_counter()), arch_counter_us(banner_at));
		shell_prompt();
	} else {
		printk("ftvisor: ready (%s; no boot bundle, so no VMs). QEMU: Ctrl-A X quits.\n",
		       failures ? "SELF-TEST FAILURES" : "self-tests passed");
	}
	smp_idle();
}

void __noreturn hyp_secondary_main(uint32_t idx)
{
	struct pcpu *c = this_cpu();

	(void)idx;
	arch_cpu_init();
	c->midr = read_sysreg(midr_el1);
	if (!cpu_irq_init()) {
		printk("cpu %u: no redistributor for MPIDR 0x%lx; CPU parked\n", c->id, c->mpidr);
		for (;;)
			arch_wait_for_interrupt();
	}
	__atomic_store_n(&c->online, true, __ATOMIC_RELEASE);
	local_irq_enable();
	smp_idle();
}
