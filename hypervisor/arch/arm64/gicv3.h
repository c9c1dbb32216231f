/* SPDX-License-Identifier: Apache-2.0 */
/* The physical GICv3: distributor, this CPU's redistributor and its CPU interface. */
#ifndef FTVISOR_ARCH_GICV3_H
#define FTVISOR_ARCH_GICV3_H

#include "platform/platform.h"

struct gicv3_info {
	uint32_t nr_spis;		/* from GICD_TYPER.ITLinesNumber */
	uint32_t id_bits;		/* INTID bits, GICD_TYPER.IDbits + 1 */
	bool security_disabled;		/* GICD_CTLR.DS: one security state (QEMU without EL3) */
	uint32_t list_registers;	/* ICH_VTR_EL2.ListRegs + 1 */
	uint32_t pri_bits;		/* ICH_VTR_EL2.PRIbits + 1 */
	uint32_t iidr;
};

/* True when this CPU can use the GIC system registers (ID_AA64PFR0_EL1.GIC, ICC_SRE_EL2.SRE). */
bool gicv3_sysregs_available(void);

/* Boot CPU, once: take over the distributor. Returns 0 or -1 with a reason in err. */
int gicv3_init_distributor(const struct plat_gic *g, struct gicv3_info *info, char *err,
			   size_t err_len);

/*
 * Each CPU: find the redistributor whose GICR_TYPER affinity equals this CPU's MPIDR
 * (never by index: Phytium boots on MPIDR 0x200 and lists more frames than CPUs), wake
 * it, and enable the CPU interface. Returns the RD frame base, or 0 when none matches.
 */
uint64_t gicv3_init_cpu(const struct plat_gic *g, uint64_t mpidr);

/* Enable a PPI or SGI on this CPU's redistributor. */
void gicv3_enable_private(uint64_t gicr_base, uint32_t intid);

/* Acknowledge the highest priority pending group-1 interrupt (1023: none). */
/* Make a private interrupt of this CPU active (a vCPU's timer PPI while its guest handles
 * it: the physical interrupt must not fire again before the guest's deactivation). */
void gicv3_set_active_private(uint64_t gicr_base, uint32_t intid);
uint32_t gicv3_ack(void);
/* Priority drop and deactivation (ICC_CTLR_EL1.EOImode = 1 splits them). */
void gicv3_eoi(uint32_t intid);
void gicv3_priority_drop(uint32_t intid);
void gicv3_deactivate(uint32_t intid);
/* Enable an SPI (level-sensitive), routed to the CPU with this MPIDR; route or disable it. */
void gicv3_enable_spi(uint32_t intid, uint64_t mpidr);
void gicv3_route_spi(uint32_t intid, uint64_t mpidr);
void gicv3_disable_spi(uint32_t intid);

#endif
