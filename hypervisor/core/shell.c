/* SPDX-License-Identifier: Apache-2.0 */
#include "core/shell.h"
#include "core/console.h"
#include "core/console_input.h"
#include "core/frame.h"
#include "core/ivc.h"
#include "core/mgmt.h"
#include "core/pcpu.h"
#include "core/sched.h"
#include "core/shell_line.h"
#include "core/shell_parse.h"
#include "core/smp.h"
#include "lib/format.h"
#include "lib/json.h"
#include "lib/string.h"

#define LINE_QUEUE 4
#define TOP_PERIOD_MS 1000

static struct shell_line editor;
static char queue[LINE_QUEUE][SHELL_LINE_MAX];
static uint32_t q_head, q_tail;		/* producer: the UART IRQ; consumer: shell_poll */
static bool top_on, top_json, top_stop;
static uint64_t top_next;
static char out[8192];			/* one command's output (JSON can be long) */

static void put(const char *s)
{
	console_write(s, strlen(s));
}

void shell_prompt(void)
{
	console_write_prompt("ftvisor> ", 9);
}

void shell_input(uint8_t ch)
{
	char echo[SHELL_LINE_ECHO_MAX];
	size_t n = 0;
	enum shell_line_event ev;

	if (__atomic_load_n(&top_on, __ATOMIC_ACQUIRE)) {
		__atomic_store_n(&top_stop, true, __ATOMIC_RELEASE); /* any key ends top */
		mgmt_post();
		return;
	}
	ev = shell_line_feed(&editor, ch, echo, sizeof(echo), &n);
	if (n)
		console_write_prompt(echo, n);
	if (ev == SHELL_LINE_CANCEL) {
		shell_prompt();
	} else if (ev == SHELL_LINE_DONE) {
		uint32_t head = __atomic_load_n(&q_head, __ATOMIC_ACQUIRE);

		if (head - __atomic_load_n(&q_tail, __ATOMIC_ACQUIRE) >= LINE_QUEUE) {
			put("error: busy, line dropped\n");
			return;
		}
		memcpy(queue[head % LINE_QUEUE], editor.buf, SHELL_LINE_MAX);
		__atomic_store_n(&q_head, head + 1, __ATOMIC_RELEASE);
		mgmt_post();
	}
}

uint64_t shell_next_deadline(void)
{
	return __atomic_load_n(&top_on, __ATOMIC_ACQUIRE) ? top_next : 0;
}

/* ---- formatting helpers ---- */

static uint64_t ticks_to_ms(uint64_t t)
{
	uint64_t f = arch_counter_freq();

	return f ? t / f * 1000 + t % f * 1000 / f : 0;
}

static const char *vcpu_state(const struct vcpu *v)
{
	if (v->vm->state == VM_PAUSED && __atomic_load_n(&v->power, __ATOMIC_ACQUIRE) != VCPU_OFF)
		return "paused";
	if (__atomic_load_n(&v->power, __ATOMIC_ACQUIRE) == VCPU_OFF)
		return "off";
	if (__atomic_load_n(&v->running, __ATOMIC_ACQUIRE))
		return __atomic_load_n(&v->t_idle, __ATOMIC_ACQUIRE) ? "idle" : "running";
	return v->blocked ? "idle" : "runnable";
}

static void cpus_text(const struct vm *vm, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (uint32_t i = 0; i < vm->n_vcpus && n < len; i++)
		n += (size_t)ft_snprintf(buf + n, len - n, "%s%u", i ? "," : "", vm->vcpus[i].pcpu);
}

static uint64_t uptime_ms(const struct vm *vm, uint64_t now)
{
	if (vm->state != VM_RUNNING && vm->state != VM_PAUSED)
		return 0;
	return ticks_to_ms((vm->state == VM_PAUSED ? vm->paused_at : now) - vm->started_at);
}

static void fmt_x100(char *buf, size_t len, uint32_t v, int decimals)
{
	if (decimals == 1)
		ft_snprintf(buf, len, "%u.%u", v / 100, (v % 100) / 10);
	else
		ft_snprintf(buf, len, "%u.%02u", v / 100, v % 100);
}

