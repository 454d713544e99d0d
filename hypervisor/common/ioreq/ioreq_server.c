/* IOREQ servers of a domain: creation, ranges, state, pages, teardown.
 *
 * Checks and answers are Xen 4.17's (common/ioreq.c): a server belongs to
 * the domain that created it (its emulator), and only that domain may
 * change it (-EPERM); ids are the lowest free of IOREQ_MAX_SERVERS
 * (-ENOSPC); each server has one unbound port per vCPU of the target, the
 * emulator as remote end, which it learns from the request page
 * (vp_eport) once the server is enabled. Arm has no buffered requests.
 *
 * The request page is a hypervisor page that the emulator maps with
 * XENMEM_acquire_resource. A mapping holds a reference on the target
 * domain, not on the page, so the page stays with the domain until it is
 * freed (ioreq_domain_destroy): a server that goes leaves it to the next
 * server of the same id, and a page is never freed under a mapping.
 *
 * A memory range reserved for another domain's device (ioreq_reserve.h)
 * cannot be mapped (-EPERM); enabling a server or mapping a range may end
 * the hold on a domain waiting for its back ends (ioreq_reserve.c). */
#include "ioreq_internal.h"
#include <proxenos/domain.h>
#include <proxenos/errno.h>
#include <proxenos/evtchn.h>
#include <proxenos/page_alloc.h>
#include <proxenos/string.h>
#include <proxenos/xmalloc.h>
#include <proxenos/arch/mm.h>
#include <public/memory.h>

/* One request slot per vCPU in one page. */
#define IOREQ_SLOTS_PER_PAGE (PAGE_SIZE / sizeof(struct ioreq))

_Static_assert(sizeof(struct ioreq) == 32U, "ioreq_t is 32 bytes");

struct ioreq_domain *ioreq_domain_get(struct domain *d)
{
    struct ioreq_domain *io = __atomic_load_n(&d->ioreq, __ATOMIC_ACQUIRE);
    struct ioreq_domain *fresh;
    struct ioreq_domain *expected = NULL;

    if (io != NULL) {
        return io;
    }
    fresh = xzalloc(sizeof(*fresh));
    if (fresh == NULL) {
        return NULL;
    }
    fresh->wait = xzalloc(sizeof(*fresh->wait) * d->max_vcpus);
    if (fresh->wait == NULL) {
        xfree(fresh);
        return NULL;
    }
    spin_lock_init(&fresh->lock);
    if (!__atomic_compare_exchange_n(&d->ioreq, &expected, fresh, false, __ATOMIC_ACQ_REL,
                                     __ATOMIC_ACQUIRE)) {
        /* Another CPU made it first: use that one. */
        xfree(fresh->wait);
        xfree(fresh);
        return expected;
    }
    return fresh;
}

/* The server id of d for caller cur: -ENOENT or -EPERM as Xen, with the
 * ioreq lock held. */
static int find_own(struct ioreq_domain *io, const struct domain *cur, ioservid_t id,
                    struct ioreq_server **out)
{
    struct ioreq_server *s = (id < IOREQ_MAX_SERVERS) ? io->server[id] : NULL;

    if (s == NULL) {
        return -ENOENT;
    }
    if (s->emulator != cur->domain_id) {
        return -EPERM;
    }
    *out = s;
    return 0;
}

/* d's state with its lock taken and *s the server id of d, when cur
 * created it (*rc 0); else *rc is -ENOENT or -EPERM. NULL, with *rc
 * -ENOENT and no lock, when d never had a server. */
static struct ioreq_domain *lock_own(const struct domain *cur, struct domain *d, ioservid_t id,
                                     struct ioreq_server **s, unsigned long *flags, int *rc)
{
    struct ioreq_domain *io = __atomic_load_n(&d->ioreq, __ATOMIC_ACQUIRE);

    *rc = -ENOENT;
    if (io != NULL) {
        *flags = spin_lock_irqsave(&io->lock);
        *rc = find_own(io, cur, id, s);
    }
    return io;
}

static void free_ports(struct domain *d, struct ioreq_server *s)
{
    for (unsigned int i = 0U; i < d->max_vcpus; i++) {
        if (s->ports[i] != 0U) {
            evtchn_free_xen_port(d, s->ports[i]);
        }
    }
}

static void free_server(struct domain *d, struct ioreq_server *s)
{
    free_ports(d, s);
    for (unsigned int t = 0U; t < IOREQ_NR_RANGE_TYPES; t++) {
        rangeset_destroy(&s->range[t]);
    }
    xfree(s->ports);
    xfree(s);
}

