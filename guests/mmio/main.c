/* SPDX-License-Identifier: Apache-2.0 */
/*
 * MMIO emulation: every load/store form against ftvisor's test device (docs/guest-abi.md).
 * The hypervisor gets a syndrome (ESR_EL2.ISV) only for single-register accesses without
 * writeback; pairs, writeback, register offsets and sign extension it must decode itself.
 * Each access is written in asm with fixed registers so the compiler cannot pick another
 * form; values are checked register by register, writebacks included.
 *
 * Runs with the MMU off (all accesses Device memory: one trap per instruction). Every
 * check is guarded: a fault becomes a FAIL line and the next check still runs.
 */
#include "guest.h"

#define REG_ID 0x00
#define REG_SCRATCH 0x08
#define REG_COUNT 0x10
#define REG_SINK 0x18
#define REG_OTHER 0x100
#define DEV_ID 0x46545644UL		/* "FTVD" */

#define P64 0x1122334455667788UL
#define ALL_ONES 0xffffffffffffffffUL

static uint64_t dev;			/* test device base */

/* Setup and read-back helpers: the forms are fixed too, only register numbers vary. */
static void w64(uint64_t off, uint64_t v)
{
	asm volatile("str %0, [%1]" :: "r"(v), "r"(dev + off) : "memory");
}

static void w32(uint64_t off, uint32_t v)
{
	asm volatile("str %w0, [%1]" :: "r"(v), "r"(dev + off) : "memory");
}

static uint64_t r64(uint64_t off)
{
	uint64_t v = ALL_ONES;

	asm volatile("ldr %0, [%1]" : "+r"(v) : "r"(dev + off) : "memory");
	return v;
}

static uint64_t r32(uint64_t off)
{
	uint64_t v = ALL_ONES;

	asm volatile("ldr %w0, [%1]" : "+r"(v) : "r"(dev + off) : "memory");
	return v;
}

static void begin(void)
{
	fault_arm(FAULT_SKIP);
}

/* Ends a check's accesses; false (after a FAIL line) if any of them faulted. */
static bool no_fault(const char *name)
{
	struct fault_info fi;
	unsigned int n = fault_disarm(&fi);

	if (n)
		test_fail(name, "%u access(es) faulted, first ESR=0x%lx FAR=0x%lx ELR=0x%lx", n,
			  fi.esr, fi.far, fi.elr);
	return !n;
}

static void check_value(const char *name, uint64_t got, uint64_t want)
{
	if (no_fault(name))
		test_result(got == want, name, "got 0x%lx want 0x%lx", got, want);
}

/* ---- identification, widths ---- */

static void test_id(void)
{
	uint64_t v;

	begin();
	/* x1 pre-set to all ones: a 32-bit load must clear bits 63:32. */
	asm volatile("mov x0, %1\n\tmov x1, #-1\n\tldr w1, [x0]\n\tmov %0, x1"
		     : "=r"(v) : "r"(dev) : "x0", "x1", "memory");
	check_value("mmio-id", v, DEV_ID);

	begin();
	asm volatile("mov x0, %1\n\tmov w1, #0x5678\n\tmovk w1, #0x1234, lsl #16\n\t"
		     "str w1, [x0]\n\tldr w2, [x0]\n\tmov %0, x2"
		     : "=r"(v) : "r"(dev) : "x0", "x1", "x2", "memory");
	check_value("mmio-id-readonly", v, DEV_ID);
}

