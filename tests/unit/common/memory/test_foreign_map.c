/* Host tests of foreign entries (common/memory/foreign_map.c and the
 * gmfn_foreign and remove_from_physmap paths of memory_op.c): dom0 maps a
 * domU's pages as libxenforeignmemory does, with Xen 4.17's per-entry
 * errors; every entry holds a reference on the domU and a pin on its page
 * until it is removed, replaced, or dom0's table is torn down. */
#include "gnttab_env.h"

#define D1 1U
#define D2 2U
#define HOLE 0x50000U               /* dom0 gfns outside its RAM */

static struct domain *d0;
static struct domain *d1;
static struct domain *d2;

static int setup(void **state)
{
    (void)state;
    env_init();
    d0 = dom_create(0U, 0U, true, true);
    d1 = dom_create(1U, D1, false, false);
    d2 = dom_create(2U, D2, false, false);
    d0->max_pages = 4096U;
    as_dom(d0);
    return 0;
}

/* Every test leaves no reference behind: dom0's teardown drops its
 * entries (env_init checks the count). */
static int teardown(void **state)
{
    (void)state;
    dom_destroy(d0);
    return 0;
}

/* Guest address and host pointer of byte off of the caller d's RAM. */
static uint64_t gaddr(const struct domain *d, uint64_t off)
{
    return d->direct_map ? (mfn_to_paddr(tdom_of(d)->ram) + off) : (GRAM + off);
}

static void *hptr(const struct domain *d, uint64_t off)
{
    return arch_maddr_to_virt(mfn_to_paddr(tdom_of(d)->ram) + off);
}

#define ARG_OFF  0x1000U
#define IDX_OFF  0x2000U
#define GPFN_OFF 0x3000U
#define ERR_OFF  0x4000U

/* add_to_physmap_batch(gmfn_foreign) by caller into target, n entries. */
static long batch(struct domain *caller, domid_t target, domid_t fid, const uint64_t *idxs,
                  const uint64_t *gpfns, uint16_t n)
{
    struct xen_add_to_physmap_batch b = { .domid = target, .space = XENMAPSPACE_gmfn_foreign,
                                          .size = n, .u.foreign_domid = fid,
                                          .idxs = gaddr(caller, IDX_OFF),
                                          .gpfns = gaddr(caller, GPFN_OFF),
                                          .errs = gaddr(caller, ERR_OFF) };

    as_dom(caller);
    memcpy(hptr(caller, IDX_OFF), idxs, n * sizeof(uint64_t));
    memcpy(hptr(caller, GPFN_OFF), gpfns, n * sizeof(uint64_t));
    memset(hptr(caller, ERR_OFF), 0x55, n * sizeof(int32_t));
    memcpy(hptr(caller, ARG_OFF), &b, sizeof(b));
    return mem_op(XENMEM_add_to_physmap_batch, gaddr(caller, ARG_OFF));
}

static int32_t err(struct domain *caller, unsigned int i)
{
    return ((const int32_t *)hptr(caller, ERR_OFF))[i];
}

/* One entry: its error. */
static int32_t map1(domid_t fid, uint64_t idx, uint64_t g)
{
    assert_int_equal(batch(d0, DOMID_SELF, fid, &idx, &g, 1U), 0);
    return err(d0, 0U);
}

static long remove_gfn(struct domain *caller, domid_t dom, uint64_t g)
{
    struct xen_remove_from_physmap x = { .domid = dom, .gpfn = g };

    as_dom(caller);
    memcpy(hptr(caller, ARG_OFF), &x, sizeof(x));
    return mem_op(XENMEM_remove_from_physmap, gaddr(caller, ARG_OFF));
}

/* A reservation command by caller with one list of gfns. */
static long reservation(struct domain *caller, uint64_t cmd, domid_t dom, uint32_t order,
                        const uint64_t *gfns, uint64_t n)
{
    struct xen_memory_reservation r = { .extent_start = gaddr(caller, GPFN_OFF),
                                        .nr_extents = n, .extent_order = order, .domid = dom };

    as_dom(caller);
    memcpy(hptr(caller, GPFN_OFF), gfns, n * sizeof(uint64_t));
    memcpy(hptr(caller, ARG_OFF), &r, sizeof(r));
    return mem_op(cmd, gaddr(caller, ARG_OFF));
}

