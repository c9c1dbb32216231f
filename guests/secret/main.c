/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Secret: nothing of a VM may survive its reboot, or reach the next VM given the same memory.
 * Every boot
 *
 *  1. reads the interrupt state the VM starts with (before touching the GIC) and scans all of
 *     its RAM (the device tree's /memory range) for a marker word, then reports
 *         PASS secret-ram-clean scanned_mib=<n>  or  FAIL secret-ram-clean: found at IPA ...
 *         PASS secret-vgic-clean registers=<n>   or  FAIL secret-vgic-clean: <reg> = <value>, ...
 *     The registers: GICD_CTLR (no group enabled), GICD_ISPENDR/ISACTIVER/ISENABLER 1-7 (SPIs
 *     32-255, as far as GICD_TYPER goes), this vCPU's GICR_ISPENDR0/ISACTIVER0/ISENABLER0,
 *     ICC_HPPIR1_EL1 (1023), ICC_RPR_EL1 (idle, 0xff), ICC_AP1R0_EL1, ICC_PMR_EL1,
 *     ICC_IGRPEN1_EL1 and CNTV_CTL_EL0.ENABLE (all 0).
 *  2. plants the secret: 1 MiB of RAM filled with the marker (cleaned to the PoC), and
 *     interrupt state a reset must clear: SPIs 40 and 41 enabled, SPI 40 (enabled) and 42
 *     (disabled) pending, SPI 44 active, SGI 5 pending, SGI 3 acknowledged and never EOId
 *     (active, with its priority in ICC_AP1R0_EL1 and ICC_RPR_EL1), PMR 0x10, Group 1 on at
 *     the Distributor and the CPU interface, and the virtual timer enabled with a deadline
 *     1000 s away;
 *  3. prints `secret: planted pa_hint=<RAM base> marker_words=<n> area=<start>-<end>` and
 *     the DONE line, and idles in WFI with interrupts masked. With the word `secret.reset` in
 *     its bootargs it instead waits a second, prints `secret: resetting` and asks for PSCI
 *     SYSTEM_RESET, so every boot checks what the previous one left (for ever).
 *
 * The marker is K ^ 0xa5a5a5a5a5a5a5a5 with K read from a volatile variable, so the value
 * exists nowhere (not in this image either) until it is planted; the scan compares
 * (word ^ 0xa5a5...) with K and never materialises it in memory.
 *
 * The MMU stays off: every access goes to memory, so a scrub that left the old data in
 * memory behind a cached copy is seen.
 */
#include "gic.h"
#include "guest.h"

#define MARKER_MASK	    0xa5a5a5a5a5a5a5a5ULL
#define AREA_SIZE	    MiB(1)
#define PRIO		    0x80
#define PLANT_PMR	    0x10 /* masks PRIO, and differs from the reset value 0 */
#define SGI_ACTIVE	    3	 /* acknowledged, never EOId */
#define SGI_PENDING	    5	 /* disabled, pended through GICR_ISPENDR0 */
#define SPI_ENABLED_PENDING 40
#define SPI_ENABLED	    41
#define SPI_PENDING	    42 /* disabled, so it stays pending */
#define SPI_ACTIVE	    44
#define TIMEOUT_US	    100000
#define RESET_DELAY_US	    1000000

static volatile uint64_t secret_key = 0x0123456789abcdefULL;

static struct gic gic;
static uint64_t ram_base, ram_size;

/* ---- 1. what this boot starts with ---- */

/* ftvisor cuts a guest's console line at 160 characters: the FAIL line names whole findings
 * up to this many characters, then counts them all. */
#define FINDINGS_TEXT 90

struct vgic_state {
	unsigned int checked, bad;
	char text[FINDINGS_TEXT + 1];
	size_t len;
};

static void expect(struct vgic_state *s, const char *reg, uint64_t value, bool ok)
{
	char one[48];
	size_t n;

	s->checked++;
	if (ok)
		return;
	s->bad++;
	n = (size_t) ft_snprintf(one, sizeof(one), "%s%s = 0x%lx", s->len ? ", " : "", reg, value);
	if (s->len + n > FINDINGS_TEXT)
		return;
	memcpy(s->text + s->len, one, n + 1);
	s->len += n;
}

/* Reads only: nothing here changes the state it checks (ICC_SRE_EL1.SRE is set so the CPU
 * interface registers can be read at all). */
static void read_vgic_state(struct vgic_state *s)
{
	uint32_t typer = gic_read32(gic.gicd + GICD_TYPER);
	unsigned int n, last = MIN(7u, GICD_TYPER_ITLINES(typer));
	int frame = gicr_find(&gic, read_sysreg(mpidr_el1), MAX_VCPUS);
	uint64_t sgi = gicr_sgi(gicr_frame(&gic, frame < 0 ? 0 : (unsigned int) frame));
	uint64_t v;
	char name[24];

	memset(s, 0, sizeof(*s));
	v = gic_read32(gic.gicd + GICD_CTLR);
	expect(s, "GICD_CTLR", v, !(v & (GICD_CTLR_ENABLE_G0_G1NS | GICD_CTLR_ENABLE_G1)));
	/* SPIs 32-255 (registers 1-7), as far as GICD_TYPER.ITLinesNumber implements them. */
	for (n = 1; n <= last; n++) {
		ft_snprintf(name, sizeof(name), "GICD_ISPENDR%u", n);
		v = gic_read32(gic.gicd + GICD_ISPENDR + 4 * n);
		expect(s, name, v, !v);
		ft_snprintf(name, sizeof(name), "GICD_ISACTIVER%u", n);
		v = gic_read32(gic.gicd + GICD_ISACTIVER + 4 * n);
		expect(s, name, v, !v);
		ft_snprintf(name, sizeof(name), "GICD_ISENABLER%u", n);
		v = gic_read32(gic.gicd + GICD_ISENABLER + 4 * n);
		expect(s, name, v, !v);
	}
	v = gic_read32(sgi + GICR_ISPENDR0);
	expect(s, "GICR_ISPENDR0", v, !v);
	v = gic_read32(sgi + GICR_ISACTIVER0);
	expect(s, "GICR_ISACTIVER0", v, !v);
	v = gic_read32(sgi + GICR_ISENABLER0);
	expect(s, "GICR_ISENABLER0", v, !v);

	write_sysreg(icc_sre_el1, read_sysreg(icc_sre_el1) | ICC_SRE_SRE);
	isb();
	v = read_sysreg(icc_hppir1_el1);
	expect(s, "ICC_HPPIR1_EL1", v, ICC_IAR_INTID(v) == GIC_INTID_SPURIOUS);
	v = read_sysreg(icc_rpr_el1);
	expect(s, "ICC_RPR_EL1", v, (v & 0xff) == 0xff);
	v = read_sysreg(icc_ap1r0_el1);
	expect(s, "ICC_AP1R0_EL1", v, !v);
	v = read_sysreg(icc_pmr_el1);
	expect(s, "ICC_PMR_EL1", v, !v);
	v = read_sysreg(icc_igrpen1_el1);
	expect(s, "ICC_IGRPEN1_EL1", v, !(v & 1));
	v = read_sysreg(cntv_ctl_el0);
	expect(s, "CNTV_CTL_EL0", v, !(v & CNT_CTL_ENABLE));
}

/*
 * Counts the marker words in [start, end) and returns the first one's address.
 * Compares word ^ mask with the key, so the marker itself is never computed; -O2 keeps
 * everything in registers (no stack in the loop).
 */
static uint64_t scan(uint64_t start, uint64_t end, uint64_t *count)
{
	const uint64_t key = secret_key;
	uint64_t p, first = 0, found = 0;

	for (p = start; p < end; p += 8) {
		uint64_t w = *(const volatile uint64_t *) p;

		if ((w ^ MARKER_MASK) == key) {
			if (!found++)
				first = p;
		}
	}
	*count = found;
	return first;
}

/* ---- 2. planting ---- */

static void clean_to_poc(uint64_t start, uint64_t end)
{
	uint64_t line = 4ULL << ((read_sysreg(ctr_el0) >> 16) & 0xf), p;

	for (p = start & ~(line - 1); p < end; p += line)
		asm volatile("dc cvac, %0" ::"r"(p) : "memory");
	dsb(sy);
}

static uint64_t fill(uint64_t start, uint64_t end)
{
	const uint64_t marker = secret_key ^ MARKER_MASK;
	uint64_t p;

	for (p = start; p < end; p += 8)
		*(volatile uint64_t *) p = marker;
	clean_to_poc(start, end);
	return (end - start) / 8;
}

/* Where the marker goes: RAM base + 4 MiB when there are 8 MiB, else the last MiB, and
 * always above the image (which sits 2 MiB into RAM, after the device tree). */
static uint64_t plant_area(void)
{
	uint64_t image_end = ALIGN_UP((uint64_t) __image_end, 4096), ram_end = ram_base + ram_size;

	if (ram_size >= MiB(8) && image_end <= ram_base + MiB(4))
		return ram_base + MiB(4);
	if (ram_size >= AREA_SIZE && ram_end - AREA_SIZE >= image_end)
		return ram_end - AREA_SIZE;
	return 0;
}

static bool plant_gic(void)
{
	uint64_t rd = gic_init_simple(&gic), sgi = gicr_sgi(rd), start, iar = GIC_INTID_SPURIOUS;
	uint64_t route = gic_mpidr_to_irouter(read_sysreg(mpidr_el1));
	unsigned int intid;

	gic_enable_irq(&gic, rd, SGI_ACTIVE, PRIO);
	gic_enable_irq(&gic, rd, GIC_PPI_VTIMER, PRIO);
	gic_enable_irq(&gic, rd, SPI_ENABLED_PENDING, PRIO);
	gic_enable_irq(&gic, rd, SPI_ENABLED, PRIO);
	/* Configured but left disabled. */
	for (intid = SPI_PENDING; intid <= SPI_ACTIVE; intid += SPI_ACTIVE - SPI_PENDING) {
		uint64_t grp = gic.gicd + GICD_IGROUPR + 4 * (intid / 32);

		gic_write32(grp, gic_read32(grp) | 1u << (intid % 32));
		gic_set_priority(&gic, rd, intid, PRIO);
		gic_write64(gic.gicd + GICD_IROUTER + 8 * intid, route);
	}

	/* An SGI to ourselves, acknowledged and never completed: active in the CPU interface. */
	gic_send_sgi1r(gic_sgi1r_for(read_sysreg(mpidr_el1), SGI_ACTIVE));
	start = counter_read();
	while (counter_us_since(start) < TIMEOUT_US) {
		iar = gic_ack();
		if (ICC_IAR_INTID(iar) == SGI_ACTIVE)
			break;
		if (ICC_IAR_INTID(iar) != GIC_INTID_SPURIOUS)
			gic_eoi(iar);
	}
	if (ICC_IAR_INTID(iar) != SGI_ACTIVE) {
		test_fail("secret-plant", "SGI %d never acknowledged (ICC_IAR1_EL1 0x%lx)",
			  SGI_ACTIVE, iar);
		return false;
	}
	gic_set_pmr(PLANT_PMR);

	gic_write32(gic.gicd + GICD_ISPENDR + 4 * (SPI_ENABLED_PENDING / 32),
		    1u << (SPI_ENABLED_PENDING % 32) | 1u << (SPI_PENDING % 32));
	gic_write32(gic.gicd + GICD_ISACTIVER + 4 * (SPI_ACTIVE / 32), 1u << (SPI_ACTIVE % 32));
	gic_write32(sgi + GICR_ISPENDR0, 1u << SGI_PENDING);
	vtimer_set(counter_read() + counter_us_to_ticks(1000000000ULL), CNT_CTL_ENABLE);
	dsb(sy);
	return true;
}

/* Whether the bootargs hold this exact word (words are separated by spaces). */
static bool bootarg(const char *word)
{
	const char *p = dtb_bootargs();
	size_t len = strlen(word);

	while (p && *p) {
		const char *end = strchr(p, ' ');
		size_t n = end ? (size_t) (end - p) : strlen(p);

		if (n == len && !strncmp(p, word, len))
			return true;
		p = end ? end + 1 : NULL;
	}
	return false;
}

void main(void *dtb)
{
	uint64_t first, count, area, words;
	struct vgic_state vs;

	guest_init("secret", dtb);
	gic_discover(&gic);
	/* Before anything touches the GIC. */
	read_vgic_state(&vs);

	if (!dtb_ram(&ram_base, &ram_size)) {
		test_fail("secret-ram-clean", "no /memory range in the device tree");
		test_done();
	}
	first = scan(ram_base, ram_base + ram_size, &count);
	if (count)
		test_fail("secret-ram-clean",
			  "found at IPA 0x%lx (%lu marker words in RAM 0x%lx-0x%lx)", first, count,
			  ram_base, ram_base + ram_size);
	else
		test_pass("secret-ram-clean", "scanned_mib=%lu", ram_size >> 20);

	if (vs.bad)
		test_fail("secret-vgic-clean", "%s (%u of %u registers not in reset state)",
			  vs.text, vs.bad, vs.checked);
	else
		test_pass("secret-vgic-clean", "registers=%u", vs.checked);

	area = plant_area();
	if (!area) {
		test_fail("secret-plant", "RAM 0x%lx-0x%lx has no MiB above the image (0x%lx)",
			  ram_base, ram_base + ram_size, (uint64_t) __image_end);
		test_done();
	}
	words = fill(area, area + AREA_SIZE);
	if (plant_gic())
		printf("secret: planted pa_hint=0x%lx marker_words=%lu area=0x%lx-0x%lx\n",
		       ram_base, words, area, area + AREA_SIZE);
	if (bootarg("secret.reset")) {
		test_print_done();
		delay_us(RESET_DELAY_US);
		printf("secret: resetting\n");
		psci_system_reset();
		test_fail("secret-reset", "PSCI SYSTEM_RESET returned");
	}
	test_done();
}
