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
#include <proxenos/string.h>

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
    return __atomic_load_n(&p->nr_domains, __ATOMIC_RELAXED);
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
    (void)memset(pools, 0, sizeof(pools));
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
