/* SPDX-License-Identifier: Apache-2.0 */
/* SMCCC calls over HVC #0 or SMC #0. */
#ifndef GUEST_SMCCC_H
#define GUEST_SMCCC_H

#include "lib/compiler.h"

#define SMCCC_NOT_SUPPORTED ((uint64_t)-1)

struct smccc_res {
	uint64_t a0, a1, a2, a3;
};

/* Return x0; res (may be NULL) receives x0-x3. */
uint64_t smccc_hvc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3, struct smccc_res *res);
uint64_t smccc_smc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3, struct smccc_res *res);

#endif
