/* Host tests of XENMEM_acquire_resource (common/memory/memory_resource.c): dom0
 * maps a domU's grant-table frames as libxl does to seed its entries,
 * with Xen 4.17's checks, size query, growth and continuations; each
 * frame is a foreign entry holding a reference on the domU. */
#include "gnttab_env.h"

#define D1 1U
#define D2 2U
#define HOLE 0x50000U

#define ARG_OFF  0x1000U
#define LIST_OFF 0x2000U

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
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    dom_destroy(d0);
    return 0;
}

static uint64_t gaddr(const struct domain *d, uint64_t off)
{
    return d->direct_map ? (mfn_to_paddr(tdom_of(d)->ram) + off) : (GRAM + off);
}

static void *hptr(const struct domain *d, uint64_t off)
{
    return arch_maddr_to_virt(mfn_to_paddr(tdom_of(d)->ram) + off);
}

static struct xen_mem_acquire_resource *arg(struct domain *caller)
{
    return hptr(caller, ARG_OFF);
}

/* acquire_resource by caller; gfns (n of them, NULL: a null frame_list). */
static long acquire(struct domain *caller, domid_t dom, uint16_t type, uint32_t id,
                    uint64_t frame, uint32_t nr, const uint64_t *gfns, unsigned int *restarts)
{
    struct xen_mem_acquire_resource x = { .domid = dom, .type = type, .id = id,
                                          .nr_frames = nr, .frame = frame,
                                          .frame_list = (gfns != NULL) ?
                                                        gaddr(caller, LIST_OFF) : 0U };

    as_dom(caller);
    if (gfns != NULL) {
        memcpy(hptr(caller, LIST_OFF), gfns, (size_t)nr * sizeof(uint64_t));
    }
    memcpy(arg(caller), &x, sizeof(x));
    return hcall(do_memory_op, XENMEM_acquire_resource, gaddr(caller, ARG_OFF), 0U, restarts);
}

static long acquire_gnt(uint64_t frame, uint32_t nr, const uint64_t *gfns)
{
    return acquire(d0, D1, XENMEM_resource_grant_table, XENMEM_resource_grant_table_id_shared,
                   frame, nr, gfns, NULL);
}

static long remove_gfn(uint64_t g)
{
    struct xen_remove_from_physmap x = { .domid = DOMID_SELF, .gpfn = g };

    as_dom(d0);
    memcpy(hptr(d0, ARG_OFF), &x, sizeof(x));
    return mem_op(XENMEM_remove_from_physmap, gaddr(d0, ARG_OFF));
}

static void test_size_query(void **state)
{
    (void)state;
    assert_int_equal(acquire_gnt(0U, 0U, NULL), 0);
    assert_int_equal(arg(d0)->nr_frames, GNTTAB_MAX_FRAMES);
    assert_int_equal(gnttab_set_max_frames(d1, 4U), 0);
    assert_int_equal(acquire_gnt(0U, 0U, NULL), 0);
    assert_int_equal(arg(d0)->nr_frames, 4U);
    /* A query names no frames and cannot be resumed. */
    assert_int_equal(acquire_gnt(0U, 1U, NULL), -EINVAL);
    assert_int_equal(mem_op(XENMEM_acquire_resource | (1U << MEMOP_EXTENT_SHIFT),
                            gaddr(d0, ARG_OFF)), -EINVAL);
    /* Resources with no frames, and types not offered. */
    assert_int_equal(acquire(d0, D1, XENMEM_resource_grant_table,
                             XENMEM_resource_grant_table_id_status, 0U, 0U, NULL, NULL),
                     -EINVAL);
    assert_int_equal(acquire(d0, D1, XENMEM_resource_grant_table, 7U, 0U, 0U, NULL, NULL),
                     -EINVAL);
    assert_int_equal(acquire(d0, D1, XENMEM_resource_vmtrace_buf, 0U, 0U, 0U, NULL, NULL),
                     -EINVAL);
    assert_int_equal(acquire(d0, D1, 9U, 0U, 0U, 0U, NULL, NULL), -EOPNOTSUPP);
    /* An IOREQ server's resource: the buffered page and one request page
     * per 128 vCPUs, as Xen counts it, whether or not a server exists. */
    assert_int_equal(acquire(d0, D1, XENMEM_resource_ioreq_server, 0U, 0U, 0U, NULL, NULL), 0);
    assert_int_equal(arg(d0)->nr_frames, 2U);
}

