/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Inter-VM channels (core/ivc.h, docs/ivc.md): the shared memory, the members' PCI
 * endpoints (config header through core/vpci.c, registers in BAR0 as include/ftvisor/ivc.h
 * defines them) and the rate-limited doorbells between them.
 *
 * Decisions:
 * - A doorbell to a member whose VM exists (created, running, paused or stopped) is latched
 *   in its INTRSTATUS (and drives its INTx if unmasked). A member with no VM attached has
 *   nothing to latch it in: the doorbell is dropped but counts as delivered (SENT), since
 *   the sender did nothing wrong. A cold start (stopped -> running) or reboot resets the
 *   endpoint, so what was latched before is gone: guests look at the shared memory at boot.
 * - Rate limit per sender and channel: a GCRA token bucket of `rate` doorbells/s with a
 *   burst of max(rate/100, 8). A doorbell over the rate is counted in LIMITED and remembered
 *   as one bit per peer (doorbells to one peer coalesce anyway: INTRSTATUS is one bit); the
 *   management CPU delivers it when a token is available again, at least IVC_DEFER_MIN_US
 *   after the deferral so a flood costs it at most 1000 wake-ups a second per channel. A
 *   later doorbell that finds a token delivers at once and takes the waiting one with it.
 * - All of a VM's register pages are one MMIO region and the ECAM window another (the MMIO
 *   bus of a VM has room for 8: GICD, GICR, UART, test device, these two).
 * - Counters are 64-bit totals (the shell); the guest's 32-bit registers show them since
 *   the VM's last reset.
 */
#include "core/ivc.h"
#include "arch/arm64/cache.h"
#include "arch/arm64/stage2.h"
#include "arch/arm64/zero.h"
#include "core/console.h"
#include "core/frame.h"
#include "core/ivc_layout.h"
#include "core/sched.h"
#include "core/vgic.h"
#include "core/vm.h"
#include "core/vpci.h"
#include "lib/format.h"
#include "lib/memrange.h"
#include "lib/string.h"

#define IVC_REVISION 1
/* A deferred doorbell waits at least this long: bounds the management CPU's wake-ups
 * during a flood to 1000/s per channel, whatever the rate. */
#define IVC_DEFER_MIN_US 1000

struct ivc_member {
	struct vm *vm;			/* the attached instance, or NULL */
	uint32_t slot, intid;		/* in that VM (its template's layout) */
	/* BAR0 registers */
	uint32_t intrmask, intrstatus;
	struct vpci_header pci;
	/* Totals since attach; the guest's registers show them minus the values at its last
	 * reset, so they restart at each boot of the VM. */
	uint64_t sent, received, limited, bad;
	uint64_t base_sent, base_received, base_limited, base_bad;
	/* Rate limiter (GCRA, a token bucket): theoretical time of the next doorbell. */
	uint64_t tat;
	uint32_t deferred;		/* bit p: a doorbell to member p waits for a token */
};

struct ivc_channel {
	struct spinlock lock;
	const struct bundle_channel *cfg;
	uint32_t index, n_members;
	uint64_t pa, size;		/* pa 0: unusable */
	uint32_t rate, burst;
	uint64_t interval, tau;		/* counter ticks per doorbell; burst allowance */
	uint64_t deadline;		/* earliest deferred doorbell (0: none); atomic */
	uint32_t n_attached;
	struct ivc_member m[BUNDLE_IVC_MAX_MEMBERS];
};

/* A VM's endpoints, slot k + 1 = port[k]; the MMIO handlers' device. */
struct ivc_port {
	struct ivc_channel *ch;
	uint32_t member;
};

struct ivc_vm {
	struct vm *vm;
	uint32_t n;
	struct ivc_port port[IVC_MAX_SLOTS];
	struct vpci_bus bus;
};

static struct ivc_channel channels[BUNDLE_MAX_CHANNELS];
static const struct bundle_channel *channel_table;
static uint32_t n_channels;
static struct ivc_vm ivc_vms[MAX_VMS];
static uint64_t defer_min_ticks;

