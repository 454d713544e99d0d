/* Host tests of HYPERVISOR_memory_op (common/memory/memory_op.c and
 * memory_reservation.c): the physmap commands and the balloon driver's
 * reservation commands, success and error paths, as Xen 4.17 on Arm. */
#include "gnttab_env.h"

#define D1 1U
#define D2 2U
#define LIST (ARGS + 0x800U)        /* extent lists */

static struct domain *d1;
static struct domain *d2;

static int setup(void **state)
{
    (void)state;
    env_init();
    d1 = dom_create(0U, D1, false, false);
    d2 = dom_create(1U, D2, false, false);
    as_dom(d1);
    return 0;
}

static long add_to_physmap(domid_t dom, uint32_t space, uint64_t idx, uint64_t g, uint16_t size)
{
    struct xen_add_to_physmap x = { .domid = dom, .size = size, .space = space, .idx = idx,
                                    .gpfn = g };

    memcpy(gptr(d1, ARGS), &x, sizeof(x));
    return mem_op(XENMEM_add_to_physmap, ARGS);
}

static long remove_from_physmap(domid_t dom, uint64_t g)
{
    struct xen_remove_from_physmap x = { .domid = dom, .gpfn = g };

    memcpy(gptr(d1, ARGS), &x, sizeof(x));
    return mem_op(XENMEM_remove_from_physmap, ARGS);
}

/* A reservation command on d1's behalf with the gfns given. */
static long reservation(uint64_t cmd, domid_t dom, uint32_t order, const uint64_t *gfns,
                        uint64_t n, unsigned int *restarts)
{
    struct xen_memory_reservation r = { .extent_start = LIST, .nr_extents = n,
                                        .extent_order = order, .domid = dom };

    if (gfns != NULL) {
        memcpy(gptr(d1, LIST), gfns, n * sizeof(uint64_t));
    }
    memcpy(gptr(d1, ARGS), &r, sizeof(r));
    return hcall(do_memory_op, cmd, ARGS, 0U, restarts);
}

static void test_shared_info(void **state)
{
    const uint64_t g = GRAM_PFN + 20U;     /* over a page of d1's own RAM */
    mfn_t m;

    (void)state;
    assert_int_equal(add_to_physmap(DOMID_SELF, XENMAPSPACE_shared_info, 0U, g, 0U), 0);
    assert_int_equal(p2m_type_at(d1, g, &m), GUEST_FRAME_RAM);
    assert_int_equal(mfn_x(m), mfn_x(tdoms[0].shinfo));
    /* Mapped already: remove it first, as Xen 4.17 wants. */
    assert_int_equal(add_to_physmap(DOMID_SELF, XENMAPSPACE_shared_info, 0U, g + 1U, 0U),
                     -EBUSY);
    assert_int_equal(add_to_physmap(DOMID_SELF, XENMAPSPACE_shared_info, 1U, g + 1U, 0U),
                     -EINVAL);
    assert_int_equal(remove_from_physmap(DOMID_SELF, g), 0);
    assert_int_equal(p2m_type_at(d1, g, NULL), GUEST_FRAME_NONE);
    assert_int_equal(remove_from_physmap(DOMID_SELF, g), -ENOENT);
    assert_int_equal(add_to_physmap(DOMID_SELF, XENMAPSPACE_shared_info, 0U, g + 1U, 0U), 0);
    /* Something else mapped over it frees its place too. */
    assert_int_equal(add_to_physmap(DOMID_SELF, XENMAPSPACE_grant_table, 0U, g + 1U, 0U), 0);
    assert_int_equal(add_to_physmap(DOMID_SELF, XENMAPSPACE_shared_info, 0U, g + 2U, 0U), 0);
    /* The tot_pages of the domain does not change. */
    assert_int_equal(d1->tot_pages, RAM_PAGES);
}

static void test_grant_frames(void **state)
{
    (void)state;
    for (uint64_t i = 0U; i < 64U; i++) {
        assert_int_equal(add_to_physmap(DOMID_SELF, XENMAPSPACE_grant_table, i, GNT_PFN + i, 0U),
                         0);
    }
    assert_int_equal(gnttab_nr_frames(d1), 64U);
    assert_int_equal(add_to_physmap(DOMID_SELF, XENMAPSPACE_grant_table, 64U, GNT_PFN + 64U, 0U),
                     -EINVAL);
    assert_int_equal(add_to_physmap(DOMID_SELF, XENMAPSPACE_grant_table,
                                    XENMAPIDX_grant_table_status, GNT_PFN + 65U, 0U), -EINVAL);
    assert_int_equal(add_to_physmap(DOMID_SELF, XENMAPSPACE_grant_table, 3U, GNT_PFN + 99U, 0U),
                     -EBUSY);
    assert_int_equal(remove_from_physmap(DOMID_SELF, GNT_PFN + 3U), 0);
    assert_int_equal(add_to_physmap(DOMID_SELF, XENMAPSPACE_grant_table, 3U, GNT_PFN + 99U, 0U),
                     0);
}

