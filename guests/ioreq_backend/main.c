/*
 * ioreq_backend: dom0 as the device model of a domU, through Xen 4.17's
 * IOREQ server interface as a VirtIO backend uses it on Arm
 * (libxendevicemodel + libxenforeignmemory): it creates a server for the
 * target, maps its synchronous ioreq page with XENMEM_acquire_resource,
 * enables it, binds each target vCPU's port, claims the window of
 * ioreq_device.h and emulates that device until the frontend
 * (guests/ioreq_front) says it is done; then it takes it all down again.
 * On the way it tries what Xen refuses (hostile.c).
 *
 * bootargs: target=<domid> (default 1)  vcpus=<the target's vCPU count> (default 2)
 *           trace=<n>: print the first n requests (default 0)
 *           fromdt=1: the target and its device come from our device tree's
 *           /chosen/proxenos-virtio, a dom0less virtio device (devtree.c)
 *
 * Its GUEST DONE line comes when the target has shut down: powering dom0
 * off ends the whole machine on Xen.
 */
#include "guest.h"
#include "backend.h"
#include "evtchn.h"
#include "hypercall.h"

#include <public/domctl.h>

#define GIB             (UINT64_C(1) << 30)
#define SERVE_MS        120000U         /* the frontend's whole run */
#define TICK_US         10000U          /* the longest a wait sleeps unchecked */
#define SHUTDOWN_MS     60000U

static struct backend b;

static void on_timer(uint32_t intid, void *arg)
{
    (void)intid;
    (void)arg;
    timer_stop();       /* only a wake-up: the wait loop looks at the clock itself */
}

static bool setup_events(const struct platform *p)
{
    if (!test_check("ioreq_gic", gic_init(p) == 0, "GIC init failed") ||
        !xen_expect("ioreq_shared_info", evtchn_setup(p), 0)) {
        return false;
    }
    (void)irq_register(p->vtimer_intid, on_timer, NULL);
    gic_irq_enable(p->vtimer_intid, GIC_PRIO_DEFAULT);
    irq_enable();
    return true;
}

/* Stage 1 (guests/lib/mmu.S) maps these as Normal memory: the ioreq page is RAM Xen shares. */
static bool normal_in_our_map(uint64_t addr)
{
    return ((addr >= GIB) && (addr < 4U * GIB)) || ((addr >= 8U * GIB) && (addr < 512U * GIB));
}

/* The first extended region with two pages where our map has Normal memory. */
static bool pick_gfns(const struct platform *p, uint64_t *gfn, uint64_t *spare)
{
    uint32_t i;

    for (i = 0U; i < p->ext_count; i++) {
        const struct mem_bank *r = &p->ext_region[i];

        printf("ioreq_backend: extended region %u: 0x%lx-0x%lx\n", i, r->base,
               r->base + r->size - 1U);
        if ((r->size >= 2U * XEN_PAGE_SIZE) && normal_in_our_map(r->base) &&
            normal_in_our_map(r->base + (2U * XEN_PAGE_SIZE) - 1U)) {
            *gfn = r->base >> XEN_PAGE_SHIFT;
            *spare = *gfn + 1U;
            return true;
        }
    }
    return false;
}

static bool create_and_map(uint64_t gfn)
{
    if (!xen_expect("ioreq_create_server",
                    dmop_create_server(b.target, HVM_IOREQSRV_BUFIOREQ_OFF, &b.id), 0)) {
        return false;
    }
    printf("ioreq_backend: server %u for d%u\n", b.id, b.target);
    if (!xen_expect("ioreq_acquire_page", acquire_ioreq_frame(b.target, b.id, 1U, gfn), 0)) {
        return false;
    }
    b.page = (volatile struct ioreq *)(uintptr_t)(gfn << XEN_PAGE_SHIFT);
    /* Xen fills in vp_eport when the server is enabled, not before. */
    printf("ioreq_backend: page at gfn 0x%lx, before enabling: vCPU 0 port %u state %u\n", gfn,
           b.page[0].vp_eport, b.page[0].flags & IOREQ_FLAGS_STATE_MASK);
    return xen_expect("ioreq_enable", dmop_set_state(b.target, b.id, true), 0);
}

