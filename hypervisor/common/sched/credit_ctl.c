/* The credit scheduler's parameters: the command line (sched_credit_tslice_ms,
 * sched_ratelimit_us, vcpu_migration_delay), a domain's weight and cap
 * (XEN_DOMCTL_scheduler_op), the pool's slice, rate limit and migration
 * delay (XEN_SYSCTL_scheduler_op), with Xen 4.17's ranges and answers;
 * and the 'r' key's lines. */
#include <proxenos/cmdline.h>
#include <proxenos/errno.h>
#include <proxenos/printk.h>
#include <proxenos/sched_params.h>
#include "credit.h"

static uint32_t credit_tslice_ms = CREDIT_DEFAULT_TSLICE_MS;
PARAM_UINT("sched_credit_tslice_ms", credit_tslice_ms);
static uint32_t credit_migr_delay_us;
PARAM_UINT("vcpu_migration_delay", credit_migr_delay_us);

void credit_set_tslice(struct credit_pool *prv, unsigned int tslice_ms)
{
    prv->tslice = MILLISECS(tslice_ms);
    prv->ticks_per_tslice = (tslice_ms < CREDIT_TICKS_PER_TSLICE) ? 1U : CREDIT_TICKS_PER_TSLICE;
    prv->tick_period = MICROSECS((tslice_ms * 1000U) / prv->ticks_per_tslice);
    prv->credits_per_tslice = (uint32_t)CREDIT_PER_MSEC * tslice_ms;
    prv->credit = prv->credits_per_tslice * prv->ncpus;
}

/* Out of range values fall back as on Xen, with its warnings: a bad slice
 * or migration delay is reset for good (so that later pools say nothing),
 * a rate limit longer than the slice is cut to it in each pool. */
void credit_boot_params(struct credit_pool *prv)
{
    static bool ratelimit_warned;

    if ((credit_tslice_ms > XEN_SYSCTL_CSCHED_TSLICE_MAX) ||
        (credit_tslice_ms < XEN_SYSCTL_CSCHED_TSLICE_MIN)) {
        pr_warn("WARNING: sched_credit_tslice_ms outside of valid range [%u,%u].\n"
                " Resetting to default %u\n",
                XEN_SYSCTL_CSCHED_TSLICE_MIN, XEN_SYSCTL_CSCHED_TSLICE_MAX,
                CREDIT_DEFAULT_TSLICE_MS);
        credit_tslice_ms = CREDIT_DEFAULT_TSLICE_MS;
    }
    if (credit_migr_delay_us > XEN_SYSCTL_CSCHED_MGR_DLY_MAX_US) {
        pr_warn("WARNING: vcpu_migration_delay outside of valid range [0,%u]us.\n"
                "Resetting to default: 0\n",
                XEN_SYSCTL_CSCHED_MGR_DLY_MAX_US);
        credit_migr_delay_us = 0U;
    }
    credit_set_tslice(prv, credit_tslice_ms);
    if (MICROSECS(sched_ratelimit_us) > MILLISECS(credit_tslice_ms)) {
        if (!ratelimit_warned) {
            pr_warn("WARNING: sched_ratelimit_us >sched_credit_tslice_ms is undefined\n"
                    "Setting ratelimit to tslice\n");
            ratelimit_warned = true;
        }
        prv->ratelimit = prv->tslice;
    } else {
        prv->ratelimit = MICROSECS(sched_ratelimit_us);
    }
    prv->migr_delay = MICROSECS(credit_migr_delay_us);
}

/* Weight 0 leaves the weight, cap 0xffff the cap; anything else is taken
 * as it is (the hypervisor has no upper bound on the cap: xl checks it
 * against 100 per vCPU). Other commands (the per-vCPU ones) are not
 * credit's: -EINVAL. */
long credit_adjust(struct sched_pool *p, struct domain *d, struct xen_domctl_scheduler_op *op)
{
    struct credit_pool *prv = p->priv;
    struct credit_dom *sdom = d->sched_dom_priv;
    unsigned long flags;
    long rc = 0;

    /* Not (yet) in this pool: the core makes a domain's scheduler data
     * with its first vCPU. */
    if ((sdom == NULL) || (d->sched_pool != p)) {
        return -EINVAL;
    }
    flags = spin_lock_irqsave(&prv->lock);
    switch (op->cmd) {
    case XEN_DOMCTL_SCHEDOP_getinfo:
        op->u.credit.weight = sdom->weight;
        op->u.credit.cap = sdom->cap;
        break;
    case XEN_DOMCTL_SCHEDOP_putinfo:
        if (op->u.credit.weight != 0U) {
            if (!credit_link_empty(&sdom->active_elem)) {
                prv->weight -= (uint32_t)sdom->weight * sdom->active_count;
                prv->weight += (uint32_t)op->u.credit.weight * sdom->active_count;
            }
            sdom->weight = op->u.credit.weight;
        }
        if (op->u.credit.cap != UINT16_MAX) {
            sdom->cap = op->u.credit.cap;
        }
        break;
    default:
        rc = -EINVAL;
        break;
    }
    spin_unlock_irqrestore(&prv->lock, flags);
    return rc;
}

