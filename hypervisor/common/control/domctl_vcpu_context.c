/* A vCPU's registers set and read by the toolstack: setvcpucontext (libxl
 * starts a domain it built with x0 = device tree, PC = kernel entry, PSTATE
 * = EL1h with DAIF masked, VGCF_online) and getvcpucontext, with Xen 4.17's
 * checks. The register layout is the architecture's (arch_vcpu_*_context).
 *
 * Both need the vCPU off its CPU with its state in memory: the domain is
 * paused around the copy (domain_pause waits until the scheduler says the
 * outgoing registers are saved), so never the caller's own domain, which
 * would wait for itself. Xen reads another vCPU of the caller's own domain
 * (it can pause one vCPU); Proxenos refuses the whole domain (-EINVAL). */
#include "control.h"
#include <proxenos/arch/domain.h>
#include <proxenos/errno.h>
#include <proxenos/guest_access.h>
#include <proxenos/nospec.h>
#include <proxenos/sched.h>

/* vCPU op->u.vcpucontext.vcpu of d: -EINVAL past max_vcpus, for a slot
 * with no vCPU, or in the caller's own domain. */
static long get_vcpu(const struct xen_domctl *op, struct domain *d, const struct control_caller *c,
                     struct vcpu **out)
{
    uint32_t id = op->u.vcpucontext.vcpu;

    if ((d == c->d) || (id >= d->max_vcpus)) {
        return -EINVAL;
    }
    *out = d->vcpu[array_index_nospec(id, d->max_vcpus)];
    return (*out != NULL) ? 0 : -EINVAL;
}

/* Xen's vcpu_reset: offline, nothing to read back, registers at reset. */
static void reset_vcpu(struct vcpu *v)
{
    vcpu_stop(v);
    arch_vcpu_reset_context(v);
    v->initialised = false;
}

/* VGCF_online: the vCPU may run once its domain is unpaused (queued now,
 * picked when the pause count is 0); without it, it stays down. */
static void set_online(struct vcpu *v, bool online)
{
    v->initialised = true;
    if (online) {
        vcpu_wake(v);
    } else {
        vcpu_stop(v);
    }
}

long domctl_setvcpucontext(struct xen_domctl *op, struct domain *d,
                           const struct control_caller *c)
{
    struct vcpu_guest_context ctxt;
    struct vcpu *v = NULL;
    long rc = get_vcpu(op, d, c, &v);

    if (rc != 0) {
        return rc;
    }
    if ((op->u.vcpucontext.ctxt != 0U) &&
        (copy_from_guest(&ctxt, op->u.vcpucontext.ctxt, sizeof(ctxt)) != 0)) {
        return -EFAULT;
    }
    domain_pause(d);
    if (op->u.vcpucontext.ctxt == 0U) {
        reset_vcpu(v);
    } else {
        rc = arch_vcpu_set_context(v, &ctxt);
        if (rc == 0) {
            set_online(v, (ctxt.flags & VGCF_online) != 0U);
        }
    }
    domain_unpause(d);
    return rc;
}

long domctl_getvcpucontext(struct xen_domctl *op, struct domain *d,
                           const struct control_caller *c)
{
    struct vcpu_guest_context ctxt;
    struct vcpu *v = NULL;
    long rc = get_vcpu(op, d, c, &v);

    if (rc != 0) {
        return rc;
    }
    if (!v->initialised) {
        return -ENODATA;
    }
    domain_pause(d);
    arch_vcpu_get_context(v, &ctxt);
    domain_unpause(d);
    if (copy_to_guest(op->u.vcpucontext.ctxt, &ctxt, sizeof(ctxt)) != 0) {
        rc = -EFAULT;
    }
    return rc;
}