static void json_vm(struct json *j, const struct vm *vm, uint64_t now)
{
	json_obj_begin(j);
	json_kv_u64(j, "id", vm->id);
	json_kv_str(j, "name", vm->name);
	json_kv_str(j, "template", vm->config->name);
	json_kv_str(j, "state", vm_state_name(vm->state));
	json_kv_u64(j, "priority", vm->prio);
	json_kv_u64(j, "vcpus", vm->n_vcpus);
	json_key(j, "cpus");
	json_arr_begin(j);
	for (uint32_t i = 0; i < vm->n_vcpus; i++)
		json_u64(j, vm->vcpus[i].pcpu);
	json_arr_end(j);
	json_kv_u64(j, "memory_mib", vm->mem_size >> 20);
	json_kv_u64(j, "touched_mib", vm->touched >> 20);
	json_kv_fixed(j, "cpu_pct", vm->cpu_x100, 2);
	json_kv_u64(j, "uptime_ms", uptime_ms(vm, now));
	json_kv_u64(j, "boots", vm->boots);
	json_obj_end(j);
}

/* ---- commands ---- */

static void result(const struct shell_cmd *c, int rc, const char *msg, const struct vm *vm)
{
	if (c->json) {
		struct json j;

		json_init(&j, out, sizeof(out));
		json_obj_begin(&j);
		json_kv_bool(&j, "ok", rc == 0);
		if (rc)
			json_kv_str(&j, "error", msg);
		if (!rc && vm && vm->state != VM_EMPTY) {
			json_key(&j, "vm");
			json_vm(&j, vm, arch_counter());
		}
		json_obj_end(&j);
		put(out);
		put("\n");
		return;
	}
	printk("%s: %s\n", rc ? "error" : "ok", msg);
}

static void cmd_vm_list(const struct shell_cmd *c)
{
	uint64_t now = arch_counter();
	char cpus[32], pct[16];

	if (c->json) {
		struct json j;

		json_init(&j, out, sizeof(out));
		json_obj_begin(&j);
		json_key(&j, "vms");
		json_arr_begin(&j);
		for (uint32_t i = 0; i < nr_vms; i++)
			if (vms[i].state != VM_EMPTY)
				json_vm(&j, &vms[i], now);
		json_arr_end(&j);
		json_obj_end(&j);
		put(out);
		put("\n");
		return;
	}
	printk("%-3s %-16s %-8s %4s %5s %-8s %8s %8s %6s %9s\n", "ID", "NAME", "STATE", "PRIO",
	       "VCPUS", "CPUS", "MEM_MIB", "TOUCHED", "CPU%", "UPTIME_S");
	for (uint32_t i = 0; i < nr_vms; i++) {
		const struct vm *vm = &vms[i];
		uint64_t up;

		if (vm->state == VM_EMPTY)
			continue;
		cpus_text(vm, cpus, sizeof(cpus));
		fmt_x100(pct, sizeof(pct), vm->cpu_x100, 1);
		up = uptime_ms(vm, now);
		printk("%-3u %-16s %-8s %4u %5u %-8s %8lu %8lu %6s %5lu.%lu\n", vm->id, vm->name,
		       vm_state_name(vm->state), vm->prio, vm->n_vcpus, cpus, vm->mem_size >> 20,
		       vm->touched >> 20, pct, up / 1000, up % 1000 / 100);
	}
}

