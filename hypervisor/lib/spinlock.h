/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A test-and-test-and-set spinlock. Without LSE (-mno-outline-atomics) the exchange is an
 * LDAXR/STXR loop; waiters spin on plain loads so they do not keep stealing the line.
 * Not fair and not recursive; keep critical sections short.
 */
#ifndef FTVISOR_LIB_SPINLOCK_H
#define FTVISOR_LIB_SPINLOCK_H

#include "lib/compiler.h"

struct spinlock {
	uint32_t v;	/* 0 free, 1 held */
};

#define SPINLOCK_INIT { 0 }

static inline void spin_lock_init(struct spinlock *l)
{
	__atomic_store_n(&l->v, 0, __ATOMIC_RELAXED);
}

static inline void spin_lock(struct spinlock *l)
{
	while (__atomic_exchange_n(&l->v, 1, __ATOMIC_ACQUIRE)) {
		while (__atomic_load_n(&l->v, __ATOMIC_RELAXED))
			cpu_relax();
	}
}

static inline bool spin_trylock(struct spinlock *l)
{
	return !__atomic_exchange_n(&l->v, 1, __ATOMIC_ACQUIRE);
}

static inline void spin_unlock(struct spinlock *l)
{
	__atomic_store_n(&l->v, 0, __ATOMIC_RELEASE);
}

#endif
