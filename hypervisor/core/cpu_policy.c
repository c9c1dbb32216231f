/* SPDX-License-Identifier: Apache-2.0 */
#include "core/cpu_policy.h"

#define MIDR_TYPE_MASK 0xff00fff0ULL /* implementer [31:24] and part number [15:4] */

bool cpu_same_core_type(uint64_t midr_a, uint64_t midr_b)
{
	return (midr_a & MIDR_TYPE_MASK) == (midr_b & MIDR_TYPE_MASK);
}

int cpu_policy_vpidr(const uint64_t *midr, uint32_t n, bool mixed_ok, uint64_t *vpidr,
		     uint32_t *odd)
{
	uint32_t i;

	for (i = 1; i < n; i++)
		if (!cpu_same_core_type(midr[0], midr[i]))
			break;
	if (i < n && !mixed_ok) {
		*odd = i;
		return -1;
	}
	for (uint32_t k = 0; k < n; k++)
		vpidr[k] = i < n ? midr[0] : midr[k];
	return i < n ? 1 : 0;
}
