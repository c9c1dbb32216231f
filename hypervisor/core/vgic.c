/* SPDX-License-Identifier: Apache-2.0 */
#include "core/vgic.h"
#include "arch/arm64/gic_vif.h"
#include "core/pcpu.h"
#include "core/vm.h"
#include "lib/string.h"

/* Distributor registers (IHI 0069 12.9) */
#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IIDR 0x0008
#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_ICENABLER 0x0180
#define GICD_ISPENDR 0x0200
#define GICD_ICPENDR 0x0280
#define GICD_ISACTIVER 0x0300
#define GICD_ICACTIVER 0x0380
#define GICD_IPRIORITYR 0x0400
#define GICD_ICFGR 0x0c00
#define GICD_IROUTER 0x6000
#define GICD_PIDR2 0xffe8
/* Redistributor: RD frame, SGI frame at +64 KiB (12.10, 12.11) */
#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014
#define GICR_SGI 0x10000

#define CTLR_ENABLE_G1 BIT(1)
#define CTLR_ARE BIT(4)
#define CTLR_DS BIT(6)
#define IIDR_VALUE 0x0046543bu /* implementer 0x43b, product 'F' 'T' */
#define PIDR2_GICV3 0x3b
#define WAKER_SLEEP BIT(1)
#define WAKER_ASLEEP BIT(2)

static uint32_t nr_lrs;

static struct vgic_irq *irq_of(struct vm *vm, struct vcpu *v, uint32_t intid)
{
	if (intid < VGIC_NR_PRIVATE)
		return v ? &v->vgic.priv[intid] : NULL;
	if (intid < VGIC_NR_IRQS)
		return &vm->vgic.spi[intid - VGIC_NR_PRIVATE];
	return NULL;
}

/* The vCPU an SPI goes to: IROUTER's Aff0 (our vCPU index), or vCPU 0 for IRM or no match. */
static struct vcpu *spi_target(struct vm *vm, const struct vgic_irq *irq)
{
	uint64_t aff = irq->route & 0xff00ffffffULL;

	if (!(irq->route & BIT(31)) && aff < vm->n_vcpus)
		return &vm->vcpus[aff];
	return &vm->vcpus[0];
}

static struct vcpu *owner(struct vm *vm, struct vcpu *v, uint32_t intid)
{
	return intid < VGIC_NR_PRIVATE ? v : spi_target(vm, irq_of(vm, NULL, intid));
}

/* intid (private ones: of v) may have to be delivered by the vCPU it is routed to: let that
 * vCPU's scans see it (struct vgic_cpu.cand). */
static void note_candidate(struct vm *vm, struct vcpu *v, uint32_t intid)
{
	struct vcpu *o = owner(vm, v, intid);

	if (o)
		o->vgic.cand[intid / 64] |= BIT(intid % 64);
}

/* An interrupt v need not look at any more: idle (neither pending nor active nor in a list
 * register), or an SPI routed to another vCPU (whose bit was set when it moved there). */
static bool stale_candidate(struct vm *vm, struct vcpu *v, uint32_t intid,
			    const struct vgic_irq *irq)
{
	return (!irq->pending && !irq->active && irq->lr < 0) ||
	       (intid >= VGIC_NR_PRIVATE && spi_target(vm, irq) != v);
}

/* Walk v's candidates (under the VM's vGIC lock), dropping stale ones: body sees intid and irq. */
#define for_each_candidate(vm, v, intid, irq)                                              \
	for (uint32_t w_ = 0; w_ < VGIC_NR_IRQS / 64; w_++)                                \
		for (uint64_t b_ = (v)->vgic.cand[w_]; b_; b_ &= b_ - 1)                      \
			if (((intid) = w_ * 64 + (uint32_t)__builtin_ctzll(b_)),             \
			    ((irq) = irq_of(vm, v, intid)),                                  \
			    stale_candidate(vm, v, intid, irq))                              \
				(v)->vgic.cand[w_] &= ~BIT((intid) % 64);                      \
			else

/* Unlock after a change: flushes look for deliverable interrupts again. */
static void unlock_changed(struct vm *vm)
{
	vm->vgic.gen++;
	spin_unlock(&vm->vgic.lock);
}

static void kick(struct vcpu *v)
{
	/* A loaded vCPU leaves the guest (or WFI) and picks the change up; a descheduled one's
	 * CPU reconsiders whether to run it. */
	if (v && (v->pcpu != this_cpu_id() || !__atomic_load_n(&v->running, __ATOMIC_ACQUIRE)))
		vcpu_kick(v);
}

static void irq_reset(struct vgic_irq *irq, uint32_t intid)
{
	memset(irq, 0, sizeof(*irq));
	irq->lr = -1;
	irq->edge = intid < 16; /* SGIs are edge; PPIs/SPIs reset to level */
}

