/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The virtual GICv3 and the virtual timer, tested from the inside of a 2-vCPU VM
 * (docs/guest-abi.md "Interrupts (virtual GICv3)"; the GICv3 architecture, Arm IHI 0069).
 *
 * vCPU 0 sets up the Distributor and runs the checks; vCPU 1 (PSCI CPU_ON) sets up its own
 * Redistributor and CPU interface, then serves commands from vCPU 0 (send an SGI, run the
 * timer test, sit in WFI) with IRQs unmasked, and counts what it takes. Both vCPUs' IRQ
 * handler (lib/irq_vectors.S -> guest_irq) acknowledges with ICC_IAR1_EL1, records the INTID (a count per
 * INTID, a ring of the recent ones with the running priority and nesting depth) and ends it
 * with ICC_EOIR1_EL1 (EOImode 0). Only vCPU 0 prints.
 *
 * Every wait is bounded by the virtual counter. A vCPU that waits in WFI asks the other one
 * (which is polling then) to send it SGI 15 at its deadline, so a lost interrupt cannot hang
 * it. "Must not arrive" is checked by watching for QUIET_US.
 *
 * The MMU stays off (all data accesses are Device memory, coherent between the vCPUs without
 * exclusives): every shared variable has one writer at a time.
 *
 * PASS names: gic-ids, gicr-frames, gicr-init-cpu0/1, cpuif-cpu0/1, gic-64bit-halves,
 * vcpu1-online, iar-spurious, sgi-self, sgi-other, sgi-all-others, sgi-multi, sgi-foreign,
 * {spi,ppi}-{pending-disabled,enable-delivers,icpendr,active,icenabler}, spi-route-cpu1,
 * spi-route-any, spi-other-vcpu-state, spi-reroute, ipriorityr-bytes, priority-masking,
 * priority-preemption, hppir, lr-exhaustion, vtimer-cpu0/1, wfi-wakeup, wfi-wakeup-masked,
 * irq-storms.
 */
#include "guest.h"
#include "gic.h"

#define TIMEOUT_US	  1000000 /* for an interrupt that must arrive (TCG on a busy host) */
#define QUIET_US	  30000	  /* watched for an interrupt that must not arrive */
#define SETTLE_US	  5000	  /* for a pending interrupt to reach the CPU interface */
#define ONLINE_TIMEOUT_US 5000000
#define WFI_LEAD_US	  20000 /* vCPU 0 waits this long before waking a vCPU in WFI */

#define VTIMER_TICKS	   5
#define VTIMER_DELAY_US	   10000
#define VTIMER_MAX_LATE_US 200000

#define PRIO_DEFAULT  0xa0
#define PRIO_WATCHDOG 0xc0

/* INTIDs used by the checks. */
#define SGI_SELF       3
#define SGI_OTHER      4
#define SGI_WAKE       5
#define SGI_ALL	       6
#define SGI_FOREIGN    7
#define SGI_MULTI      8
#define SGI_WATCHDOG   15
#define PPI_TEST       20 /* no device drives it */
#define SPI_SEM	       40
#define SPI_PMR_LOW    41
#define SPI_PMR_HIGH   42
#define SPI_PRE_MID    43
#define SPI_PRE_HIGH   44
#define SPI_PRE_LOW    45
#define SPI_HPPI       46
#define SPI_XVCPU      47 /* state seen from the vCPU it is not delivered to */
#define SPI_REROUTE    60
#define REROUTE_ROUNDS 10
#define SPI_LR_FIRST   48
#define SPI_LR_COUNT   12
#define SPI_LAST_USED  (SPI_LR_FIRST + SPI_LR_COUNT - 1)

#define NR_TRACK 256
#define RING	 64
/* An interrupt storm must not starve the checks: see guest_irq(). */
#define STORM_REPEAT   5000   /* the same INTID this many times in a row: disable it */
#define STORM_SPURIOUS 100000 /* this many spurious acknowledges in a row: PMR = 0 */
#define OUT_LINE       150    /* ftvisor's console cuts guest lines at 160 characters */

/* ---- interrupt bookkeeping (the counters are written by each vCPU's own handler only) ---- */

struct cpu_irqs {
	uint32_t count[NR_TRACK]; /* acknowledged, per INTID */
	uint32_t total;		  /* acknowledged (spurious excluded) */
	uint32_t completed;	  /* EOIed */
	uint32_t spurious;	  /* IAR returned 1020-1023 */
	uint32_t other;		  /* INTID >= NR_TRACK */
	uint32_t ring[RING];	  /* INTID of acknowledge number n at [n % RING] */
	uint8_t ring_rpr[RING];	  /* ICC_RPR_EL1 right after it */
	uint8_t ring_depth[RING]; /* 1, or 2 when it preempted another */
	uint32_t depth;
	uint32_t last_intid, repeat; /* storm detection */
	uint32_t spurious_run;
	uint32_t storms;	      /* interrupts disabled (or PMR zeroed) by the guard */
	uint64_t last_at;	      /* counter at the last acknowledge */
	uint64_t timer_at;	      /* counter at the last virtual timer interrupt */
	uint64_t timer_cval;	      /* CNTV_CVAL_EL0 then */
	uint32_t timer_istatus_clear; /* timer interrupts taken with ISTATUS == 0 */
	uint64_t ptimer_at;	      /* counter at the last physical timer interrupt */
	uint32_t ptimer_istatus_clear;
	void (*hook)(uint32_t intid); /* called before the EOI */
};

static struct cpu_irqs irqs[MAX_VCPUS];
static struct gic gic;
static uint64_t cpu_rd[MAX_VCPUS]; /* RD_base of vCPU i's redistributor, set by vCPU i */

void guest_irq(void);
extern char irq_vectors[];

/* The storm guard: disable an interrupt that keeps coming (it is counted each time). */
static void storm_disable(struct cpu_irqs *c, uint32_t intid)
{
	if (intid < 32 && cpu_rd[this_cpu()])
		gic_write32(gicr_sgi(cpu_rd[this_cpu()]) + GICR_ICENABLER0, BIT(intid));
	else if (intid >= 32)
		gic_write32(gic.gicd + GICD_ICENABLER + 4 * (intid / 32), BIT(intid % 32));
	dsb(sy);
	c->storms++;
}

void guest_irq(void)
{
	struct cpu_irqs *c = &irqs[this_cpu() % MAX_VCPUS];
	uint64_t iar = gic_ack(), now = counter_read();
	uint32_t intid = ICC_IAR_INTID(iar), n;
	void (*hook)(uint32_t);

	if (intid >= 1020 && intid <= 1023) {
		c->spurious++;
		if (++c->spurious_run >= STORM_SPURIOUS) {
			write_sysreg(icc_pmr_el1, 0); /* signalled but never acknowledgeable */
			isb();
			c->storms++;
			c->spurious_run = 0;
		}
		return;
	}
	c->spurious_run = 0;
	if (intid == c->last_intid) {
		if (++c->repeat >= STORM_REPEAT) {
			storm_disable(c, intid);
			c->repeat = 0;
		}
	} else {
		c->last_intid = intid;
		c->repeat = 1;
	}
	if (intid == GIC_PPI_VTIMER) {
		uint64_t ctl = read_sysreg(cntv_ctl_el0);

		c->timer_cval = read_sysreg(cntv_cval_el0);
		if (!(ctl & CNT_CTL_ISTATUS))
			c->timer_istatus_clear++;
		write_sysreg(cntv_ctl_el0, 0); /* the timer's level drops before the EOI */
		isb();
		c->timer_at = now;
	}
	if (intid == GIC_PPI_PTIMER) {
		if (!(read_sysreg(cntp_ctl_el0) & CNT_CTL_ISTATUS))
			c->ptimer_istatus_clear++;
		write_sysreg(cntp_ctl_el0, 0);
		isb();
		c->ptimer_at = read_sysreg(cntpct_el0);
	}
	n = c->total;
	c->ring[n % RING] = intid;
	c->ring_rpr[n % RING] = (uint8_t) read_sysreg(icc_rpr_el1);
	c->ring_depth[n % RING] = (uint8_t) ++c->depth;
	c->last_at = now;
	if (intid < NR_TRACK)
		c->count[intid]++;
	else
		c->other++;
	dsb(sy);
	WRITE_ONCE(c->total, n + 1);
	hook = READ_ONCE(c->hook);
	if (hook)
		hook(intid);
	c->depth--;
	gic_eoi(iar);
	WRITE_ONCE(c->completed, c->completed + 1);
}

static uint32_t cnt(unsigned int cpu, uint32_t intid)
{
	return READ_ONCE(irqs[cpu].count[intid]);
}

static uint32_t tot(unsigned int cpu)
{
	return READ_ONCE(irqs[cpu].total);
}

/* ---- the VM's vCPUs and GIC ---- */

static unsigned int ncpus;
static bool cpus_from_dt;
static uint64_t cpu_mpidr[MAX_VCPUS]; /* affinity of vCPU i (device tree order by reg) */
static unsigned int nr_intids;	      /* from GICD_TYPER */
static bool peer_online;	      /* vCPU 1 serves commands */

static void discover_cpus(void)
{
	const struct dt *dt = dtb_get();
	int cpus, node;

	ncpus = 0;
	cpus = dt ? dt_path_str(dt, "/cpus") : -1;
	if (cpus >= 0) {
		for (node = dt_first_child(dt, cpus); node >= 0 && ncpus < MAX_VCPUS;
		     node = dt_next_sibling(dt, node)) {
			const char *type;
			uint64_t reg, size;
			unsigned int i;

			if (dt_getprop_str(dt, node, "device_type", &type) != DT_OK ||
			    strcmp(type, "cpu") || dt_reg(dt, node, 0, &reg, &size) != DT_OK)
				continue;
			/* Insertion sort by reg: vCPU i is the i-th lowest affinity. */
			for (i = ncpus; i > 0 && cpu_mpidr[i - 1] > reg; i--)
				cpu_mpidr[i] = cpu_mpidr[i - 1];
			cpu_mpidr[i] = reg;
			ncpus++;
		}
	}
	cpus_from_dt = ncpus > 0;
	if (!ncpus) {
		ncpus = 2;
		cpu_mpidr[0] = 0;
		cpu_mpidr[1] = 1;
	}
}

/* ---- reporting: several conditions, one line ---- */

struct check {
	bool ok;
	size_t len;
	char why[320];
};

static void check_init(struct check *c)
{
	c->ok = true;
	c->len = 0;
	c->why[0] = '\0';
}

static void __printf(3, 4) check(struct check *c, bool cond, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (cond)
		return;
	c->ok = false;
	if (c->len >= sizeof(c->why) - 1)
		return;
	if (c->len) {
		n = ft_snprintf(c->why + c->len, sizeof(c->why) - c->len, "; ");
		c->len = MIN(c->len + (size_t) n, sizeof(c->why) - 1);
	}
	va_start(ap, fmt);
	n = ft_vsnprintf(c->why + c->len, sizeof(c->why) - c->len, fmt, ap);
	va_end(ap);
	c->len = MIN(c->len + (size_t) n, sizeof(c->why) - 1);
}

/* One PASS/FAIL line of at most OUT_LINE characters; the rest on indented lines after it. */
static void emit(bool ok, const char *name, const char *text)
{
	size_t len = strlen(text), head = strlen(name) + 7, off, n;
	char chunk[OUT_LINE + 1];

	n = MIN(len, head < OUT_LINE - 20 ? OUT_LINE - head : 20);
	memcpy(chunk, text, n);
	chunk[n] = '\0';
	if (ok)
		test_pass(name, "%s", chunk);
	else
		test_fail(name, "%s", chunk);
	for (off = n; off < len; off += n) {
		n = MIN(len - off, (size_t) OUT_LINE - 4);
		memcpy(chunk, text + off, n);
		chunk[n] = '\0';
		printf("    %s\n", chunk);
	}
}

