/* SPDX-License-Identifier: Apache-2.0 */
/* The lifecycle's rules (core/mgmt.h), kept apart from the machinery so they can be tested. */
#include "core/lifecycle.h"

const char *vm_state_name(enum vm_state s)
{
	switch (s) {
	case VM_EMPTY: return "destroyed";
	case VM_CREATED: return "created";
	case VM_RUNNING: return "running";
	case VM_PAUSED: return "paused";
	case VM_STOPPED: return "stopped";
	}
	return "?";
}

const char *vm_op_name(enum vm_op op)
{
	switch (op) {
	case VM_OP_NONE: return "none";
	case VM_OP_START: return "start";
	case VM_OP_PAUSE: return "pause";
	case VM_OP_RESUME: return "resume";
	case VM_OP_STOP: return "stop";
	case VM_OP_REBOOT: return "reboot";
	case VM_OP_DESTROY: return "destroy";
	}
	return "?";
}

bool vm_op_allowed(enum vm_op op, enum vm_state s)
{
	switch (op) {
	case VM_OP_START:
		return s == VM_CREATED || s == VM_STOPPED;
	case VM_OP_PAUSE:
		return s == VM_RUNNING;
	case VM_OP_RESUME:
		return s == VM_PAUSED;
	case VM_OP_STOP:
	case VM_OP_REBOOT:
		return s == VM_RUNNING || s == VM_PAUSED;
	case VM_OP_DESTROY:
		return s != VM_EMPTY; /* forced, like pulling the plug, from any state */
	case VM_OP_NONE:
		break;
	}
	return false;
}