void vgic_reset(struct vm *vm)
{
	spin_lock(&vm->vgic.lock);
	vm->vgic.enabled = false;
	for (uint32_t i = 0; i < VGIC_NR_SPIS; i++)
		irq_reset(&vm->vgic.spi[i], i + VGIC_NR_PRIVATE);
	/* Passed-through SPIs are backed by the physical interrupt of the same INTID. */
	for (uint32_t i = 0; vm->config && i < vm->config->n_passthrough_irqs; i++) {
		uint32_t intid = vm->config->passthrough_irqs[i];

		if (intid >= VGIC_NR_PRIVATE && intid < VGIC_NR_IRQS)
			vm->vgic.spi[intid - VGIC_NR_PRIVATE].hw = true;
	}
	for (uint32_t c = 0; c < vm->n_vcpus; c++) {
		struct vgic_cpu *vc = &vm->vcpus[c].vgic;

		for (uint32_t i = 0; i < VGIC_NR_PRIVATE; i++)
			irq_reset(&vc->priv[i], i);
		vc->priv[27].hw = true; /* the virtual timer: the physical PPI 27 of its CPU */
		vc->sleep = true;
		vc->lr_used = 0;
		vc->vmcr = 0;
		vc->ap1r0 = 0;
		memset(vc->cand, 0, sizeof(vc->cand));
	}
	unlock_changed(vm);
}

/* ---- injection ---- */

/*
 * Pending again. If a list register holds the interrupt, the holder's next fold would
 * overwrite the software state with the LR's: remember the new edge so it is not lost
 * (an IPI sent while the previous one was being handled, say).
 */
static void mark_pending(struct vm *vm, struct vcpu *v, uint32_t intid, struct vgic_irq *irq)
{
	note_candidate(vm, v, intid);
	irq->pending = true;
	if (irq->lr >= 0)
		irq->repend = true;
}

void vgic_inject(struct vm *vm, struct vcpu *target, uint32_t intid)
{
	struct vgic_irq *irq;
	struct vcpu *to;

	spin_lock(&vm->vgic.lock);
	irq = irq_of(vm, target, intid);
	if (!irq) {
		unlock_changed(vm);
		return;
	}
	mark_pending(vm, target, intid, irq);
	to = owner(vm, target, intid);
	unlock_changed(vm);
	kick(to);
}

/* Under the lock: a new level on the input line of intid (private ones: of v). */
static bool drive_line(struct vm *vm, struct vcpu *v, uint32_t intid, struct vgic_irq *irq,
		       bool level)
{
	if (irq->level == level)
		return false;
	irq->level = level;
	if (level && !irq->active)
		mark_pending(vm, v, intid, irq);
	else if (!level && !irq->edge)
		irq->pending = false;
	return true;
}

void vgic_set_level(struct vm *vm, uint32_t intid, bool level)
{
	struct vgic_irq *irq;
	struct vcpu *to = NULL;

	if (intid < VGIC_NR_PRIVATE || intid >= VGIC_NR_IRQS)
		return;
	spin_lock(&vm->vgic.lock);
	irq = irq_of(vm, NULL, intid);
	if (drive_line(vm, NULL, intid, irq, level))
		to = spi_target(vm, irq);
	unlock_changed(vm);
	kick(to);
}

void vgic_set_private_level(struct vcpu *v, uint32_t intid, bool level)
{
	struct vm *vm = v->vm;
	bool changed;

	if (intid >= VGIC_NR_PRIVATE)
		return;
	spin_lock(&vm->vgic.lock);
	changed = drive_line(vm, v, intid, &v->vgic.priv[intid], level);
	unlock_changed(vm);
	if (changed)
		kick(v);
}

void vgic_inject_hw(struct vcpu *v, uint32_t intid)
{
	spin_lock(&v->vm->vgic.lock);
	mark_pending(v->vm, v, intid, &v->vgic.priv[intid]);
	unlock_changed(v->vm);
}

struct vcpu *vgic_inject_hw_spi(struct vm *vm, uint32_t intid)
{
	struct vgic_irq *irq = irq_of(vm, NULL, intid);
	struct vcpu *to;

	if (!irq || intid < VGIC_NR_PRIVATE)
		return NULL;
	spin_lock(&vm->vgic.lock);
	mark_pending(vm, NULL, intid, irq);
	to = spi_target(vm, irq);
	unlock_changed(vm);
	kick(to);
	return to;
}

struct vcpu *vgic_spi_target(struct vm *vm, uint32_t intid)
{
	struct vgic_irq *irq = irq_of(vm, NULL, intid);

	return irq && intid >= VGIC_NR_PRIVATE ? spi_target(vm, irq) : NULL;
}

