/* SPDX-License-Identifier: Apache-2.0 */
/* The first guest: proves entry, device tree, console and the hypervisor calls work. */
#include "guest.h"

void main(void *dtb)
{
	uint64_t base = 0, size = 0, here = (uint64_t)main, ver;
	const char *name, *args;
	struct ftv_vm_info info;
	int64_t psci;

	guest_init("hello", dtb);
	name = dtb_vm_name();
	args = dtb_bootargs();
	printf("hello from %s\n", name ? name : "(no ftvisor,name)");
	printf("hello: bootargs \"%s\"\n", args ? args : "");
	printf("hello: device tree at 0x%lx, image at 0x%lx\n", dtb_address(),
	       (uint64_t)__image_start);

	if (!dtb_ram(&base, &size))
		test_fail("hello-dt", "no /memory range in the device tree");
	else
		test_result(size > 0 && here >= base && here - base < size, "hello-dt",
			    "RAM 0x%lx size 0x%lx (%lu MiB), code at 0x%lx", base, size, size >> 20,
			    here);

	ver = ftv_version();
	printf("hello: FTV_VERSION = 0x%lx\n", ver);
	test_result(ver == 0x10000, "hello-version", "FTV_VERSION 0x%lx, expected 0x10000", ver);

	if (ftv_vm_info(&info))
		printf("hello: FTV_VM_INFO: VM id %lu of %lu, %lu vCPU(s)\n", info.id, info.nr_vms,
		       info.nr_vcpus);
	else
		printf("hello: FTV_VM_INFO failed (-1)\n");

	psci = psci_version();
	test_result(psci == 0x10000, "psci-version", "PSCI VERSION 0x%lx, expected 0x10000 (1.0)",
		    (uint64_t)psci);
	/* Under ftvisor the PMU is hidden: every register reads as zero and enabling the cycle
	 * counter does nothing (no VM may watch or steer the physical counters). */
	if (ver == 0x10000) {
		uint64_t pmcr, c0, c1;

		asm volatile("msr pmcr_el0, %0" ::"r"(1ULL));
		asm volatile("msr pmcntenset_el0, %0" ::"r"(1ULL << 31));
		asm volatile("isb; mrs %0, pmcr_el0" : "=r"(pmcr));
		asm volatile("mrs %0, pmccntr_el0" : "=r"(c0));
		for (volatile int i = 0; i < 10000; i++)
			;
		asm volatile("mrs %0, pmccntr_el0" : "=r"(c1));
		test_result(pmcr == 0 && c0 == 0 && c1 == 0, "hello-pmu-hidden",
			    "PMCR_EL0 0x%lx, PMCCNTR_EL0 %lu then %lu", pmcr, c0, c1);
	}
	test_done();
}
