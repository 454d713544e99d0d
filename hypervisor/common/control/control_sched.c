/* Schedulers and CPU pools as the toolstack sees them: sysctl sched_id
 * (the default scheduler), sysctl cpupool_op (the boot-time pools of
 * common/sched/cpupool.c), sysctl and domctl scheduler_op (handed to the
 * pool's scheduler: sched_ops.h) and domctl set/getnodeaffinity (NUMA
 * placement, with Xen on Arm's single node). Pools are made, filled,
 * emptied and destroyed as Xen 4.17's toolstack asks, with Xen's answers;
 * a CPU that still has vCPUs leaving it answers -EAGAIN, which Xen's
 * toolstack retries. */
#include "control.h"
#include <proxenos/cpupool.h>
#include <proxenos/errno.h>
#include <proxenos/hostinfo.h>
#include <proxenos/sched.h>
#include <proxenos/sched_ops.h>
#include <proxenos/sched_params.h>
#include <proxenos/smp.h>
#include <proxenos/string.h>

uint32_t control_sched_id(const char *name)
{
    const struct sched_ops *ops = sched_ops_by_name(name);

    return (ops != NULL) ? ops->sched_id : 0U;
}

long sysctl_sched_id(struct xen_sysctl *op, const struct control_caller *c)
{
    (void)c;
    op->u.sched_id.sched_id = control_sched_id(sched_default_name());
    return 0;
}

static unsigned int nr_cpu_ids(void)
{
    unsigned int n = hostinfo()->nr_cpu_ids;

    return (n != 0U) ? n : 1U;
}

/* Domains in pool id. */
static uint32_t pool_domains(unsigned int id)
{
    uint32_t n = 0U;

    for (struct domain *d = domain_get_next(NULL); d != NULL; d = domain_get_next(d)) {
        if (d->cpupool_id == id) {
            n++;
        }
    }
    return n;
}

static long pool_info(struct xen_sysctl_cpupool_op *p)
{
    struct cpupool_info info;

    if (!cpupool_info(p->cpupool_id, &info)) {
        return -ENOENT;
    }
    p->cpupool_id = info.id;
    p->sched_id = control_sched_id(info.sched);
    p->n_dom = pool_domains(info.id);
    return control_bitmap_to_guest(&p->cpumap, info.cpus, nr_cpu_ids());
}

/* Online CPUs in no pool. */
static uint64_t free_cpus(void)
{
    uint64_t cpus = 0U;

    for (unsigned int cpu = 0U; cpu < nr_cpu_ids(); cpu++) {
        if (cpu_online(cpu) && (sched_pcpu(cpu)->pool == NULL)) {
            cpus |= 1ULL << cpu;
        }
    }
    return cpus;
}

static long pool_create(struct xen_sysctl_cpupool_op *p)
{
    const struct sched_ops *ops = sched_ops_by_id(p->sched_id);
    unsigned int id = (p->cpupool_id == XEN_SYSCTL_CPUPOOL_PAR_ANY) ? SCHED_POOL_ID_ANY
                                                                    : p->cpupool_id;
    struct sched_pool *pool;
    int rc;

    if (ops == NULL) {
        return -ENOENT;     /* Xen: no scheduler with that id */
    }
    rc = sched_pool_new(ops, &id, &pool);
    if (rc == 0) {
        p->cpupool_id = id;
    }
    return rc;
}

static long pool_destroy(const struct xen_sysctl_cpupool_op *p)
{
    struct sched_pool *pool = sched_pool_by_id(p->cpupool_id);

    return (pool != NULL) ? sched_pool_destroy(pool) : -ENOENT;
}

static long pool_addcpu(const struct xen_sysctl_cpupool_op *p)
{
    struct sched_pool *pool = sched_pool_by_id(p->cpupool_id);
    uint64_t avail = free_cpus();
    unsigned int cpu = p->cpu;

    if (pool == NULL) {
        return -ENOENT;
    }
    if (cpu == XEN_SYSCTL_CPUPOOL_PAR_ANY) {
        if (avail == 0U) {
            return -ENODEV;
        }
        cpu = (unsigned int)__builtin_ctzll(avail);
    }
    if (cpu >= nr_cpu_ids()) {
        return -EINVAL;
    }
    if (((avail >> cpu) & 1U) == 0U) {
        return -ENODEV;     /* in a pool already, or offline */
    }
    return sched_pool_add_cpu(pool, cpu);
}

static long pool_rmcpu(const struct xen_sysctl_cpupool_op *p)
{
    struct sched_pool *pool = sched_pool_by_id(p->cpupool_id);
    unsigned int cpu = p->cpu;

    if (pool == NULL) {
        return -ENOENT;
    }
    if (cpu == XEN_SYSCTL_CPUPOOL_PAR_ANY) {
        cpu = (pool->cpus != 0U) ? (63U - (unsigned int)__builtin_clzll(pool->cpus)) : NR_CPUS;
    }
    if (cpu >= nr_cpu_ids()) {
        return -EINVAL;
    }
    /* CPU 0 stays in Pool-0 (Xen's rule), and only an online CPU moves. */
    if (((pool->id == 0U) && (cpu == 0U)) || !cpu_online(cpu)) {
        return -EINVAL;
    }
    /* A CPU still leaving (an earlier call answered -EAGAIN) is p's too. */
    if (sched_pcpu(cpu)->pool != pool) {
        return -EADDRNOTAVAIL;
    }
    /* The last CPU of a pool with domains stays: Xen moves only dying
     * domains out of the way. */
    if ((pool->cpus == (1ULL << cpu)) && (sched_pool_domains(pool) != 0U)) {
        return -EBUSY;
    }
    return sched_pool_remove_cpu(pool, cpu);
}

