/* SPDX-License-Identifier: Apache-2.0 */
/*
 * First C code, entered from head.S with the MMU off: read the platform from the device
 * tree, lay out the hypervisor's memory, build the EL2 tables, turn the MMU on and move to
 * the boot CPU's own stack. Nothing here may use exclusive accesses (spinlocks): with the
 * MMU off all memory is Device memory.
 */
#include "arch/arm64/boot.h"
#include "arch/arm64/cache.h"
#include "arch/arm64/layout.h"
#include "arch/arm64/psci.h"
#include "core/console.h"
#include "core/pcpu.h"
#include "lib/memrange.h"

#define DTB_MAX_SIZE (2u << 20)
#define PT_POOL_PAGES 64

extern char __image_start[], __image_end[], __text_end[], __rodata_end[];
extern char secondary_entry[];

/* Read by secondary CPUs with the MMU off (layout.h SB_*); cleaned to PoC before use. */
struct secondary_boot {
	uint64_t mair, tcr, ttbr0, sctlr;
	uint64_t percpu_base;
	uint64_t pcpu_array;
	uint64_t pcpu_size;
} secondary_boot __aligned(64);

static struct platform plat;
static struct boot_info boot;
static struct el2_mmu_regs mmu_regs;

void __noreturn arch_switch_stack(uint64_t sp, void (*fn)(void *), void *arg);

