/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Inter-VM channels (docs/ivc.md): shared memory plus doorbells between 2..4 VMs, each
 * member seeing the channel as an ivshmem-like PCI endpoint (include/ftvisor/ivc.h) behind
 * the emulated ECAM host bridge of core/vpci.c, at the places core/ivc_layout.c gives.
 *
 * A channel's members are VM templates; a VM created from a member's template attaches as
 * that member (one live instance per member). Its memory is allocated and zeroed at boot,
 * kept across a member's reboot, and zeroed again when the last member is destroyed.
 *
 * Locking: one spinlock per channel guards every member's device state (registers, config
 * header, counters, rate limiter); a doorbell changes the peer's state from the sender's
 * CPU. vgic_set_level() is called with that lock held (the vGIC never calls back here).
 */
#ifndef FTVISOR_CORE_IVC_H
#define FTVISOR_CORE_IVC_H

#include "core/bundle.h"

struct vm;

/* Boot CPU, once, with the validated bundle: allocate and zero each channel's memory.
 * A channel whose memory cannot be had is reported and left unusable (creating one of its
 * members then fails). */
void ivc_init(const void *bundle);

/* vm_create: attach vm (its template: vm->config) to its channels as their member: map the
 * shared memory, add the ECAM window and the register pages to its MMIO bus. false with a
 * one-line reason in err (e.g. "channel 'link': member 'bm' is already attached to vm
 * 'bm'"); what was done is undone by ivc_vm_detach (called by vm_release). */
bool ivc_vm_attach(struct vm *vm, char *err, size_t err_len);
/* vm_release: leave every channel (safe when never attached). The last member to leave
 * zeroes the channel's memory. Stage-2 mappings go with the VM's tables. */
void ivc_vm_detach(struct vm *vm);
/* vm_reload (reboot, cold start): the VM's endpoints to power-on state (INTRMASK,
 * INTRSTATUS, PCI command, BARs, its doorbell counters), INTx low. Memory is kept. */
void ivc_vm_reset(struct vm *vm);

/* Deferred (rate-limited) doorbells, for the management CPU: the counter value when the
 * earliest may be delivered (0: none), and delivering those that are due at now. */
uint64_t ivc_next_deadline(void);
void ivc_poll(uint64_t now);

/* For the shell: a consistent snapshot of channel index. Counters are totals since the
 * member's VM was created (the guest's registers restart at each boot of the VM). */
struct ivc_member_info {
	char template_name[BUNDLE_NAME_LEN];	/* the member's VM template */
	char vm_name[BUNDLE_NAME_LEN];		/* the attached VM, or "-" */
	uint32_t flags;				/* BUNDLE_IVC_F_* */
	uint32_t slot;				/* PCI slot in its VM (1..8) */
	bool running;				/* its VM is VM_RUNNING */
	bool deferred;				/* rate-limited doorbells of it wait */
	uint32_t intrmask, intrstatus;		/* the guest-visible registers */
	uint64_t sent, received, limited, bad;
};

struct ivc_channel_info {
	char name[BUNDLE_NAME_LEN];
	uint32_t index;
	bool usable;				/* its memory was allocated */
	uint64_t size;				/* shared memory bytes */
	uint64_t pa;				/* where (host physical) */
	uint32_t rate;				/* doorbells/s per sender (default applied) */
	uint32_t burst;
	uint32_t n_members;
	uint32_t n_attached;
	struct ivc_member_info members[BUNDLE_IVC_MAX_MEMBERS];
};

uint32_t ivc_channel_count(void);
/* false when index >= ivc_channel_count(). */
bool ivc_channel_info(uint32_t index, struct ivc_channel_info *out);

#endif
