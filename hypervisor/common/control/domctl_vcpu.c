/* A domain's vCPUs as the toolstack manages them: their number
 * (max_vcpus), where they may run (setvcpuaffinity, getvcpuaffinity) and
 * what they are doing (getvcpuinfo). Every vCPU id is checked against the
 * domain's count and masked against speculation before it is used. */
#include "control.h"
#include <proxenos/cpupool.h>
#include <proxenos/errno.h>
#include <proxenos/hostinfo.h>
#include <proxenos/nospec.h>
#include <proxenos/runstate.h>
#include <proxenos/sched.h>
#include <proxenos/smp.h>

static unsigned int nr_cpu_ids(void)
{
    unsigned int n = hostinfo()->nr_cpu_ids;

    return (n != 0U) ? n : 1U;
}

/* vCPU id of d: -EINVAL past its count, -ESRCH for a slot with no vCPU
 * (Xen's answers). */
static int get_vcpu(struct domain *d, uint32_t id, struct vcpu **out)
{
    if (id >= d->max_vcpus) {
        return -EINVAL;
    }
    *out = d->vcpu[array_index_nospec(id, d->max_vcpus)];
    return (*out != NULL) ? 0 : -ESRCH;
}

long domctl_max_vcpus(struct xen_domctl *op, struct domain *d, const struct control_caller *c)
{
    /* Xen 4.17 creates the vCPUs at createdomain and only accepts the same
     * number again here (any number of times); so does Proxenos. */
    if ((d == c->d) || (op->u.max_vcpus.max != d->max_vcpus)) {
        return -EINVAL;
    }
    return 0;
}

/* The online CPUs of d's pool (Xen's cpupool_domain_master_cpumask). */
static uint64_t pool_cpus(const struct domain *d)
{
    struct cpupool_info info;
    uint64_t online = 0U;

    for (unsigned int cpu = 0U; cpu < NR_CPUS; cpu++) {
        if (cpu_online(cpu)) {
            online |= 1ULL << cpu;
        }
    }
    if (cpupool_info(d->cpupool_id, &info) && (info.id == d->cpupool_id)) {
        online &= info.cpus;
    }
    return online;
}

static long set_hard(struct vcpu *v, struct xenctl_bitmap *map, uint64_t online)
{
    uint64_t mask;
    int rc = control_bitmap_from_guest(map, nr_cpu_ids(), &mask);

    if (rc != 0) {
        return rc;
    }
    if ((mask & online) == 0U) {
        return -EINVAL;
    }
    __atomic_store_n(&v->hard_affinity, mask, __ATOMIC_RELEASE);
    /* What the scheduler will use: the new mask within the pool. */
    return control_bitmap_to_guest(map, mask & online, nr_cpu_ids());
}

static long set_soft(struct vcpu *v, struct xenctl_bitmap *map, uint64_t online)
{
    uint64_t mask;
    int rc = control_bitmap_from_guest(map, nr_cpu_ids(), &mask);

    if (rc != 0) {
        return rc;
    }
    v->soft_affinity = mask;
    return control_bitmap_to_guest(map, mask & online & v->hard_affinity, nr_cpu_ids());
}

/* Hard then soft, as Xen: a soft mask that fails puts the hard one back,
 * since the caller expects nothing to have changed. */
static long set_affinity(struct vcpu *v, struct xen_domctl_vcpuaffinity *va, bool hard, bool soft,
                         uint64_t online)
{
    uint64_t old_hard = v->hard_affinity;
    long rc = 0;

    if (hard) {
        rc = set_hard(v, &va->cpumap_hard, online);
    }
    if ((rc == 0) && soft) {
        rc = set_soft(v, &va->cpumap_soft, online);
        if (rc != 0) {
            __atomic_store_n(&v->hard_affinity, old_hard, __ATOMIC_RELEASE);
        }
    }
    return rc;
}

long domctl_vcpuaffinity(struct xen_domctl *op, struct domain *d, const struct control_caller *c)
{
    struct xen_domctl_vcpuaffinity *va = &op->u.vcpuaffinity;
    bool hard = (va->flags & XEN_VCPUAFFINITY_HARD) != 0U;
    bool soft = (va->flags & XEN_VCPUAFFINITY_SOFT) != 0U;
    struct vcpu *v = NULL;
    long rc = get_vcpu(d, va->vcpu, &v);

    (void)c;
    if (rc != 0) {
        return rc;
    }
    if ((va->flags == 0U) || (hard && (va->cpumap_hard.bitmap == 0U)) ||
        (soft && (va->cpumap_soft.bitmap == 0U))) {
        return -EINVAL;
    }
    if (op->cmd == XEN_DOMCTL_getvcpuaffinity) {
        /* The masks as set, not intersected with anything. */
        if (hard) {
            rc = control_bitmap_to_guest(&va->cpumap_hard, v->hard_affinity, nr_cpu_ids());
        }
        if (soft) {
            rc = control_bitmap_to_guest(&va->cpumap_soft, v->soft_affinity, nr_cpu_ids());
        }
        return rc;
    }
    /* XEN_VCPUAFFINITY_FORCE undoes a SCHEDOP_pin_override, which
     * Proxenos does not implement: there is nothing to undo. */
    rc = set_affinity(v, va, hard, soft, pool_cpus(d));
    if (rc == 0) {
        /* Its CPU no longer allowed: it moves (the caller's own vCPUs
         * too, as on Xen, once their CPU has switched away from them). */
        rc = sched_move_vcpu(v);
    }
    return rc;
}

long domctl_getvcpuinfo(struct xen_domctl *op, struct domain *d, const struct control_caller *c)
{
    struct xen_domctl_getvcpuinfo *vi = &op->u.getvcpuinfo;
    struct vcpu_runstate_info rs;
    struct vcpu *v = NULL;
    long rc = get_vcpu(d, vi->vcpu, &v);

    (void)c;
    if (rc != 0) {
        return rc;
    }
    vcpu_runstate_get(v, true, &rs);
    vi->online = (v->state != VCPU_OFFLINE) ? 1U : 0U;
    vi->blocked = (v->state == VCPU_BLOCKED) ? 1U : 0U;
    vi->running = (v->state == VCPU_RUNNING) ? 1U : 0U;
    vi->cpu_time = rs.time[RUNSTATE_running];
    vi->cpu = v->processor;
    return 0;
}