void vgic_sgi(struct vcpu *v, uint64_t r)
{
	struct vm *vm = v->vm;
	uint32_t intid = (uint32_t)BITS(r, 27, 24);
	uint64_t targets = BITS(r, 15, 0), rs = BITS(r, 47, 44);

	if (r & BIT(40)) { /* IRM: every vCPU but the sender */
		for (uint32_t i = 0; i < vm->n_vcpus; i++)
			if (i != v->index)
				vgic_inject(vm, &vm->vcpus[i], intid);
		return;
	}
	/* Our vCPUs have Aff3.Aff2.Aff1 = 0 and Aff0 = index: anything else names nobody. */
	if (BITS(r, 23, 16) || BITS(r, 39, 32) || BITS(r, 55, 48))
		return;
	for (; targets; targets &= targets - 1) {
		uint64_t aff0 = rs * 16 + (uint32_t)__builtin_ctzll(targets);

		if (aff0 < vm->n_vcpus)
			vgic_inject(vm, &vm->vcpus[aff0], intid);
	}
}

/* ---- list registers ---- */

/* Pending and enabled, or active: an active interrupt goes back into a list register
 * after the vCPU was descheduled, so that the guest's EOI finds it. */
static bool deliverable(const struct vgic *d, const struct vgic_irq *irq)
{
	return irq->lr < 0 && !irq->migrating &&
	       (irq->active || (irq->pending && irq->enabled && d->enabled));
}

/* a goes into a list register before b: active ones first (they must be in one to be
 * completed), then by priority (lower value first); equals keep their order. */
static bool goes_before(const struct vgic_irq *a, const struct vgic_irq *b)
{
	return (a->active && !b->active) || (a->active == b->active && a->priority < b->priority);
}

/*
 * One pass over v's candidates: the best `room` deliverable interrupts, in order, into
 * pick/pick_intid. Returns how many; *more says whether some were left out.
 */
static uint32_t choose(struct vm *vm, struct vcpu *v, uint32_t room, struct vgic_irq **pick,
		       uint16_t *pick_intid, bool *more)
{
	struct vgic_irq *irq;
	uint32_t i, got = 0;

	*more = false;
	for_each_candidate(vm, v, i, irq) {
		uint32_t pos = got;

		if (!deliverable(&vm->vgic, irq))
			continue;
		while (pos > 0 && goes_before(irq, pick[pos - 1]))
			pos--;
		if (pos >= room) {
			*more = true;
			continue;
		}
		if (got == room) { /* the last one drops out */
			*more = true;
			got--;
		}
		for (uint32_t k = got; k > pos; k--) {
			pick[k] = pick[k - 1];
			pick_intid[k] = pick_intid[k - 1];
		}
		pick[pos] = irq;
		pick_intid[pos] = (uint16_t)i;
		got++;
	}
	return got;
}

void vgic_flush(struct vcpu *v)
{
	struct vm *vm = v->vm;
	struct vgic_cpu *vc = &v->vgic;
	uint64_t hcr = ICH_HCR_EN;
	uint32_t n = 0;
	struct vgic_irq *irq;

	/* Nothing in the list registers and nothing new since the last look (the hypercall
	 * and MMIO exits): no lock, no scan, no LR writes. A change racing with this read is
	 * followed by a kick, which makes the guest exit again at once. */
	if (!vc->lr_used && !vc->lr_hw && !vc->flush_more &&
	    __atomic_load_n(&vm->vgic.gen, __ATOMIC_ACQUIRE) == vc->flush_gen) {
		ich_hcr_write(hcr);
		return;
	}
	spin_lock(&vm->vgic.lock);
	/* Active interrupts stay where they are (vgic_fold kept them); fill the rest. */
	for (uint32_t i = 0; i < vc->lr_used; i++) {
		irq = irq_of(vm, v, vc->lr_intid[i]);
		if (irq->lr == (int8_t)i && irq->lr_vcpu == v->index) {
			vc->lr_intid[n] = vc->lr_intid[i];
			irq->lr = (int8_t)n;
			n++;
		}
	}
	/* Scanning every interrupt is most of an exit's cost: only when something changed
	 * since the last look, or when interrupts were left out for want of LRs. */
	if (vm->vgic.gen != vc->flush_gen || vc->flush_more) {
		struct vgic_irq *pick[VGIC_MAX_LRS];
		uint32_t got = choose(vm, v, nr_lrs - n, pick, &vc->lr_intid[n], &vc->flush_more);

		for (uint32_t k = 0; k < got; k++, n++) {
			pick[k]->lr = (int8_t)n;
			pick[k]->lr_vcpu = (uint8_t)v->index;
			if (pick[k]->pending)
				v->st.injected++;
		}
		vc->flush_gen = vm->vgic.gen;
	}
	if (vc->flush_more)
		hcr |= ICH_HCR_UIE; /* more waiting: come back when the LRs drain */
	/* LRs beyond both what is placed now and what the hardware may still hold are 0. */
	for (uint32_t i = 0; i < MAX(n, vc->lr_hw); i++) {
		uint64_t lr = 0;

		if (i < n) {
			irq = irq_of(vm, v, vc->lr_intid[i]);
			lr = ICH_LR_GROUP1 | ICH_LR_PRIORITY(irq->priority) | vc->lr_intid[i];
			/* Never pending+active with the HW bit: the physical side holds the
			 * pending state then (IHI 0069 4.9.1). */
			lr |= irq->pending && !(irq->hw && irq->active) ? ICH_LR_STATE_PENDING : 0;
			lr |= irq->active ? ICH_LR_STATE_ACTIVE : 0;
			if (irq->hw)
				lr |= ICH_LR_HW | ICH_LR_PINTID(vc->lr_intid[i]);
			else if (!irq->edge)
				lr |= ICH_LR_EOI; /* resample the line when the guest is done */
			vc->lr_state[i] = lr & (ICH_LR_STATE_PENDING | ICH_LR_STATE_ACTIVE);
		}
		ich_lr_write(i, lr);
	}
	vc->lr_used = n;
	vc->lr_hw = n;
	ich_hcr_write(hcr);
	spin_unlock(&vm->vgic.lock);
}

