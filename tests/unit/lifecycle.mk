# SPDX-License-Identifier: Apache-2.0
# The VM lifecycle's rules: which operation is valid in which state (core/lifecycle.c).
UNIT_TESTS += test_lifecycle
test_lifecycle_SRCS := hypervisor/core/lifecycle.c
$(OUT)/test_lifecycle: $(ROOT)/hypervisor/core/lifecycle.h