static void cmd_vm_templates(const struct shell_cmd *c)
{
	struct json j;

	json_init(&j, out, sizeof(out));
	json_obj_begin(&j);
	json_key(&j, "templates");
	json_arr_begin(&j);
	if (!c->json)
		printk("%-16s %5s %8s %4s %s\n", "TEMPLATE", "VCPUS", "MEM_MIB", "PRIO", "AUTOSTART");
	for (uint32_t i = 0; i < vm_template_count(); i++) {
		const struct bundle_vm *t = vm_template(i);

		if (c->json) {
			json_obj_begin(&j);
			json_kv_str(&j, "name", t->name);
			json_kv_u64(&j, "vcpus", t->n_vcpus);
			json_kv_u64(&j, "memory_mib", t->mem_size >> 20);
			json_kv_u64(&j, "priority", t->priority);
			json_kv_bool(&j, "autostart", t->flags & VM_F_AUTOSTART);
			json_obj_end(&j);
		} else {
			printk("%-16s %5u %8lu %4u %s\n", t->name, t->n_vcpus, t->mem_size >> 20,
			       t->priority, t->flags & VM_F_AUTOSTART ? "yes" : "no");
		}
	}
	json_arr_end(&j);
	json_obj_end(&j);
	if (c->json) {
		put(out);
		put("\n");
	}
}

static const char *const exit_names[64] = {
	[0x01] = "wfx", [0x16] = "hvc", [0x17] = "smc", [0x18] = "sysreg",
	[0x20] = "iabt", [0x24] = "dabt",
};

static void cmd_vm_info(const struct shell_cmd *c, struct vm *vm)
{
	uint64_t now = arch_counter();
	char pct[16];

	if (c->json) {
		struct json j;

		json_init(&j, out, sizeof(out));
		json_obj_begin(&j);
		json_key(&j, "vm");
		json_vm(&j, vm, now);
		json_kv_u64(&j, "mem_ipa", vm->mem_ipa);
		json_kv_u64(&j, "mem_pa", vm->mem_pa);
		json_kv_u64(&j, "vmid", vm->vmid);
		json_key(&j, "vcpu");
		json_arr_begin(&j);
		for (uint32_t i = 0; i < vm->n_vcpus; i++) {
			const struct vcpu *v = &vm->vcpus[i];
			uint64_t busy = vcpu_busy_now(v, now);

			json_obj_begin(&j);
			json_kv_u64(&j, "index", i);
			json_kv_u64(&j, "cpu", v->pcpu);
			json_kv_str(&j, "state", vcpu_state(v));
			json_kv_u64(&j, "guest_ms", ticks_to_ms(v->st.guest));
			json_kv_u64(&j, "hyp_ms", ticks_to_ms(busy > v->st.guest ? busy - v->st.guest : 0));
			json_kv_u64(&j, "idle_ms", ticks_to_ms(v->st.idle));
			json_kv_u64(&j, "wait_ms", ticks_to_ms(v->st.wait));
			json_kv_u64(&j, "exits", v->st.exits);
			json_kv_u64(&j, "irq_exits", v->st.exits_irq);
			json_kv_u64(&j, "injected", v->st.injected);
			json_kv_u64(&j, "switches", v->st.switches);
			json_key(&j, "exits_by_class");
			json_obj_begin(&j);
			for (uint32_t k = 0; k < 64; k++) {
				char key[16];

				if (!v->st.exits_by_class[k])
					continue;
				if (exit_names[k])
					json_kv_u64(&j, exit_names[k], v->st.exits_by_class[k]);
				else {
					ft_snprintf(key, sizeof(key), "ec_0x%02x", k);
					json_kv_u64(&j, key, v->st.exits_by_class[k]);
				}
			}
			json_obj_end(&j);
			json_obj_end(&j);
		}
		json_arr_end(&j);
		json_obj_end(&j);
		put(out);
		put("\n");
		return;
	}
	fmt_x100(pct, sizeof(pct), vm->cpu_x100, 2);
	printk("vm %u '%s' (template %s): %s, priority %u, boots %u, uptime %lu ms\n", vm->id,
	       vm->name, vm->config->name, vm_state_name(vm->state), vm->prio, vm->boots,
	       uptime_ms(vm, now));
	printk("memory: %lu MiB at IPA 0x%lx (PA 0x%lx), touched %lu MiB; VMID %u\n",
	       vm->mem_size >> 20, vm->mem_ipa, vm->mem_pa, vm->touched >> 20, vm->vmid);
	printk("cpu: %s%% over the last %u ms (all vCPUs)\n", pct, MGMT_SAMPLE_MS);
	printk("%4s %3s %-8s %10s %10s %10s %10s %10s %9s %9s\n", "VCPU", "CPU", "STATE", "GUEST_MS",
	       "HYP_MS", "IDLE_MS", "WAIT_MS", "EXITS", "IRQ_EXITS", "INJECTED");
	for (uint32_t i = 0; i < vm->n_vcpus; i++) {
		const struct vcpu *v = &vm->vcpus[i];
		uint64_t busy = vcpu_busy_now(v, now);

		printk("%4u %3u %-8s %10lu %10lu %10lu %10lu %10lu %9lu %9lu\n", i, v->pcpu,
		       vcpu_state(v), ticks_to_ms(v->st.guest),
		       ticks_to_ms(busy > v->st.guest ? busy - v->st.guest : 0), ticks_to_ms(v->st.idle),
		       ticks_to_ms(v->st.wait), v->st.exits, v->st.exits_irq, v->st.injected);
	}
	for (uint32_t i = 0; i < vm->n_vcpus; i++) {
		const struct vcpu *v = &vm->vcpus[i];
		char line[200];
		size_t n = (size_t)ft_snprintf(line, sizeof(line), "vcpu %u exits:", i);

		for (uint32_t k = 0; k < 64 && n < sizeof(line); k++)
			if (v->st.exits_by_class[k]) {
				if (exit_names[k])
					n += (size_t)ft_snprintf(line + n, sizeof(line) - n, " %s %lu",
								 exit_names[k], v->st.exits_by_class[k]);
				else
					n += (size_t)ft_snprintf(line + n, sizeof(line) - n, " ec_0x%02x %lu",
								 k, v->st.exits_by_class[k]);
			}
		printk("%s irq %lu\n", line, v->st.exits_irq);
	}
}