static void test_widths(void)
{
	uint64_t v, b, h, w;

	begin();
	asm volatile("mov x0, %1\n\tmov x1, %2\n\tstr x1, [x0, #8]\n\tmov x2, #0\n\t"
		     "ldr x2, [x0, #8]\n\tmov %0, x2"
		     : "=r"(v) : "r"(dev), "r"(P64) : "x0", "x1", "x2", "memory");
	check_value("mmio-str-ldr-x", v, P64);

	/* Narrow loads of the 64-bit value just written; destinations pre-set to all ones. */
	begin();
	asm volatile("mov x0, %3\n\tmov x1, #-1\n\tmov x2, #-1\n\tmov x3, #-1\n\t"
		     "ldrb w1, [x0, #8]\n\tldrh w2, [x0, #8]\n\tldr w3, [x0, #8]\n\t"
		     "mov %0, x1\n\tmov %1, x2\n\tmov %2, x3"
		     : "=r"(b), "=r"(h), "=r"(w) : "r"(dev) : "x0", "x1", "x2", "x3", "memory");
	if (no_fault("mmio-ldrb")) {
		test_result(b == 0x88, "mmio-ldrb", "got 0x%lx want 0x88", b);
		test_result(h == 0x7788, "mmio-ldrh", "got 0x%lx want 0x7788", h);
		test_result(w == 0x55667788, "mmio-ldr-w", "got 0x%lx want 0x55667788", w);
	}

	/* Narrow stores replace the low bits and clear the rest; source upper bits ignored. */
	begin();
	w64(REG_SCRATCH, ALL_ONES);
	asm volatile("mov x0, %1\n\tmov x1, #-1\n\tmov w1, #0xa5\n\tmovk x1, #0xffff, lsl #48\n\t"
		     "strb w1, [x0, #8]\n\tldr x2, [x0, #8]\n\tmov %0, x2"
		     : "=r"(v) : "r"(dev) : "x0", "x1", "x2", "memory");
	check_value("mmio-strb", v, 0xa5);

	begin();
	w64(REG_SCRATCH, ALL_ONES);
	asm volatile("mov x0, %1\n\tmov x1, %2\n\tstrh w1, [x0, #8]\n\tldr x2, [x0, #8]\n\t"
		     "mov %0, x2"
		     : "=r"(v) : "r"(dev), "r"(0x1234567890abbeefUL) : "x0", "x1", "x2", "memory");
	check_value("mmio-strh", v, 0xbeef);

	begin();
	w64(REG_SCRATCH, ALL_ONES);
	asm volatile("mov x0, %1\n\tmov x1, %2\n\tstr w1, [x0, #8]\n\tldr x2, [x0, #8]\n\t"
		     "mov %0, x2"
		     : "=r"(v) : "r"(dev), "r"(0xdeadbeefcafef00dUL) : "x0", "x1", "x2", "memory");
	check_value("mmio-str-w", v, 0xcafef00d);
}

static void test_unscaled(void)
{
	uint64_t v;

	begin();
	w64(REG_SCRATCH, P64);
	asm volatile("add x0, %1, #0x10\n\tmov x1, #0\n\tldur x1, [x0, #-8]\n\tmov %0, x1"
		     : "=r"(v) : "r"(dev) : "x0", "x1", "memory");
	check_value("mmio-ldur", v, P64);

	begin();
	asm volatile("add x0, %1, #0x10\n\tmov x1, %2\n\tstur w1, [x0, #-8]\n\t"
		     "ldr x2, [x0, #-8]\n\tmov %0, x2"
		     : "=r"(v) : "r"(dev), "r"(0xffffffff13572468UL) : "x0", "x1", "x2", "memory");
	check_value("mmio-stur", v, 0x13572468);
}

/* One sign-extending load of scratch = val: returns what the load left in its register. */
#define SIGNED_LOAD(insn, val) ({						\
	uint64_t __r;								\
	w64(REG_SCRATCH, (val));						\
	asm volatile("mov x0, %1\n\tmov x1, #-1\n\t" insn "\n\tmov %0, x1"	\
		     : "=r"(__r) : "r"(dev) : "x0", "x1", "memory");		\
	__r;									\
})

