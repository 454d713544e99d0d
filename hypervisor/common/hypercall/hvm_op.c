/* The hvm_op hypercall as Xen 4.17 on Arm answers it: HVM parameters (the
 * event-channel interrupt, the xenstore and console rings) and the
 * monitor's guest request; everything else is -ENOSYS.
 *
 * Who may touch a parameter: its own domain or the privileged one (Xen's
 * XSM_TARGET default). A domain may read the callback IRQ and the
 * store/console page and event channel, but set none of them: they are the
 * toolstack's (dom0's) to set. The monitor ring is the toolstack's alone. */
#include <proxenos/arch/evtchn.h>
#include <proxenos/domain.h>
#include <proxenos/errno.h>
#include <proxenos/hypercall.h>
#include <proxenos/nospec.h>
#include <public/hvm_op.h>
#include <public/hvm_params.h>

_Static_assert(DOMAIN_NR_HVM_PARAMS == HVM_NR_PARAMS, "one slot per HVM parameter");
_Static_assert(sizeof(struct xen_hvm_param) == 16U, "xen_hvm_param is 16 bytes");

static int allow_set(const struct domain *d, const struct domain *caller, uint32_t index)
{
    switch (index) {
    case HVM_PARAM_CALLBACK_IRQ:
    case HVM_PARAM_STORE_PFN:
    case HVM_PARAM_STORE_EVTCHN:
    case HVM_PARAM_CONSOLE_PFN:
    case HVM_PARAM_CONSOLE_EVTCHN:
    case HVM_PARAM_MONITOR_RING_PFN:
        return (d == caller) ? -EPERM : 0;
    default:
        /* Xen-only, unused or out of range. */
        return -EINVAL;
    }
}

static int allow_get(const struct domain *d, const struct domain *caller, uint32_t index)
{
    switch (index) {
    case HVM_PARAM_CALLBACK_IRQ:
    case HVM_PARAM_STORE_PFN:
    case HVM_PARAM_STORE_EVTCHN:
    case HVM_PARAM_CONSOLE_PFN:
    case HVM_PARAM_CONSOLE_EVTCHN:
        return 0;
    case HVM_PARAM_MONITOR_RING_PFN:
        return (d == caller) ? -EPERM : 0;
    default:
        return -EINVAL;
    }
}

/* Xen stores the upcall interrupt in HVM_PARAM_CALLBACK_IRQ when it builds
 * dom0 (in the architecture's encoding); dom0less domUs read 0 on Xen
 * 4.17. Until someone sets the parameter, dom0 reads its own that way. */
static uint64_t callback_irq(const struct domain *d)
{
    uint64_t set = d->hvm_params[HVM_PARAM_CALLBACK_IRQ];

    if ((set != 0U) || !d->is_privileged) {
        return set;
    }
    return arch_evtchn_callback_via(d->evtchn_irq);
}

/* param_op once d is found (and held). */
static long param_op_on(struct domain *d, const struct domain *caller, uint64_t op, uint64_t arg,
                        struct xen_hvm_param *a)
{
    uint32_t i;
    int rc;

    if ((d != caller) && !caller->is_privileged) {
        return -EPERM;
    }
    rc = (op == (uint64_t)HVMOP_set_param) ? allow_set(d, caller, a->index)
                                           : allow_get(d, caller, a->index);
    if (rc != 0) {
        return rc;
    }
    /* The allow_* lists only accept indexes below HVM_NR_PARAMS. */
    i = (uint32_t)array_index_nospec(a->index, DOMAIN_NR_HVM_PARAMS);
    if (op == (uint64_t)HVMOP_set_param) {
        d->hvm_params[i] = a->value;
        return 0;
    }
    a->value = (i == HVM_PARAM_CALLBACK_IRQ) ? callback_irq(d) : d->hvm_params[i];
    return (copy_to_guest(arg, a, sizeof(*a)) != 0) ? -EFAULT : 0;
}

static long param_op(const struct domain *caller, uint64_t op, uint64_t arg)
{
    struct xen_hvm_param a;
    struct domain *d;
    bool self;
    long rc;

    if (copy_from_guest(&a, arg, sizeof(a)) != 0) {
        return -EFAULT;
    }
    self = (a.domid == DOMID_SELF);
    if (self) {
        d = (struct domain *)caller;
    } else {
        d = (a.domid < DOMID_FIRST_RESERVED) ? domain_get_by_id(a.domid) : NULL;
    }
    if (d == NULL) {
        return -ESRCH;
    }
    rc = param_op_on(d, caller, op, arg, &a);
    if (!self) {
        domain_put(d);
    }
    return rc;
}

long do_hvm_op(struct hcall_args *args)
{
    struct vcpu *v = current_vcpu();
    /* Xen takes the operation as an unsigned long: all 64 bits count. */
    uint64_t op = args->a[0];

    if (v == NULL) {
        return -ESRCH;
    }
    switch (op) {
    case HVMOP_set_param:
    case HVMOP_get_param:
        return param_op(v->domain, op, args->a[1]);
    case HVMOP_guest_request_vm_event:
        /* No monitor (vm_event) support: a NULL request is a no-op. */
        return (args->a[1] == 0U) ? 0 : -EINVAL;
    default:
        return -ENOSYS;
    }
}