static void test_physmap_refusals(void **state)
{
    const uint64_t g = GRAM_PFN + 30U;

    (void)state;
    assert_int_equal(add_to_physmap(DOMID_SELF, XENMAPSPACE_gmfn, 1U, g, 0U), -ENOSYS);
    assert_int_equal(add_to_physmap(DOMID_SELF, XENMAPSPACE_gmfn_range, 1U, g, 2U), -ENOSYS);
    assert_int_equal(add_to_physmap(DOMID_SELF, XENMAPSPACE_gmfn_range, 1U, g, 0U), 0);
    assert_int_equal(add_to_physmap(DOMID_SELF, XENMAPSPACE_gmfn_range, UINT64_MAX, g, 2U),
                     -EOVERFLOW);
    assert_int_equal(add_to_physmap(DOMID_SELF, XENMAPSPACE_gmfn_foreign, 1U, g, 0U), -ENOSYS);
    assert_int_equal(add_to_physmap(DOMID_SELF, XENMAPSPACE_dev_mmio, 1U, g, 0U), -EACCES);
    assert_int_equal(add_to_physmap(DOMID_SELF, 9U, 1U, g, 0U), -ENOSYS);
    assert_int_equal(add_to_physmap(77U, XENMAPSPACE_shared_info, 0U, g, 0U), -ESRCH);
    assert_int_equal(add_to_physmap(D2, XENMAPSPACE_shared_info, 0U, g, 0U), -EPERM);
    assert_int_equal(add_to_physmap(DOMID_SELF, XENMAPSPACE_shared_info, 0U, UINT64_MAX, 0U),
                     -EINVAL);
    assert_int_equal(mem_op(XENMEM_add_to_physmap | (0x10000ULL << MEMOP_EXTENT_SHIFT), ARGS),
                     -EDOM);
    assert_int_equal(mem_op(XENMEM_add_to_physmap, 0x1000U), -EFAULT);
    assert_int_equal(remove_from_physmap(DOMID_SELF, 0x99999U), -ENOENT);
    assert_int_equal(remove_from_physmap(D2, GRAM_PFN), -EPERM);
    assert_int_equal(remove_from_physmap(66U, GRAM_PFN), -ESRCH);
    assert_int_equal(mem_op(XENMEM_remove_from_physmap | (1U << MEMOP_EXTENT_SHIFT), ARGS),
                     -EINVAL);
    assert_int_equal(mem_op(XENMEM_exchange, ARGS), -ENOSYS);
    assert_int_equal(mem_op(XENMEM_claim_pages, ARGS), -ENOSYS);
    /* No memory sharing: nothing freed or shared, as Xen 4.17 on Arm. */
    assert_int_equal(mem_op(XENMEM_get_sharing_freed_pages, 0U), 0);
    assert_int_equal(mem_op(XENMEM_get_sharing_shared_pages, 0U), 0);
}