static void test_sign_extension(void)
{
	static const struct {
		const char *name;
		/* results for scratch = 0x80018081 and 0x7f7f7f7f7f7f7f7f */
		uint64_t neg, pos;
	} want[] = {
		{ "mmio-ldrsb-w", 0xffffff81UL, 0x7f },
		{ "mmio-ldrsb-x", 0xffffffffffffff81UL, 0x7f },
		{ "mmio-ldrsh-w", 0xffff8081UL, 0x7f7f },
		{ "mmio-ldrsh-x", 0xffffffffffff8081UL, 0x7f7f },
		{ "mmio-ldrsw", 0xffffffff80018081UL, 0x7f7f7f7fUL },
	};
	const uint64_t neg = 0x80018081UL, pos = 0x7f7f7f7f7f7f7f7fUL;
	uint64_t got[ARRAY_SIZE(want)][2];
	unsigned int i;

	begin();
	got[0][0] = SIGNED_LOAD("ldrsb w1, [x0, #8]", neg);
	got[0][1] = SIGNED_LOAD("ldrsb w1, [x0, #8]", pos);
	got[1][0] = SIGNED_LOAD("ldrsb x1, [x0, #8]", neg);
	got[1][1] = SIGNED_LOAD("ldrsb x1, [x0, #8]", pos);
	got[2][0] = SIGNED_LOAD("ldrsh w1, [x0, #8]", neg);
	got[2][1] = SIGNED_LOAD("ldrsh w1, [x0, #8]", pos);
	got[3][0] = SIGNED_LOAD("ldrsh x1, [x0, #8]", neg);
	got[3][1] = SIGNED_LOAD("ldrsh x1, [x0, #8]", pos);
	got[4][0] = SIGNED_LOAD("ldrsw x1, [x0, #8]", neg);
	got[4][1] = SIGNED_LOAD("ldrsw x1, [x0, #8]", pos);
	if (!no_fault("mmio-sign-extension"))
		return;
	for (i = 0; i < ARRAY_SIZE(want); i++)
		test_result(got[i][0] == want[i].neg && got[i][1] == want[i].pos, want[i].name,
			    "0x%lx -> 0x%lx (want 0x%lx), 0x%lx -> 0x%lx (want 0x%lx)", neg,
			    got[i][0], want[i].neg, pos, got[i][1], want[i].pos);
}

/* ---- writeback ---- */

static void check_wb(const char *name, uint64_t val, uint64_t want, uint64_t base,
		     uint64_t want_base)
{
	if (no_fault(name))
		test_result(val == want && base == want_base, name,
			    "value 0x%lx (want 0x%lx), base 0x%lx (want 0x%lx)", val, want, base,
			    want_base);
}

static void test_writeback(void)
{
	uint64_t v, base;

	begin();
	w64(REG_SCRATCH, P64);
	asm volatile("mov x0, %2\n\tmov x1, #0\n\tldr x1, [x0, #8]!\n\tmov %0, x1\n\tmov %1, x0"
		     : "=r"(v), "=r"(base) : "r"(dev) : "x0", "x1", "memory");
	check_wb("mmio-ldr-pre-index", v, P64, base, dev + 8);

	begin();
	asm volatile("add x0, %2, #8\n\tmov x1, #0\n\tldr w1, [x0], #-8\n\tmov %0, x1\n\t"
		     "mov %1, x0"
		     : "=r"(v), "=r"(base) : "r"(dev) : "x0", "x1", "memory");
	check_wb("mmio-ldr-post-index", v, P64 & 0xffffffff, base, dev);

	begin();
	asm volatile("add x0, %2, #8\n\tmov x1, %3\n\tstr x1, [x0], #8\n\tmov %1, x0"
		     : "=r"(v), "=r"(base) : "r"(dev), "r"(~P64) : "x0", "x1", "memory");
	v = r64(REG_SCRATCH);
	check_wb("mmio-str-post-index", v, ~P64, base, dev + 16);

	begin();
	asm volatile("mov x0, %2\n\tmov x1, %3\n\tstr w1, [x0, #8]!\n\tmov %1, x0"
		     : "=r"(v), "=r"(base) : "r"(dev), "r"(P64) : "x0", "x1", "memory");
	v = r64(REG_SCRATCH);
	check_wb("mmio-str-pre-index", v, P64 & 0xffffffff, base, dev + 8);

	begin();
	w64(REG_SCRATCH, P64);
	asm volatile("add x0, %2, #0x10\n\tmov x1, #-1\n\tldrh w1, [x0, #-8]!\n\tmov %0, x1\n\t"
		     "mov %1, x0"
		     : "=r"(v), "=r"(base) : "r"(dev) : "x0", "x1", "memory");
	check_wb("mmio-ldrh-pre-index", v, 0x7788, base, dev + 8);
}

