/* SPDX-License-Identifier: Apache-2.0 */
/* SMC Calling Convention (Arm DEN 0028) conduits: x0 = function ID, x1-x3 arguments. */
#include "arch/arm64/asm.h"

	.text
/* uint64_t smccc_smc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3) */
ENTRY(smccc_smc)
	smc	#0
	ret
END(smccc_smc)

ENTRY(smccc_hvc)
	hvc	#0
	ret
END(smccc_hvc)
