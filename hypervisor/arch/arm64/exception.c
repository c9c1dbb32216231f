/* SPDX-License-Identifier: Apache-2.0 */
/*
 * C side of the EL2 exception vectors. This issue has no guests, so every synchronous
 * exception is a hypervisor bug (or a deliberate self-test fault): it is reported with the
 * full register state and only the CPU that took it stops; the others go on.
 */
#include "arch/arm64/exception.h"
#include "arch/arm64/layout.h"
#include "arch/arm64/sysreg.h"
#include "core/console.h"
#include "core/irq.h"
#include "core/pcpu.h"

_Static_assert(sizeof(struct exception_frame) == FRAME_SIZE, "frame layout");

const char *esr_class_name(uint32_t ec)
{
	switch (ec) {
	case 0x00: return "unknown reason";
	case 0x01: return "trapped WFI/WFE";
	case 0x07: return "trapped FP/SIMD access";
	case 0x0e: return "illegal execution state";
	case 0x11: case 0x15: return "SVC";
	case 0x12: case 0x16: return "HVC";
	case 0x13: case 0x17: return "SMC";
	case 0x18: return "trapped system register access";
	case 0x20: return "instruction abort from a lower EL";
	case 0x21: return "instruction abort at EL2";
	case 0x22: return "PC alignment fault";
	case 0x24: return "data abort from a lower EL";
	case 0x25: return "data abort at EL2";
	case 0x26: return "SP alignment fault";
	case 0x2f: return "SError";
	case 0x3c: return "BRK instruction";
	default: return "unexpected exception class";
	}
}

/* Data/instruction abort status code (DFSC/IFSC) in words. */
static const char *abort_status(uint64_t esr)
{
	uint32_t fsc = BITS(esr, 5, 0);

	switch (fsc & 0x3c) {
	case 0x04: return "translation fault";
	case 0x08: return "access flag fault";
	case 0x0c: return "permission fault";
	}
	if (fsc == 0x21)
		return "alignment fault";
	if (fsc == 0x10)
		return "synchronous external abort";
	return "other fault";
}

void __noreturn exception_fatal(const char *why, const struct exception_frame *f)
{
	uint32_t ec = ESR_EC(f->esr);
	unsigned int cpu = this_cpu_id();

	console_panic_begin();
	printk("\n*** ftvisor: %s on CPU %u: %s\n", why, cpu, esr_class_name(ec));
	printk("ESR_EL2 0x%08lx (EC 0x%02x ISS 0x%07lx)  FAR_EL2 0x%016lx\n", f->esr, ec,
	       ESR_ISS(f->esr), f->far);
	printk("ELR_EL2 0x%016lx  SPSR_EL2 0x%08lx  SP 0x%016lx\n", f->elr, f->spsr, f->sp);
	if (ec == 0x20 || ec == 0x21 || ec == 0x24 || ec == 0x25)
		printk("abort: %s at level %lu%s\n", abort_status(f->esr), BITS(f->esr, 1, 0),
		       ec >= 0x24 ? (BITS(f->esr, 6, 6) ? ", on a write" : ", on a read") : "");
	for (int i = 0; i < 31; i += 2) {
		if (i == 30)
			printk("x30 0x%016lx\n", f->x[30]);
		else
			printk("x%-2d 0x%016lx  x%-2d 0x%016lx\n", i, f->x[i], i + 1, f->x[i + 1]);
	}
	printk("*** ftvisor: CPU %u halted (the other CPUs keep running)\n", cpu);
	console_panic_end();
	pcpu_mark_halted();
	for (;;) {
		local_irq_disable();
		wfi();
	}
}

void exception_el2_sync(struct exception_frame *f)
{
	exception_fatal("unexpected synchronous exception at EL2", f);
}

void exception_unexpected(struct exception_frame *f)
{
	exception_fatal("unexpected exception", f);
}

void exception_stack_overflow(struct exception_frame *f)
{
	exception_fatal("EL2 stack overflow (x0 not saved)", f);
}

void exception_irq(struct exception_frame *f)
{
	(void)f;
	irq_handle();
}
