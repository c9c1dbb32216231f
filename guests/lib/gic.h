/* SPDX-License-Identifier: Apache-2.0 */
/*
 * GICv3 for the test guests (Arm IHI 0069): register layout of the Distributor (GICD) and of
 * the Redistributors (GICR, one 128 KiB frame per PE: RD_base then SGI_base), the system
 * register CPU interface (ICC_*), and small helpers. Group 1, affinity routing (ARE) only.
 */
#ifndef GUEST_GIC_H
#define GUEST_GIC_H

#include "sysreg.h"

/* QEMU virt's (and ftvisor's, docs/guest-abi.md) addresses, when the device tree has none. */
#define GICD_DEFAULT_BASE 0x08000000UL
#define GICR_DEFAULT_BASE 0x080a0000UL
#define GICR_FRAME_SIZE	  0x20000UL /* RD_base + SGI_base, 64 KiB each */
#define GICR_SGI_OFFSET	  0x10000UL

/* Distributor (GICD_*) */
#define GICD_CTLR	0x0000
#define GICD_TYPER	0x0004
#define GICD_IIDR	0x0008
#define GICD_IGROUPR	0x0080 /* + 4 * (INTID / 32) */
#define GICD_ISENABLER	0x0100
#define GICD_ICENABLER	0x0180
#define GICD_ISPENDR	0x0200
#define GICD_ICPENDR	0x0280
#define GICD_ISACTIVER	0x0300
#define GICD_ICACTIVER	0x0380
#define GICD_IPRIORITYR 0x0400 /* + INTID, byte per interrupt */
#define GICD_ICFGR	0x0c00 /* + 4 * (INTID / 16), 2 bits per interrupt */
#define GICD_IGRPMODR	0x0d00
#define GICD_IROUTER	0x6000 /* + 8 * INTID (SPIs only), 64-bit */
#define GICD_PIDR2	0xffe8

/* GICD_CTLR. Bit 0 is EnableGrp0 with DS = 1, EnableGrp1 in the Non-secure view with DS = 0. */
#define GICD_CTLR_ENABLE_G0_G1NS BIT(0)
#define GICD_CTLR_ENABLE_G1	 BIT(1) /* EnableGrp1 (DS = 1) or EnableGrp1A (NS view) */
#define GICD_CTLR_ARE		 BIT(4) /* ARE (DS = 1) or ARE_NS (NS view) */
#define GICD_CTLR_DS		 BIT(6)
#define GICD_CTLR_RWP		 BIT(31)

#define GICD_TYPER_ITLINES(t)	 ((t) &0x1f) /* 32 * (N + 1) INTIDs */
#define GICD_TYPER_SECURITY_EXTN BIT(10)
#define GICD_TYPER_LPIS		 BIT(17)
#define GICD_TYPER_IDBITS(t)	 (((t) >> 19) & 0x1f) /* INTID bits - 1 */
#define GICD_TYPER_NO1N		 BIT(25)
#define GICD_TYPER_RSS		 BIT(26)

#define GICD_IROUTER_IRM BIT(31)

#define GIC_PIDR2_ARCHREV(v) (((v) >> 4) & 0xf)

/* Redistributor, RD_base frame (GICR_*) */
#define GICR_CTLR  0x0000
#define GICR_IIDR  0x0004
#define GICR_TYPER 0x0008 /* 64-bit */
#define GICR_WAKER 0x0014
#define GICR_PIDR2 0xffe8

#define GICR_CTLR_RWP		   BIT(3)
#define GICR_TYPER_LAST		   BIT(4)
#define GICR_TYPER_PROC_NUM(t)	   (((t) >> 8) & 0xffff)
#define GICR_TYPER_AFFINITY(t)	   ((uint32_t) ((t) >> 32)) /* Aff3.Aff2.Aff1.Aff0 */
#define GICR_WAKER_PROCESSOR_SLEEP BIT(1)
#define GICR_WAKER_CHILDREN_ASLEEP BIT(2)

