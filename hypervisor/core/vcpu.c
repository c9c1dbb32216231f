/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The vCPU run loop and what happens on each exit: calls (HVC/SMC), trapped WFI, guest
 * data aborts on emulated devices or on nothing, and everything else the guest may not do.
 * A guest fault ends that guest (or is reflected into it), never the hypervisor.
 */
#include "arch/arm64/layout.h"
#include "arch/arm64/gic_vif.h"
#include "arch/arm64/gicv3.h"
#include "arch/arm64/mmio_decode.h"
#include "arch/arm64/vcpu_context.h"
#include "core/console.h"
#include "core/irq.h"
#include "core/mgmt.h"
#include "core/pcpu.h"
#include "core/ptimer.h"
#include "core/sched.h"
#include "core/smccc.h"
#include "core/vm.h"
#include "lib/format.h"

/* ESR_ELx.EC values (Arm ARM D19.2.37) */
#define EC_WFX 0x01
#define EC_HVC64 0x16
#define EC_SMC64 0x17
#define EC_SYSREG 0x18
#define EC_IABT_LOW 0x20
#define EC_DABT_LOW 0x24
#define EC_SERROR 0x2f

#define ISS_DFSC(esr) ((uint32_t)(esr) & 0x3f)
#define DFSC_SEA 0x10
#define DFSC_IS_ACCESS_FLAG(fsc) (((fsc) & 0x3c) == 0x08) /* levels 0-3 */
#define ISS_WNR (1u << 6)

/* The physical virtual-timer PPI fired: it belongs to the vCPU loaded here. It stays
 * active until the guest deactivates the virtual one (list register HW bit). */
static bool on_vtimer(uint32_t intid)
{
	struct vcpu *v = this_cpu()->sched.current;

	if (!v)
		return true;
	vgic_inject_hw(v, intid);
	return false;
}

/* List registers drained or a level interrupt was EOI'd: the run loop refills them before
 * the next entry. The interrupt is level and stays asserted until then, so switch the
 * virtual CPU interface off (no maintenance interrupt without ICH_HCR_EL2.En, IHI 0069
 * 6.4.3); vgic_flush turns it back on. */
static bool on_maintenance(uint32_t intid)
{
	(void)intid;
	ich_hcr_write(0);
	return true;
}

/* The PPIs that belong to guests: the EL1 virtual timer and the GIC maintenance interrupt
 * (from the device tree; the architecture's recommended numbers otherwise). */
static uint32_t vtimer_intid(void)
{
	return hyp_platform->timer.intid_virt ? hyp_platform->timer.intid_virt : 27;
}

static uint32_t maintenance_intid(void)
{
	return hyp_platform->gic.maintenance_intid ? hyp_platform->gic.maintenance_intid : 25;
}

void vcpu_irqs_init(void)
{
	irq_set_handler(vtimer_intid(), on_vtimer);
	irq_set_handler(maintenance_intid(), on_maintenance);
}

void vcpu_kick(struct vcpu *v)
{
	if (!v)
		return;
	if (__atomic_load_n(&v->blocked, __ATOMIC_ACQUIRE) && !v->t_woken)
		v->t_woken = arch_counter();
	/* Loaded: it leaves the guest and refills its list registers. Descheduled: its CPU
	 * reconsiders (a woken vCPU may preempt, or wait for its turn). */
	sched_poke(v->pcpu);
}

uint64_t vcpu_timer_deadline(const struct vcpu *v)
{
	uint64_t ctl = v->ctx.sys.cntv_ctl_el0, virt = 0, phys = ptimer_deadline(v);

	/* ENABLE set, IMASK clear (Arm ARM D11.2.4); the interrupt must also be able to
	 * reach the vCPU through its virtual GIC. */
	if ((ctl & 3) == 1 && vgic_would_signal((struct vcpu *)v, 27))
		virt = v->ctx.sys.cntv_cval_el0 + v->vm->cntvoff;
	if (!virt || (phys && phys < virt))
		return phys;
	return virt;
}

