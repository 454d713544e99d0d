/* The credit scheduler's accounting: every period (one time slice) the
 * pool's credit is shared among the active vCPUs (those that ran since
 * they last had plenty) by their domains' weights, within each domain's
 * cap, and each vCPU's priority follows its balance. Xen 4.17's
 * csched_acct, rounding included. Runs from the master CPU's timer with no
 * CPU lock held; see credit.h for the locks. */
#include <proxenos/lib.h>
#include "credit.h"

static struct credit_dom *dom_entry(struct credit_link *l)
{
    return container_of(l, struct credit_dom, active_elem);
}

static struct credit_vcpu *vcpu_entry(struct credit_link *l)
{
    return container_of(l, struct credit_vcpu, active_elem);
}

static uint64_t div_up(uint64_t n, uint64_t d)
{
    return (n + d - 1U) / d;
}

void credit_burn(struct credit_vcpu *svc, s_time_t now)
{
    s_time_t delta = now - svc->start_time;
    uint64_t val;

    if (delta <= 0) {
        return;
    }
    /* Tenths of nanoseconds, so what is below one credit carries over. */
    val = ((uint64_t)delta * (uint64_t)CREDIT_PER_MSEC) + svc->residual;
    svc->residual = (uint32_t)(val % (uint64_t)MILLISECS(1));
    (void)__atomic_fetch_sub(&svc->credit, (int32_t)(val / (uint64_t)MILLISECS(1)),
                             __ATOMIC_RELAXED);
    svc->start_time = now;
}

void credit_acct_start(struct credit_pool *prv, struct credit_vcpu *svc)
{
    struct credit_dom *sdom = svc->sdom;
    unsigned long flags = spin_lock_irqsave(&prv->lock);

    if (credit_link_empty(&svc->active_elem)) {
        sdom->active_count++;
        credit_link_add_before(&svc->active_elem, sdom->active_vcpus.next);
        prv->weight += sdom->weight;
        if (credit_link_empty(&sdom->active_elem)) {
            credit_link_add_before(&sdom->active_elem, prv->active_doms.next);
        }
    }
    spin_unlock_irqrestore(&prv->lock, flags);
}

static void acct_stop_locked(struct credit_pool *prv, struct credit_vcpu *svc)
{
    struct credit_dom *sdom = svc->sdom;

    sdom->active_count--;
    credit_link_del(&svc->active_elem);
    prv->weight -= sdom->weight;
    if (credit_link_empty(&sdom->active_vcpus)) {
        credit_link_del(&sdom->active_elem);
    }
}

void credit_acct_stop(struct credit_pool *prv, struct credit_vcpu *svc)
{
    unsigned long flags = spin_lock_irqsave(&prv->lock);

    if (!credit_link_empty(&svc->active_elem)) {
        acct_stop_locked(prv, svc);
    }
    spin_unlock_irqrestore(&prv->lock, flags);
}

/* What one period's share does to one vCPU: its priority, parking when
 * its domain's cap is overrun by more than the vCPU's part of it, and the
 * bounds (no lower than minus one slice of credit; above one slice it
 * stops earning, keeping half). Returns the CPU to make choose again
 * (parked or unparked), or NR_CPUS. */
static unsigned int acct_vcpu(struct credit_pool *prv, struct credit_vcpu *svc, uint32_t fair,
                              uint32_t vcpu_cap, bool capped)
{
    int32_t per_slice = (int32_t)prv->credits_per_tslice;
    int32_t credit = __atomic_add_fetch(&svc->credit, (int32_t)fair, __ATOMIC_RELAXED);
    unsigned int cpu = __atomic_load_n(&svc->v->processor, __ATOMIC_RELAXED);
    unsigned int tickle = NR_CPUS;

    if (credit < 0) {
        credit_set_pri(svc, CREDIT_PRI_OVER);
        if (capped && (credit < -(int32_t)vcpu_cap) && !credit_parked(svc)) {
            __atomic_store_n(&svc->parked, true, __ATOMIC_RELEASE);
            tickle = cpu;
        }
        if (credit < -per_slice) {
            __atomic_store_n(&svc->credit, -per_slice, __ATOMIC_RELAXED);
        }
    } else {
        credit_set_pri(svc, CREDIT_PRI_UNDER);
        if (credit_parked(svc)) {
            __atomic_store_n(&svc->parked, false, __ATOMIC_RELEASE);
            tickle = cpu;
        }
        if (credit > per_slice) {
            acct_stop_locked(prv, svc);
            __atomic_store_n(&svc->credit, credit / 2, __ATOMIC_RELAXED);
        }
    }
    return tickle;
}

