# SPDX-License-Identifier: Apache-2.0
# CRC-32 and boot bundle validation (core/manifest.c).
UNIT_TESTS += test_crc32 test_manifest
test_crc32_SRCS := hypervisor/lib/crc32.c
test_manifest_SRCS := hypervisor/core/manifest.c hypervisor/lib/crc32.c hypervisor/lib/format.c