uint64_t vcpu_busy_now(const struct vcpu *v, uint64_t now)
{
	uint64_t busy = v->st.busy, seg = __atomic_load_n(&v->t_seg, __ATOMIC_ACQUIRE);

	if (seg && now > seg && !__atomic_load_n(&v->t_idle, __ATOMIC_ACQUIRE))
		busy += now - seg;
	return busy;
}

int64_t vcpu_power_on(struct vcpu *v, uint64_t entry, uint64_t context)
{
	struct vm *vm = v->vm;

	spin_lock(&vm->lock);
	if (v->power != VCPU_OFF || __atomic_load_n(&v->running, __ATOMIC_ACQUIRE)) {
		spin_unlock(&vm->lock);
		return -4; /* PSCI ALREADY_ON */
	}
	vcpu_context_reset(&v->ctx, entry, context, v->index, v->vpidr);
	ptimer_reset(v);
	v->blocked = false;
	v->t_out = arch_counter(); /* runnable from now on */
	__atomic_store_n(&v->power, VCPU_ON_PENDING, __ATOMIC_RELEASE);
	spin_unlock(&vm->lock);
	vcpu_kick(v);
	return 0;
}

/* An access to nothing: reflect a synchronous external abort into the guest, or stop it. */
static void unhandled_abort(struct vcpu *v, bool instruction, uint64_t ipa, bool write,
			    uint64_t far)
{
	struct vm *vm = v->vm;

	if (vm->flags & VM_F_STOP_ON_UNHANDLED) {
		char why[96];

		ft_snprintf(why, sizeof(why), "%s at IPA 0x%lx maps to nothing (pc 0x%lx)",
			    instruction ? "instruction fetch" : write ? "write" : "read", ipa,
			    v->ctx.regs.pc);
		mgmt_guest_event(vm, VM_OP_STOP, why);
		return;
	}
	vcpu_inject_sync(&v->ctx.regs, instruction ? 0x21 : 0x25,
			 DFSC_SEA | (write && !instruction ? ISS_WNR : 0), far);
}

/* Read the trapping instruction when the syndrome does not describe the access. */
static bool fetch_insn(struct vcpu *v, uint32_t *insn)
{
	uint64_t ipa = v->ctx.regs.pc, pa;

	if ((read_sysreg(sctlr_el1) & 1) && !vcpu_translate_va(v->ctx.regs.pc, &ipa))
		return false;
	pa = vm_ipa_to_pa(v->vm, ipa, 4);
	if (!pa || (pa & 3))
		return false;
	*insn = *(volatile uint32_t *)pa;
	return true;
}

