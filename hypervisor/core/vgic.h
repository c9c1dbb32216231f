/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Virtual GICv3 (docs/guest-abi.md): an emulated distributor and redistributors per VM, and
 * injection through the CPU's list registers (GIC spec IHI 0069, chapter 6). Interrupt state
 * lives here in software; before each guest entry the most urgent interrupts of the vCPU
 * are written to the list registers (vgic_flush) and after each exit read back (vgic_fold).
 */
#ifndef FTVISOR_CORE_VGIC_H
#define FTVISOR_CORE_VGIC_H

#include "core/mmio.h"
#include "lib/spinlock.h"

#define VGIC_NR_IRQS 256
#define VGIC_NR_PRIVATE 32
#define VGIC_NR_SPIS (VGIC_NR_IRQS - VGIC_NR_PRIVATE)
#define VGIC_GICD_IPA 0x08000000ULL
#define VGIC_GICD_SIZE 0x10000ULL
#define VGIC_GICR_IPA 0x080a0000ULL
#define VGIC_GICR_STRIDE 0x20000ULL
#define VGIC_MAX_LRS 16
#define VGIC_PRIO_MASK 0xf8 /* 5 priority bits, as the CPU's virtual interface has */

struct vcpu;
struct vm;

struct vgic_irq {
	uint8_t priority;
	bool edge;		/* ICFGR: edge-triggered (else level) */
	bool enabled, pending, active;
	bool level;		/* input line of a level-sensitive emulated device */
	bool hw;		/* backed by the physical interrupt of the same INTID (timer) */
	int8_t lr;		/* list register holding it, or -1 */
	uint8_t lr_vcpu;	/* ... on this vCPU (an SPI may move between vCPUs) */
	bool migrating;		/* being re-routed: no vCPU may pick it up meanwhile */
	bool repend;		/* made pending again while a list register held it */
	uint64_t route;		/* SPIs: IROUTER */
};

struct vgic_cpu {
	struct vgic_irq priv[VGIC_NR_PRIVATE];
	bool sleep;		/* GICR_WAKER.ProcessorSleep */
	uint16_t lr_intid[VGIC_MAX_LRS]; /* what each list register held at the last flush */
	uint32_t lr_used;
	uint32_t lr_hw;		/* list registers that may be non-zero in the hardware */
	uint32_t fold_seq;	/* vgic_fold() calls: lets a reader wait for fresh LR state */
	uint64_t lr_state[VGIC_MAX_LRS]; /* pending/active bits each LR got at the last flush */
	uint32_t flush_gen;	/* vgic.gen when the last flush looked for new interrupts */
	bool flush_more;	/* ... and left some out (LRs full): look again */
	/* Interrupts this vCPU may have to deliver: a bit is set for every interrupt routed
	 * here that is pending, active or in a list register (a superset: bits of interrupts
	 * that became idle or moved away are cleared when a scan meets them). Flushes and
	 * WFI checks look at these few instead of all VGIC_NR_IRQS. */
	uint64_t cand[VGIC_NR_IRQS / 64];
	uint64_t vmcr;		/* ICH_VMCR_EL2, saved while the vCPU is not loaded */
	uint64_t ap1r0;
};

struct vgic {
	struct spinlock lock;
	bool enabled;		/* GICD_CTLR.EnableGrp1 */
	/* Bumped by every change that may make an interrupt deliverable (any unlock but a
	 * flush's or a fold that changed nothing): a flush with nothing new skips the scan. */
	uint32_t gen;
	struct vgic_irq spi[VGIC_NR_SPIS];
};

/* Set up the state and the GICD/GICR regions of a VM with n_vcpus. */
bool vgic_init(struct vm *vm);
/* Back to reset state (VM reset). */
void vgic_reset(struct vm *vm);

/* Make an edge interrupt pending (SGI/PPI on vcpu target, SPI by its route). */
void vgic_inject(struct vm *vm, struct vcpu *target, uint32_t intid);
/* Drive the input line of a level-sensitive SPI. */
void vgic_set_level(struct vm *vm, uint32_t intid, bool level);
/* Drive the input line of a level-sensitive PPI of v (an emulated per-vCPU device). */
void vgic_set_private_level(struct vcpu *v, uint32_t intid, bool level);
/* The physical interrupt intid fired for the vCPU loaded on this CPU (timer). */
void vgic_inject_hw(struct vcpu *v, uint32_t intid);

/* A passed-through SPI fired: make it pending (with the HW bit) for the vCPU it is routed
 * to, which is returned. */
struct vcpu *vgic_inject_hw_spi(struct vm *vm, uint32_t intid);
struct vcpu *vgic_spi_target(struct vm *vm, uint32_t intid);

/* Trapped ICC_SGI1R_EL1 write from vCPU v. */
void vgic_sgi(struct vcpu *v, uint64_t sgi1r);

/* List registers: write before entry, read back after exit (IRQs masked, vCPU loaded). */
void vgic_flush(struct vcpu *v);
void vgic_fold(struct vcpu *v);
/* Something is pending for v that its priority mask and running priority let through:
 * WFI must not sleep. */
bool vgic_pending(struct vcpu *v);
/* Interrupt intid, once pending, would be signalled to v (enabled, not active, above the
 * priority mask and the running priority). */
bool vgic_would_signal(struct vcpu *v, uint32_t intid);

/* Virtual CPU interface state in and out of the hardware with the vCPU. */
void vgic_load(struct vcpu *v);
void vgic_put(struct vcpu *v);

#endif