void vgic_fold(struct vcpu *v)
{
	struct vm *vm = v->vm;
	struct vgic_cpu *vc = &v->vgic;
	bool changed = false;

	if (!vc->lr_used) { /* nothing the guest could have changed */
		__atomic_store_n(&vc->fold_seq, vc->fold_seq + 1, __ATOMIC_RELEASE);
		return;
	}
	spin_lock(&vm->vgic.lock);
	for (uint32_t i = 0; i < vc->lr_used; i++) {
		uint64_t lr = ich_lr_read(i);
		struct vgic_irq *irq = irq_of(vm, v, vc->lr_intid[i]);

		/* Taken out of this LR by a register write meanwhile: the write wins. */
		if (irq->lr != (int8_t)i || irq->lr_vcpu != v->index)
			continue;
		if ((lr & (ICH_LR_STATE_PENDING | ICH_LR_STATE_ACTIVE)) != vc->lr_state[i] ||
		    irq->repend)
			changed = true;
		irq->pending = (lr & ICH_LR_STATE_PENDING) || irq->repend;
		irq->repend = false;
		irq->active = lr & ICH_LR_STATE_ACTIVE;
		/* Done with it (EOI'd): a level line still high makes it pending again. */
		if (!irq->pending && !irq->active && !irq->edge && irq->level && !irq->hw)
			irq->pending = true;
		irq->lr = irq->active ? (int8_t)i : -1;
		if (irq->lr < 0 && irq->pending)
			changed = true; /* back in software only: the next flush must place it */
	}
	__atomic_store_n(&vc->fold_seq, vc->fold_seq + 1, __ATOMIC_RELEASE);
	if (changed)
		vm->vgic.gen++;
	spin_unlock(&vm->vgic.lock);
}

/*
 * Before a guest reads the pending or active bits of interrupts that sit in the list
 * registers of another running vCPU, make that vCPU exit once so its LRs are folded back:
 * the state in software is otherwise as old as its last exit. Bounded: a vCPU that does not
 * answer within 200 ms is read as it was.
 */
/* Make a running vCPU exit once and fold its list registers (bounded wait). */
static void wait_fold(struct vcpu *h)
{
	uint32_t seq = __atomic_load_n(&h->vgic.fold_seq, __ATOMIC_ACQUIRE);
	uint64_t t0;

	if (!__atomic_load_n(&h->running, __ATOMIC_ACQUIRE))
		return;
	vcpu_kick(h);
	t0 = read_cntpct();
	while (__atomic_load_n(&h->vgic.fold_seq, __ATOMIC_ACQUIRE) == seq &&
	       read_cntpct() - t0 < read_sysreg(cntfrq_el0) / 5)
		cpu_relax();
}

static void sync_lr_state(struct vm *vm, struct vcpu *reader, struct vcpu *owner_of_private,
			  uint32_t first)
{
	uint32_t seen = 0;

	for (uint32_t i = 0; i < 32; i++) {
		struct vgic_irq *irq = irq_of(vm, owner_of_private, first + i);

		if (!irq || irq->lr < 0 || irq->lr_vcpu == reader->index ||
		    (seen & (1u << irq->lr_vcpu)))
			continue;
		seen |= 1u << irq->lr_vcpu;
		wait_fold(&vm->vcpus[irq->lr_vcpu]);
	}
}

/*
 * An SPI changes vCPU: first keep every vCPU from picking it up, and let the vCPU whose list
 * register holds it fold, so it cannot be taken there from a stale LR and again on the new
 * vCPU. The route is then changed under the lock by the caller.
 */
static void prepare_reroute(struct vm *vm, struct vcpu *writer, struct vgic_irq *irq)
{
	struct vcpu *holder = NULL;

	spin_lock(&vm->vgic.lock);
	irq->migrating = true;
	if (irq->lr >= 0 && irq->lr_vcpu != writer->index)
		holder = &vm->vcpus[irq->lr_vcpu];
	unlock_changed(vm);
	if (holder)
		wait_fold(holder);
}