/* Each target vCPU's port, bound to one of ours: its requests arrive there. */
static bool bind_ports(void)
{
    bool ok = true;
    uint32_t v;

    for (v = 0U; v < b.vcpus; v++) {
        uint32_t remote = b.page[v].vp_eport;
        long rc = evtchn_bind_interdomain(b.target, remote, &b.local_port[v]);

        printf("ioreq_backend: vCPU %u: d%u port %u -> our port %u (%s)\n", v, b.target, remote,
               b.local_port[v], xen_errno_name(rc));
        ok = (rc == 0) && ok;
        if (rc == 0) {
            (void)evtchn_unmask(b.local_port[v]);
        }
    }
    test_check("ioreq_bind_ports", ok, "a bind failed");
    test_check("ioreq_ports_distinct", (b.vcpus < 2U) || ((b.page[0].vp_eport != 0U) &&
               (b.page[1].vp_eport != 0U) && (b.page[0].vp_eport != b.page[1].vp_eport)),
               "vCPU ports %u and %u", b.page[0].vp_eport, b.page[1].vp_eport);
    return ok;
}

/* Sleeps (WFI) until an upcall after `seen`; false at the deadline. */
static bool wait_upcall(uint32_t seen, uint64_t deadline)
{
    while (evtchn_upcalls() == seen) {
        uint64_t now = timer_now();
        uint64_t tick = now + timer_us_to_ticks(TICK_US);

        if (now >= deadline) {
            return false;
        }
        /* IRQs masked: an event between the test and the WFI still ends the WFI */
        irq_disable();
        if (evtchn_upcalls() == seen) {
            timer_arm_at((tick < deadline) ? tick : deadline);
            wfi();
        }
        irq_enable();
    }
    return true;
}

static bool serve_until_done(void)
{
    uint64_t deadline = timer_now() + timer_us_to_ticks((uint64_t)SERVE_MS * 1000U);

    while (!b.dev.done) {
        /* taken before serving: an event while we serve wakes the wait at once */
        uint32_t seen = evtchn_upcalls();

        (void)serve_ready(&b);
        if (!b.dev.done && !wait_upcall(seen, deadline)) {
            return false;
        }
    }
    return true;
}

static void report_service(bool done)
{
    uint32_t v;

    test_check("ioreq_frontend_done", done, "no done write within %u ms", SERVE_MS);
    for (v = 0U; v < b.vcpus; v++) {
        printf("ioreq_backend: served %u requests of vCPU %u\n", b.served[v], v);
    }
    printf("ioreq_backend: %u reads, %u writes, %u doorbells, %u acks\n", b.reads, b.writes,
           b.dev.doorbells, b.dev.acks);
    test_check("ioreq_both_vcpus_served",
               (b.vcpus < 2U) || ((b.served[0] > 0U) && (b.served[1] > 0U)),
               "vCPU 0: %u, vCPU 1: %u", b.served[0], b.served[1]);
    test_check("ioreq_requests_well_formed", b.malformed == 0U, "%u malformed", b.malformed);
    test_check("ioreq_doorbells_acked", (b.dev.doorbells > 0U) && (b.dev.acks == b.dev.doorbells),
               "%u doorbells, %u acks", b.dev.doorbells, b.dev.acks);
    test_check("ioreq_irq_levels_set", b.dev.irq_errors == 0U, "%u set_irq_level failures",
               b.dev.irq_errors);
}

