# SPDX-License-Identifier: Apache-2.0
# Where a VM sees its inter-VM channels: slots, BARs, INTx (core/ivc_layout.c).
UNIT_TESTS += test_ivc_layout
test_ivc_layout_SRCS := hypervisor/core/ivc_layout.c
$(OUT)/test_ivc_layout: $(ROOT)/hypervisor/core/ivc_layout.h $(ROOT)/hypervisor/core/bundle.h \
	$(ROOT)/include/ftvisor/ivc.h