/* Offsets of the pending/active bit registers (their state can be live in list registers). */
static bool is_state_reg(uint64_t off)
{
	return off >= GICD_ISPENDR && off < GICD_ICACTIVER + 0x80;
}

/* Writes that change enable/pending/active state: first fold the LRs holding those
 * interrupts, so the write applies to their current state (an acknowledge or EOI on the
 * holder is neither lost nor replayed). */
static bool is_bit_reg(uint64_t off)
{
	return off >= GICD_ISENABLER && off < GICD_ICACTIVER + 0x80;
}

/*
 * The priority an interrupt must beat to be signalled to the vCPU: its priority mask
 * (ICH_VMCR_EL2.VPMR, bits 31:24) and its running priority, the highest active group of
 * ICH_AP1R0_EL2 (bit n = priority n << 3 with 5 priority bits; IHI 0069 12.4.5, 12.4.10).
 * Read from the hardware while the vCPU is loaded here, from its saved copy otherwise.
 */
static uint32_t signal_threshold(const struct vcpu *v)
{
	bool here = __atomic_load_n(&v->running, __ATOMIC_ACQUIRE) && v->pcpu == this_cpu_id();
	uint64_t vmcr = here ? ich_vmcr_read() : v->vgic.vmcr;
	uint64_t ap = (here ? ich_ap1r0_read() : v->vgic.ap1r0) & 0xffffffffULL;
	uint32_t pmr = (uint32_t)BITS(vmcr, 31, 24), rpr = 0x100;

	if (ap)
		rpr = (uint32_t)__builtin_ctzll(ap) << 3;
	return MIN(pmr, rpr);
}

bool vgic_would_signal(struct vcpu *v, uint32_t intid)
{
	struct vgic_irq *irq = irq_of(v->vm, v, intid);

	return irq && irq->enabled && !irq->active && v->vm->vgic.enabled &&
	       irq->priority < signal_threshold(v);
}

bool vgic_pending(struct vcpu *v)
{
	struct vm *vm = v->vm;
	uint32_t threshold = signal_threshold(v), i;
	struct vgic_irq *irq;
	bool any = false;

	spin_lock(&vm->vgic.lock);
	for_each_candidate(vm, v, i, irq) {
		/* Masked by the priority mask or by a running handler of higher priority, an
		 * interrupt does not wake WFI on real hardware either. */
		any |= irq->pending && !irq->active && irq->enabled && vm->vgic.enabled &&
		       irq->priority < threshold;
	}
	spin_unlock(&vm->vgic.lock);
	return any;
}

void vgic_load(struct vcpu *v)
{
	ich_guest_sre_init();
	ich_vmcr_write(v->vgic.vmcr);
	ich_ap1r0_write(v->vgic.ap1r0);
	v->vgic.lr_used = 0; /* vgic_put left every interrupt in software state */
	v->vgic.lr_hw = nr_lrs; /* and zeroed the LRs, but write them once anyway */
	v->vgic.flush_more = true; /* look at everything at the first flush */
}

void vgic_put(struct vcpu *v)
{
	struct vgic_cpu *vc = &v->vgic;

	vgic_fold(v);
	spin_lock(&v->vm->vgic.lock);
	for (uint32_t i = 0; i < vc->lr_used; i++)
		irq_of(v->vm, v, vc->lr_intid[i])->lr = -1;
	vc->lr_used = 0;
	/* A private interrupt backed by this CPU's hardware (the timer) and not yet taken is
	 * a level: it is sampled again from the hardware when the vCPU is back. */
	for (uint32_t i = 0; i < VGIC_NR_PRIVATE; i++)
		if (vc->priv[i].hw && vc->priv[i].pending && !vc->priv[i].active)
			vc->priv[i].pending = false;
	unlock_changed(v->vm);
	for (uint32_t i = 0; i < nr_lrs; i++)
		ich_lr_write(i, 0);
	vc->lr_hw = 0;
	ich_hcr_write(0);
	vc->vmcr = ich_vmcr_read();
	vc->ap1r0 = ich_ap1r0_read();
}

/* ---- register emulation ---- */

/* Bit-per-interrupt registers: 'set' or 'clear' the field of 32 interrupts from first. */
enum bitop { BIT_ENABLE, BIT_PENDING, BIT_ACTIVE };

static bool *field(struct vgic_irq *irq, enum bitop op)
{
	return op == BIT_ENABLE ? &irq->enabled : op == BIT_PENDING ? &irq->pending : &irq->active;
}

static void detach(struct vm *vm, struct vgic_irq *irq)
{
	struct vcpu *holder = &vm->vcpus[irq->lr_vcpu];

	irq->lr = -1;
	kick(holder);
}

