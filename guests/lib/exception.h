/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Synchronous exceptions a test provokes on purpose. A test arms an expectation, makes the
 * access, and disarms: the handler records the first fault's ESR/FAR/ELR and resumes after
 * the faulting instruction (FAULT_SKIP) or at the saved return address x30 (FAULT_RETURN,
 * for a branch to an address that must not execute). Any other exception prints
 * `FAIL unexpected-exception: ...` and powers the VM off.
 */
#ifndef GUEST_EXCEPTION_H
#define GUEST_EXCEPTION_H

#include "lib/compiler.h"

/* Layout known to vectors.S (layout.h FRAME_*). */
struct exception_frame {
	uint64_t x[31];
	uint64_t elr, spsr, esr, far, sp;
};

enum fault_resume {
	FAULT_SKIP,		/* ELR += 4 */
	FAULT_RETURN,		/* ELR = x30 */
};

struct fault_info {
	unsigned int count;	/* faults taken while armed */
	uint64_t esr, far, elr;	/* of the first one */
};

void fault_arm(enum fault_resume how);
/* Disarms; returns the number of faults taken and fills *info (may be NULL). */
unsigned int fault_disarm(struct fault_info *info);

void exception_handler(struct exception_frame *f, unsigned int index);

#endif