static void handle_data_abort(struct vcpu *v, const struct trap_syndrome *t)
{
	struct vcpu_regs *r = &v->ctx.regs;
	uint64_t ipa = trap_fault_ipa(t), value = 0, value2 = 0, sp;
	uint32_t dfsc = ISS_DFSC(t->esr), insn;
	struct mmio_access a;
	const struct mmio_region *dev;
	bool write = t->esr & ISS_WNR;

	/* First access to a block of RAM (also by the guest's own table walk): count it as
	 * touched and let the access run again. */
	if (DFSC_IS_ACCESS_FLAG(dfsc) && vm_ram_touched(v->vm, ipa))
		return;
	/* Only translation faults at stage 2 can be device accesses; a fault on the guest's own
	 * table walk (S1PTW) or anything else is an access to nothing. */
	if ((dfsc & 0x3c) != 0x04 || (t->esr & (1u << 7))) {
		unhandled_abort(v, false, ipa, write, t->far);
		return;
	}
	if (mmio_decode_esr(t->esr, &a) != 0 &&
	    (!fetch_insn(v, &insn) || mmio_decode_insn(insn, &a) != 0)) {
		unhandled_abort(v, false, ipa, write, t->far);
		return;
	}
	dev = mmio_find(&v->vm->mmio, ipa, a.size * (a.pair ? 2u : 1u));
	if (!dev) {
		unhandled_abort(v, false, ipa, a.write, t->far);
		return;
	}
	if (a.write) {
		if (!dev->write(v, dev->dev, ipa - dev->ipa, a.size, mmio_store_value(&a, r->x, 0)) ||
		    (a.pair && !dev->write(v, dev->dev, ipa - dev->ipa + a.size, a.size,
					   mmio_store_value(&a, r->x, 1)))) {
			unhandled_abort(v, false, ipa, true, t->far);
			return;
		}
	} else if (!dev->read(v, dev->dev, ipa - dev->ipa, a.size, &value) ||
		   (a.pair && !dev->read(v, dev->dev, ipa - dev->ipa + a.size, a.size, &value2))) {
		unhandled_abort(v, false, ipa, false, t->far);
		return;
	}
	if (a.reg_offset)
		a.offset = mmio_reg_offset(&a, a.rm == 31 ? 0 : r->x[a.rm]);
	sp = vcpu_read_sp(r);
	mmio_complete(&a, r->x, &sp, value, value2);
	if (a.writeback && a.rn == 31)
		vcpu_write_sp(r, sp);
	r->pc += 4;
}

/* ISS of a trapped MSR/MRS (Arm ARM D17.2.37): Op0 21:20, Op2 19:17, Op1 16:14, CRn 13:10,
 * Rt 9:5, CRm 4:1, Direction 0 (1 = read). */
#define SYSREG_ISS(op0, op1, crn, crm, op2) \
	((op0) << 20 | (op2) << 17 | (op1) << 14 | (crn) << 10 | (crm) << 1)
#define SYSREG_MASK SYSREG_ISS(3, 7, 15, 15, 7)
#define ISS_ICC_SGI1R SYSREG_ISS(3, 0, 12, 11, 5)
#define ISS_ICC_ASGI1R SYSREG_ISS(3, 0, 12, 11, 6)
#define ISS_ICC_SGI0R SYSREG_ISS(3, 0, 12, 11, 7)
#define ISS_CNTP(op2) SYSREG_ISS(3, 3, 14, 2, op2)

/* PMU registers (trapped by MDCR_EL2.TPM): op0 3 with CRn 9 / CRm 12-14 (PMCR, PMCNTEN*,
 * PMOVS*, PMSELR, PMCCNTR, PMXEV*, PMUSERENR, PMINTEN*, PMMIR) or op1 3 / CRn 14 / CRm 8-15
 * (PMEVCNTRn, PMEVTYPERn, PMCCFILTR). */
static bool is_pmu_register(uint32_t iss)
{
	uint32_t op0 = (iss >> 20) & 3, op1 = (iss >> 14) & 7, crn = (iss >> 10) & 15;
	uint32_t crm = (iss >> 1) & 15;

	return op0 == 3 && ((crn == 9 && crm >= 12 && crm <= 14) ||
			    (op1 == 3 && crn == 14 && crm >= 8));
}

static void handle_sysreg(struct vcpu *v, uint64_t esr)
{
	uint32_t iss = (uint32_t)ESR_ISS(esr), rt = (iss >> 5) & 0x1f;
	bool read = iss & 1;
	/* A write's value, or what a read returns unless a case says otherwise (0). */
	uint64_t val = read || rt == 31 ? 0 : v->ctx.regs.x[rt];

	switch (iss & SYSREG_MASK) {
	case ISS_ICC_SGI1R:
	case ISS_ICC_ASGI1R:
		if (!read)
			vgic_sgi(v, val);
		break;
	case ISS_ICC_SGI0R:
		break; /* group 0 does not exist for guests */
	case ISS_CNTP(0):
	case ISS_CNTP(1):
	case ISS_CNTP(2):
		ptimer_access(v, (iss >> 17) & 7, read, &val);
		if (!read) /* a new deadline for the scheduler's timer */
			sched_arm_timer(this_cpu());
		break;
	default:
		if (is_pmu_register(iss))
			break; /* no PMU for guests: reads as zero, writes ignored (Linux resets
				* PMUSERENR_EL0 at boot, so undefined would kill it) */
		/* Implementation-defined, auxiliary and set/way registers: undefined for guests. */
		vcpu_inject_sync(&v->ctx.regs, 0x00, 0, 0);
		return;
	}
	if (read && rt != 31)
		v->ctx.regs.x[rt] = val;
	v->ctx.regs.pc += 4;
}