static void test_physmap_batch(void **state)
{
    uint64_t idxs[3] = { 0U, 0U, 5U };
    uint64_t gpfns[3] = { GRAM_PFN + 40U, GNT_PFN, GNT_PFN + 5U };
    int32_t *errs = gptr(d1, ARGS + 0x300U);
    struct xen_add_to_physmap_batch b = { .domid = DOMID_SELF, .space = XENMAPSPACE_grant_table,
                                          .size = 3U, .idxs = ARGS + 0x100U,
                                          .gpfns = ARGS + 0x200U, .errs = ARGS + 0x300U };

    (void)state;
    memcpy(gptr(d1, ARGS + 0x100U), idxs, sizeof(idxs));
    memcpy(gptr(d1, ARGS + 0x200U), gpfns, sizeof(gpfns));
    memcpy(gptr(d1, ARGS), &b, sizeof(b));
    assert_int_equal(mem_op(XENMEM_add_to_physmap_batch, ARGS), 0);
    assert_int_equal(errs[0], 0);
    assert_int_equal(errs[1], -EBUSY);  /* frame 0 is mapped at GRAM_PFN + 40 now */
    assert_int_equal(errs[2], 0);

    b.space = XENMAPSPACE_gmfn_foreign;
    b.u.foreign_domid = D2;
    b.size = 1U;
    memcpy(gptr(d1, ARGS), &b, sizeof(b));
    assert_int_equal(mem_op(XENMEM_add_to_physmap_batch, ARGS), 0);
    assert_int_equal(errs[0], -EPERM);
    b.space = XENMAPSPACE_gmfn_range;
    memcpy(gptr(d1, ARGS), &b, sizeof(b));
    assert_int_equal(mem_op(XENMEM_add_to_physmap_batch, ARGS), -EOPNOTSUPP);
    b.space = XENMAPSPACE_shared_info;
    b.size = 0U;
    memcpy(gptr(d1, ARGS), &b, sizeof(b));
    assert_int_equal(mem_op(XENMEM_add_to_physmap_batch, ARGS), 0);
    assert_int_equal(mem_op(XENMEM_add_to_physmap_batch | (1U << MEMOP_EXTENT_SHIFT), ARGS),
                     -EILSEQ);
    b.size = 1U;
    b.errs = 0x1000U;
    memcpy(gptr(d1, ARGS), &b, sizeof(b));
    assert_int_equal(mem_op(XENMEM_add_to_physmap_batch, ARGS), -EFAULT);
}

static void test_reservation_stats(void **state)
{
    struct xen_memory_domain md = { .domid = DOMID_SELF };

    (void)state;
    memcpy(gptr(d1, ARGS), &md, sizeof(md));
    assert_int_equal(mem_op(XENMEM_current_reservation, ARGS), RAM_PAGES);
    assert_int_equal(mem_op(XENMEM_maximum_reservation, ARGS), RAM_PAGES + 16U);
    assert_int_equal(mem_op(XENMEM_maximum_gpfn, ARGS), GRAM_PFN + RAM_PAGES + 16U - 1U);
    assert_int_equal(mem_op(XENMEM_current_reservation | (1U << MEMOP_EXTENT_SHIFT), ARGS),
                     -EINVAL);
    md.domid = D2;
    memcpy(gptr(d1, ARGS), &md, sizeof(md));
    assert_int_equal(mem_op(XENMEM_current_reservation, ARGS), -EPERM);
    md.domid = 50U;
    memcpy(gptr(d1, ARGS), &md, sizeof(md));
    assert_int_equal(mem_op(XENMEM_maximum_reservation, ARGS), -ESRCH);
    assert_int_equal(mem_op(XENMEM_current_reservation, 0x1000U), -EFAULT);
}

static void test_balloon_out_and_in(void **state)
{
    uint64_t gfns[3] = { GRAM_PFN + 10U, GRAM_PFN + 11U, GRAM_PFN + 12U };
    uint64_t fresh_free;

    (void)state;
    *(uint32_t *)gptr(d1, GRAM + 10U * PAGE_SIZE + 64U) = 0xdeadU;
    assert_int_equal(reservation(XENMEM_decrease_reservation, DOMID_SELF, 0U, gfns, 3U, NULL), 3);
    assert_int_equal(d1->tot_pages, RAM_PAGES - 3U);
    assert_int_equal(xenmem_reuse_pages(d1), 3U);
    assert_int_equal(p2m_type_at(d1, GRAM_PFN + 11U, NULL), GUEST_FRAME_NONE);
    /* Gone already: stops there. */
    assert_int_equal(reservation(XENMEM_decrease_reservation, DOMID_SELF, 0U, gfns, 3U, NULL), 0);

    /* Populate takes the ballooned pages first, zeroed. */
    fresh_free = free_now();
    gfns[0] = GRAM_PFN + 200U;
    gfns[1] = GRAM_PFN + 201U;
    assert_int_equal(reservation(XENMEM_populate_physmap, DOMID_SELF, 0U, gfns, 2U, NULL), 2);
    assert_int_equal(free_now(), fresh_free);
    assert_int_equal(xenmem_reuse_pages(d1), 1U);
    assert_int_equal(d1->tot_pages, RAM_PAGES - 1U);
    {
        mfn_t m;

        assert_int_equal(p2m_type_at(d1, GRAM_PFN + 200U, &m), GUEST_FRAME_RAM);
        for (unsigned int i = 0U; i < 1024U; i++) {
            assert_int_equal(((const uint32_t *)arch_maddr_to_virt(mfn_to_paddr(m)))[i], 0U);
        }
    }
    /* Then the allocator, with one-page blocks that go back whole. */
    gfns[0] = GRAM_PFN + 202U;
    gfns[1] = GRAM_PFN + 203U;
    assert_int_equal(reservation(XENMEM_populate_physmap, DOMID_SELF, 0U, gfns, 2U, NULL), 2);
    assert_int_equal(xenmem_reuse_pages(d1), 0U);
    assert_int_equal(free_now(), fresh_free - 1U);
    gfns[0] = GRAM_PFN + 203U;
    assert_int_equal(reservation(XENMEM_decrease_reservation, DOMID_SELF, 0U, gfns, 1U, NULL), 1);
    assert_int_equal(free_now(), fresh_free);
    assert_int_equal(xenmem_reuse_pages(d1), 0U);
}