static bool global_params_valid(const struct xen_sysctl_credit_schedule *params)
{
    uint32_t rl = params->ratelimit_us;

    return (params->tslice_ms <= XEN_SYSCTL_CSCHED_TSLICE_MAX) &&
           (params->tslice_ms >= XEN_SYSCTL_CSCHED_TSLICE_MIN) &&
           ((rl == 0U) ||
            ((rl <= XEN_SYSCTL_SCHED_RATELIMIT_MAX) && (rl >= XEN_SYSCTL_SCHED_RATELIMIT_MIN))) &&
           (MICROSECS(rl) <= MILLISECS(params->tslice_ms)) &&
           (params->vcpu_migr_delay_us <= XEN_SYSCTL_CSCHED_MGR_DLY_MAX_US);
}

/* putinfo sets all three and answers with them, as getinfo does; a rate
 * limit may be 0 (off) but never longer than the slice. */
long credit_adjust_global(struct sched_pool *p, struct xen_sysctl_scheduler_op *op)
{
    struct credit_pool *prv = p->priv;
    struct xen_sysctl_credit_schedule *params = &op->u.sched_credit;
    unsigned long flags;

    if ((op->cmd != XEN_SYSCTL_SCHEDOP_putinfo) && (op->cmd != XEN_SYSCTL_SCHEDOP_getinfo)) {
        return -EINVAL;
    }
    flags = spin_lock_irqsave(&prv->lock);
    if (op->cmd == XEN_SYSCTL_SCHEDOP_putinfo) {
        if (!global_params_valid(params)) {
            spin_unlock_irqrestore(&prv->lock, flags);
            return -EINVAL;
        }
        credit_set_tslice(prv, params->tslice_ms);
        if ((prv->ratelimit == 0) && (params->ratelimit_us != 0U)) {
            pr_info("Enabling context switch rate limiting\n");
        } else if ((prv->ratelimit != 0) && (params->ratelimit_us == 0U)) {
            pr_info("Disabling context switch rate limiting\n");
        } else {
            /* No change of state to tell. */
        }
        prv->ratelimit = MICROSECS(params->ratelimit_us);
        prv->migr_delay = MICROSECS(params->vcpu_migr_delay_us);
    }
    params->tslice_ms = (uint32_t)(prv->tslice / MILLISECS(1));
    params->ratelimit_us = (uint32_t)(prv->ratelimit / MICROSECS(1));
    params->vcpu_migr_delay_us = (uint32_t)(prv->migr_delay / MICROSECS(1));
    spin_unlock_irqrestore(&prv->lock, flags);
    return 0;
}

/* Xen's flag bits, as its dump shows them. */
#define DUMP_FLAG_PARKED 0x1U
#define DUMP_FLAG_YIELD  0x2U

/* pos 0: the running vCPU; else its place in the queue. */
static void dump_vcpu(unsigned int pos, const struct credit_vcpu *svc)
{
    const struct vcpu *v = svc->v;
    unsigned int flags = (credit_parked(svc) ? DUMP_FLAG_PARKED : 0U) |
                         (svc->yielding ? DUMP_FLAG_YIELD : 0U);
    unsigned int id = v->domain->domain_id;
    int pri = credit_pri(svc);
    int credit = credit_of(svc);
    unsigned int weight = svc->sdom->weight;
    unsigned int cap = svc->sdom->cap;

    if (pos == 0U) {
        pr_info("\trun: [%u.%u] pri=%d flags=%x cpu=%u credit=%d [w=%u,cap=%u]\n", id,
                v->vcpu_id, pri, flags, v->processor, credit, weight, cap);
    } else {
        pr_info("\t%3u: [%u.%u] pri=%d flags=%x cpu=%u credit=%d [w=%u,cap=%u]\n", pos, id,
                v->vcpu_id, pri, flags, v->processor, credit, weight, cap);
    }
}

/* The CPU's lock is held; the pool lock (inside it) keeps weights and caps
 * still while they are printed. */
void credit_dump_cpu(struct sched_pool *p, unsigned int cpu)
{
    struct credit_pool *prv = p->priv;
    struct sched_pcpu *pcpu = sched_pcpu(cpu);
    struct credit_pcpu *spc = pcpu->priv;
    unsigned int n = 0U;
    bool idle = ((__atomic_load_n(&prv->idlers, __ATOMIC_RELAXED) >> cpu) & 1U) != 0U;
    unsigned long flags = spin_lock_irqsave(&prv->lock);

    /* The pool's settings once, with its first CPU (Xen's dump_settings). */
    if (credit_cycle(NR_CPUS - 1U, prv->cpus) == cpu) {
        pr_info("credit: ncpus=%u master=%u credit=%u balance=%d weight=%u tslice=%ums "
                "ratelimit=%uus migration delay=%uus ticks per tslice=%u\n",
                prv->ncpus, prv->master, prv->credit, (int)prv->credit_balance, prv->weight,
                (unsigned int)(prv->tslice / MILLISECS(1)),
                (unsigned int)(prv->ratelimit / MICROSECS(1)),
                (unsigned int)(prv->migr_delay / MICROSECS(1)), prv->ticks_per_tslice);
    }
    pr_info("CPU[%02u] nr_run=%u, sort=%u, idler=%u\n", cpu, spc->nr_runnable,
            spc->runq_sort_last, idle ? 1U : 0U);
    if (pcpu->curr != NULL) {
        dump_vcpu(0U, credit_vcpu_of(pcpu->curr));
    }
    for (struct credit_link *l = spc->runq.next; l != &spc->runq; l = l->next) {
        n++;
        dump_vcpu(n, container_of(l, struct credit_vcpu, runq_elem));
    }
    spin_unlock_irqrestore(&prv->lock, flags);
}