static uint32_t bits_read(struct vm *vm, struct vcpu *v, uint32_t first, enum bitop op)
{
	/* 32 interrupts in a row: private ones of v, or SPIs (the GICD's first word names
	 * the private ones, read as 0 there). */
	const struct vgic_irq *irq = first < VGIC_NR_PRIVATE ? (v ? v->vgic.priv : NULL)
				     : first < VGIC_NR_IRQS ? &vm->vgic.spi[first - VGIC_NR_PRIVATE]
							    : NULL;
	size_t off = op == BIT_ENABLE ? offsetof(struct vgic_irq, enabled)
		     : op == BIT_PENDING ? offsetof(struct vgic_irq, pending)
					 : offsetof(struct vgic_irq, active);
	const bool *p;
	uint32_t val = 0;

	if (!irq)
		return 0;
	/* The one field, 32 times at the structure's stride: a guest reading ISENABLER is the
	 * costliest vGIC exit otherwise (bench/PROFILE.md). */
	p = (const bool *)((const uint8_t *)irq + off);
	for (uint32_t i = 0; i < 32; i++, p = (const bool *)((const uint8_t *)p + sizeof(*irq)))
		val |= (uint32_t)*p << i;
	return val;
}

static void bits_write(struct vm *vm, struct vcpu *v, uint32_t first, enum bitop op, bool set,
		       uint32_t val)
{
	for (uint32_t i = 0; i < 32; i++) {
		struct vgic_irq *irq = irq_of(vm, v, first + i);

		if (!irq || !(val & (1u << i)))
			continue;
		if (op == BIT_PENDING && set)
			mark_pending(vm, v, first + i, irq);
		else
			*field(irq, op) = set;
		if (op == BIT_ACTIVE && set)
			note_candidate(vm, v, first + i);
		if (op == BIT_PENDING && !set)
			irq->repend = false;
		/* Made inactive while in a list register: the vCPU holding it drops that LR at
		 * its next entry and ignores what the LR said meanwhile. Pending and enable
		 * changes reach the LR when the holder rewrites it (its state was folded just
		 * before this write). */
		if (!set && irq->lr >= 0 && op == BIT_ACTIVE)
			detach(vm, irq);
	}
}

/* IPRIORITYR/ICFGR/bit registers shared by GICD (first = 32..) and the SGI frame (first = 0). */
static bool irq_regs_read(struct vm *vm, struct vcpu *v, uint64_t off, uint32_t size,
			  uint32_t base_intid, uint64_t *val)
{
	if (off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + 0x400) {
		uint32_t first = base_intid + (uint32_t)(off - GICD_IPRIORITYR);

		*val = 0;
		for (uint32_t i = 0; i < size; i++) {
			struct vgic_irq *irq = irq_of(vm, v, first + i);

			*val |= (uint64_t)(irq ? irq->priority : 0) << (8 * i);
		}
		return true;
	}
	if (off >= GICD_ICFGR && off < GICD_ICFGR + 0x100) {
		uint32_t first = base_intid + (uint32_t)(off - GICD_ICFGR) * 4;

		*val = 0;
		for (uint32_t i = 0; i < 16; i++) {
			struct vgic_irq *irq = irq_of(vm, v, first + i);

			if (irq && irq->edge)
				*val |= 2u << (2 * i);
		}
		return true;
	}
	if (off >= GICD_IGROUPR && off < GICD_IGROUPR + 0x80) {
		*val = 0xffffffff; /* group 1 only */
		return true;
	}
	if (off >= GICD_ISENABLER && off < GICD_ICACTIVER + 0x80) {
		uint32_t reg = (uint32_t)(off - GICD_ISENABLER) / 0x80;
		uint32_t first = base_intid + (uint32_t)((off - GICD_ISENABLER) % 0x80) * 8;

		*val = bits_read(vm, v, first, (enum bitop)(reg / 2));
		return true;
	}
	return false;
}

static bool irq_regs_write(struct vm *vm, struct vcpu *v, uint64_t off, uint32_t size,
			   uint32_t base_intid, uint64_t val)
{
	if (off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + 0x400) {
		uint32_t first = base_intid + (uint32_t)(off - GICD_IPRIORITYR);

		for (uint32_t i = 0; i < size; i++) {
			struct vgic_irq *irq = irq_of(vm, v, first + i);

			if (irq)
				irq->priority = (uint8_t)(val >> (8 * i)) & VGIC_PRIO_MASK;
		}
		return true;
	}
	if (off >= GICD_ICFGR && off < GICD_ICFGR + 0x100) {
		uint32_t first = base_intid + (uint32_t)(off - GICD_ICFGR) * 4;

		for (uint32_t i = 0; i < 16; i++) {
			struct vgic_irq *irq = irq_of(vm, v, first + i);

			if (irq && first + i >= 16 && !irq->hw) /* SGIs are always edge */
				irq->edge = val & (2u << (2 * i));
		}
		return true;
	}
	if (off >= GICD_IGROUPR && off < GICD_IGROUPR + 0x80)
		return true;
	if (off >= GICD_ISENABLER && off < GICD_ICACTIVER + 0x80) {
		uint32_t reg = (uint32_t)(off - GICD_ISENABLER) / 0x80;
		uint32_t first = base_intid + (uint32_t)((off - GICD_ISENABLER) % 0x80) * 8;

		bits_write(vm, v, first, (enum bitop)(reg / 2), !(reg & 1), (uint32_t)val);
		return true;
	}
	return false;
}

