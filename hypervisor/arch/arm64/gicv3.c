/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Physical GICv3 driver (GIC Architecture Specification, IHI 0069). The hypervisor owns the
 * GIC: all interrupts are non-secure group 1, taken at EL2 (HCR_EL2.IMO=1).
 */
#include "arch/arm64/gicv3.h"
#include "arch/arch.h"
#include "arch/arm64/mmio.h"
#include "lib/format.h"

/* Distributor (IHI 0069 12.9) */
#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IIDR 0x0008
#define GICD_IGROUPR 0x0080
#define GICD_ICENABLER 0x0180
#define GICD_ICPENDR 0x0280
#define GICD_ICACTIVER 0x0380
#define GICD_IPRIORITYR 0x0400
#define GICD_ICFGR 0x0c00
#define GICD_IROUTER 0x6100
#define GICD_PIDR2 0xffe8

#define CTLR_ENABLE_G1 BIT(0)	/* EnableGrp0 when DS=1; EnableGrp1 in the NS view */
#define CTLR_ENABLE_G1A BIT(1)	/* EnableGrp1 when DS=1; EnableGrp1A in the NS view */
#define CTLR_ARE BIT(4)
#define CTLR_DS BIT(6)
#define CTLR_RWP BIT(31)

/* Redistributor: RD frame, then SGI frame 64 KiB later (IHI 0069 12.10, 12.11) */
#define GICR_CTLR 0x0000
#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014
#define GICR_PIDR2 0xffe8
#define GICR_SGI 0x10000
#define GICR_IGROUPR0 (GICR_SGI + 0x0080)
#define GICR_ISENABLER0 (GICR_SGI + 0x0100)
#define GICR_ICENABLER0 (GICR_SGI + 0x0180)
#define GICR_ICPENDR0 (GICR_SGI + 0x0280)
#define GICR_ISACTIVER0 (GICR_SGI + 0x0300)
#define GICR_ICACTIVER0 (GICR_SGI + 0x0380)
#define GICR_IPRIORITYR (GICR_SGI + 0x0400)

#define TYPER_VLPIS BIT(1)
#define TYPER_LAST BIT(4)
#define WAKER_PROCESSOR_SLEEP BIT(1)
#define WAKER_CHILDREN_ASLEEP BIT(2)

#define DEFAULT_PRIORITY 0xa0
#define ICC_SRE_SRE BIT(0)
#define ICC_SRE_DFB BIT(1)
#define ICC_SRE_DIB BIT(2)
#define ICC_SRE_ENABLE BIT(3)
#define ICC_CTLR_EOIMODE BIT(1)

static uint64_t gicd;

bool gicv3_sysregs_available(void)
{
	uint64_t sre;

	if (BITS(read_sysreg(id_aa64pfr0_el1), 27, 24) == 0)
		return false;
	/* SRE may be RAO/WI or stuck at 0 if EL3 did not allow it (ICC_SRE_EL3.Enable). */
	write_sysreg_s(ICC_SRE_EL2, ICC_SRE_SRE | ICC_SRE_DFB | ICC_SRE_DIB | ICC_SRE_ENABLE);
	isb();
	sre = read_sysreg_s(ICC_SRE_EL2);
	return sre & ICC_SRE_SRE;
}

static bool wait_clear(uint64_t addr, uint32_t mask)
{
	uint64_t t0 = arch_counter(), limit = arch_counter_freq(); /* one second */

	while (mmio_read32(addr) & mask)
		if (arch_counter() - t0 > limit)
			return false;
	return true;
}