static void teardown(uint64_t gfn)
{
    struct xen_remove_from_physmap rm;

    xen_expect("ioreq_unmap_range",
               dmop_io_range(b.target, b.id, false, XEN_DMOP_IO_RANGE_MEMORY, IOREQ_DEV_BASE,
                             IOREQ_DEV_BASE + IOREQ_DEV_SIZE - 1U), 0);
    xen_expect("ioreq_disable", dmop_set_state(b.target, b.id, false), 0);
    /* the foreign mapping holds the page: give it back before the server goes */
    rm.domid = XEN_DOMID_SELF;
    rm.gpfn = gfn;
    xen_expect("ioreq_page_unmapped", hyp_memory_op(XENMEM_remove_from_physmap, &rm), 0);
    b.page = NULL;
    xen_expect("ioreq_destroy_server", dmop_destroy_server(b.target, b.id), 0);
    hostile_after_destroy(&b);
    /* the frontend's signal that all is down: asserted, and left so */
    xen_expect("ioreq_goodbye_irq", dmop_set_irq_level(b.target, IOREQ_DEV_INTID, 1U), 0);
}

static bool target_stopped(const void *ctx)
{
    static struct xen_domctl dc;
    const uint16_t *target = ctx;
    long rc;

    memset(&dc, 0, sizeof(dc));
    dc.cmd = XEN_DOMCTL_getdomaininfo;
    dc.interface_version = XEN_DOMCTL_INTERFACE_VERSION;
    dc.domain = *target;
    rc = xen_hypercall(__HYPERVISOR_domctl, hc_ptr(&dc), 0U, 0U);
    return (rc != 0) ||
           ((dc.u.getdomaininfo.flags & (XEN_DOMINF_shutdown | XEN_DOMINF_dying)) != 0U);
}

static bool start_server(const struct platform *p, uint64_t *gfn)
{
    uint64_t want = bootarg_u64(p->bootargs, "vcpus", 2U);
    uint64_t spare = 0U;

    if (!xen_expect("ioreq_nr_vcpus", dmop_nr_vcpus(b.target, &b.vcpus), 0) ||
        !test_check("ioreq_nr_vcpus_value", b.vcpus == want, "%u, not %lu", b.vcpus, want) ||
        !test_check("ioreq_vcpus_fit", b.vcpus <= BACKEND_MAX_VCPUS, "%u", b.vcpus) ||
        !test_check("ioreq_free_gfn", pick_gfns(p, gfn, &spare), "no usable extended region") ||
        !create_and_map(*gfn) || !bind_ports()) {
        return false;
    }
    if (!xen_expect("ioreq_map_range",
                    dmop_io_range(b.target, b.id, true, XEN_DMOP_IO_RANGE_MEMORY, IOREQ_DEV_BASE,
                                  IOREQ_DEV_BASE + IOREQ_DEV_SIZE - 1U), 0)) {
        return false;
    }
    hostile_with_server(&b, spare);
    return true;
}

void guest_main(const struct platform *p)
{
    uint64_t gfn = 0U;
    bool done;

    b.target = (uint16_t)bootarg_u64(p->bootargs, "target", 1U);
    b.trace = (uint32_t)bootarg_u64(p->bootargs, "trace", 0U);
    if ((bootarg_u64(p->bootargs, "fromdt", 0U) != 0U) && !backend_from_dt(p, &b)) {
        return;
    }
    regfile_init(&b.dev);
    printf("ioreq_backend: device model of d%u\n", b.target);
    if (!setup_events(p)) {
        return;
    }
    hostile_without_server(b.target);
    if (!start_server(p, &gfn)) {
        return;
    }
    printf("ioreq_backend: serving 0x%lx-0x%lx\n", IOREQ_DEV_BASE,
           IOREQ_DEV_BASE + IOREQ_DEV_SIZE - 1U);
    done = serve_until_done();
    report_service(done);
    teardown(gfn);
    printf("ioreq_backend: %u passed, %u failed; waiting for d%u to stop\n", test_passed(),
           test_failed(), b.target);
    test_check("ioreq_target_stopped", wait_until(target_stopped, &b.target, SHUTDOWN_MS),
               "d%u still running after %u ms", b.target, SHUTDOWN_MS);
}
