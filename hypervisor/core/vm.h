/* SPDX-License-Identifier: Apache-2.0 */
/* Virtual machines and their vCPUs. */
#ifndef FTVISOR_CORE_VM_H
#define FTVISOR_CORE_VM_H

#include "arch/arm64/pgtable.h"
#include "arch/arm64/vcpu_context.h"
#include "core/bundle.h"
#include "core/lifecycle.h"
#include "core/mmio.h"
#include "core/ptimer.h"
#include "core/testdev.h"
#include "core/vuart_pl011.h"
#include "core/vconsole.h"
#include "core/vgic.h"
#include "lib/spinlock.h"

#define MAX_VMS BUNDLE_MAX_VMS
#define MAX_VCPUS BUNDLE_MAX_VCPUS

enum vcpu_power { VCPU_OFF = 0, VCPU_ON_PENDING, VCPU_ON };

struct vm;

/* What a vCPU did with its time, in counter ticks, and what made it leave the guest. */
struct vcpu_stats {
	uint64_t guest;			/* in the guest */
	uint64_t busy;			/* loaded and not idle: guest + hypervisor on its behalf */
	uint64_t idle;			/* in a trapped WFI: waiting in place or descheduled */
	uint64_t wait;			/* runnable but another vCPU had the CPU */
	uint64_t exits, exits_irq;
	uint64_t exits_by_class[64];	/* synchronous exits by ESR_EL2.EC */
	uint64_t injected;		/* virtual interrupts put into list registers */
	uint64_t switches;		/* times loaded onto its CPU */
};

struct vcpu {
	struct vm *vm;
	uint32_t index;			/* within the VM: vMPIDR Aff0 */
	uint32_t pcpu;			/* physical CPU it is pinned to */
	uint32_t prio;			/* scheduling priority (the VM's) */
	uint64_t vpidr;			/* the MIDR it reports: its CPU's, or vCPU 0's CPU's for a
					 * mixed-cores VM (core/cpu_policy.h) */
	enum vcpu_power power;		/* PSCI view, changed under vm->lock */
	bool running;			/* loaded on its pCPU */
	bool blocked;			/* descheduled in a trapped WFI until an interrupt is due */
	struct vcpu_context ctx;
	struct vgic_cpu vgic;
	struct ptimer ptimer;		/* its EL1 physical timer (emulated) */
	/* Accounting timestamps (counter; 0 = not in that state). */
	uint64_t t_seg;			/* start of the current busy stretch while loaded */
	uint64_t t_idle;		/* waiting in place in a trapped WFI since */
	uint64_t t_guest;		/* in the guest since */
	uint64_t t_out;			/* descheduled (blocked or preempted) since */
	uint64_t t_woken;		/* blocked, and an interrupt for it arrived at */
	struct vcpu_stats st;
};

struct vm {
	uint32_t id;
	char name[BUNDLE_NAME_LEN];
	enum vm_state state;		/* changed by core/mgmt.c only */
	uint32_t flags;			/* VM_F_* */
	uint32_t prio;
	const struct bundle_vm *config; /* its template, inside the boot bundle (read-only) */
	struct spinlock lock;

	/* Set while an operation needs every vCPU off its CPU: no vCPU of the VM is picked. */
	bool leave;
	enum vm_op op;			/* in progress, or asked for by the guest */
	bool op_async;			/* op came from the guest: the management CPU finishes it */
	char op_reason[96];

	uint32_t vmid;
	struct pgtable s2;
	uint64_t vttbr;
	uint64_t mem_pa, mem_ipa, mem_size;
	uint64_t touched;		/* bytes of RAM the guest has accessed (stage-2 access flag) */
	uint64_t cntvoff;
	uint64_t paused_at;		/* counter when the last vCPU left for a pause */
	uint64_t started_at;		/* counter at the last start (0: never started) */
	uint64_t entered_at;		/* counter when vCPU 0 first entered the guest since */
	uint32_t boots;

