/* SPDX-License-Identifier: Apache-2.0 */
#include "core/mgmt.h"
#include "core/console.h"
#include "core/ivc.h"
#include "core/pcpu.h"
#include "core/sched.h"
#include "core/shell.h"
#include "core/smp.h"
#include "lib/format.h"
#include "lib/string.h"

uint32_t mgmt_cpu;
static bool work;			/* mgmt_post() since the last poll */
static bool tagged;
static uint64_t next_sample;

void mgmt_post(void)
{
	__atomic_store_n(&work, true, __ATOMIC_RELEASE);
	sched_poke(mgmt_cpu);
}

bool mgmt_work_pending(void)
{
	uint64_t due = mgmt_next_deadline();

	return __atomic_load_n(&work, __ATOMIC_ACQUIRE) || (due && arch_counter() >= due);
}

uint64_t mgmt_next_deadline(void)
{
	uint64_t shell = shell_next_deadline(), ivc = ivc_next_deadline();
	uint64_t next = shell && (!next_sample || shell < next_sample) ? shell : next_sample;

	return ivc && (!next || ivc < next) ? ivc : next;
}

struct vm *mgmt_find(const char *name)
{
	for (uint32_t i = 0; i < nr_vms; i++)
		if (vms[i].state != VM_EMPTY && !strcmp(vms[i].name, name))
			return &vms[i];
	return NULL;
}

static void kick_all(struct vm *vm)
{
	for (uint32_t i = 0; i < vm->n_vcpus; i++)
		vcpu_kick(&vm->vcpus[i]);
}

static bool all_out(const struct vm *vm)
{
	for (uint32_t i = 0; i < vm->n_vcpus; i++)
		if (__atomic_load_n(&vm->vcpus[i].running, __ATOMIC_ACQUIRE))
			return false;
	return true;
}

/* Every vCPU off its CPU: they leave at their next exit, which the kick forces. */
static int wait_all_out(struct vm *vm, char *err, size_t err_len)
{
	uint64_t t0 = arch_counter();

	kick_all(vm);
	while (!all_out(vm)) {
		if (arch_counter() - t0 > ms_to_ticks(MGMT_LEAVE_TIMEOUT_MS)) {
			ft_snprintf(err, err_len, "vm '%s': a vCPU did not leave its CPU within %u ms",
				    vm->name, MGMT_LEAVE_TIMEOUT_MS);
			return -1;
		}
		cpu_relax();
	}
	return 0;
}

static void set_state(struct vm *vm, enum vm_state s)
{
	__atomic_store_n(&vm->state, s, __ATOMIC_RELEASE);
}

static void boot(struct vm *vm)
{
	uint64_t now = arch_counter();

	vm->cntvoff = now; /* the guest's virtual counter starts near 0 */
	vm->started_at = now;
	vm->entered_at = 0;
	vm->sample_t = now;
	vm->sample_busy = 0;
	vm->cpu_x100 = 0;
	vm->boots++;
	set_state(vm, VM_RUNNING);
	vm_passthrough_enable(vm, true);
	vm_boot_vcpu0(vm);
}

static void power_off_vcpus(struct vm *vm)
{
	for (uint32_t i = 0; i < vm->n_vcpus; i++) {
		__atomic_store_n(&vm->vcpus[i].power, VCPU_OFF, __ATOMIC_RELEASE);
		vm->vcpus[i].blocked = false;
		vm->vcpus[i].t_out = 0;
	}
}

