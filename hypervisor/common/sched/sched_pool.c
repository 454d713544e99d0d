/* CPU pools as scheduler instances: each pool has its own instance of one
 * scheduler, its CPUs and its domains. Which pools exist at boot is
 * cpupool.c's business (the device tree); this file makes, fills and
 * empties them, and moves domains into and between them. */
#include <proxenos/cpupool.h>
#include <proxenos/errno.h>
#include <proxenos/printk.h>
#include <proxenos/sched.h>
#include <proxenos/sched_ops.h>
#include <proxenos/sched_params.h>
#include <proxenos/smp.h>

/* Slot i holds the pool with id i. */
static struct sched_pool pools[MAX_CPUPOOLS];

struct sched_pool *sched_pool_by_id(unsigned int id)
{
    if ((id >= MAX_CPUPOOLS) || (pools[id].ops == NULL)) {
        return NULL;
    }
    return &pools[id];
}

struct sched_pool *sched_pool_create(const struct sched_ops *ops, unsigned int id)
{
    struct sched_pool *p;

    if ((ops == NULL) || (id >= MAX_CPUPOOLS) || (pools[id].ops != NULL)) {
        return NULL;
    }
    p = &pools[id];
    p->ops = ops;
    p->priv = NULL;
    p->cpus = 0U;
    p->id = id;
    if (ops->init_pool(p) != 0) {
        p->ops = NULL;
        return NULL;
    }
    return p;
}

unsigned int sched_pool_domains(const struct sched_pool *p)
{
    unsigned int n = 0U;

    for (struct domain *d = domain_get_next(NULL); d != NULL; d = domain_get_next(d)) {
        if (d->sched_pool == p) {
            n++;
        }
    }
    return n;
}

int sched_pool_destroy(struct sched_pool *p)
{
    if ((p->cpus != 0U) || (sched_pool_domains(p) != 0U)) {
        return -EBUSY;
    }
    p->ops->deinit_pool(p);
    p->ops = NULL;
    p->priv = NULL;
    return 0;
}

void sched_pools_init(void)
{
    const struct sched_ops *ops = sched_ops_by_name(sched_default_name());
    struct sched_pool *p0;

    /* sched_params.c accepts only names this build has. */
    BUG_ON(ops == NULL);
    for (unsigned int i = 0U; i < MAX_CPUPOOLS; i++) {
        if (pools[i].ops != NULL) {
            /* A second sched_init (unit tests): start again from nothing.
             * The caller guarantees no vCPU is left in any pool. */
            for (unsigned int cpu = 0U; cpu < NR_CPUS; cpu++) {
                if (((pools[i].cpus >> cpu) & 1U) != 0U) {
                    pools[i].ops->remove_cpu(&pools[i], cpu);
                }
            }
            pools[i].cpus = 0U;
            pools[i].ops->deinit_pool(&pools[i]);
            pools[i].ops = NULL;
        }
    }
    p0 = sched_pool_create(ops, 0U);
    BUG_ON(p0 == NULL);
    for (unsigned int cpu = 0U; cpu < NR_CPUS; cpu++) {
        if (cpu_online(cpu) && (sched_pool_add_cpu(p0, cpu) != 0)) {
            pr_err("sched: CPU %u could not join Pool-0\n", cpu);
        }
    }
}

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
    }
}

/* Leave the old pool whole, then enter the new one: the vCPUs keep their
 * states (runnable, blocked); their per-pool data is made anew. Each vCPU
 * is off every CPU (the domain is paused), and a vCPU with no scheduler
 * data is ignored by wakes (vcpu_wake), so one woken meanwhile is found
 * runnable when it enters the new pool. */
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
    for (unsigned int i = 0U; i < d->max_vcpus; i++) {
        if ((d->vcpu != NULL) && (d->vcpu[i] != NULL) && sched_vcpu_on_cpu(d->vcpu[i])) {
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
            d->vcpu[i]->hard_affinity = ~0ULL;
            d->vcpu[i]->soft_affinity = ~0ULL;
        }
    }
    rc = sched_add_domain(d);
    for (unsigned int i = 0U; (rc == 0) && (d->vcpu != NULL) && (i < d->max_vcpus); i++) {
        if (d->vcpu[i] != NULL) {
            rc = sched_add_vcpu(d->vcpu[i]);
        }
    }
    return rc;
}