int gicv3_init_distributor(const struct plat_gic *g, struct gicv3_info *info, char *err,
			   size_t err_len)
{
	uint32_t typer, nr_lines, arch_rev;
	uint64_t vtr = read_sysreg_s(ICH_VTR_EL2);

	if (g->version != 3) {
		ft_snprintf(err, err_len, "no GICv3 (arm,gic-v3) node in the device tree");
		return -1;
	}
	gicd = g->gicd_base;
	arch_rev = BITS(mmio_read32(gicd + GICD_PIDR2), 7, 4);
	if (arch_rev != 3 && arch_rev != 4) {
		ft_snprintf(err, err_len, "GICD at 0x%lx has ArchRev %u, not GICv3/v4", gicd, arch_rev);
		return -1;
	}
	typer = mmio_read32(gicd + GICD_TYPER);
	nr_lines = 32 * (BITS(typer, 4, 0) + 1);
	if (nr_lines > 1020)
		nr_lines = 1020;
	info->nr_spis = nr_lines - 32;
	info->id_bits = BITS(typer, 23, 19) + 1;
	info->iidr = mmio_read32(gicd + GICD_IIDR);
	info->list_registers = BITS(vtr, 4, 0) + 1;
	info->pri_bits = BITS(vtr, 31, 29) + 1;

	mmio_write32(gicd + GICD_CTLR, 0);
	if (!wait_clear(gicd + GICD_CTLR, CTLR_RWP)) {
		ft_snprintf(err, err_len, "GICD_CTLR.RWP stuck");
		return -1;
	}
	info->security_disabled = mmio_read32(gicd + GICD_CTLR) & CTLR_DS;

	/* SPIs: group 1, disabled, inactive, not pending, default priority, level. */
	for (uint32_t i = 32; i < nr_lines; i += 32) {
		mmio_write32(gicd + GICD_IGROUPR + i / 8, 0xffffffff);
		mmio_write32(gicd + GICD_ICENABLER + i / 8, 0xffffffff);
		mmio_write32(gicd + GICD_ICPENDR + i / 8, 0xffffffff);
		mmio_write32(gicd + GICD_ICACTIVER + i / 8, 0xffffffff);
	}
	for (uint32_t i = 32; i < nr_lines; i += 4)
		mmio_write32(gicd + GICD_IPRIORITYR + i, DEFAULT_PRIORITY * 0x01010101u);
	for (uint32_t i = 32; i < nr_lines; i += 16)
		mmio_write32(gicd + GICD_ICFGR + i / 4, 0);
	for (uint32_t i = 32; i < nr_lines; i++)
		mmio_write64(gicd + GICD_IROUTER + 8 * (i - 32), arch_this_mpidr());

	/* Same bits work with one (DS=1) or two security states (Linux does the same). */
	mmio_write32(gicd + GICD_CTLR, CTLR_ARE | CTLR_ENABLE_G1A | CTLR_ENABLE_G1);
	if (!wait_clear(gicd + GICD_CTLR, CTLR_RWP)) {
		ft_snprintf(err, err_len, "GICD_CTLR.RWP stuck after enable");
		return -1;
	}
	return 0;
}

/* GICR_TYPER.Affinity_Value is Aff3.Aff2.Aff1.Aff0, MPIDR has Aff3 at bits 39:32. */
static uint32_t mpidr_to_gicr_aff(uint64_t mpidr)
{
	return (uint32_t)(BITS(mpidr, 39, 32) << 24 | BITS(mpidr, 23, 0));
}

static uint64_t find_redistributor(const struct plat_gic *g, uint64_t mpidr)
{
	uint32_t want = mpidr_to_gicr_aff(mpidr);

	for (uint32_t r = 0; r < g->n_gicr; r++) {
		uint64_t base = g->gicr[r].base, end = base + g->gicr[r].size;

		while (base + 0x20000 <= end) {
			uint64_t typer;
			uint32_t rev = BITS(mmio_read32(base + GICR_PIDR2), 7, 4);

			if (rev != 3 && rev != 4)
				break; /* not a redistributor: end of this region's frames */
			typer = mmio_read64(base + GICR_TYPER);
			if ((uint32_t)(typer >> 32) == want)
				return base;
			if (typer & TYPER_LAST)
				break;
			base += g->gicr_stride ? g->gicr_stride
					       : (typer & TYPER_VLPIS ? 0x40000 : 0x20000);
		}
	}
	return 0;
}