	/* CPU use over the last sampling window (core/mgmt.c) */
	uint64_t sample_t, sample_busy;
	uint32_t cpu_x100;		/* percent x 100, summed over vCPUs */

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

/* Resources of a VM (core/vm.c); the lifecycle around them is core/mgmt.c. */

/* Check the bundle and remember it; false when it is unusable (boot CPU, once). */
bool vm_bundle_init(const void *bundle, uint64_t bundle_size);
/* Compare a validated bundle with this machine (CPUs exist, RAM fits the stage-2 IPA size,
 * passthrough MMIO inside the PA range, core types); print one line per problem and return
 * how many there are. Called by vm_bundle_init, which then starts no VM. */
uint32_t vm_bundle_check_machine(const void *bundle, uint32_t pa_bits, uint32_t ipa_bits);
/* The VM templates of the bundle. */
uint32_t vm_template_count(void);
const struct bundle_vm *vm_template(uint32_t index);
/* Allocate memory, stage 2, VMID and devices for template c under name, pin its vCPUs to
 * their CPUs and load its images: state VM_CREATED. NULL and err set on failure (nothing
 * is left allocated). */
struct vm *vm_create(const struct bundle_vm *c, const char *name, bool tagged, char *err,
		     size_t err_len);
/* Give everything back (no vCPU may be loaded); the slot becomes VM_EMPTY. */
void vm_destroy(struct vm *vm);
/* Back to power-on state: vCPUs off, devices and vGIC reset, RAM zeroed, images reloaded,
 * access tracking restarted. */
void vm_reload(struct vm *vm);
/* Power vCPU 0 on at the kernel entry with x0 = the device tree. */
void vm_boot_vcpu0(struct vm *vm);
/* Passed-through interrupts on (start, resume) or off (stop). */
void vm_passthrough_enable(struct vm *vm, bool on);
/* The guest touched a block of RAM for the first time (stage-2 access flag fault):
 * mark it accessed. False when ipa is not the VM's RAM. */
bool vm_ram_touched(struct vm *vm, uint64_t ipa);
/* Free memory (frames) and VMIDs in use, for the shell. */
uint32_t vm_vmids_used(void);

/* Power a vCPU on at entry with x0 = context (PSCI CPU_ON). Returns a PSCI status. */
int64_t vcpu_power_on(struct vcpu *v, uint64_t entry, uint64_t context);
/* The run loop: enter the guest until the vCPU blocks in WFI, is preempted or switched
 * off, or its VM asks every vCPU to leave. */
void vcpu_run(struct vcpu *v);
/* Counter ticks the vCPU has been busy (guest + hypervisor), including now. */
uint64_t vcpu_busy_now(const struct vcpu *v, uint64_t now);
/* The vCPU's virtual timer deadline as a physical counter value (0: none armed). */
uint64_t vcpu_timer_deadline(const struct vcpu *v);
/* Interrupt handlers the vCPUs need (boot CPU, before any VM runs). */
void vcpu_irqs_init(void);
/* Something changed for v (an interrupt, power, its VM's state): a loaded vCPU leaves the
 * guest soon, a descheduled one's CPU reconsiders what to run. */
void vcpu_kick(struct vcpu *v);

/* A passed-through SPI's virtual route changed: move the physical one to that vCPU's CPU. */
void vm_passthrough_route(struct vm *vm, uint32_t intid, struct vcpu *target);

/* VTCR_EL2 every VM uses (stage-2 geometry from the CPU's PA range). */
uint64_t vm_stage2_vtcr(void);
/* ftvisor.boot_times on the command line: each VM's first instruction is reported on the
 * console (`make bench`); off by default, a line from a vCPU's CPU could land in the middle
 * of a shell reply. */
extern bool vm_report_entry;

/* Look a guest-physical RAM range up: its hypervisor (physical) address, or 0. */
uint64_t vm_ipa_to_pa(const struct vm *vm, uint64_t ipa, uint64_t len);

#endif
