/* CPU pools as scheduler instances: each pool has its own instance of one
 * scheduler, its CPUs, its domains and their vCPUs. Which pools exist at
 * boot is cpupool.c's business (the device tree), and the toolstack's
 * later (sysctl cpupool_op); this file makes, fills and empties them, and
 * moves domains between them. */
#include <proxenos/cpupool.h>
#include <proxenos/errno.h>
#include <proxenos/printk.h>
#include <proxenos/sched.h>
#include <proxenos/sched_ops.h>
#include <proxenos/sched_params.h>
#include <proxenos/smp.h>
#include <proxenos/string.h>
#include "sched_pool.h"

/* A slot is in use when its ops are set; ids are whatever was asked. */
static struct sched_pool pools[MAX_CPUPOOLS];
/* Serialises making and destroying pools (toolstack against toolstack). */
static spinlock_t pools_lock;

struct sched_pool *sched_pool_by_id(unsigned int id)
{
    for (unsigned int i = 0U; i < MAX_CPUPOOLS; i++) {
        if ((__atomic_load_n(&pools[i].ops, __ATOMIC_ACQUIRE) != NULL) && (pools[i].id == id)) {
            return &pools[i];
        }
    }
    return NULL;
}

/* One more than the highest id in use (Xen's choice), under pools_lock. */
static unsigned int next_free_id(void)
{
    unsigned int next = 0U;

    for (unsigned int i = 0U; i < MAX_CPUPOOLS; i++) {
        if ((pools[i].ops != NULL) && (pools[i].id >= next)) {
            next = pools[i].id + 1U;
        }
    }
    return next;
}

int sched_pool_new(const struct sched_ops *ops, unsigned int *id, struct sched_pool **out)
{
    unsigned long flags = spin_lock_irqsave(&pools_lock);
    struct sched_pool *p = NULL;
    int rc;

    if (*id == SCHED_POOL_ID_ANY) {
        *id = next_free_id();
    }
    if (sched_pool_by_id(*id) != NULL) {
        spin_unlock_irqrestore(&pools_lock, flags);
        return -EEXIST;
    }
    for (unsigned int i = 0U; (p == NULL) && (i < MAX_CPUPOOLS); i++) {
        if (pools[i].ops == NULL) {
            p = &pools[i];
        }
    }
    if (p == NULL) {
        spin_unlock_irqrestore(&pools_lock, flags);
        return -ENOSPC;
    }
    (void)memset(p, 0, sizeof(*p));
    spin_lock_init(&p->vcpus_lock);
    p->id = *id;
    rc = ops->init_pool(p);
    if (rc == 0) {
        /* Published last: sched_pool_by_id finds it whole. */
        __atomic_store_n(&p->ops, ops, __ATOMIC_RELEASE);
        *out = p;
    }
    spin_unlock_irqrestore(&pools_lock, flags);
    return rc;
}

struct sched_pool *sched_pool_create(const struct sched_ops *ops, unsigned int id)
{
    struct sched_pool *p = NULL;

    if ((ops == NULL) || (id == SCHED_POOL_ID_ANY) || (sched_pool_new(ops, &id, &p) != 0)) {
        return NULL;
    }
    return p;
}

unsigned int sched_pool_domains(const struct sched_pool *p)
{
    return __atomic_load_n(&p->nr_domains, __ATOMIC_RELAXED);
}

int sched_pool_destroy(struct sched_pool *p)
{
    unsigned long flags = spin_lock_irqsave(&pools_lock);
    const struct sched_ops *ops = p->ops;

    if ((p->cpus != 0U) || (sched_pool_domains(p) != 0U) || (p->vcpus != NULL)) {
        spin_unlock_irqrestore(&pools_lock, flags);
        return -EBUSY;
    }
    __atomic_store_n(&p->ops, NULL, __ATOMIC_RELEASE);
    spin_unlock_irqrestore(&pools_lock, flags);
    ops->deinit_pool(p);
    p->priv = NULL;
    return 0;
}

void sched_init(void)
{
    const struct sched_ops *ops = sched_ops_by_name(sched_default_name());
    struct sched_pool *p0;

    sched_core_init();
    /* sched_params.c accepts only names this build has. */
    BUG_ON(ops == NULL);
    (void)memset(pools, 0, sizeof(pools));
    spin_lock_init(&pools_lock);
    p0 = sched_pool_create(ops, 0U);
    BUG_ON(p0 == NULL);
    for (unsigned int cpu = 0U; cpu < NR_CPUS; cpu++) {
        if (cpu_online(cpu) && (sched_pool_add_cpu(p0, cpu) != 0)) {
            pr_err("sched: CPU %u could not join Pool-0\n", cpu);
        }
    }
}

/* ---- Domains ------------------------------------------------------------------ */

int sched_add_domain(struct domain *d)
{
    struct sched_pool *p = sched_pool_by_id(d->cpupool_id);
    int rc;

    if (p == NULL) {
        return -ENOENT;
    }
    rc = p->ops->alloc_domain(p, d);
    if (rc == 0) {
        d->sched_pool = p;
        __atomic_fetch_add(&p->nr_domains, 1U, __ATOMIC_RELAXED);
    }
    return rc;
}

void sched_remove_domain(struct domain *d)
{
    struct sched_pool *p = d->sched_pool;

    if (p != NULL) {
        p->ops->free_domain(p, d);
        d->sched_dom_priv = NULL;
        d->sched_pool = NULL;
        __atomic_fetch_sub(&p->nr_domains, 1U, __ATOMIC_RELAXED);
    }
}

/* Leave the old pool whole, then enter the new one: the vCPUs keep their
 * states (runnable, blocked); their per-pool data is made anew. The
 * domain is paused, so no vCPU is on a CPU; a wake in between reaches no
 * scheduler (sched_ready is clear) but leaves the vCPU runnable, and the
 * new pool queues it as such. */
int sched_move_domain(struct domain *d, unsigned int pool_id)
{
    struct sched_pool *to = sched_pool_by_id(pool_id);
    struct sched_pool *from = d->sched_pool;
    int rc;

    if (to == NULL) {
        return -ENOENT;
    }
    if (to == from) {
        return 0;
    }
    for (unsigned int i = 0U; (d->vcpu != NULL) && (i < d->max_vcpus); i++) {
        if ((d->vcpu[i] != NULL) && sched_vcpu_on_cpu(d->vcpu[i])) {
            return -EBUSY;
        }
    }
    for (unsigned int i = 0U; (d->vcpu != NULL) && (i < d->max_vcpus); i++) {
        if (d->vcpu[i] != NULL) {
            sched_remove_vcpu(d->vcpu[i]);
        }
    }
    sched_remove_domain(d);
    d->cpupool_id = pool_id;
    /* As Xen does: a domain moved to another pool may run on all its CPUs. */
    for (unsigned int i = 0U; (d->vcpu != NULL) && (i < d->max_vcpus); i++) {
        if (d->vcpu[i] != NULL) {
            __atomic_store_n(&d->vcpu[i]->hard_affinity, ~0ULL, __ATOMIC_RELEASE);
            d->vcpu[i]->soft_affinity = ~0ULL;
        }
    }
    rc = sched_add_domain(d);
    for (unsigned int i = 0U; (rc == 0) && (d->vcpu != NULL) && (i < d->max_vcpus); i++) {
        if (d->vcpu[i] != NULL) {
            rc = sched_readd_vcpu(d->vcpu[i]);
        }
    }
    if (rc != 0) {
        pr_err("d%u: could not join Pool-%u (%d): its vCPUs stay stopped\n", d->domain_id,
               pool_id, rc);
    }
    return rc;
}
