/* SPDX-License-Identifier: Apache-2.0 */
#include "core/smccc.h"
#include "core/pcpu.h"
#include "core/vm.h"
#include "core/vpsci.h"

#define SMCCC_VERSION 0x80000000u
#define SMCCC_ARCH_FEATURES 0x80000001u
#define SMCCC_OWNER(fid) (((fid) >> 24) & 0x3f)
#define OWNER_STANDARD 4	/* PSCI lives here */
#define OWNER_VENDOR_HYP 6

static void ftv_call(struct vcpu *v, uint32_t fid, uint64_t *x)
{
	struct vm *vm = v->vm;

	switch (fid) {
	case FTV_VERSION:
		x[0] = FTV_ABI_VERSION;
		return;
	case FTV_VM_INFO:
		x[0] = vm->id;
		x[1] = nr_vms;
		x[2] = vm->n_vcpus;
		return;
	case FTV_TEST_ADDR:
		/* A test aid: only a VM flagged "introspection" may learn host addresses. */
		if (!(vm->flags & VM_F_INTROSPECTION)) {
			x[0] = SMCCC_NOT_SUPPORTED;
			return;
		}
		if (x[1] == 0) {
			x[0] = hyp_image_base;
		} else if ((x[1] == 1 || x[1] == 2) && x[2] < nr_vms && vms[x[2]].state != VM_EMPTY) {
			x[0] = x[1] == 1 ? vms[x[2]].mem_pa : vms[x[2]].mem_size;
		} else {
			x[0] = SMCCC_NOT_SUPPORTED;
		}
		return;
	default:
		x[0] = SMCCC_NOT_SUPPORTED;
	}
}

void smccc_dispatch(struct vcpu *v)
{
	uint64_t *x = v->ctx.regs.x;
	uint32_t fid = (uint32_t)x[0];

	if (fid == SMCCC_VERSION) {
		x[0] = 0x10001; /* 1.1 */
	} else if (fid == SMCCC_ARCH_FEATURES) {
		x[0] = SMCCC_NOT_SUPPORTED; /* no firmware workarounds are offered */
	} else if (SMCCC_OWNER(fid) == OWNER_STANDARD && vpsci_call(v, fid, x)) {
		/* handled */
	} else if (SMCCC_OWNER(fid) == OWNER_VENDOR_HYP) {
		ftv_call(v, fid, x);
	} else {
		/* Phytium SiP calls (0xC2000002 ...), OP-TEE probes, anything unknown: refused
		 * here, never forwarded to the firmware. */
		x[0] = SMCCC_NOT_SUPPORTED;
	}
}