static uint64_t ch_lock(struct ivc_channel *ch)
{
	uint64_t flags = local_irq_save(); /* the management CPU runs with IRQs on */

	spin_lock(&ch->lock);
	return flags;
}

static void ch_unlock(struct ivc_channel *ch, uint64_t flags)
{
	spin_unlock(&ch->lock);
	local_irq_restore(flags);
}

static const char *template_name(const struct ivc_channel *ch, uint32_t member)
{
	const struct bundle_vm *t = vm_template(ch->cfg->members[member].vm);

	return t ? t->name : "?";
}

static bool read_only(const struct ivc_channel *ch, uint32_t member)
{
	return ch->cfg->members[member].flags & BUNDLE_IVC_F_READ_ONLY;
}

/* ---- interrupts and doorbells (channel lock held) ---- */

static bool intx_pending(const struct ivc_member *m)
{
	return m->intrstatus & m->intrmask & 1;
}

/* INTx = status bit 3 and not masked by command bit 10; re-evaluated on every change. */
static void update_intx(struct ivc_member *m)
{
	if (m->vm)
		vgic_set_level(m->vm, m->intid,
			       intx_pending(m) && !(m->pci.command & VPCI_CMD_INTX_DISABLE));
}

static bool take_token(struct ivc_channel *ch, struct ivc_member *s, uint64_t now)
{
	uint64_t tat = MAX(s->tat, now);

	if (tat - now > ch->tau)
		return false;
	s->tat = tat + ch->interval;
	return true;
}

/* When member s may send its deferred doorbells. */
static uint64_t member_deadline(const struct ivc_channel *ch, const struct ivc_member *s,
				uint64_t now)
{
	uint64_t token = s->tat > ch->tau ? s->tat - ch->tau : 0;

	return MAX(token, now + defer_min_ticks);
}

/* A doorbell from member s to member p goes out (it had a token). A peer with no VM
 * attached has nothing to latch it in: it counts as delivered all the same. */
static void deliver(struct ivc_channel *ch, uint32_t s, uint32_t p)
{
	struct ivc_member *peer = &ch->m[p];

	ch->m[s].sent++;
	ch->m[s].deferred &= ~(1u << p); /* a waiting one to p is the same interrupt */
	if (!peer->vm)
		return;
	peer->received++;
	peer->intrstatus |= 1;
	update_intx(peer);
}

static void doorbell(struct ivc_channel *ch, uint32_t s, uint32_t val)
{
	uint32_t p = val >> 16;
	struct ivc_member *m = &ch->m[s];
	uint64_t now, d, old;

	if ((val & 0xffff) || p >= ch->n_members || p == s) {
		m->bad++;
		return;
	}
	now = arch_counter();
	if (take_token(ch, m, now)) {
		deliver(ch, s, p);
		return;
	}
	/* Over the rate: deferred, not lost; the management CPU delivers it later. */
	m->limited++;
	m->deferred |= 1u << p;
	d = member_deadline(ch, m, now);
	old = __atomic_load_n(&ch->deadline, __ATOMIC_RELAXED);
	if (!old || d < old) {
		__atomic_store_n(&ch->deadline, d, __ATOMIC_RELEASE);
		sched_poke(mgmt_cpu); /* it re-arms its timer for the new deadline */
	}
}

uint64_t ivc_next_deadline(void)
{
	uint64_t next = 0;

	for (uint32_t i = 0; i < n_channels; i++) {
		uint64_t d = __atomic_load_n(&channels[i].deadline, __ATOMIC_ACQUIRE);

		if (d && (!next || d < next))
			next = d;
	}
	return next;
}

