# SPDX-License-Identifier: Apache-2.0
# Which MIDR each vCPU reports on a heterogeneous SoC (core/cpu_policy.c) and what happens to
# each SMCCC call a guest makes (core/smccc_policy.c).
UNIT_TESTS += test_cpu_policy test_smccc_policy
test_cpu_policy_SRCS := hypervisor/core/cpu_policy.c
test_smccc_policy_SRCS := hypervisor/core/smccc_policy.c
$(OUT)/test_cpu_policy: $(ROOT)/hypervisor/core/cpu_policy.h
$(OUT)/test_smccc_policy: $(ROOT)/hypervisor/core/smccc_policy.h