/* ---- register offsets ---- */

static void test_register_offset(void)
{
	uint64_t v;

	begin();
	w64(REG_SCRATCH, P64);
	asm volatile("mov x0, %1\n\tmov x2, #8\n\tmov x1, #0\n\tldr x1, [x0, x2]\n\tmov %0, x1"
		     : "=r"(v) : "r"(dev) : "x0", "x1", "x2", "memory");
	check_value("mmio-ldr-reg-offset", v, P64);

	begin();
	asm volatile("mov x0, %1\n\tmov x2, #1\n\tmov x1, #0\n\tldr x1, [x0, x2, lsl #3]\n\t"
		     "mov %0, x1"
		     : "=r"(v) : "r"(dev) : "x0", "x1", "x2", "memory");
	check_value("mmio-ldr-reg-lsl", v, P64);

	begin();
	asm volatile("mov x0, %1\n\tmov x2, #4\n\tmov x1, #-1\n\tldrh w1, [x0, x2, lsl #1]\n\t"
		     "mov %0, x1"
		     : "=r"(v) : "r"(dev) : "x0", "x1", "x2", "memory");
	check_value("mmio-ldrh-reg-lsl", v, 0x7788);

	begin();
	asm volatile("add x0, %1, #0x10\n\tmov x2, #-8\n\tmov x1, #0\n\tldr x1, [x0, w2, sxtw]\n\t"
		     "mov %0, x1"
		     : "=r"(v) : "r"(dev) : "x0", "x1", "x2", "memory");
	check_value("mmio-ldr-reg-sxtw", v, P64);

	begin();
	asm volatile("mov x0, %0\n\tmov x2, #8\n\tmov x1, %1\n\tstr w1, [x0, x2]"
		     :: "r"(dev), "r"(0x1111111124681357UL) : "x0", "x1", "x2", "memory");
	v = r64(REG_SCRATCH);
	check_value("mmio-str-reg-offset", v, 0x24681357);
}

/* ---- pairs ---- */

