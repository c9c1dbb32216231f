# SPDX-License-Identifier: Apache-2.0
UNIT_TESTS += test_stage2
test_stage2_SRCS := hypervisor/arch/arm64/stage2_geometry.c hypervisor/arch/arm64/pgtable.c
