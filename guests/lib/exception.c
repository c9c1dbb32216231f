/* SPDX-License-Identifier: Apache-2.0 */
#include "exception.h"
#include "console.h"
#include "lib/format.h"
#include "lib/string.h"
#include "psci.h"
#include "sysreg.h"
#include "test.h"

struct fault_state {
	bool armed;
	enum fault_resume how;
	struct fault_info info;
};

static struct fault_state faults[MAX_VCPUS];

static const char *const vector_names[16] = {
	"sync (EL1t)", "IRQ (EL1t)", "FIQ (EL1t)", "SError (EL1t)",
	"sync", "IRQ", "FIQ", "SError",
	"sync (lower EL64)", "IRQ (lower EL64)", "FIQ (lower EL64)", "SError (lower EL64)",
	"sync (lower EL32)", "IRQ (lower EL32)", "FIQ (lower EL32)", "SError (lower EL32)",
};

static struct fault_state *this_fault(void)
{
	return &faults[this_cpu() % MAX_VCPUS];
}

void fault_arm(enum fault_resume how)
{
	struct fault_state *fs = this_fault();

	memset(&fs->info, 0, sizeof(fs->info));
	fs->how = how;
	/* The handler reads this from the same vCPU: a compiler barrier orders it. */
	barrier();
	WRITE_ONCE(fs->armed, true);
	barrier();
}

unsigned int fault_disarm(struct fault_info *info)
{
	struct fault_state *fs = this_fault();

	barrier();
	WRITE_ONCE(fs->armed, false);
	barrier();
	if (info)
		*info = fs->info;
	return fs->info.count;
}

void exception_handler(struct exception_frame *f, unsigned int index)
{
	struct fault_state *fs = this_fault();
	char line[160];
	bool locked;
	int n;

	/* Synchronous, taken from EL1 (SP_EL0 or SP_EL1): a test may have asked for it. */
	if ((index == 0 || index == 4) && READ_ONCE(fs->armed)) {
		if (!fs->info.count++) {
			fs->info.esr = f->esr;
			fs->info.far = f->far;
			fs->info.elr = f->elr;
		}
		if (fs->how == FAULT_RETURN)
			f->elr = f->x[30];
		else
			f->elr += 4;
		return;
	}

	n = ft_snprintf(line, sizeof(line),
			"FAIL unexpected-exception: ESR=0x%lx FAR=0x%lx ELR=0x%lx (%s, vCPU %u)\n",
			f->esr, f->far, f->elr, vector_names[index & 15], this_cpu());
	/* Print even if the code that faulted holds the console lock. */
	locked = console_lock_timeout();
	console_write_locked(line, MIN((size_t)n, sizeof(line) - 1));
	test_count_fail();
	n = test_done_line(line, sizeof(line));
	console_write_locked(line, MIN((size_t)n, sizeof(line) - 1));
	if (locked)
		console_unlock();
	psci_system_off();
	for (;;)
		asm volatile("wfi");
}