static void test_pairs(void)
{
	uint64_t a, b, base, c0, v;

	/* ID at 0x0, then offset 0x4 (nothing there: reads 0). */
	begin();
	asm volatile("mov x0, %2\n\tmov x1, #-1\n\tmov x2, #-1\n\tldp w1, w2, [x0]\n\t"
		     "mov %0, x1\n\tmov %1, x2"
		     : "=r"(a), "=r"(b) : "r"(dev) : "x0", "x1", "x2", "memory");
	if (no_fault("mmio-ldp-w"))
		test_result(a == DEV_ID && b == 0, "mmio-ldp-w", "0x%lx 0x%lx (want 0x%lx 0x0)", a,
			    b, DEV_ID);

	/* Offset 0x4 (ignored), then scratch as a 32-bit write (clears bits 63:32). */
	begin();
	w64(REG_SCRATCH, ALL_ONES);
	asm volatile("mov x0, %0\n\tmov x1, %1\n\tmov x2, %2\n\tstp w1, w2, [x0, #4]"
		     :: "r"(dev), "r"(0x11111111UL), "r"(0xaaaaaaaa12345678UL)
		     : "x0", "x1", "x2", "memory");
	v = r64(REG_SCRATCH);
	check_value("mmio-stp-w", v, 0x12345678);

	/* Scratch, then the access counter. */
	begin();
	w64(REG_SCRATCH, P64);
	c0 = r64(REG_COUNT);
	asm volatile("mov x0, %2\n\tmov x1, #0\n\tmov x2, #0\n\tldp x1, x2, [x0, #8]\n\t"
		     "mov %0, x1\n\tmov %1, x2"
		     : "=r"(a), "=r"(b) : "r"(dev) : "x0", "x1", "x2", "memory");
	if (no_fault("mmio-ldp-x"))
		test_result(a == P64 && b > c0, "mmio-ldp-x",
			    "scratch 0x%lx (want 0x%lx), count %lu (was %lu)", a, P64, b, c0);

	/* Scratch, then the (read-only) counter: the counter must ignore the 0. */
	begin();
	c0 = r64(REG_COUNT);
	asm volatile("mov x0, %0\n\tmov x1, %1\n\tmov x2, #0\n\tstp x1, x2, [x0, #8]"
		     :: "r"(dev), "r"(~P64) : "x0", "x1", "x2", "memory");
	a = r64(REG_SCRATCH);
	b = r64(REG_COUNT);
	if (no_fault("mmio-stp-x"))
		test_result(a == ~P64 && b > c0, "mmio-stp-x",
			    "scratch 0x%lx (want 0x%lx), count %lu (was %lu)", a, ~P64, b, c0);

	begin();
	asm volatile("mov x0, %3\n\tmov x1, #-1\n\tmov x2, #-1\n\tldp w1, w2, [x0], #8\n\t"
		     "mov %0, x1\n\tmov %1, x2\n\tmov %2, x0"
		     : "=r"(a), "=r"(b), "=r"(base) : "r"(dev) : "x0", "x1", "x2", "memory");
	if (no_fault("mmio-ldp-post-index"))
		test_result(a == DEV_ID && b == 0 && base == dev + 8, "mmio-ldp-post-index",
			    "0x%lx 0x%lx base 0x%lx (want 0x%lx 0x0 base 0x%lx)", a, b, base,
			    DEV_ID, dev + 8);

	begin();
	w64(REG_SCRATCH, ALL_ONES);
	asm volatile("mov x0, %1\n\tmov x1, #0\n\tmov x2, %2\n\tstp w1, w2, [x0, #4]!\n\t"
		     "mov %0, x0"
		     : "=r"(base) : "r"(dev), "r"(0x87654321UL) : "x0", "x1", "x2", "memory");
	v = r64(REG_SCRATCH);
	if (no_fault("mmio-stp-pre-index"))
		test_result(v == 0x87654321 && base == dev + 4, "mmio-stp-pre-index",
			    "scratch 0x%lx base 0x%lx (want 0x87654321 base 0x%lx)", v, base,
			    dev + 4);

	/* Offset 0x4 (0), then scratch sign-extended from 32 bits. */
	begin();
	w32(REG_SCRATCH, 0x80000001);
	asm volatile("mov x0, %2\n\tmov x1, #-1\n\tmov x2, #0\n\tldpsw x1, x2, [x0, #4]\n\t"
		     "mov %0, x1\n\tmov %1, x2"
		     : "=r"(a), "=r"(b) : "r"(dev) : "x0", "x1", "x2", "memory");
	if (no_fault("mmio-ldpsw"))
		test_result(a == 0 && b == 0xffffffff80000001UL, "mmio-ldpsw",
			    "0x%lx 0x%lx (want 0x0 0xffffffff80000001)", a, b);
}

/* ---- register 31 ---- */

static void test_zero_register(void)
{
	uint64_t v, sp0, sp1;

	begin();
	w64(REG_SCRATCH, ALL_ONES);
	asm volatile("mov x0, %0\n\tstr xzr, [x0, #8]" :: "r"(dev) : "x0", "memory");
	v = r64(REG_SCRATCH);
	check_value("mmio-str-xzr", v, 0);

	begin();
	w64(REG_SCRATCH, ALL_ONES);
	asm volatile("mov x0, %0\n\tstr wzr, [x0, #8]" :: "r"(dev) : "x0", "memory");
	v = r64(REG_SCRATCH);
	check_value("mmio-str-wzr", v, 0);

	begin();
	w64(REG_SCRATCH, ALL_ONES);
	asm volatile("mov x0, %0\n\tstrb wzr, [x0, #8]" :: "r"(dev) : "x0", "memory");
	v = r64(REG_SCRATCH);
	check_value("mmio-strb-wzr", v, 0);

	begin();
	w64(REG_SCRATCH, ALL_ONES);
	asm volatile("mov x0, %0\n\tstp wzr, wzr, [x0, #4]" :: "r"(dev) : "x0", "memory");
	v = r64(REG_SCRATCH);
	check_value("mmio-stp-wzr", v, 0);

	/* A load into register 31 discards the value: SP must not change. */
	begin();
	asm volatile("mov x0, %2\n\tmov %0, sp\n\tldr xzr, [x0, #8]\n\tldr wzr, [x0]\n\t"
		     "mov %1, sp"
		     : "=&r"(sp0), "=&r"(sp1) : "r"(dev) : "x0", "memory");
	if (no_fault("mmio-ldr-xzr"))
		test_result(sp0 == sp1, "mmio-ldr-xzr", "sp 0x%lx -> 0x%lx", sp0, sp1);
}