static struct ioreq_server *new_server(struct domain *cur, struct domain *d)
{
    struct ioreq_server *s = xzalloc(sizeof(*s));

    if (s == NULL) {
        return NULL;
    }
    s->emulator = cur->domain_id;
    s->ports = xzalloc(sizeof(*s->ports) * d->max_vcpus);
    if (s->ports == NULL) {
        xfree(s);
        return NULL;
    }
    return s;
}

int ioreq_server_create(struct domain *cur, struct domain *d, uint8_t bufioreq, ioservid_t *id)
{
    struct ioreq_domain *io;
    struct ioreq_server *s;
    unsigned long flags;
    unsigned int i;
    int rc = 0;

    /* Arm offers no buffered requests: any mode but off is -EINVAL. */
    if (bufioreq != HVM_IOREQSRV_BUFIOREQ_OFF) {
        return -EINVAL;
    }
    if ((d->max_vcpus > IOREQ_SLOTS_PER_PAGE) || (d->evtchn == NULL)) {
        return -EINVAL;
    }
    io = ioreq_domain_get(d);
    s = (io != NULL) ? new_server(cur, d) : NULL;
    if (s == NULL) {
        return -ENOMEM;
    }
    /* The ports first, without the lock: the event code takes its own. */
    for (i = 0U; (i < d->max_vcpus) && (rc == 0); i++) {
        rc = evtchn_alloc_xen_unbound(d, cur->domain_id, ioreq_port_event, &s->ports[i]);
    }
    if (rc == 0) {
        flags = spin_lock_irqsave(&io->lock);
        for (i = 0U; (i < IOREQ_MAX_SERVERS) && (io->server[i] != NULL); i++) {
        }
        if (i < IOREQ_MAX_SERVERS) {
            io->server[i] = s;
            if (io->page[i] != NULL) {
                s->page = io->page[i];
                (void)memset(s->page, 0, PAGE_SIZE);
            }
            *id = (ioservid_t)i;
        } else {
            rc = -ENOSPC;
        }
        spin_unlock_irqrestore(&io->lock, flags);
    }
    if (rc != 0) {
        free_server(d, s);
    }
    return rc;
}

int ioreq_server_destroy(struct domain *cur, struct domain *d, ioservid_t id)
{
    struct ioreq_server *s = NULL;
    unsigned long flags = 0U;
    int rc;
    struct ioreq_domain *io = lock_own(cur, d, id, &s, &flags, &rc);

    if (io == NULL) {
        return rc;
    }
    if (rc == 0) {
        io->server[id] = NULL;
        /* A vCPU waiting on it has nobody left to answer. */
        for (unsigned int i = 0U; i < d->max_vcpus; i++) {
            struct ioreq_wait *w = &io->wait[i];

            if (w->waiting && (s->page != NULL) && (w->slot == &s->page->vcpu_ioreq[i])) {
                ioreq_cancel_wait(w);
            }
        }
    }
    spin_unlock_irqrestore(&io->lock, flags);
    if (rc == 0) {
        free_server(d, s);
        ioreq_port_event(d, 0U);    /* wake the cancelled ones */
    }
    return rc;
}

int ioreq_server_info(struct domain *cur, struct domain *d, ioservid_t id)
{
    struct ioreq_server *s = NULL;
    unsigned long flags = 0U;
    int rc;
    struct ioreq_domain *io = lock_own(cur, d, id, &s, &flags, &rc);

    if (io != NULL) {
        spin_unlock_irqrestore(&io->lock, flags);
    }
    return rc;
}

/* Tell the emulator each vCPU's port, as Xen does on enable. */
static void publish_ports(const struct domain *d, struct ioreq_server *s)
{
    if (s->page == NULL) {
        return;
    }
    for (unsigned int i = 0U; i < d->max_vcpus; i++) {
        s->page->vcpu_ioreq[i].vp_eport = s->ports[i];
    }
}

int ioreq_server_set_state(struct domain *cur, struct domain *d, ioservid_t id, bool on)
{
    struct ioreq_server *s = NULL;
    unsigned long flags = 0U;
    int rc;
    struct ioreq_domain *io = lock_own(cur, d, id, &s, &flags, &rc);

    if (io == NULL) {
        return rc;
    }
    if ((rc == 0) && (s->enabled != on)) {
        if (on) {
            publish_ports(d, s);
        }
        s->enabled = on;
    }
    spin_unlock_irqrestore(&io->lock, flags);
    if ((rc == 0) && on) {
        ioreq_release_if_claimed(d);
    }
    return rc;
}

