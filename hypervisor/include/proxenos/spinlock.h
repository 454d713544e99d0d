/* Ticket spinlocks: fair (FIFO) between CPUs, built on compiler atomics so
 * the same code runs in host unit tests. */
#ifndef PROXENOS_SPINLOCK_H
#define PROXENOS_SPINLOCK_H

#include <proxenos/types.h>
#include <proxenos/arch/cpu.h>

typedef struct {
    uint16_t owner;
    uint16_t next;
} spinlock_t;

#define SPINLOCK_INIT { 0U, 0U }

static inline void spin_lock_init(spinlock_t *l)
{
    l->owner = 0U;
    l->next = 0U;
}

static inline void spin_lock(spinlock_t *l)
{
    uint16_t ticket = __atomic_fetch_add(&l->next, (uint16_t)1U, __ATOMIC_RELAXED);

    while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != ticket) {
        arch_cpu_relax();
    }
}

static inline bool spin_trylock(spinlock_t *l)
{
    uint16_t owner = __atomic_load_n(&l->owner, __ATOMIC_RELAXED);
    uint16_t expected = owner;

    return __atomic_compare_exchange_n(&l->next, &expected, (uint16_t)(owner + 1U), false,
                                       __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

static inline void spin_unlock(spinlock_t *l)
{
    __atomic_store_n(&l->owner, (uint16_t)(l->owner + 1U), __ATOMIC_RELEASE);
}

static inline bool spin_is_locked(const spinlock_t *l)
{
    return __atomic_load_n(&l->owner, __ATOMIC_RELAXED) !=
           __atomic_load_n(&l->next, __ATOMIC_RELAXED);
}

static inline unsigned long spin_lock_irqsave(spinlock_t *l)
{
    unsigned long flags = arch_irq_save();

    spin_lock(l);
    return flags;
}

static inline void spin_unlock_irqrestore(spinlock_t *l, unsigned long flags)
{
    spin_unlock(l);
    arch_irq_restore(flags);
}

#endif