static void cmd_status(const struct shell_cmd *c)
{
	uint32_t n_vms = 0;
	uint64_t free_mib = (frame_free_count() * FRAME_SIZE) >> 20;

	for (uint32_t i = 0; i < nr_vms; i++)
		n_vms += vms[i].state != VM_EMPTY;
	if (c->json) {
		struct json j;

		json_init(&j, out, sizeof(out));
		json_obj_begin(&j);
		json_kv_u64(&j, "uptime_ms", ticks_to_ms(arch_counter()));
		json_kv_u64(&j, "free_mib", free_mib);
		json_kv_u64(&j, "free_frames", frame_free_count());
		json_kv_u64(&j, "vmids_used", vm_vmids_used());
		json_kv_u64(&j, "vms", n_vms);
		json_key(&j, "cpus");
		json_arr_begin(&j);
		for (uint32_t i = 0; i < nr_cpus; i++) {
			json_obj_begin(&j);
			json_kv_u64(&j, "cpu", i);
			json_kv_bool(&j, "online", pcpus[i].online && !pcpus[i].halted);
			json_kv_u64(&j, "vcpus", pcpus[i].sched.n);
			json_obj_end(&j);
		}
		json_arr_end(&j);
		json_obj_end(&j);
		put(out);
		put("\n");
		return;
	}
	printk("uptime %lu ms; %lu MiB free for VMs (%lu frames); %u VMs; %u VMIDs in use\n",
	       ticks_to_ms(arch_counter()), free_mib, frame_free_count(), n_vms, vm_vmids_used());
	for (uint32_t i = 0; i < nr_cpus; i++)
		printk("cpu %u: %s, %u vCPU%s\n", i,
		       pcpus[i].online && !pcpus[i].halted ? "online" : "offline", pcpus[i].sched.n,
		       pcpus[i].sched.n == 1 ? "" : "s");
}

