/*
 * Ticket lock for the few structures vCPUs share (the console). Uses
 * LDAXR/STLXR through the GCC atomics, which is only sound because
 * mmu.S maps RAM as Normal write-back before any of this runs.
 */
#ifndef GUEST_SPINLOCK_H
#define GUEST_SPINLOCK_H

#include <stdint.h>

#include "sysreg.h"

struct spinlock {
    uint32_t next;
    uint32_t owner;
};

#define SPINLOCK_INIT { 0U, 0U }

static inline void spin_lock(struct spinlock *l)
{
    uint32_t ticket = __atomic_fetch_add(&l->next, 1U, __ATOMIC_RELAXED);

    while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != ticket) {
        cpu_relax();
    }
}

static inline void spin_unlock(struct spinlock *l)
{
    uint32_t owner = __atomic_load_n(&l->owner, __ATOMIC_RELAXED);

    __atomic_store_n(&l->owner, owner + 1U, __ATOMIC_RELEASE);
}

#endif