/* Redistributor, SGI_base frame (SGIs and PPIs, INTIDs 0-31) */
#define GICR_IGROUPR0	0x0080
#define GICR_ISENABLER0 0x0100
#define GICR_ICENABLER0 0x0180
#define GICR_ISPENDR0	0x0200
#define GICR_ICPENDR0	0x0280
#define GICR_ISACTIVER0 0x0300
#define GICR_ICACTIVER0 0x0380
#define GICR_IPRIORITYR 0x0400
#define GICR_ICFGR0	0x0c00
#define GICR_ICFGR1	0x0c04
#define GICR_IGRPMODR0	0x0d00

/* CPU interface */
#define ICC_SRE_SRE	    BIT(0)
#define ICC_SRE_DFB	    BIT(1)
#define ICC_SRE_DIB	    BIT(2)
#define ICC_CTLR_EOIMODE    BIT(1)
#define ICC_CTLR_PRIBITS(c) ((((c) >> 8) & 7) + 1)
#define ICC_CTLR_IDBITS(c)  (((c) >> 11) & 7) /* 0: 16 bits, 1: 24 bits */
#define ICC_CTLR_RSS	    BIT(18)
#define ICC_IAR_INTID(v)    ((uint32_t) (v) &0xffffff)
#define GIC_INTID_SPURIOUS  1023

/* ICC_SGI1R_EL1 fields */
#define ICC_SGI1R_TARGETS(list) ((uint64_t) (list) &0xffff)
#define ICC_SGI1R_AFF1(a)	((uint64_t) ((a) &0xff) << 16)
#define ICC_SGI1R_INTID(i)	((uint64_t) ((i) &0xf) << 24)
#define ICC_SGI1R_AFF2(a)	((uint64_t) ((a) &0xff) << 32)
#define ICC_SGI1R_IRM		BIT(40)
#define ICC_SGI1R_RS(r)		((uint64_t) ((r) &0xf) << 44)
#define ICC_SGI1R_AFF3(a)	((uint64_t) ((a) &0xff) << 48)

/* Generic timer control (CNTV_CTL_EL0) */
#define CNT_CTL_ENABLE	BIT(0)
#define CNT_CTL_IMASK	BIT(1)
#define CNT_CTL_ISTATUS BIT(2)

#define GIC_PPI_VTIMER 27
#define GIC_PPI_PTIMER 30 /* EL1 physical timer (non-secure) */