static void test_populate_limits(void **state)
{
    uint64_t g[2] = { GRAM_PFN + 300U, GRAM_PFN + 340U };
    unsigned int calls = fake_p2m_map_calls();

    (void)state;
    /* Order 2 extents: fresh blocks, counted in tot_pages, each mapped in
     * one stage-2 change where nothing was mapped (block mappings). */
    assert_int_equal(reservation(XENMEM_populate_physmap, DOMID_SELF, 2U, g, 2U, NULL), 2);
    assert_int_equal(fake_p2m_map_calls() - calls, 2U);
    assert_int_equal(d1->tot_pages, RAM_PAGES + 8U);
    assert_int_equal(p2m_type_at(d1, GRAM_PFN + 343U, NULL), GUEST_FRAME_RAM);
    /* Over a range where something is mapped: page by page. */
    g[0] = GRAM_PFN + 342U;
    g[0] &= ~3ULL;
    calls = fake_p2m_map_calls();
    assert_int_equal(reservation(XENMEM_populate_physmap, DOMID_SELF, 1U, g, 1U, NULL), 1);
    assert_int_equal(fake_p2m_map_calls() - calls, 2U);
    assert_int_equal(d1->tot_pages, RAM_PAGES + 10U);
    /* The frames it replaced stay d1's until it dies (as on Xen): take
     * them out of the count again for the limits below. */
    d1->tot_pages -= 2U;
    /* max_pages is RAM_PAGES + 16: a third order-3 extent does not fit. */
    g[0] = GRAM_PFN + 400U;
    assert_int_equal(reservation(XENMEM_populate_physmap, DOMID_SELF, 3U, g, 2U, NULL), 1);
    assert_int_equal(d1->tot_pages, RAM_PAGES + 16U);
    /* A domU may not use extents above order 9. */
    assert_int_equal(reservation(XENMEM_populate_physmap, DOMID_SELF, 10U, g, 1U, NULL), 0);
    /* Populate-on-demand, NUMA nodes, address bits: nothing done. */
    {
        struct xen_memory_reservation r = { .extent_start = LIST, .nr_extents = 1U,
                                            .mem_flags = XENMEMF_populate_on_demand,
                                            .domid = DOMID_SELF };

        memcpy(gptr(d1, ARGS), &r, sizeof(r));
        assert_int_equal(mem_op(XENMEM_populate_physmap, ARGS), 0);
        r.mem_flags = (1U + 1U) << 8 | XENMEMF_exact_node_request;
        memcpy(gptr(d1, ARGS), &r, sizeof(r));
        assert_int_equal(mem_op(XENMEM_populate_physmap, ARGS), 0);
        r.mem_flags = 12U;
        memcpy(gptr(d1, ARGS), &r, sizeof(r));
        assert_int_equal(mem_op(XENMEM_populate_physmap, ARGS), 0);
    }
    /* A stage-2 failure gives the extent back. */
    assert_int_equal(reservation(XENMEM_decrease_reservation, DOMID_SELF, 0U, g, 1U, NULL), 1);
    fake_p2m_fail_maps(1U);
    g[0] = GRAM_PFN + 500U;
    assert_int_equal(reservation(XENMEM_populate_physmap, DOMID_SELF, 0U, g, 1U, NULL), 0);
    assert_int_equal(xenmem_reuse_pages(d1), 1U);
}

