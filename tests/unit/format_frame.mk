# SPDX-License-Identifier: Apache-2.0
# lib/format.c and core/frame.c.
UNIT_TESTS += test_format test_frame
test_format_SRCS := hypervisor/lib/format.c
test_frame_SRCS := hypervisor/core/frame.c
