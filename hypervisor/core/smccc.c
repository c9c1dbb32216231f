/* SPDX-License-Identifier: Apache-2.0 */
#include "core/smccc.h"
#include "core/smccc_policy.h"
#include "core/pcpu.h"
#include "core/vm.h"
#include "core/vpsci.h"

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

/* The decision is smccc_policy's (core/smccc_policy.c, docs/guest-abi.md "SMC policy"): the
 * hypervisor answers what it emulates, refuses the rest, and never calls the firmware for a
 * guest. */
void smccc_dispatch(struct vcpu *v)
{
	uint64_t *x = v->ctx.regs.x;
	uint32_t fid = (uint32_t)x[0];

	switch (smccc_policy(fid)) {
	case SMCCC_DO_VERSION:
		x[0] = 0x10001; /* 1.1 */
		break;
	case SMCCC_DO_ARCH_FEATURES:
		x[0] = SMCCC_NOT_SUPPORTED; /* no firmware workarounds are offered */
		break;
	case SMCCC_DO_PSCI:
		if (!vpsci_call(v, fid, x))
			x[0] = SMCCC_NOT_SUPPORTED;
		break;
	case SMCCC_DO_FTV:
		ftv_call(v, fid, x);
		break;
	default:
		/* Phytium SiP calls (CPU_VERSION 0xC2000002: the vendor kernels then use MIDR),
		 * OP-TEE probes, anything else: refused, never forwarded to the firmware. */
		x[0] = SMCCC_NOT_SUPPORTED;
		break;
	}
}
