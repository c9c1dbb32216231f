/* SPDX-License-Identifier: Apache-2.0 */
#include "core/sched.h"
#include "core/vm.h"

struct vcpu *sched_next(struct pcpu *c)
{
	struct vcpu *v = c->vcpu;

	if (v && __atomic_load_n(&v->power, __ATOMIC_ACQUIRE) == VCPU_ON_PENDING &&
	    !__atomic_load_n(&v->stop_request, __ATOMIC_ACQUIRE))
		return v;
	return NULL;
}
