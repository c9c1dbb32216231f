/* SPDX-License-Identifier: Apache-2.0 */
#ifndef FTVISOR_ARCH_EXCEPTION_H
#define FTVISOR_ARCH_EXCEPTION_H

#include "lib/compiler.h"

/* Saved by vectors.S; layout in layout.h. */
struct exception_frame {
	uint64_t x[31];
	uint64_t sp;
	uint64_t elr;
	uint64_t spsr;
	uint64_t esr;
	uint64_t far;
};

/* Human-readable name of an ESR exception class (Arm ARM D19.2.37). */
const char *esr_class_name(uint32_t ec);

/* Print the ESR/FAR/ELR/SPSR and all registers, then stop this CPU for good. */
void __noreturn exception_fatal(const char *why, const struct exception_frame *f);

#endif