static void test_refusals(void **state)
{
    uint64_t g = HOLE;

    (void)state;
    /* Xen's order: the block, pad, frame range, the domain, privilege. */
    as_dom(d0);
    assert_int_equal(mem_op(XENMEM_acquire_resource, 0x1000U), -EFAULT);
    assert_int_equal(acquire_gnt(1ULL << 32, 1U, &g), -EINVAL);
    assert_int_equal(acquire_gnt(0xffffffffU, 1U, &g), -EINVAL);
    {
        struct xen_mem_acquire_resource x = { .domid = D1, .type = XENMEM_resource_grant_table,
                                              .nr_frames = 0U, .pad = 1U };

        memcpy(arg(d0), &x, sizeof(x));
        assert_int_equal(mem_op(XENMEM_acquire_resource, gaddr(d0, ARG_OFF)), -EINVAL);
    }
    assert_int_equal(acquire(d0, DOMID_SELF, XENMEM_resource_grant_table, 0U, 0U, 1U, &g, NULL),
                     -ESRCH);
    assert_int_equal(acquire(d0, 0U, XENMEM_resource_grant_table, 0U, 0U, 1U, &g, NULL), -EPERM);
    assert_int_equal(acquire(d0, 77U, XENMEM_resource_grant_table, 0U, 0U, 1U, &g, NULL),
                     -ESRCH);
    /* A domU, for another domain or for dom0. */
    g = GRAM_PFN + 10U;
    assert_int_equal(acquire(d2, D1, XENMEM_resource_grant_table, 0U, 0U, 1U, &g, NULL), -EPERM);
    assert_int_equal(acquire(d2, 0U, XENMEM_resource_grant_table, 0U, 0U, 1U, &g, NULL), -EPERM);
    assert_int_equal(p2m_type_at(d2, g, NULL), GUEST_FRAME_RAM);
    /* The resume point must be inside the list; the list must fit cmd. */
    g = HOLE;
    assert_int_equal(acquire_gnt(0U, 1U, &g), 0);
    assert_int_equal(mem_op(XENMEM_acquire_resource | (1U << MEMOP_EXTENT_SHIFT),
                            gaddr(d0, ARG_OFF)), -EINVAL);
    {
        struct xen_mem_acquire_resource x = { .domid = D1, .type = XENMEM_resource_grant_table,
                                              .nr_frames = (UINT32_MAX >> MEMOP_EXTENT_SHIFT) + 1U,
                                              .frame_list = gaddr(d0, LIST_OFF) };

        memcpy(arg(d0), &x, sizeof(x));
        assert_int_equal(mem_op(XENMEM_acquire_resource, gaddr(d0, ARG_OFF)), -EINVAL);
    }
    /* A dying domain is not found. */
    dom_kill(d2);
    assert_int_equal(acquire(d0, D2, XENMEM_resource_grant_table, 0U, 0U, 1U, &g, NULL), -ESRCH);
}