/* PASS name details, or FAIL name: reasons [details]. */
static void __printf(3, 4) report(const struct check *c, const char *name, const char *fmt, ...)
{
	char details[256], text[600];
	va_list ap;

	va_start(ap, fmt);
	ft_vsnprintf(details, sizeof(details), fmt, ap);
	va_end(ap);
	if (c->ok)
		ft_snprintf(text, sizeof(text), "%s", details);
	else
		ft_snprintf(text, sizeof(text), "%s [%s]", c->why, details);
	emit(c->ok, name, text);
}

/* ---- waiting ---- */

static uint64_t wd_deadline[MAX_VCPUS]; /* counter value; written by vCPU i only, or cleared */

/* Sends SGI 15 to a vCPU in WFI whose deadline passed (called by whoever polls). */
static void watchdog_service(void)
{
	unsigned int me = this_cpu(), i;

	for (i = 0; i < ncpus; i++) {
		uint64_t d;

		if (i == me)
			continue;
		d = READ_ONCE(wd_deadline[i]);
		if (d && counter_read() >= d) {
			WRITE_ONCE(wd_deadline[i], 0);
			gic_send_sgi1r(gic_sgi1r_for(cpu_mpidr[i], SGI_WATCHDOG));
		}
	}
}

static void quiet_us(uint64_t us)
{
	uint64_t start = counter_read();

	while (counter_us_since(start) < us) {
		watchdog_service();
		cpu_relax();
	}
}

static void quiet(void)
{
	quiet_us(QUIET_US);
}

/* Polls until *p >= want (IRQs as the caller left them); false on timeout. */
static bool wait_value(const uint32_t *p, uint32_t want, uint64_t timeout_us)
{
	uint64_t start = counter_read();

	while (READ_ONCE(*p) < want) {
		if (counter_us_since(start) > timeout_us)
			return false;
		watchdog_service();
		cpu_relax();
	}
	return true;
}

static bool wait_flag(const bool *flag, uint64_t timeout_us)
{
	uint64_t start = counter_read();

	while (!READ_ONCE(*flag)) {
		if (counter_us_since(start) > timeout_us)
			return false;
		watchdog_service();
		cpu_relax();
	}
	return true;
}

/*
 * Waits for *p >= want with IRQs unmasked, in WFI when use_wfi (the other vCPU must be
 * polling: it sends SGI 15 at the deadline). The check and the WFI run with IRQs masked, so
 * an interrupt between them is not lost: WFI returns for a pending interrupt even while
 * PSTATE.I masks it, and the unmask right after takes it. *wfis counts WFIs executed.
 */
static bool wait_irq(const uint32_t *p, uint32_t want, uint64_t timeout_us, bool use_wfi,
		     uint32_t *wfis)
{
	unsigned int me = this_cpu();
	uint64_t start = counter_read(), ticks = counter_us_to_ticks(timeout_us);
	bool ok = true;

	if (use_wfi)
		WRITE_ONCE(wd_deadline[me], start + ticks);
	for (;;) {
		irq_mask();
		if (READ_ONCE(*p) >= want)
			break;
		if (counter_read() - start >= ticks) {
			ok = false;
			break;
		}
		if (use_wfi) {
			dsb(sy);
			asm volatile("wfi" ::: "memory");
			if (wfis)
				(*wfis)++;
		}
		irq_unmask();
		if (!use_wfi)
			cpu_relax();
	}
	WRITE_ONCE(wd_deadline[me], 0);
	irq_unmask();
	return ok;
}

/* Acknowledge number `from` onwards on cpu: index of the first with this INTID, or -1. */
static int ring_find(unsigned int cpu, uint32_t from, uint32_t intid)
{
	uint32_t n, end = tot(cpu);

	if (end - from > RING)
		from = end - RING;
	for (n = from; n != end; n++)
		if (READ_ONCE(irqs[cpu].ring[n % RING]) == intid)
			return (int) (n % RING);
	return -1;
}

/* ---- vCPU 1: commands from vCPU 0 ---- */

enum peer_op { OP_NONE, OP_SGI, OP_VTIMER, OP_WFI, OP_WFI_MASKED, OP_HOLD_MASKED, OP_OFF };

struct vtimer_result {
	uint32_t ticks, early, timeouts, extra, istatus_clear, cval_mismatch;
	uint32_t wfi_ticks, busy_ticks;
	uint64_t max_late_us, min_late_us;
};

struct wfi_result {
	bool woke;	/* WFI returned with SGI_WAKE pending (masked) / taken (unmasked) */
	bool taken;	/* the handler counted SGI_WAKE */
	uint32_t wfis;	/* WFIs executed */
	uint32_t hppir; /* masked: ICC_HPPIR1_EL1 after the wake-up */
	uint64_t at;	/* counter when it noticed */
};

static struct {
	uint32_t seq, done; /* seq: vCPU 0 (a new command); done: vCPU 1 */
	uint32_t op;
	uint64_t arg;
	bool ready;	 /* vCPU 1 initialised */
	bool wfi_ready;	 /* about to WFI */
	bool hold_ready; /* IRQs masked (OP_HOLD_MASKED) or in hold_hook */
	bool release;	 /* vCPU 0 -> 1: stop holding */
	struct vtimer_result vt;
	struct wfi_result wfi;
} peer;

struct rd_result {
	int frame;
	uint32_t waker_before, waker_after, igroupr0, isenabler0;
	bool woke, rwp_ok;
};

struct cpuif_result {
	uint64_t sre, pmr, bpr1, ctlr, igrpen1;
};

static struct rd_result rd_res[MAX_VCPUS];
static struct cpuif_result cpuif_res[MAX_VCPUS];

/* This vCPU's redistributor: find it, wake it, SGIs on (Group 1), PPIs off. */
static void rd_init(struct rd_result *r)
{
	unsigned int me = this_cpu(), i;
	uint64_t rd, sgi;

	memset(r, 0, sizeof(*r));
	/* Only frames the device tree promises: a missing Last bit must not walk off the end. */
	r->frame = gicr_find(&gic, read_sysreg(mpidr_el1), ncpus);
	if (r->frame < 0)
		return;
	rd = gicr_frame(&gic, (unsigned int) r->frame);
	sgi = gicr_sgi(rd);
	r->waker_before = gic_read32(rd + GICR_WAKER);
	r->woke = gicr_wake(rd, TIMEOUT_US);
	r->waker_after = gic_read32(rd + GICR_WAKER);

	gic_write32(sgi + GICR_ICENABLER0, 0xffffffff);
	r->rwp_ok = gicr_wait_rwp(rd, TIMEOUT_US);
	gic_write32(sgi + GICR_ICPENDR0, 0xffffffff);
	gic_write32(sgi + GICR_ICACTIVER0, 0xffffffff);
	gic_write32(sgi + GICR_IGROUPR0, 0xffffffff);
	for (i = 0; i < 32; i += 4)
		gic_write32(sgi + GICR_IPRIORITYR + i, PRIO_DEFAULT * 0x01010101u);
	gic_set_priority(&gic, rd, SGI_WATCHDOG, PRIO_WATCHDOG);
	gic_write32(sgi + GICR_ISENABLER0, 0x0000ffff);
	dsb(sy);
	r->igroupr0 = gic_read32(sgi + GICR_IGROUPR0);
	r->isenabler0 = gic_read32(sgi + GICR_ISENABLER0);
	cpu_rd[me] = rd;
}

static void cpuif_init(struct cpuif_result *r)
{
	write_sysreg(icc_sre_el1,
		     read_sysreg(icc_sre_el1) | ICC_SRE_SRE | ICC_SRE_DFB | ICC_SRE_DIB);
	isb();
	r->sre = read_sysreg(icc_sre_el1);
	gic_set_pmr(0xff);
	r->pmr = read_sysreg(icc_pmr_el1);
	write_sysreg(icc_bpr1_el1, 0);
	isb();
	r->bpr1 = read_sysreg(icc_bpr1_el1);
	write_sysreg(icc_ctlr_el1, read_sysreg(icc_ctlr_el1) & ~ICC_CTLR_EOIMODE);
	isb();
	r->ctlr = read_sysreg(icc_ctlr_el1);
	write_sysreg(icc_igrpen1_el1, 1);
	isb();
	r->igrpen1 = read_sysreg(icc_igrpen1_el1);
}

static void vtimer_run(struct vtimer_result *r);
static void peer_wfi(bool masked, struct wfi_result *r);

static void __noreturn peer_loop(void)
{
	uint32_t done = READ_ONCE(peer.done);

	irq_unmask();
	for (;;) {
		uint32_t seq = READ_ONCE(peer.seq);

		if (seq != done) {
			uint32_t op = READ_ONCE(peer.op);

			dsb(sy);
			switch (op) {
			case OP_SGI: gic_send_sgi1r(READ_ONCE(peer.arg)); break;
			case OP_VTIMER: vtimer_run(&peer.vt); break;
			case OP_WFI:
			case OP_WFI_MASKED: peer_wfi(op == OP_WFI_MASKED, &peer.wfi); break;
			case OP_HOLD_MASKED:
				/* IRQs masked until vCPU 0 says so: interrupts wait pending. */
				irq_mask();
				WRITE_ONCE(peer.hold_ready, true);
				wait_flag(&peer.release, 3 * TIMEOUT_US);
				irq_unmask();
				quiet();
				break;
			default: break;
			}
			dsb(sy);
			WRITE_ONCE(peer.done, seq);
			done = seq;
			if (op == OP_OFF) {
				irq_mask();
				write_sysreg(icc_igrpen1_el1, 0);
				isb();
				psci_cpu_off();
				for (;;)
					asm volatile("wfi");
			}
		}
		watchdog_service();
		cpu_relax();
	}
}

void secondary_main(uint64_t context)
{
	unsigned int me = this_cpu();

	(void) context;
	write_sysreg(vbar_el1, (uint64_t) irq_vectors);
	isb();
	rd_init(&rd_res[me]);
	cpuif_init(&cpuif_res[me]);
	dsb(sy);
	WRITE_ONCE(peer.ready, true);
	peer_loop();
}

static void peer_start(enum peer_op op, uint64_t arg)
{
	peer.op = op;
	peer.arg = arg;
	peer.wfi_ready = false;
	peer.hold_ready = false;
	peer.release = false;
	dsb(sy);
	WRITE_ONCE(peer.seq, peer.seq + 1);
}

/* false (and vCPU 1 is given up on) when it did not finish in time. */
static bool peer_wait(uint64_t timeout_us)
{
	uint64_t start = counter_read();

	while (READ_ONCE(peer.done) != READ_ONCE(peer.seq)) {
		if (counter_us_since(start) > timeout_us) {
			peer_online = false;
			return false;
		}
		watchdog_service();
		cpu_relax();
	}
	dsb(sy);
	return true;
}

static bool peer_run(enum peer_op op, uint64_t arg, uint64_t timeout_us)
{
	if (!peer_online)
		return false;
	peer_start(op, arg);
	return peer_wait(timeout_us);
}

static bool need_peer(const char *name)
{
	if (peer_online)
		return true;
	test_fail(name, "vCPU 1 is not online");
	return false;
}

/* ---- 1. identification and set-up ---- */