/* A load writes its destination and nothing else (base register included). */
static void test_others_untouched(void)
{
	uint64_t in[16], out[16];
	unsigned int i;
	bool ok = true;

	for (i = 0; i < 16; i++)
		in[i] = 0x0101010101010101UL * (i + 0x10);
	begin();
	w64(REG_SCRATCH, P64);
	asm volatile(
	"	mov	x16, %0\n"
	"	mov	x17, %1\n"
	"	mov	x0, %2\n"
	"	ldp	x1, x2, [x16, #8]\n"
	"	ldp	x3, x4, [x16, #24]\n"
	"	ldp	x5, x6, [x16, #40]\n"
	"	ldp	x7, x8, [x16, #56]\n"
	"	ldp	x9, x10, [x16, #72]\n"
	"	ldp	x11, x12, [x16, #88]\n"
	"	ldp	x13, x14, [x16, #104]\n"
	"	ldr	x15, [x16, #120]\n"
	"	ldr	x7, [x0, #8]\n"
	"	stp	x0, x1, [x17]\n"
	"	stp	x2, x3, [x17, #16]\n"
	"	stp	x4, x5, [x17, #32]\n"
	"	stp	x6, x7, [x17, #48]\n"
	"	stp	x8, x9, [x17, #64]\n"
	"	stp	x10, x11, [x17, #80]\n"
	"	stp	x12, x13, [x17, #96]\n"
	"	stp	x14, x15, [x17, #112]\n"
	:: "r"(in), "r"(out), "r"(dev)
	: "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12",
	  "x13", "x14", "x15", "x16", "x17", "memory");
	if (!no_fault("mmio-regs-untouched"))
		return;
	for (i = 0; i < 16; i++) {
		uint64_t want = i == 0 ? dev : i == 7 ? P64 : in[i];

		if (out[i] != want) {
			test_fail("mmio-regs-untouched", "x%u = 0x%lx, want 0x%lx", i, out[i],
				  want);
			ok = false;
		}
	}
	if (ok)
		test_pass("mmio-regs-untouched", "ldr x7 changed x7 only (x0-x15 checked)");
}

/* ---- the other registers of the device ---- */

static void test_sink_and_holes(void)
{
	uint64_t a, b;

	begin();
	asm volatile("mov x0, %1\n\tmov w1, #0x55\n\tstr w1, [x0, #0x18]\n\tmov x2, #-1\n\t"
		     "ldr w2, [x0, #0x18]\n\tmov %0, x2"
		     : "=r"(a) : "r"(dev) : "x0", "x1", "x2", "memory");
	check_value("mmio-sink", a, 0);

	begin();
	asm volatile("mov x0, %2\n\tmov x1, #-1\n\tstr x1, [x0, #0x100]\n\tmov x2, #-1\n\t"
		     "ldr x2, [x0, #0x100]\n\tmov x3, #-1\n\tldr x3, [x0, #0x20]\n\t"
		     "mov %0, x2\n\tmov %1, x3"
		     : "=r"(a), "=r"(b) : "r"(dev) : "x0", "x1", "x2", "x3", "memory");
	if (no_fault("mmio-other-offset"))
		test_result(a == 0 && b == 0, "mmio-other-offset",
			    "0x100 after a write: 0x%lx, 0x20: 0x%lx (want 0 0)", a, b);
}

