# SPDX-License-Identifier: Apache-2.0
# The Linux IVC tools' protocol code (tools/ivc/libivc.c, include/ftvisor/ivc_proto.h) built
# natively with its memory backend: two processes sharing an mmap'd file, polling instead of
# doorbells (no hypervisor).
UNIT_TESTS += test_ivc_proto
test_ivc_proto_SRCS := tools/ivc/libivc.c
$(OUT)/test_ivc_proto: CFLAGS += -I$(ROOT)/include -I$(ROOT)/tools/ivc -pthread
$(OUT)/test_ivc_proto: $(ROOT)/tools/ivc/libivc.h $(ROOT)/include/ftvisor/ivc_proto.h \
	$(ROOT)/include/ftvisor/ivc.h