void credit_acct(void *data)
{
    struct credit_pool *prv = data;
    uint64_t tickle = 0U;
    unsigned long flags = spin_lock_irqsave(&prv->lock);
    uint64_t weight_total = prv->weight;
    uint64_t credit_total = prv->credit;
    uint64_t weight_left = weight_total;
    uint64_t per_slice = prv->credits_per_tslice;
    uint64_t vcpu_cap = 0U;
    int64_t balance = 0;
    bool extra = false;
    struct credit_link *ld = prv->active_doms.next;

    if (prv->ncpus == 0U) {
        /* The last CPU left: remove_cpu kills this timer. */
        spin_unlock_irqrestore(&prv->lock, flags);
        return;
    }
    /* A negative balance (vCPUs owe) converges back to 0. */
    if (prv->credit_balance < 0) {
        credit_total += (uint64_t)(-(int64_t)prv->credit_balance);
    }
    if (weight_total == 0U) {
        ld = &prv->active_doms;
    }

    while (ld != &prv->active_doms) {
        struct credit_link *next_dom = ld->next;
        struct credit_dom *sdom = dom_entry(ld);
        uint64_t n = sdom->active_count;
        uint64_t peak = n * per_slice;
        uint64_t fair;

        weight_left -= (uint64_t)sdom->weight * n;
        /* At most a full period for each active vCPU, more only while the
         * pool owes: then its share of the debt too. */
        if (prv->credit_balance < 0) {
            peak += div_up((uint64_t)(-(int64_t)prv->credit_balance) * sdom->weight * n,
                           weight_total);
        }
        if (sdom->cap != 0U) {
            vcpu_cap = div_up((uint64_t)sdom->cap * per_slice, 100U);
            peak = MIN(peak, vcpu_cap);
            vcpu_cap = div_up(vcpu_cap, n);
        }
        fair = div_up(credit_total * sdom->weight * n, weight_total);
        if (fair < peak) {
            extra = true;
        } else {
            /* What it cannot use goes to the domains after it. */
            if (weight_left != 0U) {
                credit_total += div_up((fair - peak) * weight_total, weight_left);
            }
            /* Those that could use more go first next time. */
            if (extra) {
                credit_link_del(&sdom->active_elem);
                credit_link_add_before(&sdom->active_elem, prv->active_doms.next);
            }
            fair = peak;
        }
        fair = div_up(fair, n);

        for (struct credit_link *lv = sdom->active_vcpus.next; lv != &sdom->active_vcpus;) {
            struct credit_link *next_vcpu = lv->next;
            struct credit_vcpu *svc = vcpu_entry(lv);
            unsigned int cpu = acct_vcpu(prv, svc, (uint32_t)fair, (uint32_t)vcpu_cap,
                                         sdom->cap != 0U);

            if (cpu < NR_CPUS) {
                tickle |= (uint64_t)1U << cpu;
            }
            balance += credit_of(svc);
            lv = next_vcpu;
        }
        ld = next_dom;
    }
    prv->credit_balance = (int32_t)balance;
    __atomic_store_n(&prv->runq_sort, prv->runq_sort + 1U, __ATOMIC_RELAXED);
    set_timer(&prv->master_ticker, NOW() + prv->tslice);
    spin_unlock_irqrestore(&prv->lock, flags);

    for (unsigned int cpu = 0U; cpu < NR_CPUS; cpu++) {
        if ((tickle & ((uint64_t)1U << cpu)) != 0U) {
            sched_tickle(cpu);
        }
    }
}
