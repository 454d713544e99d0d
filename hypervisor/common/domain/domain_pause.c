/* Pausing a whole domain, as Xen counts pauses: every pause adds one to
 * d->pause_count and the vCPUs run again only when it is back at 0; the
 * toolstack's own pauses (XEN_DOMCTL_pausedomain) are also counted in
 * controller_pause_count, so that a toolstack cannot unpause what the
 * hypervisor paused, nor overflow the count with repeated calls.
 *
 * Pausing is synchronous, as Xen's domain_pause(): it returns once no vCPU
 * of the domain is on a CPU. The wait is a spin with interrupts masked,
 * which is safe because the CPUs it waits for only need to take their
 * scheduling softirq, and nothing running a guest's vCPU waits for this
 * CPU; a domain never pauses itself (callers refuse that).
 *
 * A domain the toolstack creates starts paused by it (count 1) and being
 * built; the unpause that first takes the toolstack's count to 0 ends the
 * build (Xen's creation_finished): the domain runs, its paging pool is
 * sealed, and the vCPUs setvcpucontext brought online may be picked. */
#include <proxenos/arch/cpu.h>
#include <proxenos/arch/domain.h>
#include <proxenos/domain.h>
#include <proxenos/errno.h>
#include <proxenos/sched.h>

/* Xen's limit on the toolstack's pauses of one domain. */
#define CONTROLLER_PAUSE_MAX 255U

void domain_pause(struct domain *d)
{
    (void)__atomic_add_fetch(&d->pause_count, 1U, __ATOMIC_ACQ_REL);
    for (unsigned int i = 0U; i < d->max_vcpus; i++) {
        sched_vcpu_reconsider(d->vcpu[i]);
    }
    for (unsigned int i = 0U; i < d->max_vcpus; i++) {
        while (sched_vcpu_on_cpu(d->vcpu[i])) {
            arch_cpu_relax();
        }
    }
}

void domain_unpause(struct domain *d)
{
    uint32_t left = __atomic_sub_fetch(&d->pause_count, 1U, __ATOMIC_ACQ_REL);

    if (left == 0U) {
        for (unsigned int i = 0U; i < d->max_vcpus; i++) {
            sched_vcpu_reconsider(d->vcpu[i]);
        }
    }
}

int domain_pause_by_controller(struct domain *d)
{
    uint32_t old = __atomic_load_n(&d->controller_pause_count, __ATOMIC_RELAXED);

    do {
        if (old >= CONTROLLER_PAUSE_MAX) {
            return -EOVERFLOW;
        }
    } while (!__atomic_compare_exchange_n(&d->controller_pause_count, &old, old + 1U, false,
                                          __ATOMIC_ACQ_REL, __ATOMIC_RELAXED));
    domain_pause(d);
    return 0;
}

int domain_unpause_by_controller(struct domain *d)
{
    uint32_t old = __atomic_load_n(&d->controller_pause_count, __ATOMIC_RELAXED);

    do {
        if (old == 0U) {
            return -EINVAL;
        }
    } while (!__atomic_compare_exchange_n(&d->controller_pause_count, &old, old - 1U, false,
                                          __ATOMIC_ACQ_REL, __ATOMIC_RELAXED));
    if ((old == 1U) && (d->state == DOMAIN_BUILDING)) {
        /* Before its vCPUs may run (domain_unpause below). */
        d->state = DOMAIN_RUNNING;
        arch_domain_creation_finished(d);
    }
    domain_unpause(d);
    return 0;
}

bool domain_is_paused(const struct domain *d)
{
    /* What getdomaininfo reports: the toolstack's pauses only, as Xen. */
    return __atomic_load_n(&d->controller_pause_count, __ATOMIC_ACQUIRE) != 0U;
}
