/* SPDX-License-Identifier: Apache-2.0 */
/* VM lifecycle states and operations, and which operation is valid in which state. */
#ifndef FTVISOR_CORE_LIFECYCLE_H
#define FTVISOR_CORE_LIFECYCLE_H

#include "lib/compiler.h"

/* VM_EMPTY: a free slot (a destroyed VM). */
enum vm_state { VM_EMPTY = 0, VM_CREATED, VM_RUNNING, VM_PAUSED, VM_STOPPED };

enum vm_op { VM_OP_NONE = 0, VM_OP_START, VM_OP_PAUSE, VM_OP_RESUME, VM_OP_STOP, VM_OP_REBOOT,
	     VM_OP_DESTROY };

const char *vm_state_name(enum vm_state s);
const char *vm_op_name(enum vm_op op);
/* Whether op is allowed in state s. */
bool vm_op_allowed(enum vm_op op, enum vm_state s);

#endif