static void dist_init(struct check *c)
{
	uint64_t route = gic_mpidr_to_irouter(cpu_mpidr[0]);
	unsigned int i;
	uint32_t v;

	gic_write32(gic.gicd + GICD_CTLR, 0);
	check(c, gicd_wait_rwp(&gic, TIMEOUT_US), "GICD_CTLR.RWP stuck after disabling");
	gic_write32(gic.gicd + GICD_CTLR, GICD_CTLR_ARE);
	check(c, gicd_wait_rwp(&gic, TIMEOUT_US), "GICD_CTLR.RWP stuck after setting ARE");

	for (i = 32; i < nr_intids; i += 32) {
		gic_write32(gic.gicd + GICD_ICENABLER + i / 8, 0xffffffff);
		gic_write32(gic.gicd + GICD_ICPENDR + i / 8, 0xffffffff);
		gic_write32(gic.gicd + GICD_ICACTIVER + i / 8, 0xffffffff);
		gic_write32(gic.gicd + GICD_IGROUPR + i / 8, 0xffffffff);
	}
	check(c, gicd_wait_rwp(&gic, TIMEOUT_US), "GICD_CTLR.RWP stuck after ICENABLER");
	for (i = 32; i < nr_intids; i += 4)
		gic_write32(gic.gicd + GICD_IPRIORITYR + i, PRIO_DEFAULT * 0x01010101u);
	for (i = 32; i < nr_intids; i++)
		gic_write64(gic.gicd + GICD_IROUTER + 8 * i, route);
	/* Our SPIs 40-63 edge-triggered (ICFGR bit 2n+1); the rest as they were. */
	v = gic_read32(gic.gicd + GICD_ICFGR + 4 * (SPI_SEM / 16));
	for (i = SPI_SEM; i < 48; i++)
		v |= 2u << (2 * (i % 16));
	gic_write32(gic.gicd + GICD_ICFGR + 4 * (SPI_SEM / 16), v);
	gic_write32(gic.gicd + GICD_ICFGR + 4 * (48 / 16), 0xaaaaaaaa);

	/* Bits 0, 1, 4: Group 1 and ARE in both the DS = 1 and the Non-secure layouts. */
	gic_write32(gic.gicd + GICD_CTLR,
		    GICD_CTLR_ARE | GICD_CTLR_ENABLE_G1 | GICD_CTLR_ENABLE_G0_G1NS);
	check(c, gicd_wait_rwp(&gic, TIMEOUT_US), "GICD_CTLR.RWP stuck after enabling");
	dsb(sy);
}

static void test_gic_ids(void)
{
	uint32_t pidr2 = gic_read32(gic.gicd + GICD_PIDR2);
	uint32_t rpidr2 = gic_read32(gicr_frame(&gic, 0) + GICR_PIDR2);
	uint32_t typer = gic_read32(gic.gicd + GICD_TYPER);
	uint32_t iidr = gic_read32(gic.gicd + GICD_IIDR);
	unsigned int itl = GICD_TYPER_ITLINES(typer), idbits = GICD_TYPER_IDBITS(typer);
	uint32_t ctlr, grp;
	struct check c;

	check_init(&c);
	nr_intids = MIN(32 * (itl + 1), 1020u);
	check(&c, GIC_PIDR2_ARCHREV(pidr2) == 3, "GICD_PIDR2.ArchRev = %u, not 3",
	      GIC_PIDR2_ARCHREV(pidr2));
	check(&c, GIC_PIDR2_ARCHREV(rpidr2) == 3, "GICR_PIDR2.ArchRev = %u, not 3",
	      GIC_PIDR2_ARCHREV(rpidr2));
	check(&c, nr_intids > SPI_LAST_USED, "ITLinesNumber %u: only %u INTIDs, need %u", itl,
	      nr_intids, SPI_LAST_USED + 1);
	check(&c, idbits >= 9 && idbits <= 23 && (1u << (idbits + 1)) >= nr_intids,
	      "IDbits %u does not fit %u INTIDs", idbits, nr_intids);
	if (nr_intids <= SPI_LAST_USED)
		nr_intids = 64; /* still set up the ones we use */

	dist_init(&c);
	ctlr = gic_read32(gic.gicd + GICD_CTLR);
	grp = gic_read32(gic.gicd + GICD_IGROUPR + 4);
	check(&c, ctlr & GICD_CTLR_ARE, "GICD_CTLR.ARE%s reads 0",
	      ctlr & GICD_CTLR_DS ? "" : "_NS");
	check(&c, ctlr & GICD_CTLR_ENABLE_G1, "GICD_CTLR.EnableGrp1 reads 0");
	check(&c, grp == 0xffffffff, "GICD_IGROUPR1 reads 0x%x after writing ones", grp);
	report(&c, "gic-ids",
	       "PIDR2 0x%x/0x%x TYPER 0x%x (%u INTIDs, IDbits %u, LPIS %d, No1N %d, RSS %d, "
	       "SecExtn %d) IIDR 0x%x CTLR 0x%x (DS %d) %s",
	       pidr2, rpidr2, typer, nr_intids, idbits, !!(typer & GICD_TYPER_LPIS),
	       !!(typer & GICD_TYPER_NO1N), !!(typer & GICD_TYPER_RSS),
	       !!(typer & GICD_TYPER_SECURITY_EXTN), iidr, ctlr, !!(ctlr & GICD_CTLR_DS),
	       gic.from_dt ? "(DT)" : "(default bases)");
}

static void test_gicr_frames(void)
{
	char list[200];
	size_t len = 0;
	struct check c;
	unsigned int i;

	check_init(&c);
	list[0] = '\0';
	for (i = 0; i < ncpus; i++) {
		uint64_t typer = gic_read64(gicr_frame(&gic, i) + GICR_TYPER);
		uint32_t aff = GICR_TYPER_AFFINITY(typer),
			 want = gic_mpidr_to_affinity(cpu_mpidr[i]);
		bool last = typer & GICR_TYPER_LAST;

		check(&c, aff == want, "frame %u affinity 0x%x, vCPU %u has 0x%x", i, aff, i, want);
		check(&c, last == (i == ncpus - 1), "frame %u Last=%d", i, last);
		if (len < sizeof(list))
			len += (size_t) ft_snprintf(
			    list + len, sizeof(list) - len, "%s[%u] aff=0x%x num=%lu%s",
			    i ? " " : "", i, aff, GICR_TYPER_PROC_NUM(typer), last ? " Last" : "");
	}
	report(&c, "gicr-frames", "%u vCPUs (%s): %s", ncpus,
	       cpus_from_dt ? "device tree" : "assumed", list);
}

/* GICv3 8.1.3: 64-bit registers allow 32-bit accesses to either half. */
static void test_64bit_halves(void)
{
	uint64_t rd = gicr_frame(&gic, 0), typer = gic_read64(rd + GICR_TYPER);
	uint32_t lo = gic_read32(rd + GICR_TYPER), hi = gic_read32(rd + GICR_TYPER + 4);
	uint64_t irouter = gic.gicd + GICD_IROUTER + 8 * SPI_SEM;
	uint64_t want = gic_mpidr_to_irouter(cpu_mpidr[ncpus > 1 ? 1 : 0]), r64;
	uint32_t r_lo, r_hi;
	struct check c;

	check_init(&c);
	check(&c, lo == (uint32_t) typer && hi == (uint32_t) (typer >> 32),
	      "GICR_TYPER 64-bit 0x%lx, halves 0x%x:0x%x", typer, hi, lo);
	gic_write64(irouter, want);
	dsb(sy);
	r_lo = gic_read32(irouter);
	r_hi = gic_read32(irouter + 4);
	check(&c, r_lo == (uint32_t) want && r_hi == (uint32_t) (want >> 32),
	      "IROUTER%u written 0x%lx (64-bit), halves read 0x%x:0x%x", SPI_SEM, want, r_hi, r_lo);
	gic_write32(irouter, (uint32_t) gic_mpidr_to_irouter(cpu_mpidr[0]));
	gic_write32(irouter + 4, (uint32_t) (gic_mpidr_to_irouter(cpu_mpidr[0]) >> 32));
	dsb(sy);
	r64 = gic_read64(irouter);
	check(&c, r64 == gic_mpidr_to_irouter(cpu_mpidr[0]),
	      "IROUTER%u written by halves, 64-bit read 0x%lx", SPI_SEM, r64);
	report(&c, "gic-64bit-halves", "GICR_TYPER=0x%lx", typer);
}

static void report_rd(unsigned int cpu)
{
	const struct rd_result *r = &rd_res[cpu];
	char name[32];
	struct check c;

	ft_snprintf(name, sizeof(name), "gicr-init-cpu%u", cpu);
	check_init(&c);
	check(&c, r->frame == (int) cpu, "own frame (by GICR_TYPER affinity) is %d", r->frame);
	if (r->frame >= 0) {
		check(&c, r->woke && !(r->waker_after & GICR_WAKER_CHILDREN_ASLEEP),
		      "GICR_WAKER.ChildrenAsleep stays set");
		check(&c, !(r->waker_after & GICR_WAKER_PROCESSOR_SLEEP),
		      "GICR_WAKER.ProcessorSleep stays set");
		check(&c, r->rwp_ok, "GICR_CTLR.RWP stuck");
		check(&c, r->igroupr0 == 0xffffffff, "GICR_IGROUPR0 reads 0x%x after writing ones",
		      r->igroupr0);
		check(&c, r->isenabler0 == 0xffff, "GICR_ISENABLER0 reads 0x%x, want 0xffff",
		      r->isenabler0);
	}
	report(&c, name, "frame=%d WAKER 0x%x -> 0x%x", r->frame, r->waker_before, r->waker_after);
}

static void report_cpuif(unsigned int cpu)
{
	const struct cpuif_result *r = &cpuif_res[cpu];
	unsigned int pribits = ICC_CTLR_PRIBITS(r->ctlr);
	uint64_t pmr_want = (0xffu << (8 - pribits)) & 0xff;
	char name[32];
	struct check c;

	ft_snprintf(name, sizeof(name), "cpuif-cpu%u", cpu);
	check_init(&c);
	check(&c, r->sre & ICC_SRE_SRE, "ICC_SRE_EL1.SRE reads 0");
	check(&c, r->pmr == pmr_want, "ICC_PMR_EL1 reads 0x%lx after 0xff (PRIbits %u: want 0x%lx)",
	      r->pmr, pribits, pmr_want);
	check(&c, !(r->ctlr & ICC_CTLR_EOIMODE), "ICC_CTLR_EL1.EOImode stays 1");
	check(&c, r->igrpen1 == 1, "ICC_IGRPEN1_EL1 reads 0x%lx", r->igrpen1);
	check(&c, r->bpr1 <= 7, "ICC_BPR1_EL1 reads 0x%lx", r->bpr1);
	report(&c, name,
	       "SRE=0x%lx PMR=0x%lx BPR1=%lu CTLR=0x%lx (PRIbits=%u IDbits=%s RSS=%d) "
	       "IGRPEN1=%lu",
	       r->sre, r->pmr, r->bpr1, r->ctlr, pribits, ICC_CTLR_IDBITS(r->ctlr) ? "24" : "16",
	       !!(r->ctlr & ICC_CTLR_RSS), r->igrpen1);
}

static void start_peer(void)
{
	int64_t r;

	if (ncpus < 2) {
		test_fail("vcpu1-online", "the device tree lists %u vCPU(s), the test needs 2",
			  ncpus);
		return;
	}
	r = psci_cpu_on(cpu_mpidr[1], psci_secondary_entry(), 0);
	if (r != PSCI_SUCCESS) {
		test_fail("vcpu1-online", "CPU_ON(0x%lx) = %ld", cpu_mpidr[1], r);
		return;
	}
	if (!wait_flag(&peer.ready, ONLINE_TIMEOUT_US)) {
		test_fail("vcpu1-online", "vCPU 1 not ready %u s after CPU_ON",
			  ONLINE_TIMEOUT_US / 1000000);
		return;
	}
	peer_online = true;
	test_pass("vcpu1-online", "mpidr=0x%lx", cpu_mpidr[1]);
	report_rd(1);
	report_cpuif(1);
}

