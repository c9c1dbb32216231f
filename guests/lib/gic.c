/* SPDX-License-Identifier: Apache-2.0 */
#include "gic.h"
#include "counter.h"
#include "dtb.h"

void gic_discover(struct gic *gic)
{
	const struct dt *dt = dtb_get();
	uint64_t d, r, size;
	int node;

	gic->gicd = GICD_DEFAULT_BASE;
	gic->gicr = GICR_DEFAULT_BASE;
	gic->from_dt = false;
	if (!dt)
		return;
	for (node = dt_find_compatible(dt, -1, "arm,gic-v3"); node >= 0;
	     node = dt_find_compatible(dt, node, "arm,gic-v3")) {
		if (!dt_node_is_available(dt, node))
			continue;
		if (dt_reg_translated(dt, node, 0, &d, &size) != DT_OK ||
		    dt_reg_translated(dt, node, 1, &r, &size) != DT_OK)
			continue;
		gic->gicd = d;
		gic->gicr = r;
		gic->from_dt = true;
		return;
	}
}

static bool wait_clear(uint64_t addr, uint32_t mask, uint64_t timeout_us)
{
	uint64_t start = counter_read();

	while (gic_read32(addr) & mask)
		if (counter_us_since(start) > timeout_us)
			return false;
	return true;
}

bool gicd_wait_rwp(const struct gic *gic, uint64_t timeout_us)
{
	return wait_clear(gic->gicd + GICD_CTLR, GICD_CTLR_RWP, timeout_us);
}

bool gicr_wait_rwp(uint64_t rd, uint64_t timeout_us)
{
	return wait_clear(rd + GICR_CTLR, GICR_CTLR_RWP, timeout_us);
}

int gicr_find(const struct gic *gic, uint64_t mpidr, unsigned int max_frames)
{
	uint32_t want = gic_mpidr_to_affinity(mpidr);
	unsigned int i;

	for (i = 0; i < max_frames; i++) {
		uint64_t typer = gic_read64(gicr_frame(gic, i) + GICR_TYPER);

		if (GICR_TYPER_AFFINITY(typer) == want)
			return (int) i;
		if (typer & GICR_TYPER_LAST)
			break;
	}
	return -1;
}

bool gicr_wake(uint64_t rd, uint64_t timeout_us)
{
	uint32_t w = gic_read32(rd + GICR_WAKER);

	gic_write32(rd + GICR_WAKER, w & ~(uint32_t) GICR_WAKER_PROCESSOR_SLEEP);
	dsb(sy);
	return wait_clear(rd + GICR_WAKER, GICR_WAKER_CHILDREN_ASLEEP, timeout_us);
}

void gic_set_priority(const struct gic *gic, uint64_t rd, unsigned int intid, uint8_t prio)
{
	/* Word read-modify-write: every GIC allows word access to IPRIORITYR. */
	uint64_t addr =
	    (intid < 32 ? gicr_sgi(rd) + GICR_IPRIORITYR : gic->gicd + GICD_IPRIORITYR) +
	    (intid & ~3u);
	unsigned int shift = (intid & 3) * 8;
	uint32_t v = gic_read32(addr);

	v = (v & ~(0xffu << shift)) | (uint32_t) prio << shift;
	gic_write32(addr, v);
	dsb(sy);
}

#define SIMPLE_TIMEOUT_US 100000

uint64_t gic_init_simple(const struct gic *gic)
{
	int frame = gicr_find(gic, read_sysreg(mpidr_el1), MAX_VCPUS);
	uint64_t rd = gicr_frame(gic, frame < 0 ? 0 : (unsigned int) frame);

	/* Bits 0, 1, 4: Group 1 and ARE in both the DS = 1 and the Non-secure layouts. */
	gic_write32(gic->gicd + GICD_CTLR,
		    GICD_CTLR_ARE | GICD_CTLR_ENABLE_G1 | GICD_CTLR_ENABLE_G0_G1NS);
	gicd_wait_rwp(gic, SIMPLE_TIMEOUT_US);
	gicr_wake(rd, SIMPLE_TIMEOUT_US);
	write_sysreg(icc_sre_el1,
		     read_sysreg(icc_sre_el1) | ICC_SRE_SRE | ICC_SRE_DFB | ICC_SRE_DIB);
	isb();
	gic_set_pmr(0xff);
	write_sysreg(icc_bpr1_el1, 0);
	write_sysreg(icc_ctlr_el1, read_sysreg(icc_ctlr_el1) & ~ICC_CTLR_EOIMODE);
	write_sysreg(icc_igrpen1_el1, 1);
	isb();
	return rd;
}

void gic_enable_irq(const struct gic *gic, uint64_t rd, unsigned int intid, uint8_t prio)
{
	uint32_t bit = 1u << (intid % 32);

	if (intid < 32) {
		uint64_t sgi = gicr_sgi(rd);

		gic_write32(sgi + GICR_IGROUPR0, gic_read32(sgi + GICR_IGROUPR0) | bit);
		gic_set_priority(gic, rd, intid, prio);
		gic_write32(sgi + GICR_ISENABLER0, bit);
		gicr_wait_rwp(rd, SIMPLE_TIMEOUT_US);
	} else {
		uint64_t grp = gic->gicd + GICD_IGROUPR + 4 * (intid / 32);

		gic_write32(grp, gic_read32(grp) | bit);
		gic_set_priority(gic, rd, intid, prio);
		gic_write64(gic->gicd + GICD_IROUTER + 8 * intid,
			    gic_mpidr_to_irouter(read_sysreg(mpidr_el1)));
		gic_write32(gic->gicd + GICD_ISENABLER + 4 * (intid / 32), bit);
		gicd_wait_rwp(gic, SIMPLE_TIMEOUT_US);
	}
	dsb(sy);
}
