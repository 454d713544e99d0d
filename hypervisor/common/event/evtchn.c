/* HYPERVISOR_event_channel_op: x0 is the sub-operation, x1 the guest
 * virtual address of its argument. Each argument is copied in whole
 * before anything happens; results (ports, status, link bits) are copied
 * back in whole, as Xen does. Also the VIRQ senders of <proxenos/evtchn.h>.
 * Design, limits and differences from Xen: docs/event-channels.md. */
#include "evtchn_internal.h"
#include <proxenos/errno.h>
#include <proxenos/evtchn.h>
#include <proxenos/hypercall.h>

/* A whole argument structure in from, or back out to, the guest. */
#define EVTCHN_IN(gva, buf) copy_from_guest(&(buf), (gva), sizeof(buf))
#define EVTCHN_OUT(gva, buf) copy_to_guest((gva), &(buf), sizeof(buf))

static long op_alloc_unbound(struct domain *cur, uint64_t gva)
{
    struct evtchn_alloc_unbound a;
    int rc = EVTCHN_IN(gva, a);

    if (rc == 0) {
        rc = evtchn_op_alloc_unbound(cur, &a);
        if ((rc == 0) && (EVTCHN_OUT(gva, a) != 0)) {
            rc = -EFAULT;   /* the port stays allocated, as in Xen */
        }
    }
    return rc;
}

static long op_bind_interdomain(struct domain *cur, uint64_t gva)
{
    struct evtchn_bind_interdomain b;
    int rc = EVTCHN_IN(gva, b);

    if (rc == 0) {
        rc = evtchn_op_bind_interdomain(cur, &b);
        if ((rc == 0) && (EVTCHN_OUT(gva, b) != 0)) {
            rc = -EFAULT;
        }
    }
    return rc;
}

static long op_bind_virq(struct domain *cur, uint64_t gva)
{
    struct evtchn_bind_virq b;
    int rc = EVTCHN_IN(gva, b);

    if (rc == 0) {
        rc = evtchn_op_bind_virq(cur, &b);
        if ((rc == 0) && (EVTCHN_OUT(gva, b) != 0)) {
            rc = -EFAULT;
        }
    }
    return rc;
}

static long op_bind_ipi(struct domain *cur, uint64_t gva)
{
    struct evtchn_bind_ipi b;
    int rc = EVTCHN_IN(gva, b);

    if (rc == 0) {
        rc = evtchn_op_bind_ipi(cur, &b);
        if ((rc == 0) && (EVTCHN_OUT(gva, b) != 0)) {
            rc = -EFAULT;
        }
    }
    return rc;
}

static long op_bind_pirq(struct domain *cur, uint64_t gva)
{
    struct evtchn_bind_pirq b;
    int rc = EVTCHN_IN(gva, b);

    return (rc == 0) ? evtchn_op_bind_pirq(cur, &b) : rc;
}

static long op_status(struct domain *cur, uint64_t gva)
{
    struct evtchn_status s;
    int rc = EVTCHN_IN(gva, s);

    if (rc == 0) {
        rc = evtchn_op_status(cur, &s);
        if ((rc == 0) && (EVTCHN_OUT(gva, s) != 0)) {
            rc = -EFAULT;
        }
    }
    return rc;
}

static long op_port(struct domain *cur, uint64_t gva, uint32_t cmd)
{
    evtchn_port_t port;
    int rc = EVTCHN_IN(gva, port);

    if (rc != 0) {
        return rc;
    }
    switch (cmd) {
    case EVTCHNOP_close:
        rc = evtchn_close_port(cur, port, true);
        break;
    case EVTCHNOP_send:
        rc = evtchn_op_send(cur, port);
        break;
    default:
        rc = evtchn_op_unmask(cur, port);
        break;
    }
    return rc;
}

static long op_bind_vcpu(struct domain *cur, uint64_t gva)
{
    struct evtchn_bind_vcpu b;
    int rc = EVTCHN_IN(gva, b);

    return (rc == 0) ? evtchn_op_bind_vcpu(cur, b.port, b.vcpu) : rc;
}

static long op_reset(struct domain *cur, struct hcall_args *args, bool resuming)
{
    struct evtchn_reset r;
    struct domain *d;
    int rc = EVTCHN_IN(args->a[1], r);

    if (rc != 0) {
        return rc;
    }
    d = evtchn_domain_by_any_id(cur, r.dom);
    if (d == NULL) {
        return -ESRCH;
    }
    if ((d != cur) && !cur->is_privileged) {
        domain_put_any(cur, d);
        return -EPERM;
    }
    rc = evtchn_op_reset(cur, d, resuming);
    domain_put_any(cur, d);
    if (rc == -ERESTART) {
        /* Re-executed as the continuation, which picks up the progress
         * kept in d's event state. */
        args->a[0] = EVTCHNOP_reset_cont;
    }
    return rc;
}