/* Single plain loads and stores (one LDR/STR of the given size each). */
static inline uint32_t gic_read32(uint64_t addr)
{
	uint32_t v;

	asm volatile("ldr %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline void gic_write32(uint64_t addr, uint32_t v)
{
	asm volatile("str %w0, [%1]" ::"rZ"(v), "r"(addr) : "memory");
}

static inline uint64_t gic_read64(uint64_t addr)
{
	uint64_t v;

	asm volatile("ldr %0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline void gic_write64(uint64_t addr, uint64_t v)
{
	asm volatile("str %x0, [%1]" ::"rZ"(v), "r"(addr) : "memory");
}

static inline uint8_t gic_read8(uint64_t addr)
{
	uint32_t v;

	asm volatile("ldrb %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return (uint8_t) v;
}

static inline void gic_write8(uint64_t addr, uint8_t v)
{
	asm volatile("strb %w0, [%1]" ::"rZ"(v), "r"(addr) : "memory");
}

/* MPIDR_EL1 -> the Aff3.Aff2.Aff1.Aff0 layout of GICR_TYPER[63:32] and GICD_IROUTER. */
static inline uint32_t gic_mpidr_to_affinity(uint64_t mpidr)
{
	return (uint32_t) (((mpidr >> 32) & 0xff) << 24 | (mpidr & 0xffffff));
}

static inline uint64_t gic_mpidr_to_irouter(uint64_t mpidr)
{
	return (mpidr & 0xffffff) | ((mpidr >> 32) & 0xff) << 32;
}

/* ICC_SGI1R_EL1 value for SGI intid to the PE with this MPIDR. */
static inline uint64_t gic_sgi1r_for(uint64_t mpidr, unsigned int intid)
{
	unsigned int aff0 = mpidr & 0xff;

	return ICC_SGI1R_INTID(intid) | ICC_SGI1R_TARGETS(1u << (aff0 & 15)) |
	       ICC_SGI1R_RS(aff0 >> 4) | ICC_SGI1R_AFF1(mpidr >> 8) | ICC_SGI1R_AFF2(mpidr >> 16) |
	       ICC_SGI1R_AFF3(mpidr >> 32);
}

/* Generates an SGI: earlier stores are visible to the target before it can take it. */
static inline void gic_send_sgi1r(uint64_t v)
{
	dsb(ish);
	write_sysreg(icc_sgi1r_el1, v);
	isb();
}

static inline uint64_t gic_ack(void)
{
	uint64_t v = read_sysreg(icc_iar1_el1);

	dsb(sy); /* the acknowledge completes before we touch the device */
	return v;
}

static inline void gic_eoi(uint64_t iar)
{
	write_sysreg(icc_eoir1_el1, iar);
	isb();
}

static inline void gic_set_pmr(uint64_t pmr)
{
	write_sysreg(icc_pmr_el1, pmr);
	isb();
	dsb(sy);
}

static inline void irq_unmask(void)
{
	asm volatile("msr daifclr, #2\n\tisb" ::: "memory");
}

static inline void irq_mask(void)
{
	asm volatile("msr daifset, #2" ::: "memory");
}

static inline bool irq_masked(void)
{
	return read_sysreg(daif) & BIT(7);
}

struct gic {
	uint64_t gicd; /* Distributor base */
	uint64_t gicr; /* first Redistributor frame */
	bool from_dt;  /* false: the default addresses */
};

/* From the device tree's arm,gic-v3 node (reg 0 = GICD, reg 1 = GICR), else the defaults. */
void gic_discover(struct gic *gic);

/* Poll GICD_CTLR.RWP / GICR_CTLR.RWP down to 0; false after timeout_us. */
bool gicd_wait_rwp(const struct gic *gic, uint64_t timeout_us);
bool gicr_wait_rwp(uint64_t rd, uint64_t timeout_us);

/* RD_base of frame i, and its SGI_base. */
static inline uint64_t gicr_frame(const struct gic *gic, unsigned int i)
{
	return gic->gicr + i * GICR_FRAME_SIZE;
}

static inline uint64_t gicr_sgi(uint64_t rd)
{
	return rd + GICR_SGI_OFFSET;
}

/*
 * Index of the frame whose GICR_TYPER affinity is this MPIDR's, walking frames up to the one
 * with Last set (at most max_frames); -1 when none matches.
 */
int gicr_find(const struct gic *gic, uint64_t mpidr, unsigned int max_frames);

/* Clears GICR_WAKER.ProcessorSleep and waits for ChildrenAsleep == 0; false on timeout. */
bool gicr_wake(uint64_t rd, uint64_t timeout_us);

/* Priority byte of intid: GICD_IPRIORITYR for SPIs, the frame's GICR_IPRIORITYR otherwise. */
void gic_set_priority(const struct gic *gic, uint64_t rd, unsigned int intid, uint8_t prio);

/*
 * Minimal set-up for a single-vCPU guest that polls ICC_IAR1_EL1 with PSTATE.I set (WFI still
 * ends when an interrupt is signalled): Distributor on (ARE, Group 1), this vCPU's
 * Redistributor awake, system-register interface on, PMR 0xff, BPR1 0, EOImode 0, Group 1
 * enabled. Touches no interrupt's state. Returns this vCPU's RD_base (frame 0 when no frame
 * matches its MPIDR).
 */
uint64_t gic_init_simple(const struct gic *gic);

/* Group 1, priority prio, then enabled: an SGI or PPI in frame rd, or an SPI routed to this
 * vCPU. */
void gic_enable_irq(const struct gic *gic, uint64_t rd, unsigned int intid, uint8_t prio);

/* EL1 virtual timer (CNTV_*_EL0). */
static inline void vtimer_set(uint64_t cval, uint64_t ctl)
{
	/* Disabling: control first, or the comparator set to a past value (0) fires once. */
	if (!(ctl & CNT_CTL_ENABLE))
		write_sysreg(cntv_ctl_el0, ctl);
	write_sysreg(cntv_cval_el0, cval);
	write_sysreg(cntv_ctl_el0, ctl);
	isb();
}

#endif
