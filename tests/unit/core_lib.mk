# SPDX-License-Identifier: Apache-2.0
# Translation-table builder (arch/arm64/pgtable.c), memory-range arithmetic and the command line.
UNIT_TESTS += test_pgtable test_memrange test_cmdline
test_pgtable_SRCS := hypervisor/arch/arm64/pgtable.c
test_memrange_SRCS := hypervisor/lib/memrange.c
test_cmdline_SRCS := hypervisor/lib/cmdline.c