static mfn_t ram_of(const struct domain *d, uint64_t page)
{
    return mfn(mfn_x(tdom_of(d)->ram) + page);
}

static void test_map_and_remove(void **state)
{
    const uint64_t idxs[3] = { GRAM_PFN + 1U, GRAM_PFN + 2U, GRAM_PFN + 100U };
    const uint64_t gpfns[3] = { HOLE, HOLE + 1U, HOLE + 2U };
    mfn_t m;

    (void)state;
    assert_int_equal(batch(d0, DOMID_SELF, D1, idxs, gpfns, 3U), 0);
    assert_int_equal(err(d0, 0U), 0);
    assert_int_equal(err(d0, 1U), 0);
    assert_int_equal(err(d0, 2U), -EINVAL);     /* not d1's RAM */
    assert_int_equal(p2m_type_at(d0, HOLE, &m), GUEST_FRAME_FOREIGN_RW);
    assert_int_equal(mfn_x(m), mfn_x(ram_of(d1, 1U)));
    assert_int_equal(p2m_type_at(d0, HOLE + 2U, NULL), GUEST_FRAME_NONE);
    /* One reference on d1 and one pin per entry. */
    assert_int_equal(fake_domain_refs(&tdoms[1].d), 2U);
    assert_int_equal(page_pins(ram_of(d1, 1U)), 1U);
    assert_int_equal(xenmem_foreign_maps(d0), 2U);
    assert_int_equal(xenmem_foreign_total(), 2U);
    /* What the toolstack writes through the mapping is the domU's page. */
    *(uint32_t *)arch_maddr_to_virt(mfn_to_paddr(m)) = 0xfeedU;
    assert_int_equal(*(uint32_t *)gptr(d1, GRAM + PAGE_SIZE), 0xfeedU);

    assert_int_equal(remove_gfn(d0, DOMID_SELF, HOLE), 0);
    assert_int_equal(p2m_type_at(d0, HOLE, NULL), GUEST_FRAME_NONE);
    assert_int_equal(fake_domain_refs(&tdoms[1].d), 1U);
    assert_int_equal(page_pins(ram_of(d1, 1U)), 0U);
    assert_int_equal(remove_gfn(d0, DOMID_SELF, HOLE), -ENOENT);
    assert_int_equal(remove_gfn(d0, DOMID_SELF, HOLE + 1U), 0);
    assert_int_equal(fake_domain_refs(&tdoms[1].d), 0U);
    assert_int_equal(xenmem_foreign_maps(d0), 0U);
    assert_int_equal(xenmem_foreign_total(), 0U);
    /* The domU's page is still its own. */
    assert_int_equal(p2m_type_at(d1, GRAM_PFN + 1U, NULL), GUEST_FRAME_RAM);
}

static void test_entry_errors(void **state)
{
    uint64_t g = HOLE;

    (void)state;
    /* Xen's get_pg_owner: the caller's own id is nobody; DOMID_SELF is
     * the caller, which cannot be foreign to itself. */
    assert_int_equal(map1(0U, GRAM_PFN, g), -ESRCH);
    assert_int_equal(map1(DOMID_SELF, GRAM_PFN, g), -EINVAL);
    assert_int_equal(map1(77U, GRAM_PFN, g), -ESRCH);
    assert_int_equal(map1(DOMID_INVALID, GRAM_PFN, g), -ESRCH);
    assert_int_equal(map1(DOMID_XEN, GRAM_PFN, g), -EINVAL);
    assert_int_equal(map1(DOMID_IO, GRAM_PFN, g), -EINVAL);
    /* Frames that are not the domU's RAM. */
    assert_int_equal(map1(D1, UINT64_MAX, g), -EINVAL);
    assert_int_equal(map1(D1, UINT64_MAX >> PAGE_SHIFT, g), -EINVAL);
    assert_int_equal(map1(D1, 0U, g), -EINVAL);
    /* A gfn the stage 2 cannot hold: the pin and reference come back. */
    assert_int_equal(map1(D1, GRAM_PFN, 1ULL << 40), -EINVAL);
    assert_int_equal(page_pins(ram_of(d1, 0U)), 0U);
    assert_int_equal(fake_domain_refs(&tdoms[1].d), 0U);
    /* INVALID_GFN ends the whole call, as Xen. */
    g = UINT64_MAX;
    {
        uint64_t idx = GRAM_PFN;

        assert_int_equal(batch(d0, DOMID_SELF, D1, &idx, &g, 1U), -EINVAL);
    }
    /* A dying domain is not found. */
    dom_kill(d2);
    assert_int_equal(map1(D2, GRAM_PFN, HOLE), -ESRCH);
    assert_int_equal(xenmem_foreign_maps(d0), 0U);
}

