/* SPDX-License-Identifier: Apache-2.0 */
/* SMC Calling Convention (Arm DEN 0028) conduits: x0 = function ID, x1-x3 arguments. */
#include "arch/arm64/asm.h"

.macro smccc_call insn
	str	x4, [sp, #-16]!			/* x4-x17 may be clobbered by the callee */
	\insn	#0
	ldr	x4, [sp], #16
	cbz	x4, 1f
	stp	x0, x1, [x4]
	stp	x2, x3, [x4, #16]
1:	ret
.endm

	.text
/*
 * uint64_t smccc_hvc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3,
 *		      struct smccc_res *res): returns x0; res (may be NULL) gets x0-x3.
 */
ENTRY(smccc_hvc)
	smccc_call hvc
END(smccc_hvc)

ENTRY(smccc_smc)
	smccc_call smc
END(smccc_smc)