int ioreq_server_map_range(struct domain *cur, struct domain *d, ioservid_t id, uint32_t type,
                           uint64_t start, uint64_t end, bool map)
{
    struct ioreq_domain *io;
    struct ioreq_server *s = NULL;
    struct rangeset *r;
    unsigned long flags = 0U;
    int rc;

    if (start > end) {
        return -EINVAL;
    }
    io = lock_own(cur, d, id, &s, &flags, &rc);
    if (io == NULL) {
        return rc;
    }
    if ((rc == 0) && (type >= IOREQ_NR_RANGE_TYPES)) {
        rc = -EINVAL;
    }
    if (rc == 0) {
        r = &s->range[type];
        if (map) {
            if ((type == XEN_DMOP_IO_RANGE_MEMORY) &&
                !ioreq_reserved_for(d, cur->domain_id, start, end)) {
                rc = -EPERM;    /* another domain's device (ioreq_reserve.h) */
            } else if (rangeset_overlaps(r, start, end)) {
                rc = -EEXIST;
            } else if (rangeset_nr_ranges(r) >= IOREQ_MAX_RANGES) {
                rc = -ENOMEM;   /* Xen's rangeset limit */
            } else {
                rc = rangeset_add(r, start, end);
            }
        } else {
            rc = rangeset_contains(r, start, end) ? rangeset_remove(r, start, end) : -ENOENT;
        }
    }
    spin_unlock_irqrestore(&io->lock, flags);
    if ((rc == 0) && map) {
        ioreq_release_if_claimed(d);
    }
    return rc;
}

int ioreq_resource_frame(struct domain *cur, struct domain *d, uint32_t id, uint64_t frame,
                         mfn_t *mfn)
{
    struct ioreq_domain *io;
    struct ioreq_server *s = NULL;
    struct shared_iopage *fresh = NULL;
    unsigned long flags;
    int rc;

    if (id > 0xffffU) {
        return -EINVAL;     /* not an ioservid_t */
    }
    io = __atomic_load_n(&d->ioreq, __ATOMIC_ACQUIRE);
    if (io == NULL) {
        return -ENOENT;     /* d never had a server */
    }
    if (frame == (uint64_t)XENMEM_resource_ioreq_server_frame_ioreq(0U)) {
        /* Allocated before the lock, freed below if not needed. */
        fresh = alloc_xenheap_pages(0U, ALLOC_ZERO);
    }
    flags = spin_lock_irqsave(&io->lock);
    rc = find_own(io, cur, (ioservid_t)id, &s);
    if (rc == 0) {
        if (frame == (uint64_t)XENMEM_resource_ioreq_server_frame_bufioreq) {
            rc = -ENOENT;   /* no buffered page on Arm */
        } else if (frame != (uint64_t)XENMEM_resource_ioreq_server_frame_ioreq(0U)) {
            rc = -EINVAL;
        } else if (s->page != NULL) {
            /* acquired before: the same page */
        } else if (fresh == NULL) {
            rc = -ENOMEM;
        } else {
            s->page = fresh;
            io->page[id] = fresh;
            fresh = NULL;
        }
        if (rc == 0) {
            *mfn = paddr_to_mfn(arch_virt_to_maddr(s->page));
        }
    }
    spin_unlock_irqrestore(&io->lock, flags);
    if (fresh != NULL) {
        free_xenheap_page(fresh);
    }
    return rc;
}

uint32_t ioreq_resource_size(const struct domain *d)
{
    /* Xen's: the buffered page, then one page per 128 vCPUs. */
    return 1U + (uint32_t)(((d->max_vcpus * sizeof(struct ioreq)) + PAGE_SIZE - 1U) / PAGE_SIZE);
}

void ioreq_domain_destroy(struct domain *d)
{
    struct ioreq_domain *io = d->ioreq;

    if (io == NULL) {
        return;
    }
    d->ioreq = NULL;
    for (unsigned int i = 0U; i < IOREQ_MAX_SERVERS; i++) {
        if (io->server[i] != NULL) {
            free_server(d, io->server[i]);
        }
        if (io->page[i] != NULL) {
            free_xenheap_page(io->page[i]);
        }
    }
    xfree(io->wait);
    xfree(io);
}