static void test_unprivileged(void **state)
{
    uint64_t idx = GRAM_PFN;
    uint64_t g = GRAM_PFN + 10U;

    (void)state;
    /* A domU for itself: each entry -EPERM, nothing mapped. */
    assert_int_equal(batch(d1, DOMID_SELF, D2, &idx, &g, 1U), 0);
    assert_int_equal(err(d1, 0U), -EPERM);
    assert_int_equal(batch(d1, DOMID_SELF, DOMID_XEN, &idx, &g, 1U), 0);
    assert_int_equal(err(d1, 0U), -EPERM);
    assert_int_equal(p2m_type_at(d1, g, NULL), GUEST_FRAME_RAM);
    /* ... and not into another domain's physmap at all. */
    assert_int_equal(batch(d1, D2, 0U, &idx, &g, 1U), -EPERM);
    /* dom0 into a domU's physmap: the domU is not privileged. */
    assert_int_equal(batch(d0, D1, D2, &idx, &g, 1U), 0);
    assert_int_equal(err(d0, 0U), -EPERM);
    /* A domU cannot remove dom0's entries. */
    assert_int_equal(map1(D1, GRAM_PFN, HOLE), 0);
    assert_int_equal(remove_gfn(d1, 0U, HOLE), -EPERM);
    assert_int_equal(fake_domain_refs(&tdoms[1].d), 1U);
    /* add_to_physmap (not batch) does not offer gmfn_foreign. */
    {
        struct xen_add_to_physmap x = { .domid = DOMID_SELF, .space = XENMAPSPACE_gmfn_foreign,
                                        .idx = GRAM_PFN, .gpfn = HOLE + 1U };

        as_dom(d0);
        memcpy(hptr(d0, ARG_OFF), &x, sizeof(x));
        assert_int_equal(mem_op(XENMEM_add_to_physmap, gaddr(d0, ARG_OFF)), -ENOSYS);
    }
}

static void test_replaced(void **state)
{
    mfn_t m;

    (void)state;
    /* Another foreign entry over one: the old one's hold goes. */
    assert_int_equal(map1(D1, GRAM_PFN + 1U, HOLE), 0);
    assert_int_equal(map1(D1, GRAM_PFN + 2U, HOLE), 0);
    assert_int_equal(fake_domain_refs(&tdoms[1].d), 1U);
    assert_int_equal(page_pins(ram_of(d1, 1U)), 0U);
    assert_int_equal(page_pins(ram_of(d1, 2U)), 1U);
    assert_int_equal(map1(D2, GRAM_PFN + 2U, HOLE), 0);
    assert_int_equal(fake_domain_refs(&tdoms[1].d), 0U);
    assert_int_equal(fake_domain_refs(&tdoms[2].d), 1U);
    assert_int_equal(xenmem_foreign_maps(d0), 1U);
    /* dom0's shared info page mapped over it. */
    {
        struct xen_add_to_physmap x = { .domid = DOMID_SELF, .space = XENMAPSPACE_shared_info,
                                        .idx = 0U, .gpfn = HOLE };

        memcpy(hptr(d0, ARG_OFF), &x, sizeof(x));
        assert_int_equal(mem_op(XENMEM_add_to_physmap, gaddr(d0, ARG_OFF)), 0);
    }
    assert_int_equal(fake_domain_refs(&tdoms[2].d), 0U);
    assert_int_equal(page_pins(ram_of(d2, 2U)), 0U);
    assert_int_equal(xenmem_foreign_maps(d0), 0U);

    /* The toolstack's own cycle on a direct-mapped dom0: balloon a page
     * out, map the domU's page in the hole, populate the hole again. */
    {
        uint64_t g = mfn_x(ram_of(d0, 40U));

        assert_int_equal(reservation(d0, XENMEM_decrease_reservation, DOMID_SELF, 0U, &g, 1U),
                         1);
        assert_int_equal(map1(D1, GRAM_PFN + 3U, g), 0);
        assert_int_equal(fake_domain_refs(&tdoms[1].d), 1U);
        /* decrease_reservation does not take a foreign entry (Xen: not
         * the domain's page, -ENXIO stops it). */
        assert_int_equal(reservation(d0, XENMEM_decrease_reservation, DOMID_SELF, 0U, &g, 1U),
                         0);
        assert_int_equal(reservation(d0, XENMEM_populate_physmap, DOMID_SELF, 0U, &g, 1U), 1);
        assert_int_equal(p2m_type_at(d0, g, &m), GUEST_FRAME_RAM);
        assert_int_equal(mfn_x(m), g);
        assert_int_equal(fake_domain_refs(&tdoms[1].d), 0U);
        assert_int_equal(page_pins(ram_of(d1, 3U)), 0U);
    }
}