static void __noreturn halt(void)
{
	for (;;)
		wfe();
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static void __noreturn refuse(const char *why)
{
	printk("ftvisor: cannot start: %s\n", why);
	printk("ftvisor: halted\n");
	halt();
}

static void __noreturn boot_continue(void *arg)
{
	(void)arg;
	hyp_main(&boot);
}

int el2_layout_free(const struct platform *p, const struct el2_layout *l, struct mem_range *out)
{
	uint32_t n = p->n_usable;
	uint64_t dtb = ALIGN_DOWN(l->dtb_base, PAGE_SIZE);
	uint64_t carved = (uint64_t)l->pt_pool_pages * PAGE_SIZE + (l->pt_pool_base - l->percpu_base);

	for (uint32_t i = 0; i < n; i++)
		out[i] = p->usable[i];
	if (!ranges_subtract(out, &n, PLAT_MAX_USABLE, l->image_base, l->image_end - l->image_base) ||
	    !ranges_subtract(out, &n, PLAT_MAX_USABLE, l->bundle_base, l->bundle_size) ||
	    !ranges_subtract(out, &n, PLAT_MAX_USABLE, dtb,
			     ALIGN_UP(l->dtb_base + l->dtb_size, PAGE_SIZE) - dtb) ||
	    (l->pt_pool_pages && !ranges_subtract(out, &n, PLAT_MAX_USABLE, l->percpu_base, carved)))
		return -1;
	return (int)n;
}

/*
 * Memory the hypervisor needs beyond its image: the per-CPU areas and the page-table pool,
 * carved from usable memory next to the image when possible (it is 32 KiB aligned because
 * the stack-overflow check relies on it).
 */
static bool carve_hypervisor_memory(struct el2_layout *l)
{
	struct mem_range free[PLAT_MAX_USABLE];
	uint64_t need = (uint64_t)plat.n_cpus * PERCPU_AREA_SIZE + PT_POOL_PAGES * PAGE_SIZE;
	uint64_t base;
	int n = el2_layout_free(&plat, l, free);

	if (n < 0)
		return false;
	if (!ranges_find_free(free, (uint32_t)n, need, PERCPU_AREA_SIZE, l->image_end, &base) &&
	    !ranges_find_free(free, (uint32_t)n, need, PERCPU_AREA_SIZE, 0, &base))
		return false;
	l->percpu_base = base;
	l->n_cpus = plat.n_cpus;
	l->pt_pool_base = base + (uint64_t)plat.n_cpus * PERCPU_AREA_SIZE;
	l->pt_pool_pages = PT_POOL_PAGES;
	return true;
}

void __noreturn boot_main(uint64_t dtb, uint64_t el, uint64_t load)
{
	char err[160];
	struct el2_layout *l = &boot.layout;
	int idx;

	/* Without a readable device tree there is no console to complain on. */
	if (!dtb || !IS_ALIGNED(dtb, 8))
		halt();
	if (platform_discover((const void *)dtb, DTB_MAX_SIZE, &plat, err, sizeof(err)) != 0) {
		/* Perhaps the console is still usable: try, then stop. */
		if (console_init(&plat))
			printk("ftvisor: bad device tree: %s\n", err);
		halt();
	}
	console_init(&plat);
	printk("\nftvisor: entered at EL%lu, image at 0x%lx, device tree at 0x%lx\n", el, load, dtb);
	if (el != 2)
		refuse(el < 2 ? "entered below EL2; a hypervisor needs EL2 (QEMU: -M virt,virtualization=on; "
				"boards: boot from firmware that enters EL2)"
			      : "entered at EL3; ftvisor must be started at EL2 by the firmware");

	cpu_features_read(&boot.features);
	if (!boot.features.gic_sysregs)
		refuse("this CPU has no GICv3 system-register interface (ID_AA64PFR0_EL1.GIC = 0)");
	if (plat.gic.version != 3)
		refuse("the device tree describes no GICv3 (compatible \"arm,gic-v3\")");
	if (boot.features.pa_bits < 64 && platform_pa_end(&plat) > BIT(boot.features.pa_bits)) {
		printk("ftvisor: the device tree has memory or devices up to 0x%lx; this CPU's PA "
		       "range is %u bits (PARange %u)\n", platform_pa_end(&plat) - 1,
		       boot.features.pa_bits, boot.features.parange);
		refuse("the CPU's physical address range is smaller than the hypervisor needs");
	}
	idx = platform_cpu_index(&plat, arch_this_mpidr());
	if (idx < 0)
		refuse("the boot CPU's MPIDR is not in the device tree's /cpus");
	boot.boot_cpu = (uint32_t)idx;
	boot.plat = &plat;

	l->image_base = (uint64_t)__image_start;
	l->image_end = (uint64_t)__image_end;
	l->text_end = (uint64_t)__text_end;
	l->rodata_end = (uint64_t)__rodata_end;
	/* ftvisor-mkimage appends the boot bundle at the end of .bss and raises the Image
	 * header's image_size over it: what lies beyond our own size is the bundle. */
	l->bundle_base = l->image_end;
	l->bundle_size = le64((const uint8_t *)__image_start + 16) - (l->image_end - l->image_base);
	if ((int64_t)l->bundle_size < 0 || !IS_ALIGNED(l->bundle_size, PAGE_SIZE))
		l->bundle_size = 0;
	l->dtb_base = dtb;
	l->dtb_size = be32((const uint8_t *)dtb + 4);
	if (!carve_hypervisor_memory(l))
		refuse("no free memory for per-CPU stacks and page tables");
	if (mmu_build_el2(&plat, l, boot.features.pa_bits, &mmu_regs) != 0)
		refuse("EL2 page-table pool exhausted");

	/* Everything written so far went to memory; drop stale cache lines before caching. */
	dcache_inval_poc(l->image_base, l->image_end - l->image_base);
	dcache_inval_poc(l->percpu_base, l->pt_pool_base + (uint64_t)l->pt_pool_pages * PAGE_SIZE -
						 l->percpu_base);
	mmu_enable(&mmu_regs);

	for (uint32_t c = 0; c < plat.n_cpus; c++) {
		pcpus[c].id = c;
		pcpus[c].mpidr = plat.cpus[c].mpidr;
		pcpus[c].emergency_sp = l->percpu_base + (uint64_t)c * PERCPU_AREA_SIZE + PERCPU_EMERGENCY_TOP;
	}
	nr_cpus = plat.n_cpus;
	arch_set_this_cpu_ptr(&pcpus[idx]);
	arch_switch_stack(l->percpu_base + (uint64_t)(idx + 1) * PERCPU_AREA_SIZE, boot_continue, NULL);
}

void arch_cpu_init(void)
{
	/* Physical IRQ/FIQ/SError are taken to EL2; lower ELs run AArch64. */
	write_sysreg(hcr_el2, HCR_HOST);
	write_sysreg(cptr_el2, 0x33ff);		/* RES1 bits only: no FP/SIMD traps */
	/* Guests get no PMU: every PMU register access traps (TPM, TPMCR; Arm ARM D13.2.77) and
	 * reads as zero (core/vcpu.c), so no VM can watch or steer counters another uses or
	 * count at EL2. */
	write_sysreg(mdcr_el2, MDCR_EL2_TPM | MDCR_EL2_TPMCR);
	/* EL1 may read the physical counter (EL1PCTEN); its physical timer registers trap
	 * (EL1PCEN clear) and are emulated per vCPU (core/ptimer.c). */
	write_sysreg(cnthctl_el2, 1);
	write_sysreg(cntvoff_el2, 0);
	write_sysreg(vttbr_el2, 0);
	write_sysreg_s(CNTHP_CTL_EL2, 0);
	isb();
}

int64_t arch_start_cpu(uint32_t idx, uint64_t mpidr)
{
	static bool published;

	if (!published) {
		secondary_boot = (struct secondary_boot){
			.mair = mmu_regs.mair, .tcr = mmu_regs.tcr, .ttbr0 = mmu_regs.ttbr0,
			.sctlr = mmu_regs.sctlr, .percpu_base = boot.layout.percpu_base,
			.pcpu_array = (uint64_t)pcpus, .pcpu_size = sizeof(struct pcpu),
		};
		dcache_clean_poc((uint64_t)&secondary_boot, sizeof(secondary_boot));
		published = true;
	}
	return psci_cpu_on(mpidr, (uint64_t)secondary_entry, idx);
}

void __noreturn secondary_main(uint64_t idx)
{
	hyp_secondary_main((uint32_t)idx);
}