static bool must_leave(const struct vcpu *v)
{
	return __atomic_load_n(&v->vm->leave, __ATOMIC_ACQUIRE) ||
	       __atomic_load_n(&v->power, __ATOMIC_ACQUIRE) == VCPU_OFF;
}

/*
 * Trapped WFI: wait for an interrupt for the vCPU. While no other vCPU wants this CPU it
 * waits here, loaded, so its own timer's physical interrupt wakes it directly; otherwise it
 * gives the CPU up (returns true) and the scheduler brings it back when something is due.
 */
static bool wait_for_interrupt(struct vcpu *v)
{
	struct pcpu *c = this_cpu();
	bool first = true;

	for (;;) {
		uint64_t t;

		if (ptimer_enabled(&v->ptimer))
			ptimer_update(v); /* the scheduler's timer may have woken us for it */
		if (must_leave(v) || vgic_pending(v))
			return false;
		if (first || __atomic_load_n(&c->sched.resched, __ATOMIC_ACQUIRE)) {
			__atomic_store_n(&c->sched.resched, false, __ATOMIC_RELAXED);
			if (sched_other_wants_cpu(c, v) ||
			    (c->id == mgmt_cpu && mgmt_work_pending()) ||
			    __atomic_load_n(&c->call_fn, __ATOMIC_ACQUIRE)) {
				v->blocked = true;
				return true;
			}
			if (!first)
				sched_arm_timer(c);
			first = false;
		}
		t = arch_counter();
		v->st.busy += t - v->t_seg;
		__atomic_store_n(&v->t_idle, t, __ATOMIC_RELEASE);
		/* Even masked at EL2, a pending interrupt ends WFI; handle it right here. */
		arch_wait_for_interrupt();
		t = arch_counter();
		v->st.idle += t - v->t_idle;
		v->t_seg = t;
		__atomic_store_n(&v->t_idle, 0, __ATOMIC_RELEASE);
		irq_handle();
	}
}

/* Returns true when the vCPU must give its CPU up (blocked in WFI). */
static bool handle_sync(struct vcpu *v)
{
	struct trap_syndrome t;
	uint32_t ec;

	trap_syndrome_read(&t);
	ec = ESR_EC(t.esr);
	v->st.exits++;
	v->st.exits_by_class[ec]++;
	switch (ec) {
	case EC_WFX:
		v->ctx.regs.pc += 4;
		/* An idle guest has said all it will for now: show a pending partial line such
		 * as a shell prompt instead of holding it until its newline. */
		vconsole_idle(&v->vm->console, v->index);
		/* WFI waits for an interrupt; WFE just returns. */
		if (!(t.esr & 1))
			return wait_for_interrupt(v);
		break;
	case EC_HVC64:
		smccc_dispatch(v); /* ELR already points past the HVC */
		break;
	case EC_SMC64:
		v->ctx.regs.pc += 4; /* a trapped SMC leaves ELR on the SMC itself */
		smccc_dispatch(v);
		break;
	case EC_DABT_LOW:
		handle_data_abort(v, &t);
		break;
	case EC_IABT_LOW:
		if (DFSC_IS_ACCESS_FLAG(ISS_DFSC(t.esr)) && vm_ram_touched(v->vm, trap_fault_ipa(&t)))
			break;
		unhandled_abort(v, true, trap_fault_ipa(&t), false, t.far);
		break;
	case EC_SYSREG:
		handle_sysreg(v, t.esr);
		break;
	default: {
		char why[80];

		ft_snprintf(why, sizeof(why), "unhandled exception class 0x%02x (ESR 0x%lx) at pc 0x%lx",
			    ec, t.esr, v->ctx.regs.pc);
		mgmt_guest_event(v->vm, VM_OP_STOP, why);
	}
	}
	return false;
}

