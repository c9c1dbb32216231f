/* SPDX-License-Identifier: Apache-2.0 */
/* Every (operation, state) pair against the table in docs/shell.md. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "core/lifecycle.h"

/* rows: operations start..destroy; columns: empty, created, running, paused, stopped */
static const bool expected[][5] = {
	[VM_OP_START] = { 0, 1, 0, 0, 1 },
	[VM_OP_PAUSE] = { 0, 0, 1, 0, 0 },
	[VM_OP_RESUME] = { 0, 0, 0, 1, 0 },
	[VM_OP_STOP] = { 0, 0, 1, 1, 0 },
	[VM_OP_REBOOT] = { 0, 0, 1, 1, 0 },
	[VM_OP_DESTROY] = { 0, 1, 1, 1, 1 },
};

static void test_transition_table(void **state)
{
	(void)state;
	for (int op = VM_OP_START; op <= VM_OP_DESTROY; op++)
		for (int s = VM_EMPTY; s <= VM_STOPPED; s++) {
			if (vm_op_allowed((enum vm_op)op, (enum vm_state)s) != expected[op][s])
				fail_msg("%s in state %s: expected %s", vm_op_name((enum vm_op)op),
					 vm_state_name((enum vm_state)s),
					 expected[op][s] ? "allowed" : "refused");
		}
	for (int s = VM_EMPTY; s <= VM_STOPPED; s++)
		assert_false(vm_op_allowed(VM_OP_NONE, (enum vm_state)s));
	assert_false(vm_op_allowed((enum vm_op)99, VM_RUNNING));
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(vm_state_name(VM_EMPTY), "destroyed");
	assert_string_equal(vm_state_name(VM_PAUSED), "paused");
	assert_string_equal(vm_op_name(VM_OP_REBOOT), "reboot");
	assert_string_equal(vm_state_name((enum vm_state)42), "?");
	assert_string_equal(vm_op_name((enum vm_op)42), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_transition_table),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
