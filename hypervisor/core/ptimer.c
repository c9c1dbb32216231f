/* SPDX-License-Identifier: Apache-2.0 */
#include "core/ptimer.h"
#include "arch/arch.h"
#include "core/vgic.h"
#include "core/vm.h"
#include "lib/string.h"

/* CNTP_* encodings: op0 3, op1 3, CRn 14, CRm 2, op2 (Arm ARM D17.11). */
#define OP2_TVAL 0
#define OP2_CTL 1
#define OP2_CVAL 2

static bool condition_met(const struct ptimer *t, uint64_t now)
{
	return (t->ctl & PTIMER_CTL_ENABLE) && now >= t->cval;
}

void ptimer_update(struct vcpu *v)
{
	struct ptimer *t = &v->ptimer;
	/* ISTATUS raises the line unless IMASK holds it down (D11.2.4). */
	bool line = condition_met(t, arch_counter()) && !(t->ctl & PTIMER_CTL_IMASK);

	if (line != t->line) {
		t->line = line;
		vgic_set_private_level(v, PTIMER_INTID, line);
	}
}

uint64_t ptimer_deadline(const struct vcpu *v)
{
	const struct ptimer *t = &v->ptimer;

	if ((t->ctl & (PTIMER_CTL_ENABLE | PTIMER_CTL_IMASK)) != PTIMER_CTL_ENABLE || t->line ||
	    !vgic_would_signal((struct vcpu *)v, PTIMER_INTID))
		return 0;
	return t->cval ? t->cval : 1;
}

bool ptimer_access(struct vcpu *v, uint32_t op2, bool read, uint64_t *val)
{
	struct ptimer *t = &v->ptimer;
	uint64_t now = arch_counter();

	switch (op2) {
	case OP2_TVAL: /* signed 32-bit view of CVAL - now */
		if (read)
			*val = (uint32_t)(t->cval - now);
		else
			t->cval = now + (uint64_t)(int64_t)(int32_t)*val;
		break;
	case OP2_CTL:
		if (read)
			*val = (t->ctl & (PTIMER_CTL_ENABLE | PTIMER_CTL_IMASK)) |
			       (condition_met(t, now) ? PTIMER_CTL_ISTATUS : 0);
		else
			t->ctl = *val & (PTIMER_CTL_ENABLE | PTIMER_CTL_IMASK);
		break;
	case OP2_CVAL:
		if (read)
			*val = t->cval;
		else
			t->cval = *val;
		break;
	default:
		return false;
	}
	if (!read)
		ptimer_update(v);
	return true;
}

void ptimer_reset(struct vcpu *v)
{
	if (v->ptimer.line)
		vgic_set_private_level(v, PTIMER_INTID, false);
	memset(&v->ptimer, 0, sizeof(v->ptimer));
}
