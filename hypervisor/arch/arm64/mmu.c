/* SPDX-License-Identifier: Apache-2.0 */
#include "arch/arm64/mmu.h"
#include "arch/arm64/layout.h"
#include "arch/arm64/pgtable.h"
#include "arch/arm64/sysreg.h"
#include "lib/string.h"

/* MAIR_EL2 attribute indices (Arm ARM D19.2.97) */
#define MT_NORMAL 0		/* Normal, inner/outer write-back read/write-allocate */
#define MT_DEVICE_nGnRE 1
#define MAIR_VALUE (0xffULL << (8 * MT_NORMAL) | 0x04ULL << (8 * MT_DEVICE_nGnRE))

#define EL2_RAM (PTE_ATTRINDX(MT_NORMAL) | PTE_SH_INNER | PTE_AF | PTE_AP_RW_EL2 | PTE_XN)
#define EL2_TEXT (PTE_ATTRINDX(MT_NORMAL) | PTE_SH_INNER | PTE_AF | PTE_AP_RO_EL2)
#define EL2_RODATA (PTE_ATTRINDX(MT_NORMAL) | PTE_SH_INNER | PTE_AF | PTE_AP_RO_EL2 | PTE_XN)
#define EL2_DEVICE (PTE_ATTRINDX(MT_DEVICE_nGnRE) | PTE_AF | PTE_AP_RW_EL2 | PTE_XN)

/* TCR_EL2 without VHE (Arm ARM D19.2.138): RES1 bits 31 and 23 */
#define TCR_RES1 (BIT(31) | BIT(23))
#define TCR_T0SZ(bits) (64ULL - (bits))
#define TCR_IRGN0_WBWA (1ULL << 8)
#define TCR_ORGN0_WBWA (1ULL << 10)
#define TCR_SH0_INNER (3ULL << 12)
#define TCR_PS_SHIFT 16

static struct {
	uint64_t base;
	uint32_t pages, used;
} pool;

static struct pgtable el2_pt;

static uint64_t pool_alloc(void *ctx)
{
	uint64_t pa;

	(void)ctx;
	if (pool.used >= pool.pages)
		return 0;
	pa = pool.base + (uint64_t)pool.used++ * PAGE_SIZE;
	memset((void *)pa, 0, PAGE_SIZE);
	return pa;
}

static void *identity(void *ctx, uint64_t pa)
{
	(void)ctx;
	return (void *)pa;
}

static int map(uint64_t base, uint64_t end, uint64_t attr)
{
	base = ALIGN_DOWN(base, PAGE_SIZE);
	end = ALIGN_UP(end, PAGE_SIZE);
	return end > base ? pgt_map(&el2_pt, base, base, end - base, attr) : 0;
}

int mmu_build_el2(const struct platform *p, const struct el2_layout *l, unsigned int pa_bits,
		  struct el2_mmu_regs *regs)
{
	int rc = 0;

	pool.base = l->pt_pool_base;
	pool.pages = l->pt_pool_pages;
	pool.used = 0;
	el2_pt = (struct pgtable){
		.start_level = 0, .root_entries = PGT_ENTRIES, .min_block_level = 1,
		.alloc_table = pool_alloc, .pa_to_ptr = identity,
	};
	el2_pt.root_pa = pool_alloc(NULL);

	/* Later mappings override earlier ones, so go from general to specific. */
	for (uint32_t i = 0; i < p->n_usable; i++)
		rc |= map(p->usable[i].base, p->usable[i].base + p->usable[i].size, EL2_RAM);
	rc |= map(l->image_base, l->image_end, EL2_RAM);
	rc |= map(l->image_base, l->text_end, EL2_TEXT);
	rc |= map(l->text_end, l->rodata_end, EL2_RODATA);
	rc |= map(l->dtb_base, l->dtb_base + l->dtb_size, EL2_RODATA);
	rc |= map(l->bundle_base, l->bundle_base + l->bundle_size, EL2_RODATA);
	rc |= map(l->pt_pool_base, l->pt_pool_base + (uint64_t)l->pt_pool_pages * PAGE_SIZE, EL2_RAM);
	for (uint32_t c = 0; c < l->n_cpus; c++) {
		uint64_t area = l->percpu_base + (uint64_t)c * PERCPU_AREA_SIZE;

		rc |= map(area, area + PERCPU_AREA_SIZE, EL2_RAM);
		rc |= pgt_unmap(&el2_pt, area + PERCPU_GUARD_START, PERCPU_GUARD_END - PERCPU_GUARD_START);
	}
	if (p->uart.present)
		rc |= map(p->uart.base, p->uart.base + MAX(p->uart.size, (uint64_t)PAGE_SIZE), EL2_DEVICE);
	if (p->gic.version == 3) {
		rc |= map(p->gic.gicd_base, p->gic.gicd_base + MAX(p->gic.gicd_size, 0x10000ULL), EL2_DEVICE);
		for (uint32_t i = 0; i < p->gic.n_gicr; i++)
			rc |= map(p->gic.gicr[i].base, p->gic.gicr[i].base + p->gic.gicr[i].size, EL2_DEVICE);
	}
	if (rc || !el2_pt.root_pa)
		return -1;

	/* A 48-bit VA always covers the PA range we use (PS is capped at 48 bits: no LPA2). */
	regs->mair = MAIR_VALUE;
	regs->tcr = TCR_RES1 | TCR_T0SZ(48) | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA | TCR_SH0_INNER |
		    ((uint64_t)(pa_bits >= 48 ? 5 : BITS(read_sysreg(id_aa64mmfr0_el1), 3, 0))
		     << TCR_PS_SHIFT);
	regs->ttbr0 = el2_pt.root_pa;
	/* WXN: any writable mapping is also execute-never, whatever its XN bit says. */
	regs->sctlr = SCTLR_EL2_RES1 | SCTLR_M | SCTLR_C | SCTLR_I | SCTLR_SA | SCTLR_WXN;
	return 0;
}

void mmu_enable(const struct el2_mmu_regs *regs)
{
	write_sysreg(mair_el2, regs->mair);
	write_sysreg(tcr_el2, regs->tcr);
	write_sysreg(ttbr0_el2, regs->ttbr0);
	isb();
	asm volatile("tlbi alle2" ::: "memory");
	dsb(nsh);
	isb();
	write_sysreg(sctlr_el2, regs->sctlr);
	isb();
	asm volatile("ic iallu" ::: "memory");
	dsb(nsh);
	isb();
}

int mmu_map_device(uint64_t pa, uint64_t size)
{
	int rc = map(pa, pa + size, EL2_DEVICE);

	dsb(ishst); /* table writes visible to the walker before first use */
	isb();
	return rc ? -1 : 0;
}

uint32_t mmu_pool_used(void)
{
	return pool.used;
}