static void kick_all(struct vm *vm)
{
	for (uint32_t i = 0; i < vm->n_vcpus; i++)
		kick(&vm->vcpus[i]);
}

/*
 * A write to enable/pending/active bits of interrupts other vCPUs may hold in their list
 * registers: keep those interrupts from being (re)loaded into any LR, let the holders fold,
 * so every interrupt the write names is either active in its LR or in software only. The
 * write then applies to current state; thaw() lets them be delivered again.
 */
static void freeze(struct vm *vm, struct vcpu *writer, struct vcpu *priv_owner, uint32_t first,
		   uint32_t mask)
{
	uint32_t holders = 0;

	spin_lock(&vm->vgic.lock);
	for (uint32_t i = 0; i < 32; i++) {
		struct vgic_irq *irq = irq_of(vm, priv_owner, first + i);

		if (!irq || !(mask & (1u << i)))
			continue;
		irq->migrating = true;
		if (irq->lr >= 0 && irq->lr_vcpu != writer->index)
			holders |= 1u << irq->lr_vcpu;
	}
	unlock_changed(vm);
	for (uint32_t h = 0; h < vm->n_vcpus; h++)
		if (holders & (1u << h))
			wait_fold(&vm->vcpus[h]);
}

/* Under the lock, after the write: drop pending-only LR copies and allow delivery again. */
static void thaw(struct vm *vm, struct vcpu *priv_owner, uint32_t first, uint32_t mask)
{
	for (uint32_t i = 0; i < 32; i++) {
		struct vgic_irq *irq = irq_of(vm, priv_owner, first + i);

		if (!irq || !(mask & (1u << i)))
			continue;
		if (irq->lr >= 0 && !irq->active)
			irq->lr = -1;
		irq->migrating = false;
	}
}

static bool gicd_read(struct vcpu *v, void *dev, uint64_t off, uint32_t size, uint64_t *val)
{
	struct vm *vm = dev;

	if (is_state_reg(off))
		sync_lr_state(vm, v, NULL, (uint32_t)(off & 0x7f) * 8);
	spin_lock(&vm->vgic.lock);
	*val = 0;
	if (off == GICD_CTLR)
		*val = CTLR_DS | CTLR_ARE | (vm->vgic.enabled ? CTLR_ENABLE_G1 : 0);
	else if (off == GICD_TYPER)
		*val = (VGIC_NR_IRQS / 32 - 1) | (9u << 19); /* ITLinesNumber, IDbits = 10 bits */
	else if (off == GICD_IIDR)
		*val = IIDR_VALUE;
	else if (off == GICD_PIDR2)
		*val = PIDR2_GICV3;
	else if (off >= GICD_IROUTER + 8 * VGIC_NR_PRIVATE && off < GICD_IROUTER + 8 * VGIC_NR_IRQS) {
		struct vgic_irq *irq = irq_of(vm, NULL, (uint32_t)(off - GICD_IROUTER) / 8);

		*val = off & 4 ? irq->route >> 32 : irq->route;
	} else if (!irq_regs_read(vm, NULL, off, size, 0, val)) {
		*val = 0; /* SGI/PPI words read as 0 here: they live in the redistributors */
	}
	spin_unlock(&vm->vgic.lock); /* a read changes nothing */
	return true;
}

static bool is_irouter(uint64_t off)
{
	return off >= GICD_IROUTER + 8 * VGIC_NR_PRIVATE && off < GICD_IROUTER + 8 * VGIC_NR_IRQS;
}

static bool gicd_write(struct vcpu *v, void *dev, uint64_t off, uint32_t size, uint64_t val)
{
	struct vm *vm = dev;

	if (is_irouter(off))
		prepare_reroute(vm, v, irq_of(vm, NULL, (uint32_t)(off - GICD_IROUTER) / 8));
	else if (is_bit_reg(off))
		freeze(vm, v, NULL, (uint32_t)(off & 0x7f) * 8, (uint32_t)val);
	spin_lock(&vm->vgic.lock);
	if (off == GICD_CTLR) {
		vm->vgic.enabled = val & CTLR_ENABLE_G1;
	} else if (is_irouter(off)) {
		struct vgic_irq *irq = irq_of(vm, NULL, (uint32_t)(off - GICD_IROUTER) / 8);

		/* Only pending in an LR (folded by now): it moves. Active: it stays in its LR
		 * until the old vCPU deactivates it. */
		if (irq->lr >= 0 && !irq->active)
			detach(vm, irq);
		irq->migrating = false;
		if (size == 8)
			irq->route = val;
		else if (off & 4)
			irq->route = (irq->route & 0xffffffffULL) | val << 32;
		else
			irq->route = (irq->route & ~0xffffffffULL) | (val & 0xffffffffULL);
		if (irq->pending || irq->active || irq->lr >= 0)
			note_candidate(vm, NULL, (uint32_t)(off - GICD_IROUTER) / 8);
		if (irq->hw) /* the physical interrupt follows to the new vCPU's CPU */
			vm_passthrough_route(vm, (uint32_t)(off - GICD_IROUTER) / 8, spi_target(vm, irq));
	} else {
		/* With no vCPU given, SGI/PPI fields are ignored: they are the redistributors'. */
		irq_regs_write(vm, NULL, off, size, 0, val);
		if (is_bit_reg(off))
			thaw(vm, NULL, (uint32_t)(off & 0x7f) * 8, (uint32_t)val);
	}
	unlock_changed(vm);
	kick_all(vm);
	return true;
}