static void test_decrease_errors(void **state)
{
    uint64_t g[3] = { GRAM_PFN + 5U, 0x99999U, GRAM_PFN + 6U };
    struct guest_page gp;
    mfn_t m;

    (void)state;
    /* Unmapped gfn in the middle: stops there. */
    assert_int_equal(reservation(XENMEM_decrease_reservation, DOMID_SELF, 0U, g, 3U, NULL), 1);
    /* A pinned page goes out of the guest, but is never reused. */
    g[0] = GRAM_PFN + 7U;
    assert_int_equal(p2m_type_at(d1, g[0], &m), GUEST_FRAME_RAM);
    assert_int_equal(guest_page_get(d1, gfn(g[0]), &gp), 0);
    assert_int_equal(reservation(XENMEM_decrease_reservation, DOMID_SELF, 0U, g, 1U, NULL), 1);
    assert_true(guest_page_pinned(mfn_to_page(m)));
    assert_int_equal(xenmem_reuse_pages(d1), 1U);       /* GRAM_PFN + 5 only */
    assert_int_equal(d1->tot_pages, RAM_PAGES - 2U);
    guest_page_put(&gp);
    /* A grant mapping is not the domain's RAM. */
    assert_int_equal(arch_guest_map_page(d1, gfn(0x70000U), m, GUEST_FRAME_GRANT_RW), 0);
    g[0] = 0x70000U;
    assert_int_equal(reservation(XENMEM_decrease_reservation, DOMID_SELF, 0U, g, 1U, NULL), 0);
    /* Other domains, bad domains, too large orders, bad arrays. */
    assert_int_equal(reservation(XENMEM_decrease_reservation, D2, 0U, g, 1U, NULL), 0);
    assert_int_equal(reservation(XENMEM_decrease_reservation, 123U, 0U, g, 1U, NULL), 0);
    assert_int_equal(reservation(XENMEM_decrease_reservation, DOMID_SELF, 10U, g, 1U, NULL), 0);
    assert_int_equal(reservation(XENMEM_decrease_reservation, DOMID_SELF, 0U, NULL,
                                 UINT64_C(1) << 58, NULL), 0);
    assert_int_equal(mem_op(XENMEM_decrease_reservation, 0x1000U), 0);
    assert_int_equal(mem_op(XENMEM_decrease_reservation | (5U << MEMOP_EXTENT_SHIFT), ARGS), 5);
}

/* Two vCPUs ballooning out the same gfn at once: the second looks after the
 * first has looked and before it has removed. Only one of them may take
 * the page away (once from tot_pages, once onto the reuse list); the other
 * finds the gfn gone. */
static uint64_t racing_gfn;

static void other_vcpu_removes_it(void)
{
    assert_int_equal(reservation(XENMEM_decrease_reservation, DOMID_SELF, 0U, &racing_gfn, 1U,
                                 NULL), 1);
}

static void test_racing_removals_free_once(void **state)
{
    mfn_t m;

    (void)state;
    racing_gfn = GRAM_PFN + 9U;
    assert_int_equal(xenmem_reuse_pages(d1), 0U);
    fake_p2m_after_next_lookup(other_vcpu_removes_it);
    assert_int_equal(reservation(XENMEM_decrease_reservation, DOMID_SELF, 0U, &racing_gfn, 1U,
                                 NULL), 0);
    assert_int_equal(d1->tot_pages, RAM_PAGES - 1U);
    assert_int_equal(xenmem_reuse_pages(d1), 1U);
    assert_int_equal(p2m_type_at(d1, racing_gfn, &m), GUEST_FRAME_NONE);
}

static void test_continuation(void **state)
{
    uint64_t g[60];
    struct hcall_args args = { { XENMEM_decrease_reservation, ARGS, 0U, 0U, 0U } };
    struct xen_memory_reservation r = { .extent_start = LIST, .nr_extents = 60U,
                                        .domid = DOMID_SELF };

    (void)state;
    for (unsigned int i = 0U; i < 60U; i++) {
        g[i] = GRAM_PFN + 4U + i;
    }
    d1->max_pages = 1000U;
    /* 60 extents: one invocation. */
    memcpy(gptr(d1, LIST), g, sizeof(g));
    memcpy(gptr(d1, ARGS), &r, sizeof(r));
    assert_int_equal(do_memory_op(&args), 60);
    /* 70 extents: the first invocation stops after 64 and says so in cmd. */
    r.nr_extents = 70U;
    for (unsigned int i = 0U; i < 70U; i++) {
        uint64_t x = GRAM_PFN + 1000U + i;

        memcpy((uint8_t *)gptr(d1, LIST) + i * 8U, &x, 8U);
    }
    memcpy(gptr(d1, ARGS), &r, sizeof(r));
    args = (struct hcall_args){ { XENMEM_populate_physmap, ARGS, 0U, 0U, 0U } };
    assert_int_equal(do_memory_op(&args), -ERESTART);
    assert_int_equal(args.a[0], XENMEM_populate_physmap | (64U << MEMOP_EXTENT_SHIFT));
    assert_int_equal(do_memory_op(&args), 70);
    assert_int_equal(d1->tot_pages, RAM_PAGES + 10U);
    assert_int_equal(xenmem_reuse_pages(d1), 0U);
}

