/* SPDX-License-Identifier: Apache-2.0 */
/* Powers itself off: SYSTEM_OFF must end this VM only, and never return. */
#include "guest.h"

void main(void *dtb)
{
	guest_init("sysoff", dtb);
	printf("sysoff: powering off\n");
	psci_system_off();
	test_fail("sysoff", "SYSTEM_OFF returned");
	test_done();
}
