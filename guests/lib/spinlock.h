/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Test-and-set spinlock with exclusives. Exclusives are only guaranteed on cacheable Normal
 * memory: with the MMU off every access is Device memory, where real SoCs may answer a
 * load-exclusive with an abort. So the lock is only taken with the MMU on; guests that run
 * with it off have a single vCPU and need no lock.
 */
#ifndef GUEST_SPINLOCK_H
#define GUEST_SPINLOCK_H

#include "sysreg.h"

typedef struct {
	uint32_t v;
} spinlock_t;

/* One attempt; true when the lock was free and is now ours. */
static inline bool spin_trylock(spinlock_t *l)
{
	uint32_t old, fail;

	asm volatile(
	"	ldaxr	%w0, [%2]\n"
	"	cbnz	%w0, 1f\n"
	"	stxr	%w1, %w3, [%2]\n"
	"	cbz	%w1, 2f\n"
	"1:	clrex\n"
	"	mov	%w0, #1\n"
	"2:\n"
	: "=&r"(old), "=&r"(fail)
	: "r"(&l->v), "r"(1)
	: "memory");
	return old == 0;
}

static inline void spin_lock(spinlock_t *l)
{
	while (!spin_trylock(l))
		asm volatile("yield");
}

static inline void spin_unlock(spinlock_t *l)
{
	asm volatile("stlr wzr, [%0]" :: "r"(&l->v) : "memory");
}

#endif