static void test_grant_map_over_foreign(void **state)
{
    struct grant_entry_v1 *gnt = map_gnttab_frame(d1, 0U);
    struct gnttab_map_grant_ref op = { .host_addr = (uint64_t)HOLE << PAGE_SHIFT,
                                       .flags = GNTMAP_host_map, .ref = 3U, .dom = D1 };

    (void)state;
    gnt[3].domid = 0U;
    gnt[3].frame = (uint32_t)(GRAM_PFN + 9U);
    gnt[3].flags = GTF_permit_access;
    as_dom(d0);
    assert_int_equal(map1(D2, GRAM_PFN + 4U, HOLE), 0);
    memcpy(hptr(d0, ARG_OFF), &op, sizeof(op));
    assert_int_equal(gnttab_op(GNTTABOP_map_grant_ref, gaddr(d0, ARG_OFF), 1U), 0);
    memcpy(&op, hptr(d0, ARG_OFF), sizeof(op));
    assert_int_equal(op.status, GNTST_okay);
    assert_int_equal(p2m_type_at(d0, HOLE, NULL), GUEST_FRAME_GRANT_RW);
    assert_int_equal(fake_domain_refs(&tdoms[2].d), 0U);
    assert_int_equal(page_pins(ram_of(d2, 4U)), 0U);
    /* And a foreign map over the grant mapping is refused. */
    assert_int_equal(map1(D2, GRAM_PFN + 4U, HOLE), -EBUSY);
    assert_int_equal(fake_domain_refs(&tdoms[2].d), 0U);
    assert_int_equal(page_pins(ram_of(d2, 4U)), 0U);
}

static void test_teardown_drops(void **state)
{
    const uint64_t idxs[2] = { GRAM_PFN + 5U, GRAM_PFN + 6U };
    const uint64_t gpfns[2] = { HOLE, HOLE + 1U };

    (void)state;
    assert_int_equal(batch(d0, DOMID_SELF, D1, idxs, gpfns, 2U), 0);
    assert_int_equal(fake_domain_refs(&tdoms[1].d), 2U);
    dom_destroy(d0);
    assert_int_equal(fake_domain_refs(&tdoms[1].d), 0U);
    assert_int_equal(page_pins(ram_of(d1, 5U)), 0U);
    assert_int_equal(p2m_type_at(d0, HOLE, NULL), GUEST_FRAME_NONE);
    assert_int_equal(xenmem_foreign_total(), 0U);
    /* The fixture's teardown destroys it again: give it a table. */
    assert_int_equal(gnttab_init(d0), 0);
}