static void test_increase(void **state)
{
    (void)state;
    assert_int_equal(reservation(XENMEM_increase_reservation, DOMID_SELF, 1U, NULL, 3U, NULL), 3);
    assert_int_equal(d1->tot_pages, RAM_PAGES + 6U);
    assert_int_equal(reservation(XENMEM_increase_reservation, DOMID_SELF, 4U, NULL, 3U, NULL), 0);
}

static void test_direct_mapped(void **state)
{
    struct domain *d0;
    mfn_t ram;
    uint64_t g[1];
    uint64_t before;

    (void)state;
    d0 = dom_create(2U, 0U, true, true);
    ram = tdoms[2].ram;
    as_dom(d0);
    g[0] = mfn_x(ram) + 3U;
    memcpy(arch_maddr_to_virt(mfn_to_paddr(ram) + 0x800U), g, sizeof(g));
    {
        struct xen_memory_reservation r = { .extent_start = mfn_to_paddr(ram) + 0x800U,
                                            .nr_extents = 1U, .domid = DOMID_SELF };

        memcpy(arch_maddr_to_virt(mfn_to_paddr(ram) + 0x400U), &r, sizeof(r));
        before = free_now();
        assert_int_equal(mem_op(XENMEM_decrease_reservation, mfn_to_paddr(ram) + 0x400U), 1);
        assert_int_equal(p2m_type_at(d0, g[0], NULL), GUEST_FRAME_NONE);
        assert_int_equal(d0->tot_pages, RAM_PAGES);     /* kept allocated */
        assert_int_equal(free_now(), before);
        assert_int_equal(mem_op(XENMEM_populate_physmap, mfn_to_paddr(ram) + 0x400U), 1);
        {
            mfn_t m;

            assert_int_equal(p2m_type_at(d0, g[0], &m), GUEST_FRAME_RAM);
            assert_int_equal(mfn_x(m), mfn_x(ram) + 3U);
        }
        /* A frame that is not dom0's: nothing populated. */
        g[0] = mfn_x(tdoms[0].ram);
        memcpy(arch_maddr_to_virt(mfn_to_paddr(ram) + 0x800U), g, sizeof(g));
        assert_int_equal(mem_op(XENMEM_populate_physmap, mfn_to_paddr(ram) + 0x400U), 0);
        /* dom0 may use order-18 extents. */
        r.extent_order = 18U;
        memcpy(arch_maddr_to_virt(mfn_to_paddr(ram) + 0x400U), &r, sizeof(r));
        assert_int_equal(mem_op(XENMEM_populate_physmap, mfn_to_paddr(ram) + 0x400U), 0);
    }
}

static void test_unset_max_pages(void **state)
{
    uint64_t g[2] = { GRAM_PFN + 8U, GRAM_PFN + 9U };

    (void)state;
    /* A builder that set no limit: the domain's size when it starts
     * ballooning is its limit, so what it gave back it can take again. */
    d1->max_pages = 0U;
    assert_int_equal(reservation(XENMEM_decrease_reservation, DOMID_SELF, 0U, g, 2U, NULL), 2);
    assert_int_equal(d1->max_pages, RAM_PAGES);
    assert_int_equal(reservation(XENMEM_populate_physmap, DOMID_SELF, 0U, g, 2U, NULL), 2);
    g[0] = GRAM_PFN + 100U;
    assert_int_equal(reservation(XENMEM_populate_physmap, DOMID_SELF, 0U, g, 1U, NULL), 0);
}

static void test_physmap_batch_continues(void **state)
{
    uint64_t *idxs = gptr(d1, ARGS + 0x1000U);
    uint64_t *gpfns = gptr(d1, ARGS + 0x1800U);
    const int32_t *errs = gptr(d1, ARGS + 0x800U);
    struct xen_add_to_physmap_batch b = { .domid = DOMID_SELF, .space = XENMAPSPACE_grant_table,
                                          .size = 70U, .idxs = ARGS + 0x1000U,
                                          .gpfns = ARGS + 0x1800U, .errs = ARGS + 0x800U };
    unsigned int restarts = 0U;

    (void)state;
    for (unsigned int i = 0U; i < 70U; i++) {
        idxs[i] = i;
        gpfns[i] = GNT_PFN + i;
    }
    memcpy(gptr(d1, ARGS), &b, sizeof(b));
    assert_int_equal(hcall(do_memory_op, XENMEM_add_to_physmap_batch, ARGS, 0U, &restarts), 0);
    assert_int_equal(restarts, 1U);
    assert_int_equal(errs[0], 0);
    assert_int_equal(errs[63], 0);
    assert_int_equal(errs[64], -EINVAL);    /* beyond 64 frames */
    assert_int_equal(errs[69], -EINVAL);
}