static void cmd_ivc_list(const struct shell_cmd *c)
{
	struct ivc_channel_info ci;
	struct json j;

	json_init(&j, out, sizeof(out));
	json_obj_begin(&j);
	json_key(&j, "channels");
	json_arr_begin(&j);
	if (!c->json)
		printk("%-16s %8s %6s  %-16s %-16s %4s %3s %10s %10s %10s %6s\n", "CHANNEL", "SIZE_KIB",
		       "RATE", "MEMBER", "VM", "SLOT", "RO", "SENT", "RECEIVED", "LIMITED", "BAD");
	for (uint32_t i = 0; ivc_channel_info(i, &ci); i++) {
		if (c->json) {
			json_obj_begin(&j);
			json_kv_str(&j, "name", ci.name);
			json_kv_u64(&j, "size", ci.size);
			json_kv_u64(&j, "rate", ci.rate);
			json_kv_bool(&j, "usable", ci.usable);
			json_key(&j, "members");
			json_arr_begin(&j);
		}
		for (uint32_t m = 0; m < ci.n_members; m++) {
			const struct ivc_member_info *mi = &ci.members[m];
			bool ro = mi->flags & BUNDLE_IVC_F_READ_ONLY;

			if (c->json) {
				json_obj_begin(&j);
				json_kv_u64(&j, "id", m);
				json_kv_str(&j, "template", mi->template_name);
				json_kv_str(&j, "vm", mi->vm_name);
				json_kv_bool(&j, "read_only", ro);
				json_kv_bool(&j, "running", mi->running);
				json_kv_u64(&j, "slot", mi->slot);
				json_kv_u64(&j, "sent", mi->sent);
				json_kv_u64(&j, "received", mi->received);
				json_kv_u64(&j, "limited", mi->limited);
				json_kv_u64(&j, "bad", mi->bad);
				json_obj_end(&j);
			} else {
				printk("%-16s %8lu %6u  %-16s %-16s %4u %3s %10lu %10lu %10lu %6lu\n",
				       m ? "" : ci.name, m ? 0UL : ci.size >> 10, m ? 0 : ci.rate,
				       mi->template_name, mi->vm_name, mi->slot, ro ? "yes" : "no", mi->sent,
				       mi->received, mi->limited, mi->bad);
			}
		}
		if (c->json) {
			json_arr_end(&j);
			json_obj_end(&j);
		}
	}
	json_arr_end(&j);
	json_obj_end(&j);
	if (c->json) {
		put(out);
		put("\n");
	}
}

static void top_draw(void)
{
	uint64_t now = arch_counter();
	char pct[16];

	if (top_json) {
		struct shell_cmd c = { .json = true };

		cmd_vm_list(&c);
		return;
	}
	printk("top: %lu.%lu s, %lu MiB free (any key stops)\n", ticks_to_ms(now) / 1000,
	       ticks_to_ms(now) % 1000 / 100, (frame_free_count() * FRAME_SIZE) >> 20);
	printk("%-3s %-16s %-8s %7s %8s %8s\n", "ID", "NAME", "STATE", "CPU%", "MEM_MIB", "TOUCHED");
	for (uint32_t i = 0; i < nr_vms; i++) {
		const struct vm *vm = &vms[i];

		if (vm->state == VM_EMPTY)
			continue;
		fmt_x100(pct, sizeof(pct), vm->cpu_x100, 1);
		printk("%-3u %-16s %-8s %7s %8lu %8lu\n", vm->id, vm->name, vm_state_name(vm->state),
		       pct, vm->mem_size >> 20, vm->touched >> 20);
	}
}

static void cmd_help(void)
{
	put("commands (add --json for machine-readable output; ';' separates commands):\n"
	    "  vm list                     VMs: state, CPUs, memory, CPU% over the last second\n"
	    "  vm info NAME                one VM in detail: per-vCPU time and exits\n"
	    "  vm templates                VMs of the boot bundle that vm create can instantiate\n"
	    "  vm create TEMPLATE [NAME]   a new VM from a template (fresh memory)\n"
	    "  vm start|pause|resume|stop|reboot|destroy NAME\n"
	    "  vm console NAME             type into NAME's console (Ctrl-] s comes back here)\n"
	    "  top                         CPU% and memory of every VM each second, until a key\n"
	    "  status                      free memory, VMIDs, CPUs\n"
	    "  ivc list                    inter-VM channels: members, doorbell counters\n"
	    "  help\n"
	    "keys: Ctrl-] s = this shell, Ctrl-] N = console of VM N, Ctrl-] Ctrl-] = a Ctrl-]\n");
}

