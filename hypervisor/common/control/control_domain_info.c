/* What the toolstack reads about domains: domctl getdomaininfo (one
 * domain) and sysctl getdomaininfolist (many), both filling Xen 4.17's
 * struct xen_domctl_getdomaininfo the way Xen on Arm does.
 *
 * Xen 4.17 quirks kept on purpose, because tools built for it see them:
 * - getdomaininfo of an id nobody has answers the next domain above it
 *   (libxl and xenconsoled walk ids that way); -ESRCH only when there is
 *   none, and a reserved id (DOMID_SELF included) is -EINVAL;
 * - bits 31:16 of flags hold the shutdown code even while the domain
 *   runs, where Xen's "no code yet" is ~0: a running domain's flags have
 *   0xffff in them;
 * - on Arm, shared_info_frame is the machine frame of the shared info
 *   page, and arch_config stays zero.
 * Both see a destroyed domain, flagged dying, for as long as someone
 * holds it in memory (xl destroy reads it back while it unmaps the
 * domain's grants), as on Xen. */
#include "control.h"
#include <proxenos/arch/mm.h>
#include <proxenos/errno.h>
#include <proxenos/guest_access.h>
#include <proxenos/hostinfo.h>
#include <proxenos/runstate.h>
#include <proxenos/string.h>

/* Xen's SHUTDOWN_CODE_INVALID. */
#define NO_SHUTDOWN_CODE 0xffffffffU

static uint32_t shutdown_code(const struct domain *d)
{
    if ((d->state == DOMAIN_SHUTDOWN) || (d->state == DOMAIN_CRASHED)) {
        return (uint32_t)d->shutdown_code;
    }
    return d->shutdown_code_set ? (uint32_t)d->pending_shutdown_code : NO_SHUTDOWN_CODE;
}

/* Run state from the vCPUs: blocked only if every online vCPU waits,
 * running if any is on a CPU; none of it for a domain with no vCPU up.
 * A domain that shut down keeps its vCPUs that were up online, neither
 * running nor blocked, as on Xen (it pauses them; xl list shows them). */
static uint32_t vcpu_flags(const struct domain *d, struct xen_domctl_getdomaininfo *info)
{
    uint32_t flags = XEN_DOMINF_blocked;
    uint64_t cpu_time = 0U;

    for (unsigned int i = 0U; i < d->max_vcpus; i++) {
        const struct vcpu *v = d->vcpu[i];
        struct vcpu_runstate_info rs;

        if (v == NULL) {
            continue;
        }
        vcpu_runstate_get(v, true, &rs);
        cpu_time += rs.time[RUNSTATE_running];
        info->max_vcpu_id = i;
        if ((v->state != VCPU_OFFLINE) || (v->pause_flags && v->up_at_shutdown)) {
            if (v->state != VCPU_BLOCKED) {
                flags &= ~XEN_DOMINF_blocked;
            }
            if (v->state == VCPU_RUNNING) {
                flags |= XEN_DOMINF_running;
            }
            info->nr_online_vcpus++;
        }
    }
    info->cpu_time = cpu_time;
    return (info->nr_online_vcpus != 0U) ? flags : 0U;
}

void control_domain_info(const struct domain *d, struct xen_domctl_getdomaininfo *info)
{
    uint32_t flags;

    (void)memset(info, 0, sizeof(*info));
    info->domain = d->domain_id;
    info->max_vcpu_id = XEN_INVALID_MAX_VCPU_ID;
    flags = vcpu_flags(d, info);
    if (d->dying) {
        flags |= XEN_DOMINF_dying;
    }
    if ((d->state == DOMAIN_SHUTDOWN) || (d->state == DOMAIN_CRASHED)) {
        flags |= XEN_DOMINF_shutdown;
    }
    if (domain_is_paused(d)) {
        flags |= XEN_DOMINF_paused;
    }
    /* Every Arm domain is an HVM guest with hardware-assisted paging. */
    flags |= XEN_DOMINF_hvm_guest | XEN_DOMINF_hap;
    info->flags = flags | (shutdown_code(d) << XEN_DOMINF_shutdownshift);
    info->tot_pages = d->tot_pages;
    /* A domain nobody gave a limit has the memory it was built with. */
    info->max_pages = (d->max_pages != 0U) ? d->max_pages : d->tot_pages;
    if (d->shared_info != NULL) {
        info->shared_info_frame = arch_virt_to_maddr(d->shared_info) >> PAGE_SHIFT;
    }
    (void)memcpy(info->handle, d->handle, sizeof(info->handle));
    info->cpupool = d->cpupool_id;
    info->gpaddr_bits = (uint8_t)hostinfo()->gpaddr_bits;
}

long sysctl_getdomaininfolist(struct xen_sysctl *op, const struct control_caller *c)
{
    struct xen_sysctl_getdomaininfolist *l = &op->u.getdomaininfolist;
    struct xen_domctl_getdomaininfo info;
    uint32_t n = 0U;
    struct domain *d;
    long rc = 0;

    (void)c;
    for (d = domain_get_next_dying(NULL); d != NULL; d = domain_get_next_dying(d)) {
        if (d->domain_id < l->first_domain) {
            continue;
        }
        if (n == l->max_domains) {
            break;
        }
        control_domain_info(d, &info);
        if (copy_to_guest(l->buffer + ((uint64_t)n * sizeof(info)), &info, sizeof(info)) != 0) {
            rc = -EFAULT;
            break;
        }
        n++;
    }
    if (d != NULL) {
        domain_put(d);      /* left the walk early */
    }
    l->num_domains = n;
    return rc;
}

/* The domain with the lowest id at or above id, with a reference. */
static struct domain *first_from(domid_t id)
{
    struct domain *d = domain_get_next_dying(NULL);

    while ((d != NULL) && (d->domain_id < id)) {
        d = domain_get_next_dying(d);
    }
    return d;
}

long domctl_getdomaininfo(struct xen_domctl *op, struct domain *d, const struct control_caller *c)
{
    struct domain *t;
    long rc;

    (void)d;
    t = domain_get_by_id_dying(op->domain);
    if (t == NULL) {
        if (op->domain >= DOMID_FIRST_RESERVED) {
            return -EINVAL;
        }
        t = first_from(op->domain);
        if (t == NULL) {
            return -ESRCH;
        }
    }
    /* The xenstore domain may read this too in Xen; there is none here. */
    rc = control_permitted(c->d);
    if (rc == 0) {
        control_domain_info(t, &op->u.getdomaininfo);
        op->domain = op->u.getdomaininfo.domain;
    }
    domain_put(t);
    return rc;
}