/* ---- Static domains (xen,static-mem): never a heap page ------------------ */

static int setup_static(void **state)
{
    (void)state;
    env_init_with(true);
    d1 = dom_create(0U, D1, false, false);
    d2 = dom_create(1U, D2, false, false);
    as_dom(d1);
    return 0;
}

/* Make d static, as domain_assign_static_ram does, with one more block:
 * the first static page as a one-page block at gfn g. */
static mfn_t make_static(struct domain *d, uint64_t g)
{
    mfn_t m = paddr_to_mfn(STATIC_BASE);

    assert_int_equal(page_alloc_acquire_static(m, 0U), 0);
    page_list_push(&d->page_list, mfn_to_page(m));
    fake_guest_map(d, g << PAGE_SHIFT, STATIC_BASE, PAGE_SIZE);
    d->tot_pages++;
    d->static_mem = true;
    return m;
}

static uint64_t allocs_now(void)
{
    struct page_alloc_stats st;

    page_alloc_stats(&st);
    return st.nr_allocs;
}

static void test_static_balloons_within_its_own_pages(void **state)
{
    const uint64_t sg = GRAM_PFN + RAM_PAGES;   /* the one-page static block */
    uint64_t g[3] = { sg, GRAM_PFN + 10U, 0U };
    mfn_t sm;
    mfn_t m;
    uint64_t free0;
    uint64_t allocs0;

    (void)state;
    sm = make_static(d1, sg);
    /* Room under the limit: only the list may stop a populate. */
    d1->max_pages = d1->tot_pages + 8U;
    free0 = free_now();
    allocs0 = allocs_now();

    assert_int_equal(reservation(XENMEM_decrease_reservation, DOMID_SELF, 0U, g, 2U, NULL), 2);
    assert_int_equal(d1->tot_pages, RAM_PAGES - 1U);
    /* The one-page block too stays the domain's, on its list. */
    assert_int_equal(xenmem_reuse_pages(d1), 2U);
    assert_true(page_is_allocated(mfn_to_page(sm)));
    assert_int_equal(free_now(), free0);

    /* Three asked, two on the list: two done, the heap never asked. */
    g[0] = GRAM_PFN + 200U;
    g[1] = GRAM_PFN + 201U;
    g[2] = GRAM_PFN + 202U;
    assert_int_equal(reservation(XENMEM_populate_physmap, DOMID_SELF, 0U, g, 3U, NULL), 2);
    assert_int_equal(xenmem_reuse_pages(d1), 0U);
    assert_int_equal(d1->tot_pages, RAM_PAGES + 1U);
    assert_int_equal(p2m_type_at(d1, GRAM_PFN + 202U, NULL), GUEST_FRAME_NONE);
    assert_int_equal(p2m_type_at(d1, GRAM_PFN + 200U, &m), GUEST_FRAME_RAM);
    assert_true((mfn_x(m) == mfn_x(sm)) || (mfn_x(m) == (mfn_x(tdoms[0].ram) + 10U)));
    assert_int_equal(free_now(), free0);
    assert_int_equal(allocs_now(), allocs0);

    /* increase_reservation: from the list too, and nothing when empty. */
    assert_int_equal(reservation(XENMEM_increase_reservation, DOMID_SELF, 0U, NULL, 1U, NULL), 0);
    g[0] = GRAM_PFN + 201U;
    assert_int_equal(reservation(XENMEM_decrease_reservation, DOMID_SELF, 0U, g, 1U, NULL), 1);
    assert_int_equal(reservation(XENMEM_increase_reservation, DOMID_SELF, 0U, NULL, 2U, NULL), 1);
    assert_int_equal(xenmem_reuse_pages(d1), 0U);
    assert_int_equal(free_now(), free0);
    assert_int_equal(allocs_now(), allocs0);
}