/* ---- 2. CPU interface ---- */

static void test_iar_spurious(void)
{
	uint64_t hppir, iar;
	uint32_t id;

	irq_mask();
	hppir = read_sysreg(icc_hppir1_el1);
	iar = gic_ack();
	id = ICC_IAR_INTID(iar);
	if (id < 1020)
		gic_eoi(iar);
	irq_unmask();
	test_result(id == GIC_INTID_SPURIOUS, "iar-spurious",
		    "nothing pending: ICC_IAR1_EL1=%u ICC_HPPIR1_EL1=%lu", id, hppir & 0xffffff);
}

/* ---- 3. SGIs ---- */

static void test_sgi_self(void)
{
	uint32_t b0 = cnt(0, SGI_SELF), b1 = cnt(1, SGI_SELF);
	uint64_t start;
	struct check c;
	bool ok;

	check_init(&c);
	start = counter_read();
	gic_send_sgi1r(gic_sgi1r_for(cpu_mpidr[0], SGI_SELF));
	ok = wait_value(&irqs[0].count[SGI_SELF], b0 + 1, TIMEOUT_US);
	start = counter_us_since(start);
	quiet();
	check(&c, ok, "SGI %u to self not taken within %u ms", SGI_SELF, TIMEOUT_US / 1000);
	check(&c, cnt(0, SGI_SELF) - b0 <= 1, "taken %u times", cnt(0, SGI_SELF) - b0);
	check(&c, cnt(1, SGI_SELF) == b1, "vCPU 1 took it too");
	report(&c, "sgi-self", "intid=%u after_us=%lu", SGI_SELF, start);
}

static void test_sgi_other(void)
{
	uint32_t b0 = cnt(0, SGI_OTHER), b1 = cnt(1, SGI_OTHER);
	bool to1, to0, ran;
	struct check c;

	if (!need_peer("sgi-other"))
		return;
	check_init(&c);
	gic_send_sgi1r(gic_sgi1r_for(cpu_mpidr[1], SGI_OTHER));
	to1 = wait_value(&irqs[1].count[SGI_OTHER], b1 + 1, TIMEOUT_US);
	quiet();
	check(&c, to1, "vCPU 0 -> 1: not taken by vCPU 1");
	check(&c, cnt(0, SGI_OTHER) == b0, "vCPU 0 -> 1: vCPU 0 took it");

	b0 = cnt(0, SGI_OTHER);
	b1 = cnt(1, SGI_OTHER);
	ran = peer_run(OP_SGI, gic_sgi1r_for(cpu_mpidr[0], SGI_OTHER), TIMEOUT_US);
	to0 = wait_value(&irqs[0].count[SGI_OTHER], b0 + 1, TIMEOUT_US);
	quiet();
	check(&c, ran, "vCPU 1 did not run the command");
	check(&c, to0, "vCPU 1 -> 0: not taken by vCPU 0");
	check(&c, cnt(1, SGI_OTHER) == b1, "vCPU 1 -> 0: vCPU 1 took it");
	check(&c, cnt(0, SGI_OTHER) - b0 <= 1, "vCPU 1 -> 0: taken %u times",
	      cnt(0, SGI_OTHER) - b0);
	report(&c, "sgi-other", "intid=%u both directions", SGI_OTHER);
}

static void test_sgi_all_others(void)
{
	uint32_t b0 = cnt(0, SGI_ALL), b1 = cnt(1, SGI_ALL);
	uint64_t v = ICC_SGI1R_IRM | ICC_SGI1R_INTID(SGI_ALL);
	struct check c;
	bool ok;

	if (!need_peer("sgi-all-others"))
		return;
	check_init(&c);
	gic_send_sgi1r(v);
	ok = wait_value(&irqs[1].count[SGI_ALL], b1 + 1, TIMEOUT_US);
	quiet();
	check(&c, ok, "from vCPU 0: vCPU 1 did not take it");
	check(&c, cnt(0, SGI_ALL) == b0, "from vCPU 0: the sender took it (IRM = 1 excludes self)");
	check(&c, cnt(1, SGI_ALL) - b1 <= 1, "from vCPU 0: vCPU 1 took it %u times",
	      cnt(1, SGI_ALL) - b1);

	b0 = cnt(0, SGI_ALL);
	b1 = cnt(1, SGI_ALL);
	ok = peer_run(OP_SGI, v, TIMEOUT_US) &&
	     wait_value(&irqs[0].count[SGI_ALL], b0 + 1, TIMEOUT_US);
	quiet();
	check(&c, ok, "from vCPU 1: vCPU 0 did not take it");
	check(&c, cnt(1, SGI_ALL) == b1, "from vCPU 1: the sender took it");
	report(&c, "sgi-all-others", "intid=%u IRM=1 from each vCPU", SGI_ALL);
}

static void test_sgi_multi(void)
{
	uint32_t b0 = cnt(0, SGI_MULTI), b1 = cnt(1, SGI_MULTI);
	uint64_t v =
	    gic_sgi1r_for(cpu_mpidr[0], SGI_MULTI) | gic_sgi1r_for(cpu_mpidr[1], SGI_MULTI);
	struct check c;
	bool ok0, ok1;

	if (!need_peer("sgi-multi"))
		return;
	check_init(&c);
	if ((cpu_mpidr[0] ^ cpu_mpidr[1]) & ~0xfULL) {
		test_fail("sgi-multi", "vCPUs 0 and 1 (0x%lx, 0x%lx) are not in one target list",
			  cpu_mpidr[0], cpu_mpidr[1]);
		return;
	}
	gic_send_sgi1r(v);
	ok0 = wait_value(&irqs[0].count[SGI_MULTI], b0 + 1, TIMEOUT_US);
	ok1 = wait_value(&irqs[1].count[SGI_MULTI], b1 + 1, TIMEOUT_US);
	quiet();
	check(&c, ok0 && ok1, "taken by vCPU 0: %d, vCPU 1: %d", ok0, ok1);
	check(&c, cnt(0, SGI_MULTI) - b0 <= 1 && cnt(1, SGI_MULTI) - b1 <= 1, "taken twice");
	report(&c, "sgi-multi", "intid=%u ICC_SGI1R_EL1=0x%lx", SGI_MULTI, v);
}

/* SGIs to affinities no vCPU of this VM has: nothing may arrive here (nor in other VMs). */
static void test_sgi_foreign(void)
{
	uint64_t base = cpu_mpidr[0], sent[8];
	uint64_t aff1 = (base >> 8) & 0xff, aff2 = (base >> 16) & 0xff, aff3 = (base >> 32) & 0xff;
	uint32_t b0 = tot(0), b1 = tot(1), f0 = cnt(0, SGI_FOREIGN), f1 = cnt(1, SGI_FOREIGN);
	uint64_t same = ICC_SGI1R_INTID(SGI_FOREIGN) | ICC_SGI1R_AFF1(aff1) | ICC_SGI1R_AFF2(aff2) |
			ICC_SGI1R_AFF3(aff3);
	bool rss = read_sysreg(icc_ctlr_el1) & ICC_CTLR_RSS;
	unsigned int n = 0, i;
	uint32_t absent = 0xffff;
	struct check c;

	check_init(&c);
	/* Aff0 values 0-15 that no vCPU of this VM (same Aff3.Aff2.Aff1) has. */
	for (i = 0; i < ncpus; i++)
		if (!((cpu_mpidr[i] ^ base) & ~0xffULL) && (cpu_mpidr[i] & 0xff) < 16)
			absent &= ~(1u << (cpu_mpidr[i] & 0xff));
	sent[n++] = same | ICC_SGI1R_TARGETS(1u << 5 & absent);
	sent[n++] = same | ICC_SGI1R_TARGETS(absent);
	sent[n++] = same; /* empty target list */
	sent[n++] = ICC_SGI1R_INTID(SGI_FOREIGN) | ICC_SGI1R_TARGETS(0xffff) |
		    ICC_SGI1R_AFF1(aff1 + 1) | ICC_SGI1R_AFF2(aff2) | ICC_SGI1R_AFF3(aff3);
	sent[n++] = ICC_SGI1R_INTID(SGI_FOREIGN) | ICC_SGI1R_TARGETS(0xffff) |
		    ICC_SGI1R_AFF1(aff1) | ICC_SGI1R_AFF2(aff2 + 1) | ICC_SGI1R_AFF3(aff3);
	sent[n++] = ICC_SGI1R_INTID(SGI_FOREIGN) | ICC_SGI1R_TARGETS(0xffff) |
		    ICC_SGI1R_AFF1(aff1) | ICC_SGI1R_AFF2(aff2) | ICC_SGI1R_AFF3(aff3 + 1);
	if (rss) /* RS = 1: Aff0 16-31 (RS is RES0 without ICC_CTLR_EL1.RSS) */
		sent[n++] = same | ICC_SGI1R_RS(1) | ICC_SGI1R_TARGETS(0xffff);
	for (i = 0; i < n; i++)
		gic_send_sgi1r(sent[i]);
	quiet_us(2 * QUIET_US);
	check(&c, cnt(0, SGI_FOREIGN) == f0 && cnt(1, SGI_FOREIGN) == f1,
	      "SGI %u arrived: vCPU 0 %u times, vCPU 1 %u times", SGI_FOREIGN,
	      cnt(0, SGI_FOREIGN) - f0, cnt(1, SGI_FOREIGN) - f1);
	check(&c, tot(0) == b0 && tot(1) == b1, "interrupts taken meanwhile: vCPU 0 %u, vCPU 1 %u",
	      tot(0) - b0, tot(1) - b1);
	report(&c, "sgi-foreign",
	       "intid=%u: %u SGIs (Aff0 list 0x%x, empty list, Aff1/Aff2/Aff3 + 1%s), "
	       "none taken",
	       SGI_FOREIGN, n, absent, rss ? ", RS=1" : "");
}

/* ---- 4. SPI and PPI state machine ---- */

struct irq_ref {
	const char *kind; /* "spi" or "ppi" */
	uint32_t intid;
	uint64_t base; /* GICD, or vCPU 0's SGI_base: the I[SC]* offsets are the same */
	uint64_t rd;   /* vCPU 0's RD_base for a PPI (RWP), 0 for an SPI */
};

static uint64_t irq_reg(const struct irq_ref *r, uint32_t off)
{
	return r->base + off + 4 * (r->intid / 32);
}

static void irq_set(const struct irq_ref *r, uint32_t off)
{
	gic_write32(irq_reg(r, off), 1u << (r->intid % 32));
	dsb(sy);
}

static bool irq_get(const struct irq_ref *r, uint32_t off)
{
	return gic_read32(irq_reg(r, off)) & (1u << (r->intid % 32));
}

static bool irq_rwp(const struct irq_ref *r)
{
	return r->rd ? gicr_wait_rwp(r->rd, TIMEOUT_US) : gicd_wait_rwp(&gic, TIMEOUT_US);
}

/* Disabled, not pending, not active. */
static void irq_reset(const struct irq_ref *r)
{
	irq_set(r, GICD_ICENABLER);
	irq_rwp(r);
	irq_set(r, GICD_ICPENDR);
	irq_set(r, GICD_ICACTIVER);
}

static void irq_prio(const struct irq_ref *r, uint8_t prio)
{
	gic_set_priority(&gic, r->rd ? r->rd : cpu_rd[0], r->intid, prio);
}

static struct irq_ref spi_ref(uint32_t intid)
{
	struct irq_ref r = {"spi", intid, gic.gicd, 0};

	return r;
}