/* SGI frame registers that exist: the first word of each bit register, IPRIORITYR0-7,
 * ICFGR0-1. (Higher words would name SPIs.) */
static bool sgi_frame_reg(uint64_t o)
{
	return (o >= GICD_IGROUPR && o < GICD_ICACTIVER + 0x80 && (o & 0x7f) < 4) ||
	       (o >= GICD_IPRIORITYR && o < GICD_IPRIORITYR + VGIC_NR_PRIVATE) ||
	       (o >= GICD_ICFGR && o < GICD_ICFGR + 8);
}

static bool gicr_read(struct vcpu *v, void *dev, uint64_t off, uint32_t size, uint64_t *val)
{
	struct vm *vm = dev;
	uint32_t idx = (uint32_t)(off / VGIC_GICR_STRIDE);
	struct vcpu *t = &vm->vcpus[idx];

	off %= VGIC_GICR_STRIDE;
	if (off >= GICR_SGI && is_state_reg(off - GICR_SGI) && ((off - GICR_SGI) & 0x7f) < 4)
		sync_lr_state(vm, v, t, 0);
	spin_lock(&vm->vgic.lock);
	*val = 0;
	if (off == GICR_TYPER || off == GICR_TYPER + 4) {
		/* Affinity = the vCPU's MPIDR (Aff0 = index), Processor_Number, Last. */
		uint64_t typer = (uint64_t)idx << 32 | (uint64_t)idx << 8 |
				 (idx == vm->n_vcpus - 1 ? BIT(4) : 0);

		*val = off == GICR_TYPER ? (size == 8 ? typer : (uint32_t)typer) : typer >> 32;
	} else if (off == GICD_IIDR) {
		*val = IIDR_VALUE;
	} else if (off == GICR_WAKER) {
		*val = t->vgic.sleep ? WAKER_SLEEP | WAKER_ASLEEP : 0;
	} else if (off == GICD_PIDR2) {
		*val = PIDR2_GICV3;
	} else if (off >= GICR_SGI) {
		if (sgi_frame_reg(off - GICR_SGI))
			irq_regs_read(vm, t, off - GICR_SGI, size, 0, val);
	}
	spin_unlock(&vm->vgic.lock); /* a read changes nothing */
	return true;
}

static bool gicr_write(struct vcpu *v, void *dev, uint64_t off, uint32_t size, uint64_t val)
{
	struct vm *vm = dev;
	uint32_t idx = (uint32_t)(off / VGIC_GICR_STRIDE);
	struct vcpu *t = &vm->vcpus[idx];

	off %= VGIC_GICR_STRIDE;
	bool bits = off >= GICR_SGI && is_bit_reg(off - GICR_SGI) && ((off - GICR_SGI) & 0x7f) < 4;

	if (bits)
		freeze(vm, v, t, 0, (uint32_t)val);
	spin_lock(&vm->vgic.lock);
	if (off == GICR_WAKER) {
		t->vgic.sleep = val & WAKER_SLEEP;
	} else if (off >= GICR_SGI) {
		if (sgi_frame_reg(off - GICR_SGI))
			irq_regs_write(vm, t, off - GICR_SGI, size, 0, val);
		if (bits)
			thaw(vm, t, 0, (uint32_t)val);
	}
	unlock_changed(vm);
	kick(t);
	return true;
}

bool vgic_init(struct vm *vm)
{
	struct mmio_region gicd = {
		.ipa = VGIC_GICD_IPA, .size = VGIC_GICD_SIZE, .name = "gicd", .dev = vm,
		.read = gicd_read, .write = gicd_write,
	};
	struct mmio_region gicr = {
		.ipa = VGIC_GICR_IPA, .size = VGIC_GICR_STRIDE * vm->n_vcpus, .name = "gicr",
		.dev = vm, .read = gicr_read, .write = gicr_write,
	};

	if (!nr_lrs)
		nr_lrs = ich_nr_lrs();
	spin_lock_init(&vm->vgic.lock);
	vgic_reset(vm);
	return mmio_add(&vm->mmio, &gicd) && mmio_add(&vm->mmio, &gicr);
}
