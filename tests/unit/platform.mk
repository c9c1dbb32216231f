# SPDX-License-Identifier: Apache-2.0
# FDT reader and platform discovery.
PLAT_DISCOVERY_SRCS := hypervisor/lib/fdt.c hypervisor/lib/string.c hypervisor/lib/format.c hypervisor/platform/platform.c \
	hypervisor/platform/board.c hypervisor/platform/qemu_virt.c \
	hypervisor/platform/phytium_e2000.c hypervisor/platform/phytium_ft2004.c \
	hypervisor/platform/phytium_d2000.c hypervisor/platform/generic.c

UNIT_TESTS += test_fdt test_platform
test_fdt_SRCS := hypervisor/lib/fdt.c hypervisor/lib/string.c
test_platform_SRCS := $(PLAT_DISCOVERY_SRCS)
