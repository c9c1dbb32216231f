/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The benchmark guest (`make bench`). Two vCPUs; runs under ftvisor and natively at EL1 on
 * QEMU virt. Output, one whole line each:
 *
 *     BENCH-START cntvct=<CNTVCT_EL0 at the first instruction of main>
 *     BENCH name=<x> unit=ticks freq=<CNTFRQ> n=<N> min= median= p99= max= mean=
 *     SAMPLES name=<x> <v>[*<count>],...     (after each BENCH line with n=: every sample,
 *                                            ascending, equal ones counted; several lines)
 *     BENCH name=<x> skipped=<why>          (native: no FTV_* calls, no test device)
 *     WORK name=<x> ticks=<best of 3> checksum=0x<hex>
 *     BENCH-DONE
 *
 * Microbenchmarks time ONE operation between two virtual counter reads (isb before each):
 * hvc (FTV_VERSION round trip), mmio (32-bit read of the test device's ID register), vgic-reg
 * (GICD_ISENABLER1 read), eoi (the ICC_EOIR1_EL1 write after acknowledging an SGI to self,
 * EOImode 0). Latencies take the counter first thing in the IRQ handler: ipi (vCPU 0 sends
 * SGI 1 to vCPU 1 waiting in WFI; handler entry - send time) and vtimer (deadline = now +
 * 1 ms, WFI; handler entry - deadline). Percentiles are nearest-rank, mean is rounded down.
 * When PMCCNTR_EL0 can be used (set up to count EL2 as well), hvc, mmio and vgic-reg are
 * timed again with it: `BENCH name=<x>-cycles unit=cycles freq=0 ...` (QEMU -icount:
 * cycles = instructions; the 62.5 MHz counter ticks only every 16 of them).
 *
 * Workloads on vCPU 0, best of 3 runs (inputs regenerated, untimed, before each): sort
 * (heapsort of 1Mi 32-bit xorshift values), memsum (a 64 MiB buffer read one 64-bit word
 * per 64-byte line, then every word), matmul (128x128 uint32, wrapping). Their checksums
 * depend only on the inputs, so they must match natively and under ftvisor.
 */
#include "gic.h"
#include "guest.h"
#include "stats.h"
#include "mmu.h"

#define N_SAMPLES   1000
#define N_LATENCY   200
#define SGI_IPI	    1
#define SGI_SELF    2
#define SGI_ACK	    3 /* vCPU 1 -> vCPU 0: SGI_IPI taken, or vCPU 1 online */
#define PRIO_IRQ    0x80
#define TIMEOUT_US  100000
#define IPI_LEAD_US 50 /* vCPU 1 gets into WFI before each SGI */

#define SORT_N	   (1u << 20)
#define MEMSUM_LEN MiB(64)
#define MAT_N	   128
#define WORK_RUNS  3
/* Buffers: sort array, memsum buffer, three matrices (well under 128 MiB). */
#define BUF_TOTAL (SORT_N * 4 + MEMSUM_LEN + 3 * MAT_N * MAT_N * 4)

extern char irq_vectors[];

/* Written by the IRQ handler, read by the waiting code (and by the other vCPU). */
struct irq_state {
	uint64_t at;	 /* CNTVCT at handler entry, of the last interrupt */
	uint32_t count;	 /* interrupts taken (not spurious) */
	uint32_t last;	 /* their INTID */
	uint32_t spurious;
} __aligned(64);

static struct irq_state irqst[2];
static struct gic gic;
static uint64_t freq;
static uint32_t cpu1_ready;
static uint64_t cpu0_mpidr;
static uint64_t samples[N_SAMPLES];
static bool pmu; /* PMCCNTR_EL0 usable: the op benchmarks also print <name>-cycles */

static inline uint64_t cycles(void)
{
	isb();
	return read_sysreg(pmccntr_el0);
}

/*
 * Turns the cycle counter on, counting at EL0, EL1 and EL2 (PMCCFILTR_EL0.NSH: a hypercall's
 * time in the hypervisor counts). An access that traps or is UNDEFINED is skipped.
 */
static bool pmu_probe(void)
{
	uint64_t a = 0, b = 0;

	fault_arm(FAULT_SKIP);
	write_sysreg(pmccfiltr_el0, BIT(27));
	write_sysreg(pmcr_el0, read_sysreg(pmcr_el0) | BIT(0));
	write_sysreg(pmcntenset_el0, BIT(31));
	a = cycles();
	b = cycles();
	if (fault_disarm(NULL))
		return false;
	return b != a;
}

/* Times op N_SAMPLES times with the virtual counter, then (if pmu) with PMCCNTR_EL0. */
#define MEASURE(name, op)                                                             \
	do {                                                                          \
		unsigned int i_;                                                      \
		for (i_ = 0; i_ < N_SAMPLES; i_++) {                                  \
			uint64_t t0_ = counter_read();                                \
			op;                                                           \
			samples[i_] = counter_read() - t0_;                           \
		}                                                                     \
		report(name, "ticks", samples, N_SAMPLES);                            \
		if (!pmu)                                                             \
			break;                                                        \
		for (i_ = 0; i_ < N_SAMPLES; i_++) {                                  \
			uint64_t c0_ = cycles();                                      \
			op;                                                           \
			samples[i_] = cycles() - c0_;                                 \
		}                                                                     \
		report(name "-cycles", "cycles", samples, N_SAMPLES);                 \
	} while (0)

void guest_irq(void);
void guest_irq(void)
{
	uint64_t t = counter_read();
	uint64_t iar = gic_ack();
	uint32_t id = ICC_IAR_INTID(iar);
	struct irq_state *s = &irqst[this_cpu() & 1];

	if (id == GIC_INTID_SPURIOUS) {
		s->spurious++;
		return;
	}
	if (id == GIC_PPI_VTIMER)
		vtimer_set(0, 0); /* its line drops before the EOI */
	WRITE_ONCE(s->at, t);
	WRITE_ONCE(s->last, id);
	asm volatile("dmb ish" ::: "memory"); /* at before count, for the other vCPU */
	WRITE_ONCE(s->count, s->count + 1);
	gic_eoi(iar);
	if (id == SGI_IPI)
		gic_send_sgi1r(gic_sgi1r_for(cpu0_mpidr, SGI_ACK));
}

/*
 * vCPU 0 waits for *what to leave `before`, in WFI (woken by vCPU 1's SGI_ACK, or by the
 * virtual timer at the time-out). Not a busy poll: under QEMU -icount all vCPUs share one
 * thread round-robin, and the other vCPU only runs when this one sleeps (or at QEMU's
 * 100 ms kick), so a poll would measure QEMU's scheduler.
 */
static bool wait_remote(const uint32_t *what, uint32_t before, uint64_t timeout_us)
{
	uint64_t deadline = counter_read() + counter_us_to_ticks(timeout_us);
	bool ok;

	vtimer_set(deadline, CNT_CTL_ENABLE);
	for (;;) {
		irq_mask();
		ok = READ_ONCE(*what) != before;
		if (ok || (int64_t) (counter_read() - deadline) >= 0)
			break;
		dsb(sy);
		asm volatile("wfi" ::: "memory");
		irq_unmask();
	}
	vtimer_set(0, 0);
	irq_unmask();
	return ok;
}

/*
 * Sleeps until this vCPU's handler has run more than `before` times. IRQs are masked around
 * the check so one arriving between the check and WFI still ends WFI (it stays pending),
 * and is then taken in the unmasked window.
 */
static bool wait_irq(struct irq_state *s, uint32_t before, uint64_t timeout_us)
{
	uint64_t start = counter_read(), ticks = counter_us_to_ticks(timeout_us);

	for (;;) {
		irq_mask();
		if (READ_ONCE(s->count) != before) {
			irq_unmask();
			return true;
		}
		if (counter_read() - start > ticks) {
			irq_unmask();
			return false;
		}
		dsb(sy);
		asm volatile("wfi" ::: "memory");
		irq_unmask();
	}
}

/* ---- statistics ---- */

static void report(const char *name, const char *unit, uint64_t *s, unsigned int n)
{
	uint64_t sum = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		sum += s[i];
	stats_sort(s, n);
	printf("BENCH name=%s unit=%s freq=%lu n=%u min=%lu median=%lu p99=%lu max=%lu "
	       "mean=%lu\n",
	       name, unit, unit[0] == 't' ? freq : 0, n, s[0], stats_percentile(s, n, 50), stats_percentile(s, n, 99), s[n - 1],
	       sum / n);
	stats_print_samples(name, s, n); /* after the timing: it costs nothing measured */
}

static void skipped(const char *name, const char *why)
{
	printf("BENCH name=%s skipped=%s\n", name, why);
}

/* ---- microbenchmarks ---- */

static void bench_hvc(void)
{
	MEASURE("hvc", smccc_hvc(FTV_VERSION, 0, 0, 0, NULL));
}

static void bench_mmio(uint64_t addr)
{
	MEASURE("mmio", (void) gic_read32(addr));
}

static void bench_vgic_reg(uint64_t addr)
{
	MEASURE("vgic-reg", (void) gic_read32(addr));
}

static void bench_eoi(void)
{
	uint64_t self = gic_sgi1r_for(read_sysreg(mpidr_el1), SGI_SELF);
	unsigned int i, n = 0;

	irq_mask();
	for (i = 0; i < N_SAMPLES; i++) {
		uint64_t iar = GIC_INTID_SPURIOUS, t0, start;

		gic_send_sgi1r(self);
		start = counter_read();
		do
			iar = read_sysreg(icc_iar1_el1);
		while (ICC_IAR_INTID(iar) != SGI_SELF &&
		       counter_read() - start < counter_us_to_ticks(TIMEOUT_US));
		if (ICC_IAR_INTID(iar) != SGI_SELF)
			break;
		dsb(sy);
		t0 = counter_read();
		write_sysreg(icc_eoir1_el1, iar);
		samples[n++] = counter_read() - t0;
	}
	irq_unmask();
	if (n < N_SAMPLES)
		printf("bench: eoi: SGI %u to self not acknowledged (sample %u)\n", SGI_SELF, n);
	if (n)
		report("eoi", "ticks", samples, n);
}

static void bench_vtimer(void)
{
	uint64_t ms = freq / 1000;
	struct irq_state *s = &irqst[0];
	unsigned int i, n = 0;

	for (i = 0; i < N_LATENCY; i++) {
		uint32_t before = READ_ONCE(s->count);
		uint64_t deadline = counter_read() + ms;

		vtimer_set(deadline, CNT_CTL_ENABLE);
		if (!wait_irq(s, before, 1000 + TIMEOUT_US) || READ_ONCE(s->last) != GIC_PPI_VTIMER) {
			vtimer_set(0, 0);
			printf("bench: vtimer: no timer interrupt (sample %u)\n", i);
			break;
		}
		samples[n++] = READ_ONCE(s->at) - deadline;
	}
	if (n)
		report("vtimer", "ticks", samples, n);
}

static void bench_ipi(void)
{
	uint64_t target = read_sysreg(mpidr_el1) & ~0xffUL;
	struct irq_state *s = &irqst[1];
	unsigned int i, n = 0;

	target = (target & ~0xffUL) | 1; /* vCPU 1: Aff0 = 1 */
	for (i = 0; i < N_LATENCY; i++) {
		uint32_t before = READ_ONCE(s->count);
		uint64_t sent;

		delay_us(IPI_LEAD_US);
		dsb(ish);
		sent = counter_read();
		write_sysreg(icc_sgi1r_el1, gic_sgi1r_for(target, SGI_IPI));
		isb();
		if (!wait_remote(&s->count, before, TIMEOUT_US)) {
			printf("bench: ipi: vCPU 1 did not take SGI %u (sample %u)\n", SGI_IPI, i);
			break;
		}
		asm volatile("dmb ish" ::: "memory");
		samples[n++] = READ_ONCE(s->at) - sent;
	}
	if (n)
		report("ipi", "ticks", samples, n);
}

void secondary_main(uint64_t context)
{
	uint64_t rd;

	(void) context;
	write_sysreg(vbar_el1, (uint64_t) irq_vectors);
	isb();
	rd = gic_init_simple(&gic);
	gic_enable_irq(&gic, rd, SGI_IPI, PRIO_IRQ);
	irq_unmask();
	WRITE_ONCE(cpu1_ready, 1);
	gic_send_sgi1r(gic_sgi1r_for(cpu0_mpidr, SGI_ACK));
	for (;;) { /* the handler does the work */
		irq_mask();
		dsb(sy);
		asm volatile("wfi" ::: "memory");
		irq_unmask();
	}
}

/* ---- workloads ---- */

static uint32_t xorshift32(uint32_t *s)
{
	uint32_t x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *s = x;
}

static void sift_down32(uint32_t *a, size_t root, size_t n)
{
	uint32_t v = a[root];

	for (;;) {
		size_t c = 2 * root + 1;

		if (c >= n)
			break;
		if (c + 1 < n && a[c + 1] > a[c])
			c++;
		if (v >= a[c])
			break;
		a[root] = a[c];
		root = c;
	}
	a[root] = v;
}

static uint64_t work_sort(uint32_t *a, uint64_t *ticks)
{
	uint32_t seed = 0x12345678;
	uint64_t t0, sum = 0;
	size_t i;

	for (i = 0; i < SORT_N; i++)
		a[i] = xorshift32(&seed);
	t0 = counter_read();
	for (i = SORT_N / 2; i-- > 0;)
		sift_down32(a, i, SORT_N);
	for (i = SORT_N; i-- > 1;) {
		uint32_t v = a[0];

		a[0] = a[i];
		a[i] = v;
		sift_down32(a, 0, i);
	}
	*ticks = counter_read() - t0;
	for (i = 0; i < SORT_N; i++) {
		if (i && a[i - 1] > a[i]) {
			printf("bench: sort: not sorted at %lu\n", i);
			break;
		}
		sum = sum * 31 + a[i];
	}
	return sum;
}

static uint64_t work_memsum(uint64_t *buf, uint64_t *ticks)
{
	size_t words = MEMSUM_LEN / 8, i;
	uint64_t t0, strided = 0, seq = 0;

	t0 = counter_read();
	for (i = 0; i < words; i += 64 / 8)
		strided += buf[i];
	for (i = 0; i < words; i++)
		seq += buf[i];
	*ticks = counter_read() - t0;
	return strided ^ (seq << 1 | seq >> 63);
}

static uint64_t work_matmul(uint32_t *a, uint32_t *b, uint32_t *c, uint64_t *ticks)
{
	uint32_t seed = 0xc0ffee11;
	uint64_t t0, sum = 0;
	size_t i, j, k;

	for (i = 0; i < MAT_N * MAT_N; i++) {
		a[i] = xorshift32(&seed);
		b[i] = xorshift32(&seed);
	}
	t0 = counter_read();
	for (i = 0; i < MAT_N; i++)
		for (j = 0; j < MAT_N; j++) {
			uint32_t acc = 0;

			for (k = 0; k < MAT_N; k++)
				acc += a[i * MAT_N + k] * b[k * MAT_N + j];
			c[i * MAT_N + j] = acc;
		}
	*ticks = counter_read() - t0;
	for (i = 0; i < MAT_N * MAT_N; i++)
		sum = sum * 31 + c[i];
	return sum;
}

static void work_report(const char *name, uint64_t best, uint64_t sum, bool same)
{
	printf("WORK name=%s ticks=%lu checksum=0x%lx%s\n", name, best, sum,
	       same ? "" : " (runs disagree)");
}

static void workloads(uint64_t buf)
{
	uint32_t *sortbuf = (uint32_t *) buf;
	uint64_t *membuf = (uint64_t *) (buf + SORT_N * 4);
	uint32_t *ma = (uint32_t *) (buf + SORT_N * 4 + MEMSUM_LEN);
	uint32_t *mb = ma + MAT_N * MAT_N, *mc = mb + MAT_N * MAT_N;
	uint64_t best, t, sum = 0, s;
	uint32_t seed = 0x9e3779b9;
	bool same;
	size_t i;
	int r;

	best = ~0UL;
	same = true;
	for (r = 0; r < WORK_RUNS; r++) {
		s = work_sort(sortbuf, &t);
		same &= !r || s == sum;
		sum = s;
		best = MIN(best, t);
	}
	work_report("sort", best, sum, same);

	for (i = 0; i < MEMSUM_LEN / 8; i++)
		membuf[i] = (uint64_t) xorshift32(&seed) << 32 | xorshift32(&seed);
	best = ~0UL;
	same = true;
	for (r = 0; r < WORK_RUNS; r++) {
		s = work_memsum(membuf, &t);
		same &= !r || s == sum;
		sum = s;
		best = MIN(best, t);
	}
	work_report("memsum", best, sum, same);

	best = ~0UL;
	same = true;
	for (r = 0; r < WORK_RUNS; r++) {
		s = work_matmul(ma, mb, mc, &t);
		same &= !r || s == sum;
		sum = s;
		best = MIN(best, t);
	}
	work_report("matmul", best, sum, same);
}

void main(void *dtb)
{
	uint64_t entry = read_sysreg(cntvct_el0);
	uint64_t ram_base = 0, ram_size = 0, buf = 0, mmio, rd;
	bool native, mmu = false, cpu1 = false;
	uint64_t ver;

	guest_init("bench", dtb);
	printf("BENCH-START cntvct=%lu\n", entry);
	freq = counter_freq();
	/* ftvisor answers 0x10000 (1.0); QEMU's own HVC handler NOT_SUPPORTED (-1); KVM
	 * answers this ID itself (its own vendor range): the call is still a real hypercall
	 * round trip there, so it is measured, but the host is named for what it is. */
	ver = ftv_version();
	native = ver == FTV_ERROR;
	pmu = pmu_probe();
	printf("bench: freq=%lu %s, PMCCNTR_EL0 %s\n", freq,
	       native ? "native (no FTV_VERSION)" : ver == 0x10000 ? "under ftvisor" :
	       "under another hypervisor", pmu ? "used" : "not usable");

	/*
	 * The identity map makes RAM Normal write-back: with the MMU off every data access is
	 * Device memory, uncached, so the workloads would measure the memory model, not the
	 * machine (and under ftvisor each access would go through stage 2 uncached alike).
	 * It also gives the two vCPUs coherent shared memory for the IPI handshake.
	 */
	if (dtb_ram(&ram_base, &ram_size) && mmu_enable(ram_base, ram_size))
		mmu = true;
	else
		printf("bench: MMU stays off (RAM 0x%lx size 0x%lx)\n", ram_base, ram_size);
	if (ram_size) {
		/* After the image and the device tree (QEMU puts it at the start of RAM). */
		buf = MAX((uint64_t) __image_end, dtb_address() + MiB(2));
		buf = ALIGN_UP(buf, MiB(2));
		if (buf < ram_base || buf + BUF_TOTAL > ram_base + ram_size)
			buf = 0;
	}

	write_sysreg(vbar_el1, (uint64_t) irq_vectors);
	isb();
	gic_discover(&gic);
	rd = gic_init_simple(&gic);
	gic_enable_irq(&gic, rd, GIC_PPI_VTIMER, PRIO_IRQ);
	gic_enable_irq(&gic, rd, SGI_SELF, PRIO_IRQ);
	gic_enable_irq(&gic, rd, SGI_ACK, PRIO_IRQ);
	cpu0_mpidr = read_sysreg(mpidr_el1);
	irq_unmask();

	if (psci_cpu_on(1, psci_secondary_entry(), 0) == 0)
		cpu1 = wait_remote(&cpu1_ready, 0, 1000000);
	if (!cpu1)
		printf("bench: vCPU 1 did not come online\n");

	if (native)
		skipped("hvc", "no-hypervisor");
	else
		bench_hvc();
	if (native || !dtb_compatible_base("ftvisor,test-mmio", &mmio))
		skipped("mmio", native ? "no-hypervisor" : "no-test-device");
	else
		bench_mmio(mmio + 0x00); /* ID register: read-only, no side effect */
	bench_vgic_reg(gic.gicd + GICD_ISENABLER + 4);
	if (cpu1)
		bench_ipi();
	else
		skipped("ipi", "no-vcpu1");
	bench_vtimer();
	bench_eoi();

	if (buf && mmu)
		workloads(buf);
	else
		printf("bench: workloads skipped (buffer 0x%lx, MMU %s)\n", buf, mmu ? "on" : "off");
	printf("BENCH-DONE\n");
	irq_mask();
	psci_system_off();
}
