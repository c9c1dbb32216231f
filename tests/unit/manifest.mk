# SPDX-License-Identifier: Apache-2.0
# CRC-32 and boot bundle validation (core/manifest.c), channels included (core/ivc_layout.c).
UNIT_TESTS += test_crc32 test_manifest
test_crc32_SRCS := hypervisor/lib/crc32.c
test_manifest_SRCS := hypervisor/core/manifest.c hypervisor/core/ivc_layout.c \
	hypervisor/lib/crc32.c hypervisor/lib/format.c
$(OUT)/test_manifest: $(ROOT)/hypervisor/core/bundle.h $(ROOT)/hypervisor/core/ivc_layout.h \
	$(ROOT)/include/ftvisor/ivc.h