static void test_destroyed_while_mapped(void **state)
{
    uint64_t before;

    (void)state;
    assert_int_equal(map1(D1, GRAM_PFN + 7U, HOLE), 0);
    /* Destroyed: off the list, but its memory stays while dom0 maps it. */
    dom_kill(d1);
    assert_false(tdoms[1].freed);
    assert_non_null(d1->gnttab);
    assert_int_equal(xenmem_foreign_dying(d0), 1U);
    /* No new mapping of a dying domain. */
    assert_int_equal(map1(D1, GRAM_PFN + 8U, HOLE + 1U), -ESRCH);
    before = free_now();
    assert_int_equal(remove_gfn(d0, DOMID_SELF, HOLE), 0);
    /* The last mapping went: the domain is freed (its grant table page
     * and bookkeeping with it). */
    assert_true(tdoms[1].freed);
    assert_true(free_now() > before);
    assert_int_equal(fake_domain_refs(&tdoms[1].d), 0U);
}

static void test_ballooned_while_mapped(void **state)
{
    uint64_t g = GRAM_PFN + 11U;
    mfn_t m;

    (void)state;
    assert_int_equal(map1(D1, g, HOLE), 0);
    /* The domU gives the page back: out of its physmap and tot_pages,
     * but pinned, so never handed out again while dom0 maps it. */
    assert_int_equal(reservation(d1, XENMEM_decrease_reservation, DOMID_SELF, 0U, &g, 1U), 1);
    assert_int_equal(d1->tot_pages, RAM_PAGES - 1U);
    assert_int_equal(xenmem_reuse_pages(d1), 0U);
    assert_int_equal(reservation(d1, XENMEM_populate_physmap, DOMID_SELF, 0U, &g, 1U), 1);
    assert_int_equal(p2m_type_at(d1, g, &m), GUEST_FRAME_RAM);
    assert_int_not_equal(mfn_x(m), mfn_x(ram_of(d1, 11U)));
    assert_int_equal(page_pins(ram_of(d1, 11U)), 1U);
    assert_int_equal(remove_gfn(d0, DOMID_SELF, HOLE), 0);
    assert_int_equal(page_pins(ram_of(d1, 11U)), 0U);
}

static void test_bounded(void **state)
{
    uint64_t idxs[100];
    uint64_t gpfns[100];
    unsigned int restarts = 0U;

    (void)state;
    /* At most as many entries as dom0 has pages in its limit. */
    d0->max_pages = 3U;
    for (unsigned int i = 0U; i < 4U; i++) {
        idxs[i] = GRAM_PFN + i;
        gpfns[i] = HOLE + i;
    }
    assert_int_equal(batch(d0, DOMID_SELF, D1, idxs, gpfns, 4U), 0);
    assert_int_equal(err(d0, 2U), 0);
    assert_int_equal(err(d0, 3U), -ENOMEM);
    assert_int_equal(fake_domain_refs(&tdoms[1].d), 3U);
    assert_int_equal(page_pins(ram_of(d1, 3U)), 0U);
    /* Replacing an entry at the limit needs no more room. */
    assert_int_equal(map1(D1, GRAM_PFN + 9U, HOLE), 0);
    assert_int_equal(fake_domain_refs(&tdoms[1].d), 3U);

    /* Many entries: the table grows and shrinks, lookups stay right. */
    d0->max_pages = 4096U;
    for (unsigned int i = 0U; i < 100U; i++) {
        idxs[i] = GRAM_PFN + (i % RAM_PAGES);
        gpfns[i] = HOLE + 0x100U + (i * 7U);
    }
    {
        struct xen_add_to_physmap_batch b = { .domid = DOMID_SELF,
                                              .space = XENMAPSPACE_gmfn_foreign, .size = 100U,
                                              .u.foreign_domid = D1,
                                              .idxs = gaddr(d0, IDX_OFF),
                                              .gpfns = gaddr(d0, GPFN_OFF),
                                              .errs = gaddr(d0, ERR_OFF) };

        memcpy(hptr(d0, IDX_OFF), idxs, sizeof(idxs));
        memcpy(hptr(d0, GPFN_OFF), gpfns, sizeof(gpfns));
        memcpy(hptr(d0, ARG_OFF), &b, sizeof(b));
        assert_int_equal(hcall(do_memory_op, XENMEM_add_to_physmap_batch, gaddr(d0, ARG_OFF),
                               0U, &restarts), 0);
        assert_int_equal(restarts, 1U);
    }
    assert_int_equal(xenmem_foreign_maps(d0), 103U);
    assert_int_equal(fake_domain_refs(&tdoms[1].d), 103U);
    for (unsigned int i = 0U; i < 100U; i += 2U) {
        assert_int_equal(remove_gfn(d0, DOMID_SELF, gpfns[i]), 0);
    }
    for (unsigned int i = 1U; i < 100U; i += 2U) {
        mfn_t m;

        assert_int_equal(p2m_type_at(d0, gpfns[i], &m), GUEST_FRAME_FOREIGN_RW);
        assert_int_equal(mfn_x(m), mfn_x(ram_of(d1, i % RAM_PAGES)));
        assert_int_equal(remove_gfn(d0, DOMID_SELF, gpfns[i]), 0);
    }
    assert_int_equal(xenmem_foreign_maps(d0), 3U);
    assert_int_equal(fake_domain_refs(&tdoms[1].d), 3U);
    /* A huge batch whose arrays run off the caller's RAM: -EFAULT once
     * the arrays end, the entries before it stay mapped (and the
     * teardown gives them back). */
    {
        struct xen_add_to_physmap_batch b = { .domid = DOMID_SELF,
                                              .space = XENMAPSPACE_gmfn_foreign, .size = 0xffffU,
                                              .u.foreign_domid = D1,
                                              .idxs = gaddr(d0, RAM_PAGES * PAGE_SIZE - 16U),
                                              .gpfns = gaddr(d0, GPFN_OFF),
                                              .errs = gaddr(d0, ERR_OFF) };

        memcpy(hptr(d0, ARG_OFF), &b, sizeof(b));
        assert_int_equal(mem_op(XENMEM_add_to_physmap_batch, gaddr(d0, ARG_OFF)), -EFAULT);
    }
}