static void test_static_takes_order_0_only(void **state)
{
    uint64_t g[2] = { GRAM_PFN + 20U, GRAM_PFN + 21U };
    uint64_t allocs0;

    (void)state;
    (void)make_static(d1, GRAM_PFN + RAM_PAGES);
    d1->max_pages = d1->tot_pages + 8U;
    allocs0 = allocs_now();
    assert_int_equal(reservation(XENMEM_decrease_reservation, DOMID_SELF, 0U, g, 2U, NULL), 2);
    /* Two pages on the list, but not one extent of two. */
    g[0] = GRAM_PFN + 400U;
    assert_int_equal(reservation(XENMEM_populate_physmap, DOMID_SELF, 1U, g, 1U, NULL), 0);
    assert_int_equal(reservation(XENMEM_increase_reservation, DOMID_SELF, 1U, NULL, 1U, NULL), 0);
    assert_int_equal(xenmem_reuse_pages(d1), 2U);
    assert_int_equal(allocs_now(), allocs0);
    /* A non-static domain beside it still gets heap pages. */
    as_dom(d2);
    {
        struct xen_memory_reservation r = { .extent_start = LIST, .nr_extents = 1U,
                                            .extent_order = 1U, .domid = DOMID_SELF };

        *(uint64_t *)gptr(d2, LIST) = GRAM_PFN + 400U;
        memcpy(gptr(d2, ARGS), &r, sizeof(r));
        assert_int_equal(mem_op(XENMEM_populate_physmap, ARGS), 1);
    }
    assert_int_equal(allocs_now(), allocs0 + 1U);
}

/* A direct-mapped static domU maps back only its own frame at gfn == mfn,
 * as dom0 does, and asks the heap for nothing. */
static void test_static_direct_mapped_domu(void **state)
{
    struct domain *dd;
    mfn_t ram;
    paddr_t base;
    struct xen_memory_reservation r = { .nr_extents = 1U, .domid = DOMID_SELF };
    uint64_t free0;
    uint64_t allocs0;
    mfn_t m;

    (void)state;
    dd = dom_create(2U, 3U, false, true);
    dd->static_mem = true;
    ram = tdoms[2].ram;
    base = mfn_to_paddr(ram);
    as_dom(dd);
    r.extent_start = base + 0x800U;
    memcpy(arch_maddr_to_virt(base + 0x400U), &r, sizeof(r));
    *(uint64_t *)arch_maddr_to_virt(base + 0x800U) = mfn_x(ram) + 5U;
    free0 = free_now();
    allocs0 = allocs_now();
    assert_int_equal(mem_op(XENMEM_decrease_reservation, base + 0x400U), 1);
    assert_int_equal(p2m_type_at(dd, mfn_x(ram) + 5U, NULL), GUEST_FRAME_NONE);
    assert_int_equal(mem_op(XENMEM_populate_physmap, base + 0x400U), 1);
    assert_int_equal(p2m_type_at(dd, mfn_x(ram) + 5U, &m), GUEST_FRAME_RAM);
    assert_int_equal(mfn_x(m), mfn_x(ram) + 5U);
    /* Another domain's frame, or a gfn beyond its RAM: nothing. */
    *(uint64_t *)arch_maddr_to_virt(base + 0x800U) = mfn_x(tdoms[0].ram) + 1U;
    assert_int_equal(mem_op(XENMEM_populate_physmap, base + 0x400U), 0);
    *(uint64_t *)arch_maddr_to_virt(base + 0x800U) = mfn_x(ram) + RAM_PAGES;
    assert_int_equal(mem_op(XENMEM_populate_physmap, base + 0x400U), 0);
    assert_int_equal(free_now(), free0);
    assert_int_equal(allocs_now(), allocs0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_shared_info, setup),
        cmocka_unit_test_setup(test_grant_frames, setup),
        cmocka_unit_test_setup(test_physmap_refusals, setup),
        cmocka_unit_test_setup(test_physmap_batch, setup),
        cmocka_unit_test_setup(test_reservation_stats, setup),
        cmocka_unit_test_setup(test_balloon_out_and_in, setup),
        cmocka_unit_test_setup(test_populate_limits, setup),
        cmocka_unit_test_setup(test_decrease_errors, setup),
        cmocka_unit_test_setup(test_continuation, setup),
        cmocka_unit_test_setup(test_increase, setup),
        cmocka_unit_test_setup(test_direct_mapped, setup),
        cmocka_unit_test_setup(test_unset_max_pages, setup),
        cmocka_unit_test_setup(test_physmap_batch_continues, setup),
        cmocka_unit_test_setup(test_racing_removals_free_once, setup),
        cmocka_unit_test_setup(test_static_balloons_within_its_own_pages, setup_static),
        cmocka_unit_test_setup(test_static_takes_order_0_only, setup_static),
        cmocka_unit_test_setup(test_static_direct_mapped_domu, setup_static),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