void ivc_poll(uint64_t now)
{
	for (uint32_t i = 0; i < n_channels; i++) {
		struct ivc_channel *ch = &channels[i];
		uint64_t d = __atomic_load_n(&ch->deadline, __ATOMIC_ACQUIRE), next = 0, flags;

		if (!d || d > now)
			continue;
		flags = ch_lock(ch);
		for (uint32_t s = 0; s < ch->n_members; s++) {
			struct ivc_member *m = &ch->m[s];

			for (uint32_t p = 0; p < ch->n_members && m->deferred; p++)
				if ((m->deferred & (1u << p)) && take_token(ch, m, now))
					deliver(ch, s, p);
			if (m->deferred) {
				d = member_deadline(ch, m, now);
				if (!next || d < next)
					next = d;
			}
		}
		__atomic_store_n(&ch->deadline, next, __ATOMIC_RELEASE);
		ch_unlock(ch, flags);
	}
}

/* ---- BAR0: the register page of each endpoint ---- */

static uint32_t running_bitmap(const struct ivc_channel *ch)
{
	uint32_t bits = 0;

	for (uint32_t i = 0; i < ch->n_members; i++)
		if (ch->m[i].vm && __atomic_load_n(&ch->m[i].vm->state, __ATOMIC_ACQUIRE) == VM_RUNNING)
			bits |= 1u << i;
	return bits;
}

static struct ivc_port *port_of(struct ivc_vm *iv, uint64_t off, uint32_t size)
{
	uint64_t k = off / IVC_REGS_SIZE;

	/* 32-bit, aligned accesses only: anything else is a bus error. */
	if (size != 4 || (off & 3) || k >= iv->n)
		return NULL;
	return &iv->port[k];
}

static bool regs_read(struct vcpu *v, void *dev, uint64_t off, uint32_t size, uint64_t *val)
{
	struct ivc_port *pt = port_of(dev, off, size);
	struct ivc_channel *ch;
	struct ivc_member *m;
	uint64_t flags;
	uint32_t r = 0;

	(void)v;
	if (!pt)
		return false;
	ch = pt->ch;
	m = &ch->m[pt->member];
	flags = ch_lock(ch);
	switch (off & (IVC_REGS_SIZE - 1)) {
	case IVC_REG_INTRMASK: r = m->intrmask; break;
	case IVC_REG_INTRSTATUS:
		r = m->intrstatus;
		m->intrstatus = 0;
		update_intx(m);
		break;
	case IVC_REG_IVPOSITION: r = pt->member; break;
	case IVC_REG_MAGIC: r = IVC_MAGIC; break;
	case IVC_REG_FLAGS: r = read_only(ch, pt->member) ? IVC_FLAG_READ_ONLY : 0; break;
	case IVC_REG_MEMBERS: r = (1u << ch->n_members) - 1; break;
	case IVC_REG_RUNNING: r = running_bitmap(ch); break;
	case IVC_REG_SENT: r = (uint32_t)(m->sent - m->base_sent); break;
	case IVC_REG_RECEIVED: r = (uint32_t)(m->received - m->base_received); break;
	case IVC_REG_LIMITED: r = (uint32_t)(m->limited - m->base_limited); break;
	case IVC_REG_BAD: r = (uint32_t)(m->bad - m->base_bad); break;
	case IVC_REG_SHM_SIZE: r = (uint32_t)ch->size; break;
	case IVC_REG_CHANNEL: r = ch->index; break;
	default: r = 0; break; /* DOORBELL is write-only; the rest of the page reads 0 */
	}
	ch_unlock(ch, flags);
	*val = r;
	return true;
}

