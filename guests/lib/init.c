/* SPDX-License-Identifier: Apache-2.0 */
#include "guest.h"
#include "uart.h"

bool guest_init(const char *name, void *dtb)
{
	uint64_t base;
	int err;

	test_init(name);
	err = dtb_init(dtb);
	if (err != DT_OK) {
		test_fail("dt-open", "device tree at 0x%lx: %s", (uint64_t)dtb, dt_strerror(err));
		return false;
	}
	if (dtb_stdout_base(&base))
		uart_set_base(base);
	return true;
}

/* Guests that never start a second vCPU do not define one. */
void __attribute__((weak)) secondary_main(uint64_t context)
{
	test_fail("unexpected-secondary", "vCPU %u started with context 0x%lx", this_cpu(),
		  context);
	psci_cpu_off();
}