/* The change itself; every vCPU is off its CPU where that matters. */
static void apply(struct vm *vm, enum vm_op op, const char *why)
{
	uint64_t now = arch_counter();

	switch (op) {
	case VM_OP_START:
		if (vm->state == VM_STOPPED)
			vm_reload(vm); /* a cold boot: nothing of the last run is left */
		boot(vm);
		printk("ftvisor: vm '%s' started at %lu us\n", vm->name, arch_counter_us(arch_counter()));
		break;
	case VM_OP_PAUSE:
		vconsole_flush(&vm->console);
		vm->paused_at = now;
		set_state(vm, VM_PAUSED);
		printk("ftvisor: vm '%s' paused\n", vm->name);
		break;
	case VM_OP_RESUME:
		/* Virtual time stood still meanwhile: the guest sees no jump. */
		vm->cntvoff += now - vm->paused_at;
		vm->started_at += now - vm->paused_at; /* uptime counts running time only */
		for (uint32_t i = 0; i < vm->n_vcpus; i++) {
			struct vcpu *v = &vm->vcpus[i];

			if (v->t_out)
				v->t_out = now;
			v->t_woken = 0;
		}
		vm->sample_t = now;
		vm->sample_busy = 0;
		for (uint32_t i = 0; i < vm->n_vcpus; i++)
			vm->sample_busy += vcpu_busy_now(&vm->vcpus[i], now);
		set_state(vm, VM_RUNNING);
		printk("ftvisor: vm '%s' resumed after %lu ms\n", vm->name,
		       (now - vm->paused_at) * 1000 / arch_counter_freq());
		break;
	case VM_OP_STOP:
		vm_passthrough_enable(vm, false);
		power_off_vcpus(vm);
		vconsole_flush(&vm->console);
		set_state(vm, VM_STOPPED);
		vm->cpu_x100 = 0;
		printk("ftvisor: vm '%s' stopped: %s\n", vm->name, why);
		break;
	case VM_OP_REBOOT:
		vm_passthrough_enable(vm, false);
		vconsole_flush(&vm->console);
		printk("ftvisor: vm '%s' reboots: %s\n", vm->name, why);
		vm_reload(vm);
		boot(vm);
		break;
	case VM_OP_DESTROY:
		if (vm->state == VM_RUNNING || vm->state == VM_PAUSED)
			vm_passthrough_enable(vm, false);
		vconsole_flush(&vm->console);
		vm_destroy(vm);
		return;
	case VM_OP_NONE:
		break;
	}
	/* Done: only now may vCPUs run (leave was set for the whole operation), so an event
	 * from the guest (PSCI SYSTEM_OFF right after the start, say) finds no operation in
	 * progress and is not lost. */
	spin_lock(&vm->lock);
	vm->op = VM_OP_NONE;
	vm->op_async = false;
	__atomic_store_n(&vm->leave, false, __ATOMIC_RELEASE);
	spin_unlock(&vm->lock);
	kick_all(vm); /* resumed or started vCPUs: their CPUs pick them up */
}

static bool needs_vcpus_out(enum vm_op op)
{
	return op != VM_OP_START && op != VM_OP_RESUME;
}

int mgmt_request(struct vm *vm, enum vm_op op, char *err, size_t err_len)
{
	enum vm_state s;

	spin_lock(&vm->lock);
	s = vm->state;
	if (s == VM_EMPTY) {
		spin_unlock(&vm->lock);
		ft_snprintf(err, err_len, "no such vm");
		return -1;
	}
	if (vm->op != VM_OP_NONE) {
		spin_unlock(&vm->lock);
		ft_snprintf(err, err_len, "vm '%s' is busy (%s in progress)", vm->name,
			    vm_op_name(vm->op));
		return -1;
	}
	if (!vm_op_allowed(op, s)) {
		spin_unlock(&vm->lock);
		ft_snprintf(err, err_len, "vm '%s' is %s: cannot %s it", vm->name, vm_state_name(s),
			    vm_op_name(op));
		return -1;
	}
	vm->op = op;
	/* No vCPU enters the guest until apply() is done, even for a start or resume. */
	__atomic_store_n(&vm->leave, true, __ATOMIC_RELEASE);
	spin_unlock(&vm->lock);

	if (needs_vcpus_out(op) && wait_all_out(vm, err, err_len) != 0) {
		__atomic_store_n(&vm->leave, false, __ATOMIC_RELEASE);
		vm->op = VM_OP_NONE;
		kick_all(vm);
		return -1;
	}
	apply(vm, op, op == VM_OP_STOP ? "stopped from the shell" : "rebooted from the shell");
	return 0;
}

