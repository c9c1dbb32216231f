/* SPDX-License-Identifier: Apache-2.0 */
#include "core/vpsci.h"
#include "core/mgmt.h"
#include "core/vm.h"
#include "lib/psci_abi.h"

/* The vCPU an MPIDR names in this VM: Aff0 = index, every other affinity field 0. */
static struct vcpu *target(struct vm *vm, uint64_t mpidr)
{
	uint64_t aff = mpidr & 0xff00ffffffULL;

	return aff < vm->n_vcpus ? &vm->vcpus[aff] : NULL;
}

static bool supported(uint32_t fid)
{
	switch (fid) {
	case PSCI_VERSION: case PSCI_CPU_OFF: case PSCI_CPU_ON_32: case PSCI_CPU_ON_64:
	case PSCI_AFFINITY_INFO_32: case PSCI_AFFINITY_INFO_64: case PSCI_MIGRATE_INFO_TYPE:
	case PSCI_SYSTEM_OFF: case PSCI_SYSTEM_RESET: case PSCI_FEATURES:
		return true;
	}
	return false;
}

bool vpsci_call(struct vcpu *v, uint32_t fid, uint64_t *x)
{
	struct vm *vm = v->vm;
	struct vcpu *t;

	if ((fid & 0xbfffffe0u) != 0x84000000u)
		return false; /* not in the PSCI range 0x[8c]4000000-1f */
	switch (fid) {
	case PSCI_VERSION:
		x[0] = 0x10000; /* 1.0 */
		break;
	case PSCI_FEATURES:
		x[0] = supported((uint32_t)x[1]) ? PSCI_SUCCESS : (uint64_t)PSCI_NOT_SUPPORTED;
		break;
	case PSCI_CPU_ON_32:
	case PSCI_CPU_ON_64:
		t = target(vm, fid == PSCI_CPU_ON_32 ? (uint32_t)x[1] : x[1]);
		if (!t)
			x[0] = (uint64_t)PSCI_INVALID_PARAMS;
		else if (!vm_ipa_to_pa(vm, x[2], 4))
			x[0] = (uint64_t)PSCI_INVALID_ADDRESS;
		else
			x[0] = (uint64_t)vcpu_power_on(t, x[2], x[3]);
		break;
	case PSCI_CPU_OFF:
		__atomic_store_n(&v->power, VCPU_OFF, __ATOMIC_RELEASE); /* the run loop ends */
		x[0] = PSCI_SUCCESS;
		break;
	case PSCI_AFFINITY_INFO_32:
	case PSCI_AFFINITY_INFO_64:
		t = target(vm, x[1]);
		if (!t || x[2] != 0) {
			x[0] = (uint64_t)PSCI_INVALID_PARAMS;
		} else if (__atomic_load_n(&t->running, __ATOMIC_ACQUIRE) &&
			   __atomic_load_n(&t->power, __ATOMIC_ACQUIRE) == VCPU_ON) {
			x[0] = PSCI_AFF_ON;
		} else if (__atomic_load_n(&t->power, __ATOMIC_ACQUIRE) == VCPU_ON_PENDING) {
			x[0] = PSCI_AFF_ON_PENDING;
		} else {
			x[0] = __atomic_load_n(&t->running, __ATOMIC_ACQUIRE) ? PSCI_AFF_ON : PSCI_AFF_OFF;
		}
		break;
	case PSCI_MIGRATE_INFO_TYPE:
		x[0] = PSCI_MIGRATE_NOT_REQUIRED;
		break;
	case PSCI_SYSTEM_OFF:
		mgmt_guest_event(vm, VM_OP_STOP, "powered off (PSCI SYSTEM_OFF)");
		break;
	case PSCI_SYSTEM_RESET:
		mgmt_guest_event(vm, VM_OP_REBOOT, "PSCI SYSTEM_RESET");
		break;
	default:
		x[0] = (uint64_t)PSCI_NOT_SUPPORTED;
	}
	return true;
}
