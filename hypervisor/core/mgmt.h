/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The VM lifecycle: the one place a VM's state changes.
 *
 *   (template) --create--> created --start--> running <--pause/resume--> paused
 *   running|paused --stop--> stopped --start--> running (cold boot: RAM zeroed, images reloaded)
 *   running|paused --reboot--> running          any state --destroy--> (gone)
 *
 * Operations from the shell run synchronously on the management CPU (the boot CPU, which
 * owns the console): every vCPU of the VM is made to leave its CPU first, then the change
 * is made. A guest's own requests (PSCI SYSTEM_OFF/SYSTEM_RESET) and crashes are queued
 * by its vCPU and completed there too, when the last vCPU has left.
 */
#ifndef FTVISOR_CORE_MGMT_H
#define FTVISOR_CORE_MGMT_H

#include "core/vm.h"

#define MGMT_SAMPLE_MS 1000	/* CPU%% sampling window */
#define MGMT_LEAVE_TIMEOUT_MS 2000

/* Boot CPU, once, after the bundle was accepted: create and start the autostart VMs. */
void mgmt_boot(uint32_t boot_cpu, bool console_tagged);

/* Instantiate template (its bundle name) as name (NULL: the template's name). */
int mgmt_create(const char *template_name, const char *name, struct vm **out, char *err,
		size_t err_len);
/* Apply op to vm now (management CPU). 0, or -1 with a one-line reason in err. */
int mgmt_request(struct vm *vm, enum vm_op op, char *err, size_t err_len);

/* From a vCPU of vm: the guest powered off (VM_OP_STOP), reset (VM_OP_REBOOT) or crashed
 * (VM_OP_STOP with why). Every vCPU leaves; the management CPU completes it. */
void mgmt_guest_event(struct vm *vm, enum vm_op op, const char *why);
/* A vCPU of vm left its CPU while vm->leave was set. */
void mgmt_vcpu_left(struct vm *vm);

/* Work for the management CPU was queued (shell input, a guest event): wake it. */
void mgmt_post(void);
/* The management CPU's idle loop: do what is queued or due. */
void mgmt_poll(void);

struct vm *mgmt_find(const char *name);

#endif