/* populate_physmap for another domain (libxl building a domU): the
 * toolstack's limit (max_mem) holds, the control domain may use order 9,
 * a domU may not populate another. */
static void test_populate_for_domu(void **state)
{
    uint64_t g = 0x48000U;
    uint64_t magic[4];

    (void)state;
    d1->max_pages = RAM_PAGES + 512U + 4U;
    assert_int_equal(reservation(d0, XENMEM_populate_physmap, D1, 9U, &g, 1U), 1);
    assert_int_equal(d1->tot_pages, RAM_PAGES + 512U);
    assert_int_equal(p2m_type_at(d1, g + 511U, NULL), GUEST_FRAME_RAM);
    for (unsigned int i = 0U; i < 4U; i++) {
        magic[i] = (GUEST_MAGIC_BASE >> PAGE_SHIFT) + i;
    }
    assert_int_equal(reservation(d0, XENMEM_populate_physmap, D1, 0U, magic, 4U), 4);
    assert_int_equal(d1->tot_pages, d1->max_pages);
    /* Full: nothing more. */
    g = 0x48400U;
    assert_int_equal(reservation(d0, XENMEM_populate_physmap, D1, 0U, &g, 1U), 0);
    assert_int_equal(reservation(d0, XENMEM_increase_reservation, D1, 0U, &g, 1U), 0);
    /* max_mem lowered below what it has: it gets nothing, gives back. */
    d1->max_pages = 10U;
    assert_int_equal(reservation(d0, XENMEM_decrease_reservation, D1, 0U, magic, 1U), 1);
    assert_int_equal(reservation(d0, XENMEM_populate_physmap, D1, 0U, magic, 1U), 0);
    /* A domU for another domain: refused (0 extents). */
    d2->max_pages = 1000U;
    g = 0x48000U;
    assert_int_equal(reservation(d1, XENMEM_populate_physmap, D2, 0U, &g, 1U), 0);
    assert_int_equal(d2->tot_pages, RAM_PAGES);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_map_and_remove, setup, teardown),
        cmocka_unit_test_setup_teardown(test_entry_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unprivileged, setup, teardown),
        cmocka_unit_test_setup_teardown(test_replaced, setup, teardown),
        cmocka_unit_test_setup_teardown(test_grant_map_over_foreign, setup, teardown),
        cmocka_unit_test_setup_teardown(test_teardown_drops, setup, teardown),
        cmocka_unit_test_setup_teardown(test_destroyed_while_mapped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ballooned_while_mapped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bounded, setup, teardown),
        cmocka_unit_test_setup_teardown(test_populate_for_domu, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
