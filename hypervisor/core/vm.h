/* SPDX-License-Identifier: Apache-2.0 */
/* Virtual machines and their vCPUs. */
#ifndef FTVISOR_CORE_VM_H
#define FTVISOR_CORE_VM_H

#include "arch/arm64/pgtable.h"
#include "arch/arm64/vcpu_context.h"
#include "core/bundle.h"
#include "core/mmio.h"
#include "core/testdev.h"
#include "core/vuart_pl011.h"
#include "core/vconsole.h"
#include "core/vgic.h"
#include "lib/spinlock.h"

#define MAX_VMS BUNDLE_MAX_VMS
#define MAX_VCPUS BUNDLE_MAX_VCPUS

enum vcpu_power { VCPU_OFF = 0, VCPU_ON_PENDING, VCPU_ON };

struct vm;

struct vcpu {
	struct vm *vm;
	uint32_t index;			/* within the VM: vMPIDR Aff0 */
	uint32_t pcpu;			/* physical CPU it is pinned to */
	enum vcpu_power power;		/* PSCI view, changed under vm->lock */
	bool running;			/* in its run loop on its pCPU */
	bool stop_request;		/* leave the run loop at the next exit */
	struct vcpu_context ctx;
	struct vgic_cpu vgic;
	uint64_t exits, exits_by_class[64];
};

enum vm_state { VM_EMPTY = 0, VM_CREATED, VM_RUNNING, VM_STOPPED };

struct vm {
	uint32_t id;
	char name[BUNDLE_NAME_LEN];
	enum vm_state state;
	uint32_t flags;			/* VM_F_* */
	bool restart_pending;		/* SYSTEM_RESET: restart when every vCPU has left */
	const struct bundle_vm *config; /* inside the boot bundle (read-only) */
	struct spinlock lock;

	uint32_t vmid;
	struct pgtable s2;
	uint64_t vttbr;
	uint64_t mem_pa, mem_ipa, mem_size;
	uint64_t cntvoff;

	uint32_t n_vcpus;
	struct vcpu vcpus[MAX_VCPUS];

	struct mmio_bus mmio;
	struct vgic vgic;
	struct vconsole console;
	struct vuart_pl011 uart;
	struct testdev testdev;
};

extern struct vm vms[MAX_VMS];
extern uint32_t nr_vms;

/* Create every VM of the bundle (boot CPU, once) and start the autostart ones. */
void vms_create_from_bundle(const void *bundle, uint64_t bundle_size);

/* Start vCPU 0 of a created or stopped VM. */
int vm_start(struct vm *vm);
/* Stop every vCPU; reason is logged. Safe from any CPU, including one of the VM's vCPUs. */
void vm_stop(struct vm *vm, const char *reason);
/* Guest-requested restart: stop, reload images into zeroed RAM, start again. */
void vm_reset(struct vm *vm, struct vcpu *caller);

/* Each vCPU calls this when it leaves its run loop. */
void vm_vcpu_left(struct vm *vm);

/* Power a vCPU on at entry with x0 = context (PSCI CPU_ON). Returns a PSCI status. */
int64_t vcpu_power_on(struct vcpu *v, uint64_t entry, uint64_t context);
/* The run loop: enter the guest until the vCPU is switched off or stopped. */
void vcpu_run(struct vcpu *v);
/* Interrupt handlers the vCPUs need (boot CPU, before any VM runs). */
void vcpu_irqs_init(void);
/* Make a running vCPU leave the guest soon (SGI to its CPU). */
void vcpu_kick(struct vcpu *v);

/* A passed-through SPI's virtual route changed: move the physical one to that vCPU's CPU. */
void vm_passthrough_route(struct vm *vm, uint32_t intid, struct vcpu *target);

/* VTCR_EL2 every VM uses (stage-2 geometry from the CPU's PA range). */
uint64_t vm_stage2_vtcr(void);

/* Look a guest-physical RAM range up: its hypervisor (physical) address, or 0. */
uint64_t vm_ipa_to_pa(const struct vm *vm, uint64_t ipa, uint64_t len);

#endif