static bool regs_write(struct vcpu *v, void *dev, uint64_t off, uint32_t size, uint64_t val)
{
	struct ivc_port *pt = port_of(dev, off, size);
	struct ivc_channel *ch;
	struct ivc_member *m;
	uint64_t flags;

	(void)v;
	if (!pt)
		return false;
	ch = pt->ch;
	m = &ch->m[pt->member];
	flags = ch_lock(ch);
	switch (off & (IVC_REGS_SIZE - 1)) {
	case IVC_REG_INTRMASK:
		m->intrmask = (uint32_t)val & 1;
		update_intx(m);
		break;
	case IVC_REG_INTRSTATUS:
		m->intrstatus = (uint32_t)val & 1;
		update_intx(m);
		break;
	case IVC_REG_DOORBELL:
		doorbell(ch, pt->member, (uint32_t)val);
		break;
	default:
		break; /* read-only registers ignore writes */
	}
	ch_unlock(ch, flags);
	return true;
}

/* ---- config space: slots 1..n, function 0 ---- */

static struct ivc_port *port_at(struct ivc_vm *iv, uint32_t dev, uint32_t fn)
{
	return fn == 0 && dev >= 1 && dev <= iv->n ? &iv->port[dev - 1] : NULL;
}

static bool cfg_read(void *ctx, uint32_t dev, uint32_t fn, uint32_t reg, uint32_t *val)
{
	struct ivc_port *pt = port_at(ctx, dev, fn);
	struct ivc_member *m;
	uint64_t flags;

	if (!pt)
		return false;
	m = &pt->ch->m[pt->member];
	flags = ch_lock(pt->ch);
	*val = vpci_header_read(&m->pci, reg, intx_pending(m));
	ch_unlock(pt->ch, flags);
	return true;
}

static bool cfg_write(void *ctx, uint32_t dev, uint32_t fn, uint32_t reg, uint32_t val,
		      uint32_t byte_mask)
{
	struct ivc_port *pt = port_at(ctx, dev, fn);
	struct ivc_member *m;
	uint64_t flags;

	if (!pt)
		return false;
	m = &pt->ch->m[pt->member];
	flags = ch_lock(pt->ch);
	vpci_header_write(&m->pci, reg, val, byte_mask);
	update_intx(m); /* the command register's INTx disable bit */
	ch_unlock(pt->ch, flags);
	return true;
}

/* ---- lifetime ---- */

/* Power-on state of a member's device (channel lock held). */
static void member_reset(struct ivc_member *m)
{
	m->intrmask = 0;
	m->intrstatus = 0;
	vpci_header_reset(&m->pci);
	m->base_sent = m->sent;
	m->base_received = m->received;
	m->base_limited = m->limited;
	m->base_bad = m->bad;
	update_intx(m);
}

static void pci_identity(struct vpci_header *h, const struct ivc_endpoint *ep)
{
	memset(h, 0, sizeof(*h));
	h->vendor = IVC_PCI_VENDOR;
	h->device = IVC_PCI_DEVICE;
	h->subvendor = IVC_PCI_SUBVENDOR;
	h->subdevice = IVC_PCI_SUBDEVICE;
	h->class_code = IVC_PCI_CLASS;
	h->revision = IVC_REVISION;
	h->int_pin = 1; /* INTA */
	h->bar_kind[0] = VPCI_BAR_MEM32;
	h->bar_addr[0] = ep->bar0;
	h->bar_size[0] = IVC_REGS_SIZE;
	h->bar_kind[2] = VPCI_BAR_MEM64_PREF;
	h->bar_addr[2] = ep->bar2;
	h->bar_size[2] = ep->size;
	h->bar_kind[3] = VPCI_BAR_UPPER;
	vpci_header_reset(h);
}

static const char *check_channel(const struct bundle_channel *c, uint32_t n_vms)
{
	if (c->size < BUNDLE_IVC_MIN_SIZE || c->size > BUNDLE_IVC_MAX_SIZE || (c->size & (c->size - 1)))
		return "bad size";
	if (c->n_members < 2 || c->n_members > BUNDLE_IVC_MAX_MEMBERS)
		return "bad member count";
	for (uint32_t i = 0; i < c->n_members; i++)
		if (c->members[i].vm >= n_vms)
			return "a member is not a VM of the bundle";
	return NULL;
}

