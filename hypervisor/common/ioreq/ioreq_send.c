/* A vCPU's access sent to an IOREQ server, and the answer taken back.
 *
 * The protocol of Xen 4.17 (common/ioreq.c ioreq_send, wait_for_io): the
 * vCPU's slot must be free (STATE_IOREQ_NONE) and carry the vCPU's port;
 * the hypervisor fills it, sets STATE_IOREQ_READY and signals the port;
 * the server answers with STATE_IORESP_READY and signals back; the
 * hypervisor takes the data, frees the slot and completes the access.
 *
 * The vCPU is blocked meanwhile, and stays off its CPU whatever else
 * happens to it (vcpu.io_wait): events and timers for the guest
 * wait until the access is done, as on Xen. A server that misbehaves
 * (slot not free, port overwritten, a state that goes backwards) can only
 * delay or fail its own domain's access. */
#include "ioreq_internal.h"
#include <proxenos/domain.h>
#include <proxenos/evtchn.h>
#include <proxenos/printk.h>
#include <proxenos/sched.h>

/* The enabled server of d whose memory ranges hold all of a. */
static struct ioreq_server *select_server(struct ioreq_domain *io, const struct ioreq_access *a)
{
    uint64_t last = a->gpa + a->size - 1U;

    if (last < a->gpa) {
        return NULL;    /* wraps: nobody's */
    }
    for (unsigned int i = 0U; i < IOREQ_MAX_SERVERS; i++) {
        struct ioreq_server *s = io->server[i];

        if ((s != NULL) && s->enabled &&
            rangeset_contains(&s->range[XEN_DMOP_IO_RANGE_MEMORY], a->gpa, last)) {
            return s;
        }
    }
    return NULL;
}

static bool answered(const struct ioreq_wait *w)
{
    return __atomic_load_n(&w->cancelled, __ATOMIC_ACQUIRE) ||
           (ioreq_slot_state(w->slot) == STATE_IORESP_READY);
}

/* Let v run again once its request is answered: with the flag cleared
 * first, the wake is not refused. */
static void release(struct vcpu *v)
{
    __atomic_store_n(&v->io_wait, false, __ATOMIC_RELEASE);
    vcpu_wake(v);
}

/* Block the current vCPU v until its request is answered. io_wait was
 * set before the request went out, so a wake from anything else leaves
 * v blocked; an answer that came before the block is caught here. */
static void wait_answer(struct vcpu *v, const struct ioreq_wait *w)
{
    vcpu_block_current();
    if (answered(w)) {
        release(v);
    }
}

/* Fill v's slot p for a; the state goes READY last, for the server. */
static void fill_slot(struct ioreq *p, const struct ioreq_access *a)
{
    p->addr = a->gpa;
    p->data = a->write ? a->data : 0U;
    p->count = 1U;
    p->size = a->size;
    p->pad0 = 0U;
    p->type = (uint8_t)IOREQ_TYPE_COPY;
    __atomic_store_n(&p->flags,
                     (uint8_t)((a->write ? 0U : IOREQ_FLAGS_DIR_READ) | STATE_IOREQ_READY),
                     __ATOMIC_RELEASE);
}

/* Nobody listens on the port of v's request just sent (the back end
 * closed it, or died): nobody could answer, so it is taken back and the
 * access refused (a data abort: the guest's fault, not a hang), unless an
 * answer, or the close's cancellation, came first. */
static enum ioreq_forward_result withdraw(struct vcpu *v, struct ioreq_domain *io,
                                          struct ioreq_wait *w)
{
    enum ioreq_forward_result res = IOREQ_SENT;
    unsigned long flags = spin_lock_irqsave(&io->lock);

    if (w->waiting && !answered(w)) {
        __atomic_store_n(&w->slot->flags, (uint8_t)STATE_IOREQ_NONE, __ATOMIC_RELEASE);
        __atomic_store_n(&w->waiting, false, __ATOMIC_RELEASE);
        __atomic_store_n(&v->io_wait, false, __ATOMIC_RELEASE);
        res = IOREQ_UNCLAIMED;
    }
    spin_unlock_irqrestore(&io->lock, flags);
    if (res == IOREQ_UNCLAIMED) {
        pr_warn("d%u: ioreq server port of vCPU %u not bound: access refused\n",
                v->domain->domain_id, v->vcpu_id);
    }
    return res;
}

enum ioreq_forward_result ioreq_forward(struct vcpu *v, const struct ioreq_access *a)
{
    struct domain *d = v->domain;
    struct ioreq_domain *io = __atomic_load_n(&d->ioreq, __ATOMIC_ACQUIRE);
    enum ioreq_forward_result res = IOREQ_UNCLAIMED;
    struct ioreq_wait *w;
    evtchn_port_t port = 0U;
    unsigned long flags;

