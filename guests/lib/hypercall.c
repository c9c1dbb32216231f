/* SPDX-License-Identifier: Apache-2.0 */
#include "hypercall.h"
#include "smccc.h"

uint64_t ftv_version(void)
{
	return smccc_hvc(FTV_VERSION, 0, 0, 0, NULL);
}

bool ftv_vm_info(struct ftv_vm_info *info)
{
	struct smccc_res r;

	if (smccc_hvc(FTV_VM_INFO, 0, 0, 0, &r) == FTV_ERROR)
		return false;
	info->id = r.a0;
	info->nr_vms = r.a1;
	info->nr_vcpus = r.a2;
	return true;
}

uint64_t ftv_test_addr(uint64_t selector, uint64_t vm)
{
	return smccc_hvc(FTV_TEST_ADDR, selector, vm, 0, NULL);
}