static long pool_movedomain(const struct xen_sysctl_cpupool_op *p, const struct domain *caller)
{
    struct sched_pool *pool;
    struct domain *d;
    long rc;

    /* Xen takes the id as a domid_t (the low 16 bits) and looks it up as
     * a remote domain: the caller itself is -EPERM. */
    d = domain_get_by_id((domid_t)p->domid);
    if (d == NULL) {
        return -ESRCH;
    }
    if (d == caller) {
        domain_put(d);
        return -EPERM;
    }
    pool = sched_pool_by_id(p->cpupool_id);
    if (d->cpupool_id == p->cpupool_id) {
        rc = 0;
    } else if ((pool == NULL) || (pool->cpus == 0U)) {
        rc = -ENOENT;
    } else {
        domain_pause(d);
        rc = sched_move_domain(d, pool->id);
        domain_unpause(d);
    }
    domain_put(d);
    return rc;
}

long sysctl_cpupool_op(struct xen_sysctl *op, const struct control_caller *c)
{
    struct xen_sysctl_cpupool_op *p = &op->u.cpupool_op;

    switch (p->op) {
    case XEN_SYSCTL_CPUPOOL_OP_INFO:
        return pool_info(p);
    case XEN_SYSCTL_CPUPOOL_OP_FREEINFO:
        return control_bitmap_to_guest(&p->cpumap, free_cpus(), nr_cpu_ids());
    case XEN_SYSCTL_CPUPOOL_OP_CREATE:
        return pool_create(p);
    case XEN_SYSCTL_CPUPOOL_OP_DESTROY:
        return pool_destroy(p);
    case XEN_SYSCTL_CPUPOOL_OP_ADDCPU:
        return pool_addcpu(p);
    case XEN_SYSCTL_CPUPOOL_OP_RMCPU:
        return pool_rmcpu(p);
    case XEN_SYSCTL_CPUPOOL_OP_MOVEDOMAIN:
        return pool_movedomain(p, c->d);
    default:
        return -ENOSYS;
    }
}

long domctl_scheduler_op(struct xen_domctl *op, struct domain *d, const struct control_caller *c)
{
    struct xen_domctl_scheduler_op *s = &op->u.scheduler_op;
    struct sched_pool *p = sched_pool_by_id(d->cpupool_id);

    (void)c;
    if ((p == NULL) || (s->sched_id != p->ops->sched_id) ||
        (s->cmd > XEN_DOMCTL_SCHEDOP_getvcpuinfo)) {
        return -EINVAL;
    }
    /* A scheduler without parameters (null): Xen answers 0, changing
     * nothing. Each scheduler takes its own locks. */
    return (p->ops->adjust != NULL) ? p->ops->adjust(p, d, s) : 0;
}

long sysctl_scheduler_op(struct xen_sysctl *op, const struct control_caller *c)
{
    struct xen_sysctl_scheduler_op *s = &op->u.scheduler_op;
    struct sched_pool *p;

    (void)c;
    if ((s->cmd != XEN_SYSCTL_SCHEDOP_putinfo) && (s->cmd != XEN_SYSCTL_SCHEDOP_getinfo)) {
        return -EINVAL;
    }
    p = sched_pool_by_id(s->cpupool_id);
    if (p == NULL) {
        return -ESRCH;
    }
    if (s->sched_id != p->ops->sched_id) {
        return -EINVAL;
    }
    /* Without scheduler-wide parameters, Xen answers 0 too. */
    return (p->ops->adjust_global != NULL) ? p->ops->adjust_global(p, s) : 0;
}

/* Xen 4.17 on Arm without NUMA: MAX_NUMNODES is 1, node 0 is online. */
#define NR_NODE_IDS 1U

long domctl_nodeaffinity(struct xen_domctl *op, struct domain *d, const struct control_caller *c)
{
    uint64_t nodes = 0U;
    long rc;

    (void)d;
    (void)c;
    if (op->cmd == XEN_DOMCTL_getnodeaffinity) {
        /* Whatever was set, it can only be node 0. */
        return control_bitmap_to_guest(&op->u.nodeaffinity.nodemap, 1U, NR_NODE_IDS);
    }
    rc = control_bitmap_from_guest(&op->u.nodeaffinity.nodemap, NR_NODE_IDS, &nodes);
    /* A mask without an online node is refused; with node 0, there is
     * nothing to change. */
    if ((rc == 0) && ((nodes & 1U) == 0U)) {
        rc = -EINVAL;
    }
    return rc;
}
