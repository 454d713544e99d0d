/* IOREQ server of one device: set up, serve accesses, tear down. */

/* The IOREQ server constants are in the tools-only part of Xen's headers. */
#define __XEN_TOOLS__ 1
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <xendevicemodel.h>
#include <xenevtchn.h>
#include <xenforeignmemory.h>
#include <xen/hvm/dm_op.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/ioreq.h>
#include <xen/memory.h>

#include "log.h"
#include "xen_glue.h"

/* Frame 0 of the resource is the buffered page, which Arm has none of. */
#define IOREQ_FRAME_SYNC 1
#define IOREQ_PAGE_SIZE  4096u

struct xen_ioreq {
    uint16_t domid;
    uint64_t base, size;
    unsigned irq;
    xendevicemodel_handle *dm;
    xenforeignmemory_handle *fm;
    xenevtchn_handle *ev;
    ioservid_t id;
    bool have_server, enabled, mapped_range;
    xenforeignmemory_resource_handle *res;
    shared_iopage_t *page;
    unsigned nvcpus;
    evtchn_port_t *port;    /* our end, per vCPU; 0 when not bound */
};

struct xen_ioreq *xen_ioreq_open(uint16_t domid, uint64_t base, uint64_t size, unsigned irq)
{
    struct xen_ioreq *x = calloc(1, sizeof(*x));
    void *addr = NULL;
    unsigned i;

    if (!x)
        return NULL;
    x->domid = domid;
    x->base = base;
    x->size = size;
    x->irq = irq;
    x->dm = xendevicemodel_open(NULL, 0);
    x->fm = xenforeignmemory_open(NULL, 0);
    x->ev = xenevtchn_open(NULL, 0);
    if (!x->dm || !x->fm || !x->ev) {
        log_msg("cannot open the Xen device-model, foreign-memory or event-channel interface: %s",
                strerror(errno));
        goto fail;
    }
    if (xendevicemodel_nr_vcpus(x->dm, domid, &x->nvcpus) != 0 || x->nvcpus == 0) {
        log_msg("cannot read the guest's vCPU count: %s", strerror(errno));
        goto fail;
    }
    /* The request page holds one slot per vCPU, and no more than fit. */
    if (x->nvcpus > IOREQ_PAGE_SIZE / sizeof(ioreq_t)) {
        log_msg("%u vCPUs: more than one request page serves", x->nvcpus);
        goto fail;
    }
    x->port = calloc(x->nvcpus, sizeof(*x->port));
    if (!x->port)
        goto fail;
    if (xendevicemodel_create_ioreq_server(x->dm, domid, HVM_IOREQSRV_BUFIOREQ_OFF, &x->id) != 0) {
        log_msg("cannot create an IOREQ server: %s", strerror(errno));
        goto fail;
    }
    x->have_server = true;
    x->res = xenforeignmemory_map_resource(x->fm, domid, XENMEM_resource_ioreq_server, x->id,
                                           IOREQ_FRAME_SYNC, 1, &addr, PROT_READ | PROT_WRITE, 0);
    if (!x->res) {
        log_msg("cannot map the IOREQ server's page: %s", strerror(errno));
        goto fail;
    }
    x->page = addr;
    /* Enabling is what fills in each vCPU's port in the page. */
    if (xendevicemodel_set_ioreq_server_state(x->dm, domid, x->id, 1) != 0) {
        log_msg("cannot enable the IOREQ server: %s", strerror(errno));
        goto fail;
    }
    x->enabled = true;
    for (i = 0; i < x->nvcpus; i++) {
        xenevtchn_port_or_error_t p =
            xenevtchn_bind_interdomain(x->ev, domid, x->page->vcpu_ioreq[i].vp_eport);

        if (p < 0) {
            log_msg("cannot bind vCPU %u's port %u: %s", i, x->page->vcpu_ioreq[i].vp_eport,
                    strerror(errno));
            goto fail;
        }
        x->port[i] = (evtchn_port_t)p;
    }
    if (xendevicemodel_map_io_range_to_ioreq_server(x->dm, domid, x->id, 1, base,
                                                    base + size - 1) != 0) {
        log_msg("cannot claim %#llx-%#llx: %s", (unsigned long long)base,
                (unsigned long long)(base + size - 1), strerror(errno));
        goto fail;
    }
    x->mapped_range = true;
    return x;
fail:
    xen_ioreq_close(x);
    return NULL;
}

