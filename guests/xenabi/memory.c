/* memory_op: reservations, the shared info and grant frames, balloon out and back in. */
#include "xenabi.h"

static volatile uint8_t balloon_page[XEN_PAGE_SIZE] __attribute__((aligned(XEN_PAGE_SIZE)));

static long reservation_op(uint32_t cmd, uint64_t *gfn, uint64_t nr, uint32_t order)
{
    struct xen_memory_reservation r = { hc_ptr(gfn), nr, order, 0U, XEN_DOMID_SELF };

    return hyp_memory_op(cmd, &r);
}

static long current_pages(void)
{
    uint16_t dom = XEN_DOMID_SELF;

    return hyp_memory_op(XENMEM_current_reservation, &dom);
}

static void reservations(const struct platform *p)
{
    uint16_t dom = XEN_DOMID_SELF;
    long cur = current_pages();
    long max = hyp_memory_op(XENMEM_maximum_reservation, &dom);
    long gpfn = hyp_memory_op(XENMEM_maximum_gpfn, &dom);
    uint64_t last = (p->mem[p->mem_count - 1U].base + p->mem[p->mem_count - 1U].size - 1U) >> 12;

    printf("xenabi: current_reservation %ld, maximum_reservation %ld, maximum_gpfn 0x%lx\n",
           cur, max, (unsigned long)gpfn);
    xen_expect("memory_current_reservation", cur, (long)(p->mem_total >> XEN_PAGE_SHIFT));
    test_check("memory_maximum_reservation", max >= cur, "%ld < %ld", max, cur);
    test_check("memory_maximum_gpfn", (gpfn >= (long)last), "0x%lx below RAM end 0x%lx",
               (unsigned long)gpfn, last);
    dom = 0x7fe0U;
    xen_expect("memory_current_reservation_bad_dom",
               hyp_memory_op(XENMEM_current_reservation, &dom), -XEN_ESRCH);
}

static void physmap(const struct platform *p)
{
    struct xen_add_to_physmap x = { XEN_DOMID_SELF, 0U, XENMAPSPACE_grant_table, 1000U, 0U };

    xen_expect("memory_map_shared_info", evtchn_setup(p), 0);
    test_check("memory_shared_info_clean", !evtchn_2l_pending(1U) && (evtchn_shared->wc_sec_hi == 0U),
               "shared info page not as Xen left it");
    xen_expect("memory_map_grant_frame", gnttab_setup(p), 0);
    x.gpfn = (p->gnttab_base >> XEN_PAGE_SHIFT) + 1U;
    xen_expect("memory_map_grant_frame_too_big", hyp_memory_op(XENMEM_add_to_physmap, &x), -XEN_EINVAL);
    x.space = 99U;
    x.idx = 0U;
    xen_expect("memory_map_bad_space", hyp_memory_op(XENMEM_add_to_physmap, &x), -XEN_ENOSYS);
}

static void balloon(void)
{
    uint64_t gfn = (uint64_t)(uintptr_t)balloon_page >> XEN_PAGE_SHIFT;
    long before;
    long rc;
    uint32_t i;
    bool ok = true;

    balloon_page[0] = 0x11U;
    dsb_sy();
    before = current_pages();
    rc = reservation_op(XENMEM_decrease_reservation, &gfn, 1U, 0U);
    xen_expect("memory_decrease_reservation", rc, 1);
    xen_expect("memory_reservation_down", current_pages(), before - 1);
    rc = reservation_op(XENMEM_populate_physmap, &gfn, 1U, 0U);
    xen_expect("memory_populate_physmap", rc, 1);
    xen_expect("memory_reservation_up", current_pages(), before);
    for (i = 0U; i < XEN_PAGE_SIZE; i++) {
        balloon_page[i] = (uint8_t)(i * 7U);
    }
    for (i = 0U; i < XEN_PAGE_SIZE; i++) {
        ok = ok && (balloon_page[i] == (uint8_t)(i * 7U));
    }
    test_check("memory_populated_page_usable", ok, "read back differs");

    gfn = 0x1000U;      /* 16 MiB: no RAM there */
    xen_expect("memory_decrease_not_ram", reservation_op(XENMEM_decrease_reservation, &gfn, 1U, 0U), 0);
    gfn = (uint64_t)(uintptr_t)balloon_page >> XEN_PAGE_SHIFT;
    xen_expect("memory_populate_huge_order", reservation_op(XENMEM_populate_physmap, &gfn, 1U, 40U), 0);
}

void test_memory(const struct platform *p)
{
    reservations(p);
    physmap(p);
    balloon();
}
