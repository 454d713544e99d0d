/* RTDS reservations as the toolstack sets and reads them: domctl
 * scheduler_op, in microseconds (xl sched-rtds).
 *
 * putinfo gives every vCPU of the domain the same period and budget;
 * getinfo answers Xen's defaults, not what was set, because vCPUs may
 * differ (getvcpuinfo tells each one). putvcpuinfo and getvcpuinfo walk
 * an array of struct xen_domctl_schedparam_vcpu in the caller's memory
 * and answer in nr_vcpus how many entries they handled; an entry that
 * fails stops the walk with the entries before it done, as on Xen. New
 * parameters take effect at the vCPU's next replenishment. */
#include <proxenos/errno.h>
#include <proxenos/guest_access.h>
#include <proxenos/nospec.h>
#include "rtds.h"

/* Bounds the work of one call; Xen stops at a pending preemption after
 * 64 entries, libxc's loop asks again for the rest. No domain has more
 * vCPUs than this, so a call for all of them is answered in one go. */
#define RTDS_VCPUINFO_BATCH MAX_VCPUS_PER_DOMAIN

/* Xen refuses a per-vCPU budget above its period, and either below 10 us;
 * a period in 32-bit microseconds cannot exceed Xen's maximum. Xen 4.17's
 * putinfo checks only that neither is 0 and leaves the rest to libxl:
 * here it is held to the same rules, so that no CPU is ever asked for more
 * than all of its time. */
static bool rtds_params_valid(const struct xen_domctl_sched_rtds *r)
{
    s_time_t period = MICROSECS(r->period);
    s_time_t budget = MICROSECS(r->budget);

    return (period >= RTDS_MIN_PERIOD) && (budget >= RTDS_MIN_BUDGET) && (budget <= period);
}

static struct rtds_vcpu *rtds_vcpu_by_id(const struct domain *d, uint32_t id)
{
    const struct vcpu *v;

    if (id >= d->max_vcpus) {
        return NULL;
    }
    v = d->vcpu[array_index_nospec(id, d->max_vcpus)];
    return (v != NULL) ? rtds_vcpu_of(v) : NULL;
}

static void rtds_set(struct rtds_vcpu *sv, const struct xen_domctl_sched_rtds *r)
{
    sv->period = MICROSECS(r->period);
    sv->budget = MICROSECS(r->budget);
}

static long rtds_putinfo(struct rtds_pool *rp, struct domain *d,
                         const struct xen_domctl_sched_rtds *r)
{
    unsigned long flags;

    if (!rtds_params_valid(r)) {
        return -EINVAL;
    }
    flags = spin_lock_irqsave(&rp->lock);
    for (unsigned int i = 0U; i < d->max_vcpus; i++) {
        struct rtds_vcpu *sv = rtds_vcpu_by_id(d, i);

        if (sv != NULL) {
            rtds_set(sv, r);
        }
    }
    spin_unlock_irqrestore(&rp->lock, flags);
    return 0;
}

/* One entry of the array: read (get) or apply (put) in place. */
static long rtds_vcpu_entry(struct rtds_pool *rp, struct domain *d, uint32_t cmd,
                            struct xen_domctl_schedparam_vcpu *e)
{
    struct xen_domctl_sched_rtds *r = &e->u.rtds;
    struct rtds_vcpu *sv = rtds_vcpu_by_id(d, e->vcpuid);
    unsigned long flags;

    if (sv == NULL) {
        return -EINVAL;
    }
    if ((cmd == XEN_DOMCTL_SCHEDOP_putvcpuinfo) && !rtds_params_valid(r)) {
        return -EINVAL;
    }
    flags = spin_lock_irqsave(&rp->lock);
    if (cmd == XEN_DOMCTL_SCHEDOP_putvcpuinfo) {
        rtds_set(sv, r);
        sv->extratime = (r->flags & XEN_DOMCTL_SCHEDRT_extra) != 0U;
    } else {
        r->period = (uint32_t)(sv->period / MICROSECS(1));
        r->budget = (uint32_t)(sv->budget / MICROSECS(1));
        if (sv->extratime) {
            r->flags |= XEN_DOMCTL_SCHEDRT_extra;
        } else {
            r->flags &= ~XEN_DOMCTL_SCHEDRT_extra;
        }
    }
    spin_unlock_irqrestore(&rp->lock, flags);
    return 0;
}

static long rtds_vcpuinfo(struct rtds_pool *rp, struct domain *d,
                          struct xen_domctl_scheduler_op *op)
{
    const uint64_t size = sizeof(struct xen_domctl_schedparam_vcpu);
    uint32_t n = op->u.v.nr_vcpus;
    uint32_t done = 0U;

    if (n > RTDS_VCPUINFO_BATCH) {
        n = RTDS_VCPUINFO_BATCH;
    }
    for (; done < n; done++) {
        struct xen_domctl_schedparam_vcpu e;
        uint64_t gva = op->u.v.vcpus + ((uint64_t)done * size);
        long rc;

        if (copy_from_guest(&e, gva, sizeof(e)) != 0) {
            return -EFAULT;
        }
        rc = rtds_vcpu_entry(rp, d, op->cmd, &e);
        if (rc != 0) {
            return rc;
        }
        if ((op->cmd == XEN_DOMCTL_SCHEDOP_getvcpuinfo) &&
            (copy_to_guest(gva, &e, sizeof(e)) != 0)) {
            return -EFAULT;
        }
    }
    op->u.v.nr_vcpus = done;
    return 0;
}

long rtds_adjust(struct sched_pool *p, struct domain *d, struct xen_domctl_scheduler_op *op)
{
    struct rtds_pool *rp = p->priv;

    switch (op->cmd) {
    case XEN_DOMCTL_SCHEDOP_getinfo:
        op->u.rtds.period = (uint32_t)(RTDS_DEFAULT_PERIOD / MICROSECS(1));
        op->u.rtds.budget = (uint32_t)(RTDS_DEFAULT_BUDGET / MICROSECS(1));
        return 0;
    case XEN_DOMCTL_SCHEDOP_putinfo:
        return rtds_putinfo(rp, d, &op->u.rtds);
    case XEN_DOMCTL_SCHEDOP_getvcpuinfo:
    case XEN_DOMCTL_SCHEDOP_putvcpuinfo:
        return rtds_vcpuinfo(rp, d, op);
    default:
        return -EINVAL;
    }
}