static const char *const vm_verbs[] = {
	"list", "info", "templates", "create", "start", "pause", "resume", "stop", "reboot",
	"destroy", "console", NULL,
};
enum { V_LIST, V_INFO, V_TEMPLATES, V_CREATE, V_START, V_PAUSE, V_RESUME, V_STOP, V_REBOOT,
       V_DESTROY, V_CONSOLE };

static const enum vm_op verb_op[] = {
	[V_START] = VM_OP_START, [V_PAUSE] = VM_OP_PAUSE, [V_RESUME] = VM_OP_RESUME,
	[V_STOP] = VM_OP_STOP, [V_REBOOT] = VM_OP_REBOOT, [V_DESTROY] = VM_OP_DESTROY,
};

static const char *const op_done[] = {
	[VM_OP_START] = "started", [VM_OP_PAUSE] = "paused", [VM_OP_RESUME] = "resumed",
	[VM_OP_STOP] = "stopped", [VM_OP_REBOOT] = "rebooted", [VM_OP_DESTROY] = "destroyed",
};

static bool want_args(const struct shell_cmd *c, int lo, int hi)
{
	char msg[80];

	if (c->argc >= lo && c->argc <= hi)
		return true;
	ft_snprintf(msg, sizeof(msg), "'%s %s' takes %d argument%s (see help)", c->argv[0],
		    c->argc > 1 ? c->argv[1] : "", lo - 2, lo - 2 == 1 ? "" : "s");
	if (hi > lo)
		ft_snprintf(msg, sizeof(msg), "'%s %s' takes %d to %d arguments (see help)", c->argv[0],
			    c->argv[1], lo - 2, hi - 2);
	result(c, -1, msg, NULL);
	return false;
}

static struct vm *named_vm(const struct shell_cmd *c, const char *name)
{
	struct vm *vm = mgmt_find(name);
	char msg[80];

	if (!vm) {
		ft_snprintf(msg, sizeof(msg), "no vm named '%s' (vm list shows them)", name);
		result(c, -1, msg, NULL);
	}
	return vm;
}

static void cmd_vm(const struct shell_cmd *c)
{
	char msg[160], err[128];
	struct vm *vm;
	int verb = c->argc > 1 ? shell_match(c->argv[1], vm_verbs) : -1;

	if (verb < 0) {
		ft_snprintf(msg, sizeof(msg), "unknown vm command '%s' (see help)",
			    c->argc > 1 ? c->argv[1] : "");
		result(c, -1, msg, NULL);
		return;
	}
	switch (verb) {
	case V_LIST:
		if (want_args(c, 2, 2))
			cmd_vm_list(c);
		return;
	case V_TEMPLATES:
		if (want_args(c, 2, 2))
			cmd_vm_templates(c);
		return;
	case V_INFO:
		if (want_args(c, 3, 3) && (vm = named_vm(c, c->argv[2])))
			cmd_vm_info(c, vm);
		return;
	case V_CREATE:
		if (!want_args(c, 3, 4))
			return;
		if (c->argc == 4 && !shell_parse_name(c->argv[3])) {
			ft_snprintf(msg, sizeof(msg), "bad name '%s': 1-31 of a-z 0-9 _ -, starting "
				    "with a letter", c->argv[3]);
			result(c, -1, msg, NULL);
			return;
		}
		if (mgmt_create(c->argv[2], c->argc == 4 ? c->argv[3] : NULL, &vm, err,
				sizeof(err)) != 0) {
			result(c, -1, err, NULL);
			return;
		}
		ft_snprintf(msg, sizeof(msg), "vm %u '%s' created from template '%s'", vm->id, vm->name,
			    c->argv[2]);
		result(c, 0, msg, vm);
		return;
	case V_CONSOLE:
		if (want_args(c, 3, 3) && (vm = named_vm(c, c->argv[2]))) {
			ft_snprintf(msg, sizeof(msg), "console input goes to vm %u '%s' (Ctrl-] s: back "
				    "to the shell)", vm->id, vm->name);
			result(c, 0, msg, vm);
			console_input_focus(vm->id);
		}
		return;
	default:
		break;
	}
	if (!want_args(c, 3, 3) || !(vm = named_vm(c, c->argv[2])))
		return;
	{
		enum vm_op op = verb_op[verb];
		char name[BUNDLE_NAME_LEN];
		uint32_t id = vm->id;

		memcpy(name, vm->name, sizeof(name));
		if (mgmt_request(vm, op, err, sizeof(err)) != 0) {
			result(c, -1, err, NULL);
			return;
		}
		if (op == VM_OP_DESTROY)
			console_input_vm_gone(id);
		ft_snprintf(msg, sizeof(msg), "vm '%s' %s", name, op_done[op]);
		result(c, 0, msg, op == VM_OP_DESTROY ? NULL : vm);
	}
}

