# SPDX-License-Identifier: Apache-2.0
# Data abort decoding for MMIO emulation (arch/arm64/mmio_decode.c).
UNIT_TESTS += test_mmio_decode
test_mmio_decode_SRCS := hypervisor/arch/arm64/mmio_decode.c