void vcpu_run(struct vcpu *v)
{
	struct vm *vm = v->vm;
	struct pcpu *c = this_cpu();
	bool blocked = false;
	uint64_t now;

	local_irq_disable();
	__atomic_store_n(&v->running, true, __ATOMIC_RELEASE);
	__atomic_store_n(&v->power, VCPU_ON, __ATOMIC_RELEASE);
	c->sched.current = v;
	c->guest_regs = NULL;
	v->st.switches++;
	__atomic_store_n(&v->t_seg, arch_counter(), __ATOMIC_RELEASE);
	vcpu_context_load(&v->ctx);
	vcpu_hw_enter(vm_stage2_vtcr(), vm->vttbr, vm->cntvoff);
	vgic_load(v);
	/* Its timer interrupt was being handled when it last left: keep the physical one
	 * active so it does not fire again before the guest deactivates it (HW bit). */
	if (v->vgic.priv[27].active)
		gicv3_set_active_private(c->gicr_base, vtimer_intid());
	/* The virtual timer's and the maintenance interrupt reach EL2 while a vCPU is here. */
	gicv3_enable_private(c->gicr_base, vtimer_intid());
	gicv3_enable_private(c->gicr_base, maintenance_intid());
	sched_arm_timer(c);
	if (v->index == 0 && !vm->entered_at) {
		/* Boot time to the VM's first instruction (`make bench`); first boot only. */
		vm->entered_at = arch_counter();
		if (vm->boots == 1 && vm_report_entry)
			printk("ftvisor: vm '%s' entered at %lu us (its first instruction)\n", vm->name,
			       arch_counter_us(vm->entered_at));
	}

	while (!must_leave(v)) {
		uint64_t exit;

		if (__atomic_load_n(&c->sched.resched, __ATOMIC_ACQUIRE)) {
			__atomic_store_n(&c->sched.resched, false, __ATOMIC_RELAXED);
			if (sched_should_leave(c, v))
				break;
		}
		if (ptimer_enabled(&v->ptimer))
			ptimer_update(v);
		vgic_flush(v);
		v->t_guest = arch_counter();
		exit = guest_enter(&v->ctx.regs);
		v->st.guest += arch_counter() - v->t_guest;
		v->t_guest = 0;
		vgic_fold(v);
		if (exit == EXIT_SYNC) {
			if (handle_sync(v)) {
				blocked = true;
				break;
			}
		} else if (exit == EXIT_IRQ) {
			v->st.exits++;
			v->st.exits_irq++;
			irq_handle();
		} else {
			mgmt_guest_event(vm, VM_OP_STOP, "SError or FIQ while the guest ran");
		}
	}

	vgic_put(v);
	vcpu_context_save(&v->ctx);
	write_sysreg(cntv_ctl_el0, 0); /* no timer interrupts for a vCPU that is not here */
	gicv3_deactivate(vtimer_intid());
	vcpu_hw_exit();
	now = arch_counter();
	v->st.busy += now - v->t_seg;
	__atomic_store_n(&v->t_seg, 0, __ATOMIC_RELEASE);
	v->blocked = blocked;
	v->t_out = now;
	c->sched.current = NULL;
	__atomic_store_n(&v->running, false, __ATOMIC_RELEASE);
	if (__atomic_load_n(&vm->leave, __ATOMIC_ACQUIRE))
		mgmt_vcpu_left(vm);
	local_irq_enable();
}