void ivc_init(const void *bundle)
{
	const struct bundle_header *h = bundle;
	uint64_t freq = arch_counter_freq();

	defer_min_ticks = freq * IVC_DEFER_MIN_US / 1000000;
	if (!h->n_channels)
		return;
	if (h->n_channels > BUNDLE_MAX_CHANNELS || !h->channel_offset ||
	    h->channel_offset + (uint64_t)h->n_channels * sizeof(struct bundle_channel) > h->total_size) {
		printk("ivc: channel table out of bounds: no channels\n");
		return;
	}
	channel_table = (const void *)((const uint8_t *)bundle + h->channel_offset);
	n_channels = h->n_channels;
	for (uint32_t i = 0; i < n_channels; i++) {
		struct ivc_channel *ch = &channels[i];
		const struct bundle_channel *c = &channel_table[i];
		const char *why = check_channel(c, h->n_vms);

		memset(ch, 0, sizeof(*ch));
		spin_lock_init(&ch->lock);
		ch->cfg = c;
		ch->index = i;
		if (why) {
			printk("ivc: channel #%u: %s: unusable\n", i, why);
			continue;
		}
		ch->n_members = c->n_members;
		ch->size = c->size;
		ch->rate = c->rate ? c->rate : BUNDLE_IVC_DEFAULT_RATE;
		ch->burst = MAX(ch->rate / 100, 8u);
		ch->interval = MAX(freq / ch->rate, 1ULL);
		ch->tau = (ch->burst - 1) * ch->interval;
		ch->pa = frame_alloc(c->size / FRAME_SIZE, MIN(c->size, BUNDLE_MEM_ALIGN) / FRAME_SIZE);
		if (!ch->pa) {
			printk("ivc: channel '%s': not enough free memory for %lu KiB: unusable\n",
			       c->name, c->size >> 10);
			continue;
		}
		/* Zeroed, and no line of it left in a cache: every member maps it non-cacheable. */
		arch_zero_and_clean(ch->pa, ch->size);
		dcache_inval_poc(ch->pa, ch->size);
		printk("ivc: channel %u '%s': %lu KiB at PA 0x%lx, %u doorbells/s (burst %u), members",
		       i, c->name, c->size >> 10, ch->pa, ch->rate, ch->burst);
		for (uint32_t m = 0; m < ch->n_members; m++)
			printk("%s%s%s", m ? ", " : " ", template_name(ch, m),
			       read_only(ch, m) ? " (read-only)" : "");
		printk("\n");
	}
}

static bool overlaps_vm(const struct vm *vm, uint64_t base, uint64_t size)
{
	const struct bundle_vm *c = vm->config;

	if (range_overlaps(base, size, vm->mem_ipa, vm->mem_size))
		return true;
	for (uint32_t i = 0; i < c->n_passthrough_mmio; i++)
		if (range_overlaps(base, size, c->passthrough_mmio[i].base, c->passthrough_mmio[i].size))
			return true;
	return false;
}