static void sem_name(char *buf, size_t size, const struct irq_ref *r, const char *what)
{
	ft_snprintf(buf, size, "%s-%s", r->kind, what);
}

static void test_pending_disabled(const struct irq_ref *r)
{
	uint32_t b = cnt(0, r->intid);
	bool p1, p2, p3;
	struct check c;
	char name[48];

	sem_name(name, sizeof(name), r, "pending-disabled");
	check_init(&c);
	irq_reset(r);
	irq_set(r, GICD_ISPENDR);
	p1 = irq_get(r, GICD_ISPENDR);
	p2 = irq_get(r, GICD_ICPENDR);
	quiet();
	p3 = irq_get(r, GICD_ISPENDR);
	check(&c, p1, "ISPENDR bit reads 0 after setting it");
	check(&c, p2, "ICPENDR does not read the pending state");
	check(&c, cnt(0, r->intid) == b, "delivered while disabled (%u times)",
	      cnt(0, r->intid) - b);
	check(&c, p3, "pending state lost while disabled");
	irq_reset(r);
	report(&c, name, "intid=%u", r->intid);
}

static void test_enable_delivers(const struct irq_ref *r)
{
	uint32_t b = cnt(0, r->intid);
	uint64_t start;
	bool e, ok, p, a;
	struct check c;
	char name[48];

	sem_name(name, sizeof(name), r, "enable-delivers");
	check_init(&c);
	irq_reset(r);
	irq_set(r, GICD_ISPENDR);
	start = counter_read();
	irq_set(r, GICD_ISENABLER);
	ok = wait_value(&irqs[0].count[r->intid], b + 1, TIMEOUT_US);
	start = counter_us_since(start);
	e = irq_get(r, GICD_ISENABLER) && irq_get(r, GICD_ICENABLER);
	quiet();
	p = irq_get(r, GICD_ISPENDR);
	a = irq_get(r, GICD_ISACTIVER);
	check(&c, e, "I[SC]ENABLER do not read enabled");
	check(&c, ok, "not delivered within %u ms of enabling", TIMEOUT_US / 1000);
	check(&c, cnt(0, r->intid) - b <= 1, "delivered %u times", cnt(0, r->intid) - b);
	check(&c, !p, "still pending after it was taken");
	check(&c, !a, "still active after the EOI");
	irq_reset(r);
	report(&c, name, "intid=%u after_us=%lu", r->intid, start);
}

static void test_icpendr(const struct irq_ref *r)
{
	uint32_t b = cnt(0, r->intid);
	struct check c;
	char name[48];
	bool p;

	sem_name(name, sizeof(name), r, "icpendr");
	check_init(&c);
	irq_reset(r);
	irq_set(r, GICD_ISPENDR);
	irq_set(r, GICD_ICPENDR);
	p = irq_get(r, GICD_ISPENDR);
	irq_set(r, GICD_ISENABLER);
	quiet();
	check(&c, !p, "ISPENDR bit still reads 1 after ICPENDR");
	check(&c, cnt(0, r->intid) == b, "delivered after ICPENDR (%u times)",
	      cnt(0, r->intid) - b);
	irq_reset(r);
	report(&c, name, "intid=%u", r->intid);
}

static void test_active(const struct irq_ref *r)
{
	uint32_t b = cnt(0, r->intid), d1;
	bool a1, a1c, p2, a2, a3, p3, ok, a4, p4;
	struct check c;
	char name[48];

	sem_name(name, sizeof(name), r, "active");
	check_init(&c);
	irq_reset(r);
	irq_set(r, GICD_ISENABLER);
	irq_set(r, GICD_ISACTIVER);
	a1 = irq_get(r, GICD_ISACTIVER);
	a1c = irq_get(r, GICD_ICACTIVER);
	irq_set(r, GICD_ISPENDR);
	quiet();
	d1 = cnt(0, r->intid) - b;
	p2 = irq_get(r, GICD_ISPENDR);
	a2 = irq_get(r, GICD_ISACTIVER);

	irq_mask();
	irq_set(r, GICD_ICACTIVER);
	a3 = irq_get(r, GICD_ISACTIVER);
	p3 = irq_get(r, GICD_ISPENDR);
	irq_unmask();
	ok = wait_value(&irqs[0].count[r->intid], b + 1, TIMEOUT_US);
	quiet();
	a4 = irq_get(r, GICD_ISACTIVER);
	p4 = irq_get(r, GICD_ISPENDR);

	check(&c, a1 && a1c, "ISACTIVER/ICACTIVER read %d/%d after ISACTIVER", a1, a1c);
	check(&c, d1 == 0, "delivered while active (%u times)", d1);
	check(&c, p2 && a2, "pending=%d active=%d after ISPENDR on the active one", p2, a2);
	check(&c, !a3 && p3, "after ICACTIVER: active=%d pending=%d", a3, p3);
	check(&c, ok, "not delivered within %u ms of ICACTIVER", TIMEOUT_US / 1000);
	check(&c, cnt(0, r->intid) - b <= 1, "delivered %u times", cnt(0, r->intid) - b);
	check(&c, !a4 && !p4, "after it was handled: active=%d pending=%d", a4, p4);
	irq_reset(r);
	report(&c, name, "intid=%u", r->intid);
}

static void test_icenabler(const struct irq_ref *r)
{
	uint32_t b = cnt(0, r->intid), d1, s = irqs[0].spurious;
	bool p1, rwp, e, p2, ok;
	uint64_t hppir;
	struct check c;
	char name[48];

	sem_name(name, sizeof(name), r, "icenabler");
	check_init(&c);
	irq_reset(r);
	irq_mask();
	irq_set(r, GICD_ISENABLER);
	irq_set(r, GICD_ISPENDR);
	delay_us(SETTLE_US);
	p1 = irq_get(r, GICD_ISPENDR); /* may sit in a list register by now */
	hppir = read_sysreg(icc_hppir1_el1) & 0xffffff;
	irq_set(r, GICD_ICENABLER);
	rwp = irq_rwp(r);
	e = irq_get(r, GICD_ISENABLER);
	irq_unmask();
	quiet();
	d1 = cnt(0, r->intid) - b;
	p2 = irq_get(r, GICD_ISPENDR);
	irq_set(r, GICD_ISENABLER);
	ok = wait_value(&irqs[0].count[r->intid], b + 1, TIMEOUT_US);
	quiet();

	check(&c, p1, "pending+enabled (masked by PSTATE.I) reads not pending");
	check(&c, rwp, "RWP stuck after ICENABLER");
	check(&c, !e, "still reads enabled after ICENABLER");
	check(&c, d1 == 0, "delivered after ICENABLER (%u times)", d1);
	check(&c, p2, "pending state lost by disabling");
	check(&c, ok, "not delivered within %u ms of re-enabling", TIMEOUT_US / 1000);
	check(&c, cnt(0, r->intid) - b <= 1, "delivered %u times", cnt(0, r->intid) - b);
	irq_reset(r);
	report(&c, name, "intid=%u HPPIR1 before disabling=%lu spurious=%u", r->intid, hppir,
	       irqs[0].spurious - s);
}

static void test_route_cpu1(void)
{
	struct irq_ref r = spi_ref(SPI_SEM);
	uint64_t irouter = gic.gicd + GICD_IROUTER + 8 * SPI_SEM;
	uint64_t want = gic_mpidr_to_irouter(cpu_mpidr[1]), rb;
	uint32_t b0 = cnt(0, SPI_SEM), b1 = cnt(1, SPI_SEM);
	struct check c;
	bool ok;

	if (!need_peer("spi-route-cpu1"))
		return;
	check_init(&c);
	irq_reset(&r);
	gic_write64(irouter, want);
	dsb(sy);
	rb = gic_read64(irouter);
	irq_set(&r, GICD_ISENABLER);
	irq_set(&r, GICD_ISPENDR);
	ok = wait_value(&irqs[1].count[SPI_SEM], b1 + 1, TIMEOUT_US);
	quiet();
	check(&c, rb == want, "IROUTER reads 0x%lx after writing 0x%lx", rb, want);
	check(&c, ok, "vCPU 1 did not take it");
	check(&c, cnt(0, SPI_SEM) == b0, "vCPU 0 took it (%u times)", cnt(0, SPI_SEM) - b0);
	check(&c, cnt(1, SPI_SEM) - b1 <= 1, "vCPU 1 took it %u times", cnt(1, SPI_SEM) - b1);
	irq_reset(&r);
	gic_write64(irouter, gic_mpidr_to_irouter(cpu_mpidr[0]));
	dsb(sy);
	report(&c, "spi-route-cpu1", "intid=%u IROUTER=0x%lx", SPI_SEM, rb);
}

/* IRM = 1: any one participating vCPU (ftvisor: the lowest-numbered), exactly once. */
static void test_route_any(void)
{
	struct irq_ref r = spi_ref(SPI_SEM);
	uint64_t irouter = gic.gicd + GICD_IROUTER + 8 * SPI_SEM, rb, start;
	uint32_t b0 = cnt(0, SPI_SEM), b1 = cnt(1, SPI_SEM), d0, d1;
	struct check c;

	check_init(&c);
	irq_reset(&r);
	gic_write64(irouter, GICD_IROUTER_IRM);
	dsb(sy);
	rb = gic_read64(irouter);
	irq_set(&r, GICD_ISENABLER);
	irq_set(&r, GICD_ISPENDR);
	start = counter_read();
	while (cnt(0, SPI_SEM) == b0 && cnt(1, SPI_SEM) == b1 &&
	       counter_us_since(start) < TIMEOUT_US) {
		watchdog_service();
		cpu_relax();
	}
	quiet();
	d0 = cnt(0, SPI_SEM) - b0;
	d1 = cnt(1, SPI_SEM) - b1;
	check(&c, d0 + d1 == 1, "taken %u times by vCPU 0 and %u by vCPU 1, want once", d0, d1);
	irq_reset(&r);
	gic_write64(irouter, gic_mpidr_to_irouter(cpu_mpidr[0]));
	dsb(sy);
	report(&c, "spi-route-any", "intid=%u IRM=1 (IROUTER reads 0x%lx): taken by vCPU %s",
	       SPI_SEM, rb,
	       d0 && !d1   ? "0"
	       : d1 && !d0 ? "1"
			   : "?");
}

/* Runs in vCPU 1's handler of SPI_XVCPU: stays active there until vCPU 0 releases it. */
static void hold_hook(uint32_t intid)
{
	if (intid != SPI_XVCPU)
		return;
	WRITE_ONCE(peer.hold_ready, true);
	wait_flag(&peer.release, 3 * TIMEOUT_US);
}

/*
 * vCPU 0 reads and changes the state of an SPI that sits with vCPU 1 (a hypervisor keeps it
 * in vCPU 1's list registers while vCPU 1 runs): pending while vCPU 1 masks IRQs, then active
 * while vCPU 1 is in its handler. The Distributor's view must be the interrupt's real state.
 */