uint64_t gicv3_init_cpu(const struct plat_gic *g, uint64_t mpidr)
{
	uint64_t rd = find_redistributor(g, mpidr);

	if (!rd)
		return 0;
	mmio_write32(rd + GICR_WAKER, mmio_read32(rd + GICR_WAKER) & ~WAKER_PROCESSOR_SLEEP);
	if (!wait_clear(rd + GICR_WAKER, WAKER_CHILDREN_ASLEEP))
		return 0;

	/* SGIs and PPIs: group 1, all disabled but SGIs, nothing pending or active. */
	mmio_write32(rd + GICR_IGROUPR0, 0xffffffff);
	mmio_write32(rd + GICR_ICENABLER0, 0xffff0000);
	mmio_write32(rd + GICR_ICPENDR0, 0xffffffff);
	mmio_write32(rd + GICR_ICACTIVER0, 0xffffffff);
	for (uint32_t i = 0; i < 32; i += 4)
		mmio_write32(rd + GICR_IPRIORITYR + i, DEFAULT_PRIORITY * 0x01010101u);
	mmio_write32(rd + GICR_ISENABLER0, 0x0000ffff);
	wait_clear(rd + GICR_CTLR, CTLR_RWP);

	write_sysreg_s(ICC_SRE_EL2, ICC_SRE_SRE | ICC_SRE_DFB | ICC_SRE_DIB | ICC_SRE_ENABLE);
	isb();
	write_sysreg_s(ICC_PMR_EL1, 0xff);
	write_sysreg_s(ICC_BPR1_EL1, 0);
	/* EOImode 1: EOIR only drops priority, DIR deactivates. Needed later so a guest's
	 * deactivation of a passed-through interrupt (list register HW bit) completes it. */
	write_sysreg_s(ICC_CTLR_EL1, ICC_CTLR_EOIMODE);
	write_sysreg_s(ICC_IGRPEN1_EL1, 1);
	isb();
	return rd;
}

void gicv3_enable_private(uint64_t gicr_base, uint32_t intid)
{
	if (intid < 32)
		mmio_write32(gicr_base + GICR_ISENABLER0, 1u << intid);
}

void gicv3_set_active_private(uint64_t gicr_base, uint32_t intid)
{
	if (intid < 32)
		mmio_write32(gicr_base + GICR_ISACTIVER0, 1u << intid);
}

uint32_t gicv3_ack(void)
{
	uint32_t intid = (uint32_t)read_sysreg_s(ICC_IAR1_EL1) & 0xffffff;

	dsb(sy); /* the interrupt's cause (memory written before the SGI) is now visible */
	return intid;
}

void gicv3_eoi(uint32_t intid)
{
	write_sysreg_s(ICC_EOIR1_EL1, intid);
	isb();
	write_sysreg_s(ICC_DIR_EL1, intid);
	isb();
}

void gicv3_priority_drop(uint32_t intid)
{
	write_sysreg_s(ICC_EOIR1_EL1, intid);
	isb();
}

void gicv3_deactivate(uint32_t intid)
{
	write_sysreg_s(ICC_DIR_EL1, intid);
	isb();
}

void gicv3_enable_spi(uint32_t intid, uint64_t mpidr)
{
	if (intid < 32 || intid >= 1020)
		return;
	mmio_write64(gicd + GICD_IROUTER + 8 * (intid - 32), mpidr);
	mmio_write32(gicd + GICD_ICFGR + intid / 16 * 4,
		     mmio_read32(gicd + GICD_ICFGR + intid / 16 * 4) & ~(3u << (intid % 16 * 2)));
	mmio_write32(gicd + 0x0100 + intid / 32 * 4, 1u << (intid % 32)); /* GICD_ISENABLER */
}

void gicv3_route_spi(uint32_t intid, uint64_t mpidr)
{
	if (intid >= 32 && intid < 1020)
		mmio_write64(gicd + GICD_IROUTER + 8 * (intid - 32), mpidr);
}

void gicv3_disable_spi(uint32_t intid)
{
	if (intid < 32 || intid >= 1020)
		return;
	mmio_write32(gicd + GICD_ICENABLER + intid / 32 * 4, 1u << (intid % 32));
	wait_clear(gicd + GICD_CTLR, CTLR_RWP);
}

void arch_send_sgi(uint64_t mpidr, unsigned int sgi)
{
	uint64_t aff0 = BITS(mpidr, 7, 0);
	/* ICC_SGI1R_EL1 (IHI 0069 12.2.12): Aff3 55:48, RS 47:44, Aff2 39:32, INTID 27:24,
	 * Aff1 23:16, TargetList 15:0 (bit = Aff0 % 16, RS = Aff0 / 16). */
	uint64_t v = BITS(mpidr, 39, 32) << 48 | (aff0 >> 4) << 44 | BITS(mpidr, 23, 16) << 32 |
		     (uint64_t)(sgi & 0xf) << 24 | BITS(mpidr, 15, 8) << 16 | 1ULL << (aff0 & 0xf);

	dsb(ishst); /* what the target will read is visible before the interrupt is */
	write_sysreg_s(ICC_SGI1R_EL1, v);
	isb();
}