void mgmt_guest_event(struct vm *vm, enum vm_op op, const char *why)
{
	spin_lock(&vm->lock);
	if (vm->state != VM_RUNNING || vm->op != VM_OP_NONE) {
		spin_unlock(&vm->lock); /* something else is already under way: it wins */
		return;
	}
	vm->op = op;
	ft_snprintf(vm->op_reason, sizeof(vm->op_reason), "%s", why);
	vm->op_async = true;
	__atomic_store_n(&vm->leave, true, __ATOMIC_RELEASE);
	spin_unlock(&vm->lock);
	kick_all(vm);
	mgmt_post();
}

void mgmt_vcpu_left(struct vm *vm)
{
	if (__atomic_load_n(&vm->op_async, __ATOMIC_ACQUIRE))
		mgmt_post();
}

static void finish_guest_events(void)
{
	for (uint32_t i = 0; i < nr_vms; i++) {
		struct vm *vm = &vms[i];

		if (vm->state == VM_EMPTY || !__atomic_load_n(&vm->op_async, __ATOMIC_ACQUIRE) ||
		    !all_out(vm))
			continue;
		apply(vm, vm->op, vm->op_reason);
	}
}

/* CPU use of every VM over the last window: busy time of its vCPUs / wall time. */
static void sample(uint64_t now)
{
	for (uint32_t i = 0; i < nr_vms; i++) {
		struct vm *vm = &vms[i];
		uint64_t busy = 0, dt;

		if (vm->state != VM_RUNNING) {
			vm->cpu_x100 = 0;
			continue;
		}
		for (uint32_t k = 0; k < vm->n_vcpus; k++)
			busy += vcpu_busy_now(&vm->vcpus[k], now);
		dt = now - vm->sample_t;
		if (dt)
			vm->cpu_x100 = (uint32_t)((busy > vm->sample_busy ? busy - vm->sample_busy : 0) *
						  10000 / dt);
		vm->sample_t = now;
		vm->sample_busy = busy;
	}
	next_sample = now + ms_to_ticks(MGMT_SAMPLE_MS);
}

void mgmt_poll(void)
{
	uint64_t now;

	__atomic_store_n(&work, false, __ATOMIC_RELAXED);
	finish_guest_events();
	now = arch_counter();
	if (now >= next_sample)
		sample(now);
	ivc_poll(now); /* rate-limited doorbells that are due */
	shell_poll();
}

int mgmt_create(const char *template_name, const char *name, struct vm **out, char *err,
		size_t err_len)
{
	const struct bundle_vm *t = NULL;
	struct vm *vm;

	for (uint32_t i = 0; i < vm_template_count() && !t; i++)
		if (!strcmp(vm_template(i)->name, template_name))
			t = vm_template(i);
	if (!t) {
		ft_snprintf(err, err_len, "no template '%s' in the boot bundle", template_name);
		return -1;
	}
	if (!name)
		name = t->name;
	if (mgmt_find(name)) {
		ft_snprintf(err, err_len, "a vm named '%s' exists already", name);
		return -1;
	}
	vm = vm_create(t, name, tagged, err, err_len);
	if (!vm)
		return -1;
	if (out)
		*out = vm;
	return 0;
}

void mgmt_boot(uint32_t boot_cpu, bool console_tagged)
{
	char err[128];

	mgmt_cpu = boot_cpu;
	tagged = console_tagged;
	next_sample = arch_counter() + ms_to_ticks(MGMT_SAMPLE_MS);
	for (uint32_t i = 0; i < vm_template_count(); i++) {
		const struct bundle_vm *t = vm_template(i);
		struct vm *vm;

		if (!(t->flags & VM_F_AUTOSTART))
			continue;
		if (mgmt_create(t->name, NULL, &vm, err, sizeof(err)) != 0) {
			printk("ftvisor: vm '%s' not created: %s\n", t->name, err);
			continue;
		}
	}
	for (uint32_t i = 0; i < nr_vms; i++)
		if (vms[i].state == VM_CREATED && mgmt_request(&vms[i], VM_OP_START, err, sizeof(err)))
			printk("ftvisor: vm '%s' not started: %s\n", vms[i].name, err);
}