static void test_spi_other_vcpu_state(void)
{
	struct irq_ref r = spi_ref(SPI_XVCPU);
	uint64_t irouter = gic.gicd + GICD_IROUTER + 8 * SPI_XVCPU;
	uint32_t b1, done1;
	bool ready, p1, p2, done, in, a1, p3, a2;
	struct check c;

	if (!need_peer("spi-other-vcpu-state"))
		return;
	check_init(&c);
	irq_reset(&r);
	gic_write64(irouter, gic_mpidr_to_irouter(cpu_mpidr[1]));
	irq_set(&r, GICD_ISENABLER);

	/* Pending at vCPU 1 (IRQs masked there), then cleared by vCPU 0: never taken. */
	b1 = cnt(1, SPI_XVCPU);
	peer_start(OP_HOLD_MASKED, 0);
	ready = wait_flag(&peer.hold_ready, TIMEOUT_US);
	irq_set(&r, GICD_ISPENDR);
	quiet_us(SETTLE_US);
	p1 = irq_get(&r, GICD_ISPENDR);
	irq_set(&r, GICD_ICPENDR);
	p2 = irq_get(&r, GICD_ISPENDR);
	quiet_us(SETTLE_US);
	WRITE_ONCE(peer.release, true);
	done = peer_wait(4 * TIMEOUT_US);
	check(&c, ready && done, "vCPU 1 did not hold IRQs masked (ready %d, done %d)", ready,
	      done);
	check(&c, p1, "pending at vCPU 1 (masked there): ISPENDR reads 0");
	check(&c, !p2, "ISPENDR still reads 1 after ICPENDR");
	check(&c, cnt(1, SPI_XVCPU) == b1, "taken by vCPU 1 after ICPENDR (%u times)",
	      cnt(1, SPI_XVCPU) - b1);

	/* Active in vCPU 1's handler. */
	peer.hold_ready = false;
	peer.release = false;
	done1 = READ_ONCE(irqs[1].completed);
	WRITE_ONCE(irqs[1].hook, hold_hook);
	irq_set(&r, GICD_ISPENDR);
	in = wait_flag(&peer.hold_ready, TIMEOUT_US);
	quiet_us(SETTLE_US);
	a1 = irq_get(&r, GICD_ISACTIVER);
	p3 = irq_get(&r, GICD_ISPENDR);
	WRITE_ONCE(peer.release, true);
	wait_value(&irqs[1].completed, done1 + 1, 4 * TIMEOUT_US);
	quiet();
	a2 = irq_get(&r, GICD_ISACTIVER);
	WRITE_ONCE(irqs[1].hook, NULL);
	check(&c, in, "vCPU 1 did not take it");
	check(&c, !in || a1, "active in vCPU 1's handler: ISACTIVER reads 0");
	check(&c, !in || !p3, "ISPENDR reads 1 while it is only active");
	check(&c, !a2, "ISACTIVER still reads 1 after vCPU 1's EOI");

	irq_reset(&r);
	gic_write64(irouter, gic_mpidr_to_irouter(cpu_mpidr[0]));
	dsb(sy);
	report(&c, "spi-other-vcpu-state", "intid=%u routed to vCPU 1", SPI_XVCPU);
}

/* Route an SPI back and forth: each time it must reach the vCPU it is routed to. */
static void test_spi_reroute(void)
{
	struct irq_ref r = spi_ref(SPI_REROUTE);
	uint64_t irouter = gic.gicd + GICD_IROUTER + 8 * SPI_REROUTE, worst = 0;
	unsigned int round, wrong = 0, lost = 0, extra = 0;
	uint32_t b0 = cnt(0, SPI_REROUTE), b1 = cnt(1, SPI_REROUTE);
	struct check c;

	if (!need_peer("spi-reroute"))
		return;
	check_init(&c);
	irq_reset(&r);
	irq_set(&r, GICD_ISENABLER);
	for (round = 0; round < 2 * REROUTE_ROUNDS; round++) {
		unsigned int to = round & 1 ? 0 : 1;
		uint32_t bt = cnt(to, SPI_REROUTE), bo = cnt(!to, SPI_REROUTE);
		uint64_t start;

		/* Disabled while the route changes (the architecture's rule), then pended. */
		irq_set(&r, GICD_ICENABLER);
		irq_rwp(&r);
		gic_write64(irouter, gic_mpidr_to_irouter(cpu_mpidr[to]));
		dsb(sy);
		irq_set(&r, GICD_ISENABLER);
		start = counter_read();
		irq_set(&r, GICD_ISPENDR);
		if (!wait_value(&irqs[to].count[SPI_REROUTE], bt + 1, TIMEOUT_US))
			lost++;
		worst = MAX(worst, counter_us_since(start));
		/* Let the taker finish (EOI), and a duplicate show up, before the next round. */
		wait_value(&irqs[to].completed, READ_ONCE(irqs[to].total), TIMEOUT_US);
		quiet_us(SETTLE_US);
		if (cnt(to, SPI_REROUTE) - bt > 1)
			extra += cnt(to, SPI_REROUTE) - bt - 1;
		if (cnt(!to, SPI_REROUTE) != bo)
			wrong += cnt(!to, SPI_REROUTE) - bo;
	}
	quiet();
	check(&c, !lost, "%u of %u not taken by the vCPU routed to", lost, 2 * REROUTE_ROUNDS);
	check(&c, !wrong, "taken %u times by the vCPU it was not routed to", wrong);
	check(&c, !extra, "taken %u extra times by the vCPU it was routed to", extra);
	check(&c,
	      cnt(0, SPI_REROUTE) - b0 == REROUTE_ROUNDS &&
		  cnt(1, SPI_REROUTE) - b1 == REROUTE_ROUNDS,
	      "vCPU 0 took it %u times, vCPU 1 %u times, want %u each", cnt(0, SPI_REROUTE) - b0,
	      cnt(1, SPI_REROUTE) - b1, REROUTE_ROUNDS);
	irq_reset(&r);
	gic_write64(irouter, gic_mpidr_to_irouter(cpu_mpidr[0]));
	dsb(sy);
	report(&c, "spi-reroute", "intid=%u %u rounds vCPU 1 -> 0, slowest %lu us", SPI_REROUTE,
	       REROUTE_ROUNDS, worst);
}

/* IPRIORITYR is byte-accessible (GICv3 12.9.x / 12.11.x). */
static void test_ipriorityr_bytes(void)
{
	struct check c;
	unsigned int k;

	check_init(&c);
	for (k = 0; k < 2; k++) {
		uint32_t first = k ? PPI_TEST & ~3u : SPI_SEM & ~3u;
		uint64_t word =
		    (k ? gicr_sgi(cpu_rd[0]) + GICR_IPRIORITYR : gic.gicd + GICD_IPRIORITYR) +
		    first;
		const char *what = k ? "GICR" : "GICD";
		uint32_t saved = gic_read32(word), w;
		uint8_t b[4];
		unsigned int i;

		gic_write32(word, 0x80808080);
		gic_write8(word + 1, 0x48);
		dsb(sy);
		w = gic_read32(word);
		check(&c, w == 0x80804880,
		      "%s_IPRIORITYR(%u): byte write of 0x48 at +1 gives word 0x%x", what, first,
		      w);
		gic_write32(word, 0x20406080);
		dsb(sy);
		for (i = 0; i < 4; i++)
			b[i] = gic_read8(word + i);
		check(&c, b[0] == 0x80 && b[1] == 0x60 && b[2] == 0x40 && b[3] == 0x20,
		      "%s_IPRIORITYR(%u): word 0x20406080 reads as bytes %02x %02x %02x %02x", what,
		      first, b[0], b[1], b[2], b[3]);
		gic_write32(word, saved);
		dsb(sy);
	}
	report(&c, "ipriorityr-bytes", "GICD (intid %u) and GICR (intid %u)", SPI_SEM & ~3u,
	       PPI_TEST & ~3u);
}

static void test_semantics(void)
{
	struct irq_ref refs[2] = {
	    spi_ref(SPI_SEM),
	    {"ppi", PPI_TEST, gicr_sgi(cpu_rd[0]), cpu_rd[0]},
	};
	unsigned int i;

	for (i = 0; i < 2; i++) {
		irq_prio(&refs[i], PRIO_DEFAULT);
		test_pending_disabled(&refs[i]);
		test_enable_delivers(&refs[i]);
		test_icpendr(&refs[i]);
		test_active(&refs[i]);
		test_icenabler(&refs[i]);
	}
	test_route_cpu1();
	test_route_any();
	test_spi_other_vcpu_state();
	test_spi_reroute();
	test_ipriorityr_bytes();
}

/* ---- 5. priorities ---- */

static void test_priority_masking(void)
{
	struct irq_ref lo = spi_ref(SPI_PMR_LOW), hi = spi_ref(SPI_PMR_HIGH);
	uint32_t blo = cnt(0, SPI_PMR_LOW), bhi = cnt(0, SPI_PMR_HIGH), from = tot(0), dlo1, dlo2;
	uint64_t pmr;
	bool plo, okhi, oklo;
	struct check c;
	int at;

	check_init(&c);
	irq_reset(&lo);
	irq_reset(&hi);
	irq_prio(&lo, 0xa0);
	irq_prio(&hi, 0x40);
	irq_set(&lo, GICD_ISENABLER);
	irq_set(&hi, GICD_ISENABLER);

	gic_set_pmr(0x80);
	pmr = read_sysreg(icc_pmr_el1);
	irq_set(&lo, GICD_ISPENDR);
	quiet();
	dlo1 = cnt(0, SPI_PMR_LOW) - blo;
	plo = irq_get(&lo, GICD_ISPENDR);
	irq_set(&hi, GICD_ISPENDR);
	okhi = wait_value(&irqs[0].count[SPI_PMR_HIGH], bhi + 1, TIMEOUT_US);
	quiet();
	dlo2 = cnt(0, SPI_PMR_LOW) - blo;
	gic_set_pmr(0xff);
	oklo = wait_value(&irqs[0].count[SPI_PMR_LOW], blo + 1, TIMEOUT_US);
	quiet();
	at = ring_find(0, from, SPI_PMR_HIGH);

	check(&c, pmr == 0x80, "ICC_PMR_EL1 reads 0x%lx after writing 0x80", pmr);
	check(&c, dlo1 == 0 && dlo2 == 0, "priority 0xa0 taken with PMR 0x80");
	check(&c, plo, "priority 0xa0 no longer pending under PMR 0x80");
	check(&c, okhi, "priority 0x40 not taken with PMR 0x80");
	check(&c, at >= 0 && irqs[0].ring_rpr[at >= 0 ? at : 0] == 0x40,
	      "ICC_RPR_EL1 in the handler of the 0x40 one: 0x%x",
	      at >= 0 ? irqs[0].ring_rpr[at] : 0xfff);
	check(&c, oklo, "held interrupt not taken after PMR back to 0xff");
	check(&c, cnt(0, SPI_PMR_LOW) - blo <= 1 && cnt(0, SPI_PMR_HIGH) - bhi <= 1, "taken twice");
	irq_reset(&lo);
	irq_reset(&hi);
	irq_prio(&lo, PRIO_DEFAULT);
	irq_prio(&hi, PRIO_DEFAULT);
	report(&c, "priority-masking",
	       "PMR=0x80: intid %u (0xa0) held, intid %u (0x40) taken; "
	       "PMR=0xff releases %u",
	       SPI_PMR_LOW, SPI_PMR_HIGH, SPI_PMR_LOW);
}

static struct {
	bool ran, nested;
	uint32_t low_during;
	uint64_t rpr_in, rpr_after;
} pre;

/* Runs in the handler of SPI_PRE_MID (priority 0xa0), before its EOI. */
static void preempt_hook(uint32_t intid)
{
	struct irq_ref hi = spi_ref(SPI_PRE_HIGH), lo = spi_ref(SPI_PRE_LOW);
	uint32_t bhi, blo;

	if (intid != SPI_PRE_MID)
		return;
	bhi = cnt(0, SPI_PRE_HIGH);
	blo = cnt(0, SPI_PRE_LOW);
	pre.rpr_in = read_sysreg(icc_rpr_el1);
	irq_set(&hi, GICD_ISPENDR);
	irq_set(&lo, GICD_ISPENDR);
	irq_unmask();
	pre.nested = wait_value(&irqs[0].count[SPI_PRE_HIGH], bhi + 1, TIMEOUT_US);
	quiet();
	pre.low_during = cnt(0, SPI_PRE_LOW) - blo;
	pre.rpr_after = read_sysreg(icc_rpr_el1);
	irq_mask();
	pre.ran = true;
}