static void test_map_frames(void **state)
{
    uint64_t g[3] = { HOLE, HOLE + 1U, HOLE + 2U };
    struct grant_entry_v1 *own;
    mfn_t m;

    (void)state;
    /* Frame 0, as libxl: dom0 writes an entry, the domU sees it. */
    assert_int_equal(acquire_gnt(0U, 1U, g), 0);
    assert_int_equal(p2m_type_at(d0, HOLE, &m), GUEST_FRAME_FOREIGN_RW);
    ((struct grant_entry_v1 *)arch_maddr_to_virt(mfn_to_paddr(m)))[1].frame = 0x1234U;
    own = map_gnttab_frame(d1, 0U);
    assert_int_equal(own[1].frame, 0x1234U);
    assert_int_equal(fake_domain_refs(&tdoms[1].d), 1U);
    assert_int_equal(xenmem_foreign_maps(d0), 1U);
    /* Frames the table does not have yet: it grows to them. */
    assert_int_equal(gnttab_set_max_frames(d1, 4U), 0);
    assert_int_equal(gnttab_nr_frames(d1), 1U);
    assert_int_equal(acquire_gnt(2U, 2U, &g[1]), 0);
    assert_int_equal(gnttab_nr_frames(d1), 4U);
    assert_int_equal(fake_domain_refs(&tdoms[1].d), 3U);
    /* Beyond the limit: nothing mapped. */
    assert_int_equal(acquire_gnt(3U, 2U, g), -EINVAL);
    assert_int_equal(fake_domain_refs(&tdoms[1].d), 3U);
    /* remove_from_physmap gives the references back. */
    for (unsigned int i = 0U; i < 3U; i++) {
        assert_int_equal(remove_gfn(g[i]), 0);
    }
    assert_int_equal(fake_domain_refs(&tdoms[1].d), 0U);
    assert_int_equal(xenmem_foreign_maps(d0), 0U);
}

static void test_bad_gfns(void **state)
{
    uint64_t g[2] = { 1ULL << 40, HOLE };

    (void)state;
    /* The first frame fails: its own error. */
    assert_int_equal(acquire_gnt(0U, 2U, g), -EINVAL);
    assert_int_equal(fake_domain_refs(&tdoms[1].d), 0U);
    /* A later one: -EIO, the earlier frames stay for the caller to
     * unmap. */
    g[0] = HOLE;
    g[1] = 1ULL << 40;
    assert_int_equal(acquire_gnt(0U, 2U, g), -EIO);
    assert_int_equal(fake_domain_refs(&tdoms[1].d), 1U);
    assert_int_equal(remove_gfn(HOLE), 0);
    /* An unreadable list. */
    {
        struct xen_mem_acquire_resource x = { .domid = D1, .type = XENMEM_resource_grant_table,
                                              .nr_frames = 1U, .frame_list = 0x1000U };

        memcpy(arg(d0), &x, sizeof(x));
        assert_int_equal(mem_op(XENMEM_acquire_resource, gaddr(d0, ARG_OFF)), -EFAULT);
    }
    assert_int_equal(fake_domain_refs(&tdoms[1].d), 0U);
}

static void test_continuation(void **state)
{
    uint64_t g[40];
    unsigned int restarts = 0U;

    (void)state;
    for (unsigned int i = 0U; i < 40U; i++) {
        g[i] = HOLE + i;
    }
    assert_int_equal(acquire(d0, D1, XENMEM_resource_grant_table,
                             XENMEM_resource_grant_table_id_shared, 0U, 40U, g, &restarts), 0);
    assert_int_equal(restarts, 1U);     /* 32 frames per invocation */
    assert_int_equal(gnttab_nr_frames(d1), 40U);
    assert_int_equal(fake_domain_refs(&tdoms[1].d), 40U);
    assert_int_equal(p2m_type_at(d0, HOLE + 39U, NULL), GUEST_FRAME_FOREIGN_RW);
    /* dom0's teardown (the fixture) gives the 40 references back. */
}

static void test_destroyed_while_mapped(void **state)
{
    uint64_t g = HOLE;

    (void)state;
    assert_int_equal(acquire_gnt(0U, 1U, &g), 0);
    dom_kill(d1);
    /* Its grant table frame stays while dom0 maps it. */
    assert_false(tdoms[1].freed);
    assert_non_null(d1->gnttab);
    assert_int_equal(remove_gfn(HOLE), 0);
    assert_true(tdoms[1].freed);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_size_query, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_map_frames, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_gfns, setup, teardown),
        cmocka_unit_test_setup_teardown(test_continuation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_destroyed_while_mapped, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