    if (io == NULL) {
        return IOREQ_UNCLAIMED;
    }
    w = &io->wait[v->vcpu_id];
    flags = spin_lock_irqsave(&io->lock);
    if (w->waiting) {
        /* Entered before its answer (it should not be): the guest made
         * the same access again, or another one, which must wait. */
        res = ((w->slot->addr == a->gpa) && (w->slot->size == a->size)) ? IOREQ_SENT : IOREQ_BUSY;
    } else {
        struct ioreq_server *s = select_server(io, a);
        struct ioreq *p = ((s != NULL) && (s->page != NULL)) ? &s->page->vcpu_ioreq[v->vcpu_id]
                                                             : NULL;

        if ((p != NULL) && (ioreq_slot_state(p) == STATE_IOREQ_NONE) &&
            (p->vp_eport == s->ports[v->vcpu_id])) {
            port = s->ports[v->vcpu_id];
            w->slot = p;
            w->port = port;
            w->cancelled = false;
            __atomic_store_n(&v->io_wait, true, __ATOMIC_RELEASE);
            __atomic_store_n(&w->waiting, true, __ATOMIC_RELEASE);
            fill_slot(p, a);
            res = IOREQ_SENT;
        } else if (p != NULL) {
            /* Xen logs the same ("device model set bad IO state"). */
            pr_warn("d%u: ioreq server slot of vCPU %u not free (state %u, port %u)\n",
                    d->domain_id, v->vcpu_id, ioreq_slot_state(p), p->vp_eport);
        } else {
            /* nobody claims it */
        }
    }
    spin_unlock_irqrestore(&io->lock, flags);
    /* Whether anyone listens on the port is known from the send itself
     * (one event lock per access, none more). */
    if ((port != 0U) && !evtchn_send_xen_bound(d, port)) {
        res = withdraw(v, io, w);
    }
    if (res == IOREQ_SENT) {
        wait_answer(v, w);
    }
    return res;
}

bool ioreq_take_answer(struct vcpu *v, uint64_t *data)
{
    struct ioreq_domain *io = __atomic_load_n(&v->domain->ioreq, __ATOMIC_ACQUIRE);
    struct ioreq_wait *w;

    if (io == NULL) {
        return false;
    }
    w = &io->wait[v->vcpu_id];
    if (!__atomic_load_n(&w->waiting, __ATOMIC_ACQUIRE) || !answered(w)) {
        return false;
    }
    if (__atomic_load_n(&w->cancelled, __ATOMIC_ACQUIRE)) {
        *data = UINT64_MAX;
    } else {
        *data = __atomic_load_n(&w->slot->data, __ATOMIC_RELAXED);
        __atomic_store_n(&w->slot->flags, (uint8_t)STATE_IOREQ_NONE, __ATOMIC_RELEASE);
    }
    __atomic_store_n(&w->waiting, false, __ATOMIC_RELEASE);
    return true;
}

void ioreq_cancel_wait(struct ioreq_wait *w)
{
    __atomic_store_n(&w->cancelled, true, __ATOMIC_RELEASE);
}

/* Release each vCPU of d whose request is answered; whether one waiting
 * on port is left unanswered. */
static bool release_answered(struct domain *d, struct ioreq_domain *io, evtchn_port_t port)
{
    bool left = false;

    for (unsigned int i = 0U; i < d->max_vcpus; i++) {
        struct ioreq_wait *w = &io->wait[i];

        if ((d->vcpu[i] == NULL) || !__atomic_load_n(&w->waiting, __ATOMIC_ACQUIRE)) {
            continue;
        }
        if (answered(w)) {
            release(d->vcpu[i]);
        } else if (w->port == port) {
            left = true;
        } else {
            /* waiting on another port: not this event's */
        }
    }
    return left;
}

void ioreq_port_event(struct domain *d, evtchn_port_t port)
{
    struct ioreq_domain *io = __atomic_load_n(&d->ioreq, __ATOMIC_ACQUIRE);
    unsigned long flags;

    if (io == NULL) {
        return;
    }
    /* An answer: release whoever it answers. A few vCPUs: look at each
     * rather than map ports to them. */
    if (!release_answered(d, io, port)) {
        return;
    }
    /* A vCPU waits on port with no answer: the back end let go of port
     * (it closed it, or died), and the vCPU is let go with all ones. Only
     * then is the port's binding looked at: an answer costs no lock. */
    if ((port != 0U) && !evtchn_xen_port_bound(d, port)) {
        flags = spin_lock_irqsave(&io->lock);
        for (unsigned int i = 0U; i < d->max_vcpus; i++) {
            struct ioreq_wait *w = &io->wait[i];

            if (w->waiting && (w->port == port)) {
                ioreq_cancel_wait(w);
            }
        }
        spin_unlock_irqrestore(&io->lock, flags);
        (void)release_answered(d, io, port);
    }
}