static void test_priority_preemption(void)
{
	struct irq_ref mid = spi_ref(SPI_PRE_MID), hi = spi_ref(SPI_PRE_HIGH),
		       lo = spi_ref(SPI_PRE_LOW);
	uint32_t from = tot(0), bmid = cnt(0, SPI_PRE_MID), blo = cnt(0, SPI_PRE_LOW), n, i;
	static const uint32_t want_id[3] = {SPI_PRE_MID, SPI_PRE_HIGH, SPI_PRE_LOW};
	static const uint8_t want_depth[3] = {1, 2, 1};
	static const uint8_t want_rpr[3] = {0xa0, 0x40, 0xc0};
	char seq[96];
	size_t len = 0;
	struct check c;
	bool ok;

	check_init(&c);
	memset(&pre, 0, sizeof(pre));
	irq_reset(&mid);
	irq_reset(&hi);
	irq_reset(&lo);
	irq_prio(&mid, 0xa0);
	irq_prio(&hi, 0x40);
	irq_prio(&lo, 0xc0);
	irq_set(&mid, GICD_ISENABLER);
	irq_set(&hi, GICD_ISENABLER);
	irq_set(&lo, GICD_ISENABLER);
	WRITE_ONCE(irqs[0].hook, preempt_hook);
	irq_set(&mid, GICD_ISPENDR);
	ok = wait_value(&irqs[0].count[SPI_PRE_MID], bmid + 1, TIMEOUT_US) &&
	     wait_value(&irqs[0].count[SPI_PRE_LOW], blo + 1, 3 * TIMEOUT_US);
	quiet();
	WRITE_ONCE(irqs[0].hook, NULL);

	n = tot(0) - from;
	seq[0] = '\0';
	for (i = 0; i < n && i < 6; i++) {
		uint32_t k = (from + i) % RING;

		len += (size_t) ft_snprintf(seq + len, sizeof(seq) - len, "%s%u(d%u,rpr 0x%x)",
					    i ? " " : "", irqs[0].ring[k], irqs[0].ring_depth[k],
					    irqs[0].ring_rpr[k]);
		if (len >= sizeof(seq))
			len = sizeof(seq) - 1;
	}
	check(&c, ok && pre.ran, "interrupts not all taken (hook ran: %d)", pre.ran);
	check(&c, pre.nested, "priority 0x40 did not preempt the 0xa0 handler");
	check(&c, pre.low_during == 0, "priority 0xc0 preempted the 0xa0 handler");
	check(&c, pre.rpr_in == 0xa0 && pre.rpr_after == 0xa0,
	      "ICC_RPR_EL1 in the 0xa0 handler 0x%lx, after the nested EOI 0x%lx", pre.rpr_in,
	      pre.rpr_after);
	check(&c, n == 3, "%u interrupts taken, want 3", n);
	for (i = 0; i < 3 && i < n; i++) {
		uint32_t k = (from + i) % RING;

		check(&c,
		      irqs[0].ring[k] == want_id[i] && irqs[0].ring_depth[k] == want_depth[i] &&
			  irqs[0].ring_rpr[k] == want_rpr[i],
		      "step %u: want %u(d%u,rpr 0x%x)", i, want_id[i], want_depth[i], want_rpr[i]);
	}
	irq_reset(&mid);
	irq_reset(&hi);
	irq_reset(&lo);
	irq_prio(&mid, PRIO_DEFAULT);
	irq_prio(&hi, PRIO_DEFAULT);
	irq_prio(&lo, PRIO_DEFAULT);
	report(&c, "priority-preemption", "taken: %s", seq);
}

static uint32_t wait_hppir(uint32_t want, uint64_t timeout_us)
{
	uint64_t start = counter_read();
	uint32_t h;

	do
		h = read_sysreg(icc_hppir1_el1) & 0xffffff;
	while (h != want && counter_us_since(start) < timeout_us);
	return h;
}

static void test_hppir(void)
{
	struct irq_ref r = spi_ref(SPI_HPPI);
	uint32_t b = cnt(0, SPI_HPPI), h1, h2;
	struct check c;

	check_init(&c);
	irq_reset(&r);
	irq_set(&r, GICD_ISENABLER);
	irq_mask();
	irq_set(&r, GICD_ISPENDR);
	h1 = wait_hppir(SPI_HPPI, TIMEOUT_US);
	irq_set(&r, GICD_ICPENDR);
	h2 = wait_hppir(GIC_INTID_SPURIOUS, TIMEOUT_US);
	irq_unmask();
	quiet();
	check(&c, h1 == SPI_HPPI, "ICC_HPPIR1_EL1 = %u with intid %u pending (PSTATE.I set)", h1,
	      SPI_HPPI);
	check(&c, h2 == GIC_INTID_SPURIOUS, "ICC_HPPIR1_EL1 = %u after ICPENDR", h2);
	check(&c, cnt(0, SPI_HPPI) == b, "taken after ICPENDR");
	irq_reset(&r);
	report(&c, "hppir", "intid=%u pending -> %u, after ICPENDR -> %u", SPI_HPPI, h1, h2);
}

/* ---- 8. more pending interrupts than list registers ---- */

static void test_lr_exhaustion(void)
{
	/* Priorities 0x20 + 8 * rank: distinct in 5 bits, and not in INTID order. */
	static const uint8_t rank[SPI_LR_COUNT] = {7, 2, 11, 0, 9, 4, 1, 10, 5, 3, 8, 6};
	uint32_t before[SPI_LR_COUNT], from = tot(0), n, i, got = 0, hppir, prev_prio = 0;
	uint32_t want_first = 0;
	char order[160];
	size_t len = 0;
	struct check c;
	uint64_t start;

	check_init(&c);
	for (i = 0; i < SPI_LR_COUNT; i++) {
		struct irq_ref r = spi_ref(SPI_LR_FIRST + i);

		irq_reset(&r);
		irq_prio(&r, (uint8_t) (0x20 + 8 * rank[i]));
		irq_set(&r, GICD_ISENABLER);
		before[i] = cnt(0, SPI_LR_FIRST + i);
		if (rank[i] == 0)
			want_first = SPI_LR_FIRST + i;
	}
	irq_mask();
	for (i = 0; i < SPI_LR_COUNT; i++) {
		struct irq_ref r = spi_ref(SPI_LR_FIRST + i);

		irq_set(&r, GICD_ISPENDR);
	}
	delay_us(SETTLE_US);
	hppir = wait_hppir(want_first, TIMEOUT_US);
	irq_unmask();
	start = counter_read();
	while (tot(0) - from < SPI_LR_COUNT && counter_us_since(start) < TIMEOUT_US)
		cpu_relax();
	quiet();

	n = tot(0) - from;
	order[0] = '\0';
	for (i = 0; i < n && i < RING; i++) {
		uint32_t id = irqs[0].ring[(from + i) % RING], prio;

		if (len < sizeof(order))
			len += (size_t) ft_snprintf(order + len, sizeof(order) - len, "%s%u",
						    i ? "," : "", id);
		if (id < SPI_LR_FIRST || id >= SPI_LR_FIRST + SPI_LR_COUNT) {
			check(&c, false, "unexpected intid %u", id);
			continue;
		}
		prio = 0x20 + 8 * rank[id - SPI_LR_FIRST];
		check(&c, prio > prev_prio, "intid %u (0x%x) after one of priority 0x%x", id, prio,
		      prev_prio);
		prev_prio = prio;
		got++;
	}
	for (i = 0; i < SPI_LR_COUNT; i++) {
		uint32_t d = cnt(0, SPI_LR_FIRST + i) - before[i];

		check(&c, d == 1, "intid %u taken %u times", SPI_LR_FIRST + i, d);
	}
	check(&c, hppir == want_first, "ICC_HPPIR1_EL1 before unmasking = %u, want %u", hppir,
	      want_first);
	for (i = 0; i < SPI_LR_COUNT; i++) {
		struct irq_ref r = spi_ref(SPI_LR_FIRST + i);

		irq_reset(&r);
		irq_prio(&r, PRIO_DEFAULT);
	}
	report(&c, "lr-exhaustion", "%u of %u SPIs taken, order %s", got, SPI_LR_COUNT, order);
}

/* ---- 6. virtual timer ---- */

static void vtimer_run(struct vtimer_result *r)
{
	unsigned int me = this_cpu();
	struct cpu_irqs *c = &irqs[me];
	uint64_t sgi = gicr_sgi(cpu_rd[me]);
	uint32_t start_count = c->count[GIC_PPI_VTIMER], istatus = c->timer_istatus_clear, i;

	memset(r, 0, sizeof(*r));
	r->min_late_us = ~0ULL;
	write_sysreg(cntv_ctl_el0, 0);
	isb();
	gic_write32(sgi + GICR_ICPENDR0, BIT(GIC_PPI_VTIMER));
	gic_set_priority(&gic, cpu_rd[me], GIC_PPI_VTIMER, PRIO_DEFAULT);
	gic_write32(sgi + GICR_ISENABLER0, BIT(GIC_PPI_VTIMER));
	dsb(sy);
	for (i = 0; i < VTIMER_TICKS; i++) {
		/* Even rounds wait in WFI, odd ones busy: the interrupt must come either way. */
		bool use_wfi = !(i & 1) && peer_online;
		uint32_t before = c->count[GIC_PPI_VTIMER];
		uint64_t cval = counter_read() + counter_us_to_ticks(VTIMER_DELAY_US), at;

		write_sysreg(cntv_cval_el0, cval);
		write_sysreg(cntv_ctl_el0, CNT_CTL_ENABLE);
		isb();
		if (!wait_irq(&c->count[GIC_PPI_VTIMER], before + 1,
			      VTIMER_DELAY_US + 2 * VTIMER_MAX_LATE_US, use_wfi, NULL)) {
			r->timeouts++;
			write_sysreg(cntv_ctl_el0, 0);
			isb();
			continue;
		}
		at = READ_ONCE(c->timer_at);
		if (READ_ONCE(c->timer_cval) != cval)
			r->cval_mismatch++;
		if ((int64_t) (at - cval) < 0) {
			r->early++;
		} else {
			uint64_t late = counter_ticks_to_us(at - cval);

			r->max_late_us = MAX(r->max_late_us, late);
			r->min_late_us = MIN(r->min_late_us, late);
		}
		r->ticks++;
		if (use_wfi)
			r->wfi_ticks++;
		else
			r->busy_ticks++;
	}
	quiet();
	r->extra = c->count[GIC_PPI_VTIMER] - start_count - r->ticks;
	r->istatus_clear = c->timer_istatus_clear - istatus;
	write_sysreg(cntv_ctl_el0, 0);
	isb();
	gic_write32(sgi + GICR_ICENABLER0, BIT(GIC_PPI_VTIMER));
	gicr_wait_rwp(cpu_rd[me], TIMEOUT_US);
	if (r->min_late_us == ~0ULL)
		r->min_late_us = 0;
}

