/* SPDX-License-Identifier: Apache-2.0 */
/* ftvisor's own calls (SMCCC vendor-specific hypervisor service, docs/guest-abi.md). */
#ifndef GUEST_HYPERCALL_H
#define GUEST_HYPERCALL_H

#include "lib/compiler.h"

#define FTV_VERSION 0x86000000u
#define FTV_VM_INFO 0x86000001u
#define FTV_TEST_ADDR 0x86000002u

#define FTV_TEST_HYP_PA 0	/* selectors of FTV_TEST_ADDR */
#define FTV_TEST_VM_RAM_BASE 1
#define FTV_TEST_VM_RAM_SIZE 2

#define FTV_ERROR ((uint64_t)-1)

struct ftv_vm_info {
	uint64_t id;		/* 0-based, bundle order */
	uint64_t nr_vms;
	uint64_t nr_vcpus;	/* of this VM */
};

/* major << 16 | minor, or FTV_ERROR. */
uint64_t ftv_version(void);
/* false (info untouched) when the call failed. */
bool ftv_vm_info(struct ftv_vm_info *info);
/* Only VMs with the introspection flag get an answer; else FTV_ERROR. */
uint64_t ftv_test_addr(uint64_t selector, uint64_t vm);

#endif