bool ivc_vm_attach(struct vm *vm, char *err, size_t err_len)
{
	struct ivc_endpoint eps[IVC_MAX_SLOTS];
	struct ivc_vm *iv = &ivc_vms[vm->id];
	struct mmio_region regs;
	const struct bundle_vm *t0 = vm_template(0);
	uint32_t tmpl;
	int n;

	memset(iv, 0, sizeof(*iv));
	/* Only instances of the bundle's templates can be members. */
	if (!n_channels || !t0 || vm->config < t0 || vm->config >= t0 + vm_template_count())
		return true;
	tmpl = (uint32_t)(vm->config - t0);
	n = ivc_layout(channel_table, n_channels, tmpl, eps, NULL);
	if (n < 0) {
		ft_snprintf(err, err_len, "ivc: %s", ivc_layout_strerror(n));
		return false;
	}
	if (n == 0)
		return true;

	for (int k = 0; k < n; k++) {
		const struct ivc_endpoint *ep = &eps[k];
		struct ivc_channel *ch = &channels[ep->channel];
		struct ivc_member *m = &ch->m[ep->member];

		if (!ch->pa) {
			ft_snprintf(err, err_len, "channel '%s' is unusable (no shared memory)",
				    ch->cfg->name);
			return false;
		}
		if (m->vm) {
			ft_snprintf(err, err_len, "channel '%s': member '%s' is already attached to vm '%s'",
				    ch->cfg->name, template_name(ch, ep->member), m->vm->name);
			return false;
		}
		if (ep->bar0 != eps[0].bar0 + (uint64_t)k * IVC_REGS_SIZE ||
		    overlaps_vm(vm, ep->bar2, ep->size) || overlaps_vm(vm, ep->bar0, IVC_REGS_SIZE)) {
			ft_snprintf(err, err_len, "channel '%s': its BARs overlap the VM's RAM or devices",
				    ch->cfg->name);
			return false;
		}
		for (uint32_t i = 0; i < vm->config->n_passthrough_irqs; i++)
			if (vm->config->passthrough_irqs[i] == ep->intid) {
				ft_snprintf(err, err_len, "channel '%s': its INTx (SPI %u) is passed through",
					    ch->cfg->name, ep->intid);
				return false;
			}
	}
	if (overlaps_vm(vm, IVC_ECAM_IPA, IVC_ECAM_SIZE)) {
		ft_snprintf(err, err_len, "ivc: the PCI ECAM window overlaps the VM's RAM or devices");
		return false;
	}

	/* The shared memory: non-cacheable in every member, read-only where configured. */
	for (int k = 0; k < n; k++) {
		const struct ivc_endpoint *ep = &eps[k];
		struct ivc_channel *ch = &channels[ep->channel];
		uint64_t attr = S2_SHARED_NC | (read_only(ch, ep->member) ? S2_AP_RO : S2_AP_RW);
		int rc;

		spin_lock(&vm->lock);
		rc = pgt_map(&vm->s2, ep->bar2, ch->pa, ch->size, attr);
		spin_unlock(&vm->lock);
		if (rc != PGT_OK) {
			ft_snprintf(err, err_len, "no memory for stage-2 tables");
			return false;
		}
	}
	dsb(ishst);

	iv->bus = (struct vpci_bus){ .ctx = iv, .cfg_read = cfg_read, .cfg_write = cfg_write };
	regs = (struct mmio_region){
		.ipa = eps[0].bar0, .size = (uint64_t)n * IVC_REGS_SIZE, .name = "ivc-regs",
		.dev = iv, .read = regs_read, .write = regs_write,
	};
	iv->n = (uint32_t)n;
	for (int k = 0; k < n; k++)
		iv->port[k] = (struct ivc_port){ .ch = &channels[eps[k].channel], .member = eps[k].member };
	if (!vpci_attach(&vm->mmio, &iv->bus, IVC_ECAM_IPA, IVC_ECAM_SIZE) || !mmio_add(&vm->mmio, &regs)) {
		iv->n = 0;
		ft_snprintf(err, err_len, "ivc: no room for the PCI devices on the VM's MMIO bus");
		return false;
	}

	/* Join: from here on peers see the VM and ring it. */
	for (int k = 0; k < n; k++) {
		const struct ivc_endpoint *ep = &eps[k];
		struct ivc_channel *ch = &channels[ep->channel];
		struct ivc_member *m = &ch->m[ep->member];
		uint64_t flags = ch_lock(ch);

		m->slot = ep->slot;
		m->intid = ep->intid;
		pci_identity(&m->pci, ep);
		m->intrmask = m->intrstatus = 0;
		m->sent = m->received = m->limited = m->bad = 0;
		m->base_sent = m->base_received = m->base_limited = m->base_bad = 0;
		m->vm = vm;
		ch->n_attached++;
		ch_unlock(ch, flags);
		printk("vm '%s': channel '%s' as member %u%s: slot %u, BAR2 %lu KiB at IPA 0x%lx, SPI %u\n",
		       vm->name, ch->cfg->name, ep->member,
		       read_only(ch, ep->member) ? " (read-only)" : "", ep->slot, ep->size >> 10,
		       ep->bar2, ep->intid);
	}
	iv->vm = vm;
	return true;
}