/* The counter counts every access, the reads of it included: 6 accesses + 1 read. */
static void test_count(void)
{
	uint64_t c1, c2;

	begin();
	asm volatile(
	"	mov	x0, %2\n"
	"	ldr	x1, [x0, #0x10]\n"	/* c1 (counts itself) */
	"	ldr	w2, [x0]\n"		/* 1 */
	"	str	w2, [x0, #0x18]\n"	/* 2 */
	"	ldr	x3, [x0, #8]\n"		/* 3 */
	"	strb	w3, [x0, #8]\n"		/* 4 */
	"	ldrh	w4, [x0, #0x100]\n"	/* 5 */
	"	ldr	wzr, [x0]\n"		/* 6 */
	"	ldr	x5, [x0, #0x10]\n"	/* c2 = c1 + 7 */
	"	mov	%0, x1\n"
	"	mov	%1, x5\n"
	: "=r"(c1), "=r"(c2) : "r"(dev) : "x0", "x1", "x2", "x3", "x4", "x5", "memory");
	if (no_fault("mmio-count"))
		test_result(c2 - c1 == 7, "mmio-count",
			    "%lu -> %lu: delta %lu, want 7 (6 accesses + this read)", c1, c2,
			    c2 - c1);
}

/*
 * Base register 31 is SP, and at EL1t that is SP_EL0. The accesses run on SP_EL0 so that a
 * fault (taken on SP_EL1) still finds a good stack.
 */
static void test_sp_base(void)
{
	uint64_t v, sp_after_load, sp_after_store, s;

	begin();
	w64(REG_SCRATCH, P64);
	asm volatile(
	"	mov	x0, %3\n"
	"	mov	x1, #0\n"
	"	mov	x3, %4\n"
	"	msr	sp_el0, x0\n"
	"	msr	spsel, #0\n"
	"	ldr	x1, [sp, #8]!\n"	/* x1 = scratch, sp = dev + 8 */
	"	mov	x2, sp\n"
	"	str	x3, [sp], #-8\n"	/* scratch = x3, sp = dev */
	"	mov	x4, sp\n"
	"	msr	spsel, #1\n"
	"	mov	%0, x1\n"
	"	mov	%1, x2\n"
	"	mov	%2, x4\n"
	: "=r"(v), "=r"(sp_after_load), "=r"(sp_after_store)
	: "r"(dev), "r"(~P64)
	: "x0", "x1", "x2", "x3", "x4", "memory");
	s = r64(REG_SCRATCH);
	if (no_fault("mmio-sp-base"))
		test_result(v == P64 && sp_after_load == dev + 8 && s == ~P64 &&
			    sp_after_store == dev, "mmio-sp-base",
			    "ldr [sp,#8]!: 0x%lx sp 0x%lx; str [sp],#-8: scratch 0x%lx sp 0x%lx",
			    v, sp_after_load, s, sp_after_store);
}

void main(void *dtb)
{
	uint64_t id;

	guest_init("mmio", dtb);
	if (!dtb_compatible_base("ftvisor,test-mmio", &dev)) {
		/* Do not poke whatever else may be at 0x0a000000 (virtio-mmio on plain QEMU). */
		test_fail("mmio-device", "no \"ftvisor,test-mmio\" node in the device tree");
		test_done();
	}
	begin();
	id = r32(REG_ID);
	if (!no_fault("mmio-device"))
		test_done();
	printf("mmio: test device at 0x%lx, ID 0x%lx, count %lu\n", dev, id, r64(REG_COUNT));

	test_id();
	test_widths();
	test_unscaled();
	test_sign_extension();
	test_writeback();
	test_register_offset();
	test_pairs();
	test_zero_register();
	test_others_untouched();
	test_sink_and_holes();
	test_count();
	test_sp_base();		/* last: a wrong SP writeback is hard to survive */
	test_done();
}