static void report_vtimer(unsigned int cpu, const struct vtimer_result *r, bool ran)
{
	char name[32];
	struct check c;

	ft_snprintf(name, sizeof(name), "vtimer-cpu%u", cpu);
	check_init(&c);
	check(&c, ran, "vCPU %u did not finish the test", cpu);
	check(&c, r->ticks == VTIMER_TICKS, "%u of %u timer interrupts (%u timed out)", r->ticks,
	      VTIMER_TICKS, r->timeouts);
	check(&c, r->early == 0, "%u taken before CNTV_CVAL_EL0", r->early);
	check(&c, r->max_late_us <= VTIMER_MAX_LATE_US, "%lu us late (bound %u)", r->max_late_us,
	      VTIMER_MAX_LATE_US);
	check(&c, r->extra == 0, "%u extra timer interrupts after the handler disabled the timer",
	      r->extra);
	check(&c, r->istatus_clear == 0, "%u taken with CNTV_CTL_EL0.ISTATUS clear",
	      r->istatus_clear);
	check(&c, r->cval_mismatch == 0, "CNTV_CVAL_EL0 changed under us %u times",
	      r->cval_mismatch);
	report(&c, name, "ticks=%u max_late_us=%lu min_late_us=%lu (wfi %u, busy %u)", r->ticks,
	       r->max_late_us, r->min_late_us, r->wfi_ticks, r->busy_ticks);
}

static void test_vtimer(void)
{
	struct vtimer_result r0;
	bool ran;

	vtimer_run(&r0);
	report_vtimer(0, &r0, true);
	if (!need_peer("vtimer-cpu1"))
		return;
	ran = peer_run(OP_VTIMER, 0,
		       VTIMER_TICKS * (VTIMER_DELAY_US + 2 * VTIMER_MAX_LATE_US) + 2 * TIMEOUT_US);
	report_vtimer(1, &peer.vt, ran);
}

/*
 * The EL1 physical timer (CNTP_*, PPI 30): ftvisor traps and emulates it per vCPU, so it
 * starts disabled, keeps what this vCPU wrote, interrupts on time through the vGIC in WFI
 * and while busy, and IMASK holds the interrupt back while ISTATUS shows the condition.
 */
static void test_ptimer(void)
{
	struct cpu_irqs *c = &irqs[this_cpu()];
	uint64_t sgi = gicr_sgi(cpu_rd[this_cpu()]), delay = counter_us_to_ticks(VTIMER_DELAY_US);
	uint32_t before, ticks = 0, early = 0;
	uint64_t ctl, cval, tval;
	struct check k;

	check_init(&k);
	ctl = read_sysreg(cntp_ctl_el0);
	check(&k, !(ctl & CNT_CTL_ENABLE), "CNTP_CTL_EL0 = 0x%lx at start (enabled)", ctl);
	write_sysreg(cntp_cval_el0, 0x123456789abcULL);
	isb();
	cval = read_sysreg(cntp_cval_el0);
	check(&k, cval == 0x123456789abcULL, "CNTP_CVAL_EL0 reads 0x%lx after writing 0x123456789abc",
	      cval);
	gic_write32(sgi + GICR_ICPENDR0, BIT(GIC_PPI_PTIMER));
	gic_set_priority(&gic, cpu_rd[this_cpu()], GIC_PPI_PTIMER, PRIO_DEFAULT);
	gic_write32(sgi + GICR_ISENABLER0, BIT(GIC_PPI_PTIMER));
	dsb(sy);
	for (unsigned int i = 0; i < 4; i++) {
		before = c->count[GIC_PPI_PTIMER];
		write_sysreg(cntp_tval_el0, delay);
		isb();
		cval = read_sysreg(cntp_cval_el0);
		tval = (uint32_t)read_sysreg(cntp_tval_el0);
		check(&k, tval > 0 && tval <= delay, "CNTP_TVAL_EL0 reads %lu right after writing %lu",
		      tval, delay);
		write_sysreg(cntp_ctl_el0, CNT_CTL_ENABLE);
		isb();
		if (!wait_irq(&c->count[GIC_PPI_PTIMER], before + 1,
			      VTIMER_DELAY_US + 2 * VTIMER_MAX_LATE_US, (i & 1) && peer_online, NULL)) {
			check(&k, false, "no physical timer interrupt in round %u", i);
			write_sysreg(cntp_ctl_el0, 0);
			isb();
			continue;
		}
		ticks++;
		if ((int64_t)(READ_ONCE(c->ptimer_at) - cval) < 0)
			early++;
	}
	check(&k, early == 0, "%u interrupts before CNTP_CVAL_EL0", early);
	check(&k, c->ptimer_istatus_clear == 0, "%u interrupts with ISTATUS clear",
	      c->ptimer_istatus_clear);
	/* Condition met but masked: ISTATUS shows it, no interrupt until IMASK is cleared. */
	before = c->count[GIC_PPI_PTIMER];
	write_sysreg(cntp_cval_el0, read_sysreg(cntpct_el0));
	write_sysreg(cntp_ctl_el0, CNT_CTL_ENABLE | CNT_CTL_IMASK);
	isb();
	quiet_us(2 * VTIMER_DELAY_US);
	ctl = read_sysreg(cntp_ctl_el0);
	check(&k, ctl == (CNT_CTL_ENABLE | CNT_CTL_IMASK | CNT_CTL_ISTATUS),
	      "CNTP_CTL_EL0 = 0x%lx with the condition met and IMASK set", ctl);
	check(&k, c->count[GIC_PPI_PTIMER] == before, "interrupt taken with IMASK set");
	write_sysreg(cntp_ctl_el0, CNT_CTL_ENABLE);
	isb();
	check(&k, wait_irq(&c->count[GIC_PPI_PTIMER], before + 1, VTIMER_MAX_LATE_US, false, NULL),
	      "no interrupt after clearing IMASK");
	write_sysreg(cntp_ctl_el0, 0);
	isb();
	gic_write32(sgi + GICR_ICENABLER0, BIT(GIC_PPI_PTIMER));
	gicr_wait_rwp(cpu_rd[this_cpu()], TIMEOUT_US);
	report(&k, "ptimer", "ticks=%u of 4, masked and unmasked", ticks);
}

/* ---- 7. WFI wake-up ---- */

/* vCPU 1: sit in WFI until SGI_WAKE (vCPU 0 is polling meanwhile: it is the watchdog). */
static void peer_wfi(bool masked, struct wfi_result *r)
{
	unsigned int me = this_cpu();
	struct cpu_irqs *c = &irqs[me];
	uint32_t before = c->count[SGI_WAKE];
	uint64_t start, ticks = counter_us_to_ticks(TIMEOUT_US);

	memset(r, 0, sizeof(*r));
	if (!masked) {
		WRITE_ONCE(peer.wfi_ready, true);
		r->taken = wait_irq(&c->count[SGI_WAKE], before + 1, TIMEOUT_US, true, &r->wfis);
		r->woke = r->taken;
		r->at = c->last_at;
		return;
	}
	irq_mask();
	dsb(sy);
	WRITE_ONCE(peer.wfi_ready, true);
	start = counter_read();
	WRITE_ONCE(wd_deadline[me], start + ticks);
	for (;;) {
		dsb(sy);
		asm volatile("wfi" ::: "memory");
		r->wfis++;
		r->hppir = read_sysreg(icc_hppir1_el1) & 0xffffff;
		if (r->hppir == SGI_WAKE) {
			r->woke = true;
			break;
		}
		if (counter_read() - start >= ticks)
			break;
	}
	r->at = counter_read();
	WRITE_ONCE(wd_deadline[me], 0);
	irq_unmask();
	r->taken = wait_value(&c->count[SGI_WAKE], before + 1, TIMEOUT_US);
}

static void test_wfi(bool masked)
{
	const char *name = masked ? "wfi-wakeup-masked" : "wfi-wakeup";
	uint32_t b0 = cnt(0, SGI_WAKE), b1 = cnt(1, SGI_WAKE);
	struct wfi_result *r = &peer.wfi;
	bool ready, done;
	uint64_t sent;
	struct check c;

	if (!need_peer(name))
		return;
	check_init(&c);
	peer_start(masked ? OP_WFI_MASKED : OP_WFI, 0);
	ready = wait_flag(&peer.wfi_ready, TIMEOUT_US);
	quiet_us(WFI_LEAD_US);
	sent = counter_read();
	gic_send_sgi1r(gic_sgi1r_for(cpu_mpidr[1], SGI_WAKE));
	done = peer_wait(3 * TIMEOUT_US);
	quiet();
	check(&c, ready && done, "vCPU 1 did not run the command (ready %d, done %d)", ready, done);
	if (done) {
		if (masked)
			check(&c, r->woke, "WFI did not return with the SGI pending (HPPIR1 %u)",
			      r->hppir);
		else
			check(&c, r->woke, "WFI did not return for the SGI");
		check(&c, r->taken, "the SGI was not taken%s", masked ? " after unmasking" : "");
		check(&c, r->wfis > 0, "vCPU 1 never reached WFI");
	}
	check(&c, cnt(1, SGI_WAKE) - b1 == 1, "vCPU 1 took it %u times", cnt(1, SGI_WAKE) - b1);
	check(&c, cnt(0, SGI_WAKE) == b0, "vCPU 0 took it");
	report(&c, name, "intid=%u wfis=%u wake_latency_us=%lu%s", SGI_WAKE, r->wfis,
	       done && r->at > sent ? counter_ticks_to_us(r->at - sent) : 0,
	       masked ? " (PSTATE.I set in WFI)" : "");
}

/* ---- main ---- */

/* "vgic: vCPU n INTIDs: id*count ...", cut into lines the console keeps whole. */
static void print_histogram(unsigned int cpu)
{
	char line[OUT_LINE + 1];
	size_t len = 0;
	unsigned int id;

	for (id = 0; id < NR_TRACK; id++) {
		uint32_t n = cnt(cpu, id);

		if (!n)
			continue;
		if (!len)
			len =
			    (size_t) ft_snprintf(line, sizeof(line), "vgic: vCPU %u INTIDs:", cpu);
		len += (size_t) ft_snprintf(line + len, sizeof(line) - len, " %u*%u", id, n);
		if (len > OUT_LINE - 12) {
			printf("%s\n", line);
			len = 0;
		}
	}
	if (len)
		printf("%s\n", line);
}

static void summary(void)
{
	unsigned int i, storms = 0;

	for (i = 0; i < ncpus && i < 2; i++) {
		printf("vgic: vCPU %u took %u interrupts (%u spurious, %u with INTID >= %u), "
		       "watchdog SGI %u times, storm guard %u times\n",
		       i, tot(i), irqs[i].spurious, irqs[i].other, NR_TRACK, cnt(i, SGI_WATCHDOG),
		       irqs[i].storms);
		storms += irqs[i].storms;
		print_histogram(i);
	}
	test_result(!storms, "irq-storms", "%u interrupt storm(s) cut short by the guest", storms);
}

void main(void *dtb)
{
	guest_init("vgic", dtb);
	write_sysreg(vbar_el1, (uint64_t) irq_vectors);
	isb();
	discover_cpus();
	gic_discover(&gic);

	/* 1. identification, Distributor, Redistributors, CPU interfaces */
	test_gic_ids();
	test_gicr_frames();
	rd_init(&rd_res[0]);
	report_rd(0);
	cpuif_init(&cpuif_res[0]);
	report_cpuif(0);
	if (rd_res[0].frame != 0) {
		test_fail("setup", "no redistributor for vCPU 0: the other checks cannot run");
		test_done();
	}
	irq_unmask();
	test_64bit_halves();
	start_peer();

	/* 2.-3. */
	test_iar_spurious();
	test_sgi_self();
	test_sgi_other();
	test_sgi_all_others();
	test_sgi_multi();
	test_sgi_foreign();

	/* 4.-5. */
	test_semantics();
	test_priority_masking();
	test_priority_preemption();
	test_hppir();

	/* 8. */
	test_lr_exhaustion();

	/* 6.-7. */
	test_vtimer();
	test_ptimer();
	test_wfi(false);
	test_wfi(true);

	summary();
	if (peer_online && !peer_run(OP_OFF, 0, TIMEOUT_US))
		test_fail("vcpu1-off", "vCPU 1 did not acknowledge the off command");
	test_done();
}