unsigned xen_ioreq_vcpus(const struct xen_ioreq *x)
{
    return x->nvcpus;
}

int xen_ioreq_fd(const struct xen_ioreq *x)
{
    return xenevtchn_fd(x->ev);
}

/* One vCPU's slot: answer it if it holds a request. */
static void serve_slot(struct xen_ioreq *x, unsigned v, xen_mmio_fn fn, void *ctx)
{
    ioreq_t *r = &x->page->vcpu_ioreq[v];

    if (r->state != STATE_IOREQ_READY)
        return;
    /* The request's fields were written before its state. */
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    if (r->type == IOREQ_TYPE_COPY && !r->data_is_ptr && r->count == 1 &&
        r->addr >= x->base && r->addr - x->base < x->size &&
        (r->size == 1 || r->size == 2 || r->size == 4 || r->size == 8)) {
        if (r->dir == IOREQ_READ)
            r->data = fn(ctx, r->addr - x->base, r->size, false, 0);
        else
            fn(ctx, r->addr - x->base, r->size, true, r->data);
    } else if (r->dir == IOREQ_READ) {
        /* Nothing we emulate: reads as all ones, like an empty bus. */
        r->data = ~0ull;
    }
    __atomic_thread_fence(__ATOMIC_RELEASE);
    r->state = STATE_IORESP_READY;
    xenevtchn_notify(x->ev, x->port[v]);
}

int xen_ioreq_handle(struct xen_ioreq *x, xen_mmio_fn fn, void *ctx)
{
    /* One port per call: the descriptor blocks, and stays readable while
     * more are pending, so the caller's poll brings us back for them. */
    xenevtchn_port_or_error_t p = xenevtchn_pending(x->ev);
    unsigned v;

    if (p < 0)
        return -1;
    xenevtchn_unmask(x->ev, (evtchn_port_t)p);
    for (v = 0; v < x->nvcpus; v++) {
        if (x->port[v] == (evtchn_port_t)p) {
            serve_slot(x, v, fn, ctx);
            break;
        }
    }
    return 0;
}

void xen_ioreq_irq(void *opaque, int level)
{
    struct xen_ioreq *x = opaque;

    xendevicemodel_set_irq_level(x->dm, x->domid, x->irq, (unsigned)level);
}

bool xen_ioreq_guest_alive(struct xen_ioreq *x)
{
    unsigned n;

    return xendevicemodel_nr_vcpus(x->dm, x->domid, &n) == 0;
}

void xen_ioreq_close(struct xen_ioreq *x)
{
    unsigned i;

    if (!x)
        return;
    /* Each step may fail once the guest is gone; the next is still due. */
    if (x->mapped_range)
        xendevicemodel_unmap_io_range_from_ioreq_server(x->dm, x->domid, x->id, 1, x->base,
                                                        x->base + x->size - 1);
    if (x->enabled)
        xendevicemodel_set_ioreq_server_state(x->dm, x->domid, x->id, 0);
    for (i = 0; x->port && i < x->nvcpus; i++) {
        if (x->port[i])
            xenevtchn_unbind(x->ev, x->port[i]);
    }
    if (x->res)
        xenforeignmemory_unmap_resource(x->fm, x->res);
    if (x->have_server)
        xendevicemodel_destroy_ioreq_server(x->dm, x->domid, x->id);
    if (x->ev)
        xenevtchn_close(x->ev);
    if (x->fm)
        xenforeignmemory_close(x->fm);
    if (x->dm)
        xendevicemodel_close(x->dm);
    free(x->port);
    free(x);
}
