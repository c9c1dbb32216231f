# SPDX-License-Identifier: Apache-2.0
# The management shell's pure logic: line editor and command parsing (core/shell_line.c,
# core/shell_parse.c), and the JSON writer for its machine-readable output (lib/json.c).
UNIT_TESTS += test_shell test_json
test_shell_SRCS := hypervisor/core/shell_line.c hypervisor/core/shell_parse.c \
	hypervisor/lib/format.c
test_json_SRCS := hypervisor/lib/json.c
$(OUT)/test_shell: $(ROOT)/hypervisor/core/shell_line.h $(ROOT)/hypervisor/core/shell_parse.h
$(OUT)/test_json: $(ROOT)/hypervisor/lib/json.h