static void run(struct shell_cmd *c)
{
	static const char *const verbs[] = { "vm", "top", "status", "help", "ivc", NULL };
	char msg[96];

	switch (shell_match(c->argv[0], verbs)) {
	case 0:
		cmd_vm(c);
		break;
	case 1:
		if (c->argc != 1) {
			result(c, -1, "'top' takes no arguments", NULL);
			break;
		}
		top_json = c->json;
		__atomic_store_n(&top_stop, false, __ATOMIC_RELAXED);
		top_next = arch_counter();
		__atomic_store_n(&top_on, true, __ATOMIC_RELEASE);
		break;
	case 2:
		cmd_status(c);
		break;
	case 3:
		cmd_help();
		break;
	case 4:
		if (c->argc == 2 && !strcmp(c->argv[1], "list"))
			cmd_ivc_list(c);
		else
			result(c, -1, "usage: ivc list [--json]", NULL);
		break;
	default:
		ft_snprintf(msg, sizeof(msg), "unknown command '%s' (help lists them)", c->argv[0]);
		result(c, -1, msg, NULL);
	}
}

static bool mentions_json(const char *line)
{
	for (; *line; line++)
		if (!strncmp(line, "--json", 6))
			return true;
	return false;
}

static void run_line(char *line)
{
	struct shell_cmd cmds[SHELL_MAX_CMDS];
	char err[96];
	bool json = mentions_json(line); /* before parsing cuts the line up */
	int n = shell_parse(line, cmds, SHELL_MAX_CMDS, err, sizeof(err));

	if (n < 0) {
		if (json) {
			struct shell_cmd c = { .json = true };

			result(&c, -1, err, NULL);
		} else {
			printk("error: %s\n", err);
		}
		return;
	}
	for (int i = 0; i < n && !top_on; i++)
		run(&cmds[i]);
}

void shell_poll(void)
{
	if (__atomic_load_n(&top_on, __ATOMIC_ACQUIRE)) {
		if (__atomic_load_n(&top_stop, __ATOMIC_ACQUIRE)) {
			__atomic_store_n(&top_on, false, __ATOMIC_RELEASE);
			shell_prompt();
		} else if (arch_counter() >= top_next) {
			top_draw();
			top_next = arch_counter() + ms_to_ticks(TOP_PERIOD_MS);
		}
		return;
	}
	while (__atomic_load_n(&q_tail, __ATOMIC_ACQUIRE) != __atomic_load_n(&q_head, __ATOMIC_ACQUIRE)) {
		char line[SHELL_LINE_MAX];
		uint32_t tail = q_tail;

		memcpy(line, queue[tail % LINE_QUEUE], SHELL_LINE_MAX);
		__atomic_store_n(&q_tail, tail + 1, __ATOMIC_RELEASE);
		run_line(line);
		if (top_on)
			return; /* the prompt comes back when top ends */
		shell_prompt();
	}
}

void shell_init(void)
{
	shell_line_init(&editor);
}