void ivc_vm_detach(struct vm *vm)
{
	for (uint32_t i = 0; i < n_channels; i++) {
		struct ivc_channel *ch = &channels[i];
		bool last = false;
		uint64_t flags;

		flags = ch_lock(ch);
		for (uint32_t k = 0; k < ch->n_members; k++) {
			struct ivc_member *m = &ch->m[k];

			if (m->vm != vm)
				continue;
			m->vm = NULL;
			m->intrmask = m->intrstatus = 0;
			ch->n_attached--;
			last = ch->n_attached == 0;
		}
		if (last) {
			/* Nothing of this set of VMs reaches a later one: no waiting doorbells,
			 * a fresh rate budget. */
			for (uint32_t k = 0; k < ch->n_members; k++) {
				ch->m[k].deferred = 0;
				ch->m[k].tat = 0;
			}
			__atomic_store_n(&ch->deadline, 0, __ATOMIC_RELEASE);
		}
		ch_unlock(ch, flags);
		/* Nobody maps it any more (the VM's stage 2 is torn down by its caller, before
		 * the VM runs again, and no other member is attached): scrub it unlocked. */
		if (last) {
			arch_zero_and_clean(ch->pa, ch->size);
			dcache_inval_poc(ch->pa, ch->size);
			printk("ivc: channel '%s': last member left, %lu KiB zeroed\n", ch->cfg->name,
			       ch->size >> 10);
		}
	}
	memset(&ivc_vms[vm->id], 0, sizeof(ivc_vms[vm->id]));
}

void ivc_vm_reset(struct vm *vm)
{
	struct ivc_vm *iv = &ivc_vms[vm->id];

	for (uint32_t k = 0; k < iv->n; k++) {
		struct ivc_channel *ch = iv->port[k].ch;
		uint64_t flags = ch_lock(ch);

		member_reset(&ch->m[iv->port[k].member]);
		ch_unlock(ch, flags);
	}
}

/* ---- shell ---- */

uint32_t ivc_channel_count(void)
{
	return n_channels;
}

bool ivc_channel_info(uint32_t index, struct ivc_channel_info *out)
{
	struct ivc_channel *ch;
	uint64_t flags;

	if (index >= n_channels)
		return false;
	ch = &channels[index];
	memset(out, 0, sizeof(*out));
	flags = ch_lock(ch);
	ft_snprintf(out->name, sizeof(out->name), "%s", ch->cfg->name);
	out->index = index;
	out->usable = ch->pa != 0;
	out->size = ch->cfg->size;
	out->pa = ch->pa;
	out->rate = ch->rate;
	out->burst = ch->burst;
	out->n_members = ch->n_members;
	out->n_attached = ch->n_attached;
	for (uint32_t k = 0; k < ch->n_members; k++) {
		const struct ivc_member *m = &ch->m[k];
		struct ivc_member_info *o = &out->members[k];

		ft_snprintf(o->template_name, sizeof(o->template_name), "%s", template_name(ch, k));
		ft_snprintf(o->vm_name, sizeof(o->vm_name), "%s", m->vm ? m->vm->name : "-");
		o->flags = ch->cfg->members[k].flags;
		o->slot = m->vm ? m->slot : 0;
		o->running = (running_bitmap(ch) >> k) & 1;
		o->deferred = m->deferred != 0;
		o->intrmask = m->intrmask;
		o->intrstatus = m->intrstatus;
		o->sent = m->sent;
		o->received = m->received;
		o->limited = m->limited;
		o->bad = m->bad;
	}
	ch_unlock(ch, flags);
	return true;
}