static long op_init_control(struct domain *cur, uint64_t gva)
{
    struct evtchn_init_control ic;
    int rc = EVTCHN_IN(gva, ic);

    if (rc == 0) {
        rc = evtchn_fifo_init_control(cur, &ic);
        if ((rc == 0) && (EVTCHN_OUT(gva, ic) != 0)) {
            rc = -EFAULT;
        }
    }
    return rc;
}

static long op_expand_array(struct domain *cur, uint64_t gva)
{
    struct evtchn_expand_array ea;
    int rc = EVTCHN_IN(gva, ea);

    return (rc == 0) ? evtchn_fifo_expand_array(cur, &ea) : rc;
}

static long op_set_priority(struct domain *cur, uint64_t gva)
{
    struct evtchn_set_priority sp;
    int rc = EVTCHN_IN(gva, sp);

    return (rc == 0) ? evtchn_op_set_priority(cur, sp.port, sp.priority) : rc;
}

long do_event_channel_op(struct hcall_args *args)
{
    struct vcpu *v = current_vcpu();
    struct domain *cur;
    /* Xen takes the command as a C int: only the low 32 bits count. */
    uint32_t cmd = (uint32_t)args->a[0];
    uint64_t gva = args->a[1];
    long rc;

    if ((v == NULL) || (v->domain->evtchn == NULL)) {
        return -ENOSYS;
    }
    cur = v->domain;
    switch (cmd) {
    case EVTCHNOP_alloc_unbound:
        rc = op_alloc_unbound(cur, gva);
        break;
    case EVTCHNOP_bind_interdomain:
        rc = op_bind_interdomain(cur, gva);
        break;
    case EVTCHNOP_bind_virq:
        rc = op_bind_virq(cur, gva);
        break;
    case EVTCHNOP_bind_ipi:
        rc = op_bind_ipi(cur, gva);
        break;
    case EVTCHNOP_bind_pirq:
        rc = op_bind_pirq(cur, gva);
        break;
    case EVTCHNOP_close:
    case EVTCHNOP_send:
    case EVTCHNOP_unmask:
        rc = op_port(cur, gva, cmd);
        break;
    case EVTCHNOP_status:
        rc = op_status(cur, gva);
        break;
    case EVTCHNOP_bind_vcpu:
        rc = op_bind_vcpu(cur, gva);
        break;
    case EVTCHNOP_reset:
    case EVTCHNOP_reset_cont:
        rc = op_reset(cur, args, cmd == (uint32_t)EVTCHNOP_reset_cont);
        break;
    case EVTCHNOP_init_control:
        rc = op_init_control(cur, gva);
        break;
    case EVTCHNOP_expand_array:
        rc = op_expand_array(cur, gva);
        break;
    case EVTCHNOP_set_priority:
        rc = op_set_priority(cur, gva);
        break;
    default:
        rc = -ENOSYS;
        break;
    }
    return rc;
}

/* ---- VIRQs raised by the hypervisor -------------------------------------- */

/* Raise the port bound to virq in holder's table (a vCPU of d): on holder
 * itself (own_vcpu, per-vCPU VIRQs) or on the vCPU the port names. */
static void send_virq(struct domain *d, const struct vcpu *holder, uint32_t virq, bool own_vcpu)
{
    struct evtchn_notify n;
    unsigned long flags;
    uint32_t port;

    if ((d->evtchn == NULL) || (holder->evtchn == NULL)) {
        return;
    }
    evtchn_notify_init(&n, d);
    flags = evtchn_lock(d);
    port = holder->evtchn->virq_to_port[virq];
    if (port != 0U) {
        struct evtchn *chn = evtchn_from_port(d, port);

        if (chn != NULL) {
            evtchn_set_pending(d, own_vcpu ? holder->vcpu_id : chn->notify_vcpu, chn, &n);
        }
    }
    evtchn_unlock(d, flags);
    evtchn_notify_flush(&n);
}

void send_guest_vcpu_virq(struct vcpu *v, unsigned int virq)
{
    if ((v != NULL) && (virq < (unsigned int)NR_VIRQS) && !evtchn_virq_is_global(virq)) {
        send_virq(v->domain, v, virq, true);
    }
}

void send_guest_global_virq(struct domain *d, unsigned int virq)
{
    if ((d != NULL) && (virq < (unsigned int)NR_VIRQS) && evtchn_virq_is_global(virq)) {
        const struct vcpu *v0 = evtchn_domain_vcpu(d, 0U);

        if (v0 != NULL) {
            send_virq(d, v0, virq, false);
        }
    }
}
