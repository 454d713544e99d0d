/* Host tests of the grant-table hypercall (common/grant_*.c): every
 * GNTTABOP_ the guest can use, success and error paths, as Xen 4.17 on Arm
 * answers them. */
#include "gnttab_env.h"

#define D1 1U
#define D2 2U
#define MAP_AT   0x50000ULL         /* d2's gfn where it maps grants */
#define SHARED   (GRAM + 0x10000U)  /* d1's page it grants (gfn GRAM_PFN + 16) */

static struct domain *d1;
static struct domain *d2;
static struct grant_entry_v1 *gnt;  /* d1's grant frame 0, as d1 sees it */

static int setup(void **state)
{
    (void)state;
    env_init();
    d1 = dom_create(0U, D1, false, false);
    d2 = dom_create(1U, D2, false, false);
    gnt = map_gnttab_frame(d1, 0U);
    return 0;
}

/* Mappings hold references to their granters: tear the mapper (d2) down
 * first so that every reference is back before the next setup. */
static int teardown(void **state)
{
    (void)state;
    gnttab_destroy(d2);
    gnttab_destroy(d1);
    return 0;
}

static void grant(uint32_t ref, domid_t to, uint64_t g, uint16_t flags)
{
    gnt[ref].domid = to;
    gnt[ref].frame = (uint32_t)g;
    gnt[ref].flags = flags;
}

static mfn_t shared_mfn(void)
{
    mfn_t m;

    assert_int_equal(p2m_type_at(d1, SHARED >> PAGE_SHIFT, &m), GUEST_FRAME_RAM);
    return m;
}

/* d2 maps (d1, ref) at gfn; returns the status, *handle. */
static int16_t map(uint32_t ref, domid_t dom, uint64_t g, uint32_t flags, uint32_t *handle)
{
    struct gnttab_map_grant_ref op = { .host_addr = g << PAGE_SHIFT, .flags = flags,
                                       .ref = ref, .dom = dom };

    as_dom(d2);
    memcpy(gptr(d2, ARGS), &op, sizeof(op));
    assert_int_equal(gnttab_op(GNTTABOP_map_grant_ref, ARGS, 1U), 0);
    memcpy(&op, gptr(d2, ARGS), sizeof(op));
    if (handle != NULL) {
        *handle = op.handle;
    }
    return op.status;
}

static int16_t unmap(uint64_t host_addr, uint32_t handle)
{
    struct gnttab_unmap_grant_ref op = { .host_addr = host_addr, .handle = handle };

    as_dom(d2);
    memcpy(gptr(d2, ARGS), &op, sizeof(op));
    assert_int_equal(gnttab_op(GNTTABOP_unmap_grant_ref, ARGS, 1U), 0);
    memcpy(&op, gptr(d2, ARGS), sizeof(op));
    return op.status;
}

static void test_query_size(void **state)
{
    struct gnttab_query_size q = { .dom = DOMID_SELF };

    (void)state;
    as_dom(d1);
    memcpy(gptr(d1, ARGS), &q, sizeof(q));
    assert_int_equal(gnttab_op(GNTTABOP_query_size, ARGS, 1U), 0);
    memcpy(&q, gptr(d1, ARGS), sizeof(q));
    assert_int_equal(q.status, GNTST_okay);
    assert_int_equal(q.nr_frames, 1U);
    assert_int_equal(q.max_nr_frames, 64U);

    q = (struct gnttab_query_size){ .dom = 77U };
    memcpy(gptr(d1, ARGS), &q, sizeof(q));
    assert_int_equal(gnttab_op(GNTTABOP_query_size, ARGS, 1U), 0);
    memcpy(&q, gptr(d1, ARGS), sizeof(q));
    assert_int_equal(q.status, GNTST_bad_domain);

    q = (struct gnttab_query_size){ .dom = D2 };
    memcpy(gptr(d1, ARGS), &q, sizeof(q));
    assert_int_equal(gnttab_op(GNTTABOP_query_size, ARGS, 1U), 0);
    memcpy(&q, gptr(d1, ARGS), sizeof(q));
    assert_int_equal(q.status, GNTST_permission_denied);

    assert_int_equal(gnttab_op(GNTTABOP_query_size, ARGS, 2U), -EINVAL);
    assert_int_equal(gnttab_op(GNTTABOP_query_size, 0x1000U, 1U), -EFAULT);
}

/* dom0's limit (gnttab_dom0_frames()): query_size reports it, frames
 * beyond it cannot be added to the physmap nor set up. */
static void test_max_frames(void **state)
{
    struct gnttab_query_size q = { .dom = DOMID_SELF };
    struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = 5U,
                                     .frame_list = ARGS + 0x100U };
    struct xen_add_to_physmap xatp = { .domid = DOMID_SELF, .space = XENMAPSPACE_grant_table,
                                       .idx = 4U, .gpfn = GNT_PFN + 4U };

    (void)state;
    assert_int_equal(gnttab_set_max_frames(d1, 0U), -EINVAL);
    assert_int_equal(gnttab_set_max_frames(d1, GNTTAB_MAX_FRAMES + 1U), -EINVAL);
    assert_int_equal(gnttab_set_max_frames(d1, 4U), 0);
    as_dom(d1);
    memcpy(gptr(d1, ARGS), &q, sizeof(q));
    assert_int_equal(gnttab_op(GNTTABOP_query_size, ARGS, 1U), 0);
    memcpy(&q, gptr(d1, ARGS), sizeof(q));
    assert_int_equal(q.status, GNTST_okay);
    assert_int_equal(q.nr_frames, 1U);
    assert_int_equal(q.max_nr_frames, 4U);

    memcpy(gptr(d1, ARGS), &xatp, sizeof(xatp));
    assert_int_equal(mem_op(XENMEM_add_to_physmap, ARGS), -EINVAL);
    (void)map_gnttab_frame(d1, 3U);
    assert_int_equal(gnttab_nr_frames(d1), 4U);

    memcpy(gptr(d1, ARGS), &st, sizeof(st));
    assert_int_equal(gnttab_op(GNTTABOP_setup_table, ARGS, 1U), 0);
    memcpy(&st, gptr(d1, ARGS), sizeof(st));
    assert_int_equal(st.status, GNTST_general_error);

    /* The table already has four frames: it cannot shrink below them. */
    assert_int_equal(gnttab_set_max_frames(d1, 2U), -EBUSY);
    assert_int_equal(gnttab_set_max_frames(d1, GNTTAB_MAX_FRAMES), 0);
}

static void test_setup_table(void **state)
{
    struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = 4U,
                                     .frame_list = ARGS + 0x100U };
    const xen_pfn_t *list = gptr(d1, ARGS + 0x100U);
    struct gnttab_query_size q = { .dom = DOMID_SELF };

    (void)state;
    as_dom(d1);
    memcpy(gptr(d1, ARGS), &st, sizeof(st));
    assert_int_equal(gnttab_op(GNTTABOP_setup_table, ARGS, 1U), 0);
    memcpy(&st, gptr(d1, ARGS), sizeof(st));
    assert_int_equal(st.status, GNTST_okay);
    assert_int_equal(list[0], GNT_PFN);         /* mapped by setup() */
    assert_true(list[1] == UINT64_MAX);         /* grown, not mapped */
    assert_true(list[3] == UINT64_MAX);
    assert_int_equal(gnttab_nr_frames(d1), 4U);
    memcpy(gptr(d1, ARGS), &q, sizeof(q));
    assert_int_equal(gnttab_op(GNTTABOP_query_size, ARGS, 1U), 0);
    memcpy(&q, gptr(d1, ARGS), sizeof(q));
    assert_int_equal(q.nr_frames, 4U);

    st = (struct gnttab_setup_table){ .dom = DOMID_SELF, .nr_frames = 65U };
    memcpy(gptr(d1, ARGS), &st, sizeof(st));
    assert_int_equal(gnttab_op(GNTTABOP_setup_table, ARGS, 1U), 0);
    memcpy(&st, gptr(d1, ARGS), sizeof(st));
    assert_int_equal(st.status, GNTST_general_error);

    /* An unwritable frame list. */
    st = (struct gnttab_setup_table){ .dom = DOMID_SELF, .nr_frames = 1U, .frame_list = 0x1000U };
    memcpy(gptr(d1, ARGS), &st, sizeof(st));
    assert_int_equal(gnttab_op(GNTTABOP_setup_table, ARGS, 1U), 0);
    memcpy(&st, gptr(d1, ARGS), sizeof(st));
    assert_int_equal(st.status, GNTST_bad_virt_addr);

    st = (struct gnttab_setup_table){ .dom = 99U, .nr_frames = 1U };
    memcpy(gptr(d1, ARGS), &st, sizeof(st));
    assert_int_equal(gnttab_op(GNTTABOP_setup_table, ARGS, 1U), 0);
    memcpy(&st, gptr(d1, ARGS), sizeof(st));
    assert_int_equal(st.status, GNTST_bad_domain);
    assert_int_equal(gnttab_op(GNTTABOP_setup_table, ARGS, 0U), -EINVAL);
}

static void test_versions_and_unknown(void **state)
{
    struct gnttab_set_version sv = { .version = 2U };
    struct gnttab_get_version gv = { .dom = DOMID_SELF };

    (void)state;
    as_dom(d1);
    memcpy(gptr(d1, ARGS), &sv, sizeof(sv));
    assert_int_equal(gnttab_op(GNTTABOP_set_version, ARGS, 1U), -ENOSYS);
    memcpy(&sv, gptr(d1, ARGS), sizeof(sv));
    assert_int_equal(sv.version, 1U);
    sv.version = 1U;
    memcpy(gptr(d1, ARGS), &sv, sizeof(sv));
    assert_int_equal(gnttab_op(GNTTABOP_set_version, ARGS, 1U), 0);
    sv.version = 3U;
    memcpy(gptr(d1, ARGS), &sv, sizeof(sv));
    assert_int_equal(gnttab_op(GNTTABOP_set_version, ARGS, 1U), -EINVAL);

    memcpy(gptr(d1, ARGS), &gv, sizeof(gv));
    assert_int_equal(gnttab_op(GNTTABOP_get_version, ARGS, 1U), 0);
    memcpy(&gv, gptr(d1, ARGS), sizeof(gv));
    assert_int_equal(gv.version, 1U);
    gv = (struct gnttab_get_version){ .dom = 55U };
    memcpy(gptr(d1, ARGS), &gv, sizeof(gv));
    assert_int_equal(gnttab_op(GNTTABOP_get_version, ARGS, 1U), -ESRCH);
    gv = (struct gnttab_get_version){ .dom = D2 };
    memcpy(gptr(d1, ARGS), &gv, sizeof(gv));
    assert_int_equal(gnttab_op(GNTTABOP_get_version, ARGS, 1U), -EPERM);

    assert_int_equal(gnttab_op(GNTTABOP_transfer, ARGS, 1U), -EOPNOTSUPP);
    assert_int_equal(gnttab_op(GNTTABOP_unmap_and_replace, ARGS, 1U), -ENOSYS);
    assert_int_equal(gnttab_op(13U, ARGS, 1U), -ENOSYS);
    assert_int_equal(gnttab_op(GNTTABOP_query_size | (1U << 12), ARGS, 1U), -EINVAL);
    assert_int_equal(gnttab_op(GNTTABOP_map_grant_ref, ARGS, 0x80000000U), -EINVAL);
}

static void test_map_unmap(void **state)
{
    uint32_t h = 0U;
    mfn_t m = shared_mfn();
    mfn_t got;

    (void)state;
    grant(10U, D2, SHARED >> PAGE_SHIFT, GTF_permit_access);
    *(uint32_t *)gptr(d1, SHARED) = 0xfeedU;
    assert_int_equal(map(10U, D1, MAP_AT, GNTMAP_host_map, &h), GNTST_okay);
    assert_int_equal(gnt[10].flags, GTF_permit_access | GTF_reading | GTF_writing);
    assert_int_equal(p2m_type_at(d2, MAP_AT, &got), GUEST_FRAME_GRANT_RW);
    assert_int_equal(mfn_x(got), mfn_x(m));
    assert_int_equal(page_pins(m), 1U);
    assert_int_equal(gnttab_maptrack_in_use(d2), 1U);
    {
        const struct gnttab_map_grant_ref *op = gptr(d2, ARGS);

        assert_int_equal(op->dev_bus_addr, mfn_to_paddr(m));
    }

    /* Wrong address: refused, the handle stays. Address 0: nothing done. */
    assert_int_equal(unmap((MAP_AT + 1U) << PAGE_SHIFT, h), GNTST_general_error);
    assert_int_equal(unmap(0U, h), GNTST_okay);
    assert_int_equal(p2m_type_at(d2, MAP_AT, NULL), GUEST_FRAME_GRANT_RW);

    assert_int_equal(unmap(MAP_AT << PAGE_SHIFT, h), GNTST_okay);
    assert_int_equal(gnt[10].flags, GTF_permit_access);
    assert_int_equal(p2m_type_at(d2, MAP_AT, NULL), GUEST_FRAME_NONE);
    assert_int_equal(page_pins(m), 0U);
    assert_int_equal(gnttab_maptrack_in_use(d2), 0U);
    /* Double unmap, and a handle never given. */
    assert_int_equal(unmap(MAP_AT << PAGE_SHIFT, h), GNTST_bad_handle);
    assert_int_equal(unmap(MAP_AT << PAGE_SHIFT, 100000U), GNTST_bad_handle);
}

static void test_map_readonly(void **state)
{
    uint32_t h = 0U;

    (void)state;
    grant(11U, D2, SHARED >> PAGE_SHIFT, GTF_permit_access | GTF_readonly);
    assert_int_equal(map(11U, D1, MAP_AT, GNTMAP_host_map, NULL), GNTST_general_error);
    assert_int_equal(gnt[11].flags, GTF_permit_access | GTF_readonly);
    assert_int_equal(map(11U, D1, MAP_AT, GNTMAP_host_map | GNTMAP_readonly, &h), GNTST_okay);
    assert_int_equal(gnt[11].flags, GTF_permit_access | GTF_readonly | GTF_reading);
    assert_int_equal(p2m_type_at(d2, MAP_AT, NULL), GUEST_FRAME_GRANT_RO);
    /* A second map at the same place is refused; elsewhere it is fine. */
    assert_int_equal(map(11U, D1, MAP_AT, GNTMAP_host_map | GNTMAP_readonly, NULL),
                     GNTST_general_error);
    assert_int_equal(unmap(MAP_AT << PAGE_SHIFT, h), GNTST_okay);
    assert_int_equal(gnt[11].flags, GTF_permit_access | GTF_readonly);
}

static void test_map_errors(void **state)
{
    (void)state;
    grant(12U, D2, SHARED >> PAGE_SHIFT, GTF_permit_access);
    assert_int_equal(map(600U, D1, MAP_AT, GNTMAP_host_map, NULL), GNTST_bad_gntref);
    assert_int_equal(map(12U, 77U, MAP_AT, GNTMAP_host_map, NULL), GNTST_bad_domain);
    assert_int_equal(map(12U, DOMID_SELF, MAP_AT, GNTMAP_host_map, NULL), GNTST_bad_domain);
    assert_int_equal(map(12U, D1, MAP_AT, 0U, NULL), GNTST_bad_gntref);
    assert_int_equal(map(12U, D1, MAP_AT, GNTMAP_host_map | GNTMAP_device_map, NULL),
                     GNTST_general_error);
    /* Granted to someone else; not a permit; sub-page flag. */
    grant(13U, 5U, SHARED >> PAGE_SHIFT, GTF_permit_access);
    assert_int_equal(map(13U, D1, MAP_AT, GNTMAP_host_map, NULL), GNTST_general_error);
    grant(14U, D2, SHARED >> PAGE_SHIFT, GTF_accept_transfer);
    assert_int_equal(map(14U, D1, MAP_AT, GNTMAP_host_map, NULL), GNTST_general_error);
    grant(15U, D2, SHARED >> PAGE_SHIFT, GTF_permit_access | GTF_sub_page);
    assert_int_equal(map(15U, D1, MAP_AT, GNTMAP_host_map, NULL), GNTST_general_error);
    /* A frame that is not d1's RAM: bad page, and the entry is left clean. */
    grant(16U, D2, 0x12345U, GTF_permit_access);
    assert_int_equal(map(16U, D1, MAP_AT, GNTMAP_host_map, NULL), GNTST_bad_page);
    assert_int_equal(gnt[16].flags, GTF_permit_access);
    /* Stage-2 failure in the mapper: the pin is given back. */
    fake_p2m_fail_maps(1U);
    assert_int_equal(map(12U, D1, MAP_AT, GNTMAP_host_map, NULL), GNTST_general_error);
    assert_int_equal(gnt[12].flags, GTF_permit_access);
    assert_int_equal(page_pins(shared_mfn()), 0U);
    assert_int_equal(gnttab_maptrack_in_use(d2), 0U);
}

static void test_map_batch(void **state)
{
    struct gnttab_map_grant_ref ops[3] = {
        { .host_addr = MAP_AT << PAGE_SHIFT, .flags = GNTMAP_host_map, .ref = 20U, .dom = D1 },
        { .host_addr = (MAP_AT + 1U) << PAGE_SHIFT, .flags = GNTMAP_host_map, .ref = 9999U,
          .dom = D1 },
        { .host_addr = (MAP_AT + 2U) << PAGE_SHIFT, .flags = GNTMAP_host_map, .ref = 21U,
          .dom = D1 },
    };
    struct gnttab_unmap_grant_ref un[2];

    (void)state;
    grant(20U, D2, SHARED >> PAGE_SHIFT, GTF_permit_access);
    grant(21U, D2, (SHARED >> PAGE_SHIFT) + 1U, GTF_permit_access);
    as_dom(d2);
    memcpy(gptr(d2, ARGS), ops, sizeof(ops));
    assert_int_equal(gnttab_op(GNTTABOP_map_grant_ref, ARGS, 3U), 0);
    memcpy(ops, gptr(d2, ARGS), sizeof(ops));
    assert_int_equal(ops[0].status, GNTST_okay);
    assert_int_equal(ops[1].status, GNTST_bad_gntref);
    assert_int_equal(ops[2].status, GNTST_okay);
    un[0] = (struct gnttab_unmap_grant_ref){ .host_addr = ops[2].host_addr,
                                             .handle = ops[2].handle };
    un[1] = (struct gnttab_unmap_grant_ref){ .host_addr = ops[0].host_addr,
                                             .handle = ops[0].handle + 7U };
    memcpy(gptr(d2, ARGS), un, sizeof(un));
    assert_int_equal(gnttab_op(GNTTABOP_unmap_grant_ref, ARGS, 2U), 0);
    memcpy(un, gptr(d2, ARGS), sizeof(un));
    assert_int_equal(un[0].status, GNTST_okay);
    assert_int_equal(un[1].status, GNTST_bad_handle);
    /* A batch whose array faults part-way: -EFAULT. */
    assert_int_equal(gnttab_op(GNTTABOP_map_grant_ref, 0x1000U, 1U), -EFAULT);
}

static void test_maptrack_exhausted(void **state)
{
    const uint32_t n = 512U;    /* one maptrack frame */
    struct gnttab_map_grant_ref *ops = gptr(d2, ARGS);
    unsigned int restarts = 0U;
    struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = 2U, .frame_list = 0U };
    struct grant_entry_v1 *gnt1;

    (void)state;
    dom_destroy(d2);
    gnttab_max_maptrack_frames = 1U;
    assert_int_equal(gnttab_init(d2), 0);
    fake_domain_list(&tdoms[1].d);
    as_dom(d1);
    memcpy(gptr(d1, ARGS), &st, sizeof(st));
    assert_int_equal(gnttab_op(GNTTABOP_setup_table, ARGS, 1U), 0);
    gnt1 = map_gnttab_frame(d1, 1U);
    for (uint32_t r = 0U; r <= n; r++) {
        struct grant_entry_v1 *e = (r < 512U) ? &gnt[r] : &gnt1[r - 512U];

        e->domid = D2;
        e->frame = (uint32_t)(SHARED >> PAGE_SHIFT);
        e->flags = GTF_permit_access | GTF_readonly;
        ops[r] = (struct gnttab_map_grant_ref){ .host_addr = (MAP_AT + r) << PAGE_SHIFT,
                                                .flags = GNTMAP_host_map | GNTMAP_readonly,
                                                .ref = r, .dom = D1 };
    }
    as_dom(d2);
    assert_int_equal(hcall(do_grant_table_op, GNTTABOP_map_grant_ref, ARGS, n + 1U, &restarts),
                     0);
    assert_int_equal(restarts, 8U);     /* 64 operations per invocation */
    assert_int_equal(ops[0].status, GNTST_okay);
    assert_int_equal(ops[n - 1U].status, GNTST_okay);
    assert_int_equal(ops[n].status, GNTST_no_space);
    assert_int_equal(gnttab_maptrack_in_use(d2), n);
    assert_int_equal(page_pins(shared_mfn()), n);
}

static void test_pin_limit(void **state)
{
    uint32_t i;

    (void)state;
    grant(30U, D2, SHARED >> PAGE_SHIFT, GTF_permit_access);
    for (i = 0U; i < 128U; i++) {
        assert_int_equal(map(30U, D1, MAP_AT + i, GNTMAP_host_map, NULL), GNTST_okay);
    }
    assert_int_equal(map(30U, D1, MAP_AT + i, GNTMAP_host_map, NULL), GNTST_general_error);
    /* Read-only pins have their own counter. */
    assert_int_equal(map(30U, D1, MAP_AT + i, GNTMAP_host_map | GNTMAP_readonly, NULL),
                     GNTST_okay);
    assert_int_equal(page_pins(shared_mfn()), 1U);
}

static void test_granter_destroyed(void **state)
{
    mfn_t m = shared_mfn();
    uint32_t h = 0U;

    (void)state;
    grant(40U, D2, SHARED >> PAGE_SHIFT, GTF_permit_access);
    assert_int_equal(map(40U, D1, MAP_AT, GNTMAP_host_map, &h), GNTST_okay);
    /* Destroyed while d2 maps its page: d1 stays in memory, dying, and
     * d2's mapping stays good (as on Xen, where the page reference keeps
     * it), until d2 unmaps. */
    dom_kill(d1);
    assert_false(tdom_of(d1)->freed);
    assert_int_equal(gnttab_maptrack_in_use(d2), 1U);
    assert_int_equal(p2m_type_at(d2, MAP_AT, NULL), GUEST_FRAME_GRANT_RW);
    assert_int_equal(page_pins(m), 1U);
    /* No new mapping of a dying domain's grants. */
    assert_int_equal(map(40U, D1, MAP_AT + 1U, GNTMAP_host_map, NULL), GNTST_bad_domain);
    assert_int_equal(unmap(MAP_AT << PAGE_SHIFT, h), GNTST_okay);
    assert_true(tdom_of(d1)->freed);
    assert_int_equal(p2m_type_at(d2, MAP_AT, NULL), GUEST_FRAME_NONE);
    assert_int_equal(page_pins(m), 0U);
}

static void test_mapper_killed_releases_its_mappings(void **state)
{
    mfn_t m = shared_mfn();

    (void)state;
    grant(42U, D2, SHARED >> PAGE_SHIFT, GTF_permit_access);
    assert_int_equal(map(42U, D1, MAP_AT, GNTMAP_host_map, NULL), GNTST_okay);
    /* domain_kill of d2 gives its mappings (and its hold on d1) back at
     * once, before d2 itself is freed. */
    gnttab_release_mappings(d2);
    assert_int_equal(gnttab_maptrack_in_use(d2), 0U);
    assert_int_equal(p2m_type_at(d2, MAP_AT, NULL), GUEST_FRAME_NONE);
    assert_int_equal(page_pins(m), 0U);
    assert_int_equal(gnt[42].flags, GTF_permit_access);
    dom_kill(d1);
    assert_true(tdom_of(d1)->freed);
}

static void test_mapper_destroyed(void **state)
{
    mfn_t m = shared_mfn();

    (void)state;
    grant(41U, D2, SHARED >> PAGE_SHIFT, GTF_permit_access);
    assert_int_equal(map(41U, D1, MAP_AT, GNTMAP_host_map, NULL), GNTST_okay);
    assert_int_equal(page_pins(m), 1U);
    dom_destroy(d2);
    assert_int_equal(gnt[41].flags, GTF_permit_access);
    assert_int_equal(page_pins(m), 0U);
}

/* d2 copies with one operation; returns its status. */
static int16_t copy(const struct gnttab_copy *in)
{
    struct gnttab_copy op = *in;

    as_dom(d2);
    memcpy(gptr(d2, ARGS), &op, sizeof(op));
    assert_int_equal(gnttab_op(GNTTABOP_copy, ARGS, 1U), 0);
    memcpy(&op, gptr(d2, ARGS), sizeof(op));
    return op.status;
}

static void test_copy(void **state)
{
    uint64_t own = GRAM + 0x8000U;  /* a page of d2's RAM */
    struct gnttab_copy op = {
        .source = { .u.ref = 50U, .domid = D1, .offset = 100U },
        .dest = { .u.gmfn = own >> PAGE_SHIFT, .domid = DOMID_SELF, .offset = 8U },
        .len = 16U, .flags = GNTCOPY_source_gref,
    };

    (void)state;
    grant(50U, D2, SHARED >> PAGE_SHIFT, GTF_permit_access | GTF_readonly);
    memcpy((uint8_t *)gptr(d1, SHARED) + 100, "sixteen bytes!!", 16);
    assert_int_equal(copy(&op), GNTST_okay);
    assert_memory_equal((uint8_t *)gptr(d2, own) + 8, "sixteen bytes!!", 16);
    assert_int_equal(gnt[50].flags, GTF_permit_access | GTF_readonly);
    assert_int_equal(page_pins(shared_mfn()), 0U);

    /* Into a read-only grant: refused. Into a writable one: done. */
    op = (struct gnttab_copy){
        .source = { .u.gmfn = own >> PAGE_SHIFT, .domid = DOMID_SELF, .offset = 8U },
        .dest = { .u.ref = 50U, .domid = D1, .offset = 0U },
        .len = 4U, .flags = GNTCOPY_dest_gref,
    };
    assert_int_equal(copy(&op), GNTST_general_error);
    grant(51U, D2, SHARED >> PAGE_SHIFT, GTF_permit_access);
    op.dest.u.ref = 51U;
    assert_int_equal(copy(&op), GNTST_okay);
    assert_memory_equal(gptr(d1, SHARED), "sixt", 4);
    assert_int_equal(gnt[51].flags, GTF_permit_access);

    /* Lengths and offsets crossing the page; checked after the frames. */
    op.len = 4000U;
    op.dest.offset = 100U;
    assert_int_equal(copy(&op), GNTST_bad_copy_arg);
    op.dest.offset = 0U;
    op.source.offset = 4095U;
    op.len = 2U;
    assert_int_equal(copy(&op), GNTST_bad_copy_arg);
    op.dest.u.ref = 9999U;
    assert_int_equal(copy(&op), GNTST_bad_gntref);
    assert_int_equal(page_pins(shared_mfn()), 0U);

    /* Frame numbers only for oneself; unknown domains; bad frames. */
    op = (struct gnttab_copy){
        .source = { .u.gmfn = SHARED >> PAGE_SHIFT, .domid = D1 },
        .dest = { .u.gmfn = own >> PAGE_SHIFT, .domid = DOMID_SELF },
        .len = 4U, .flags = 0U,
    };
    assert_int_equal(copy(&op), GNTST_permission_denied);
    op.source = (struct gnttab_copy_ptr){ .u.ref = 50U, .domid = 88U };
    op.flags = GNTCOPY_source_gref;
    assert_int_equal(copy(&op), GNTST_bad_domain);
    op.source = (struct gnttab_copy_ptr){ .u.gmfn = 0x777U, .domid = DOMID_SELF };
    op.flags = 0U;
    assert_int_equal(copy(&op), GNTST_bad_page);
}

static void test_copy_batch(void **state)
{
    uint64_t own = GRAM + 0x8000U;
    struct gnttab_copy ops[3] = {
        { .source = { .u.ref = 60U, .domid = D1 }, .dest = { .u.gmfn = own >> PAGE_SHIFT,
          .domid = DOMID_SELF }, .len = 8U, .flags = GNTCOPY_source_gref },
        { .source = { .u.ref = 61U, .domid = D1 }, .dest = { .u.gmfn = own >> PAGE_SHIFT,
          .domid = DOMID_SELF }, .len = 8U, .flags = GNTCOPY_source_gref },
        { .source = { .u.ref = 60U, .domid = D1, .offset = 8U },
          .dest = { .u.gmfn = own >> PAGE_SHIFT, .domid = DOMID_SELF, .offset = 8U },
          .len = 8U, .flags = GNTCOPY_source_gref },
    };

    (void)state;
    grant(60U, D2, SHARED >> PAGE_SHIFT, GTF_permit_access);
    memcpy(gptr(d1, SHARED), "0123456789abcdef", 16);
    as_dom(d2);
    memcpy(gptr(d2, ARGS), ops, sizeof(ops));
    assert_int_equal(gnttab_op(GNTTABOP_copy, ARGS, 3U), 0);
    memcpy(ops, gptr(d2, ARGS), sizeof(ops));
    assert_int_equal(ops[0].status, GNTST_okay);
    assert_int_equal(ops[1].status, GNTST_general_error);  /* entry 61 grants nothing */
    assert_int_equal(ops[2].status, GNTST_okay);
    assert_memory_equal(gptr(d2, own), "0123456789abcdef", 16);
}

static void test_cache_flush(void **state)
{
    struct gnttab_cache_flush cf = { .a.dev_bus_addr = mfn_to_paddr(shared_mfn()),
                                     .offset = 0U, .length = 64U, .op = GNTTAB_CACHE_CLEAN };

    (void)state;
    as_dom(d2);
    memcpy(gptr(d2, ARGS), &cf, sizeof(cf));
    assert_int_equal(gnttab_op(GNTTABOP_cache_flush, ARGS, 1U), 0);
    cf.offset = 4090U;
    memcpy(gptr(d2, ARGS), &cf, sizeof(cf));
    assert_int_equal(gnttab_op(GNTTABOP_cache_flush, ARGS, 1U), -EINVAL);
    cf.offset = 0U;
    cf.op = GNTTAB_CACHE_SOURCE_GREF | GNTTAB_CACHE_CLEAN;
    memcpy(gptr(d2, ARGS), &cf, sizeof(cf));
    assert_int_equal(gnttab_op(GNTTABOP_cache_flush, ARGS, 1U), -EINVAL);
    cf.op = GNTTAB_CACHE_INVAL;
    cf.a.dev_bus_addr = 0x1000U;
    memcpy(gptr(d2, ARGS), &cf, sizeof(cf));
    assert_int_equal(gnttab_op(GNTTABOP_cache_flush, ARGS, 1U), -EINVAL);
    cf.length = 0U;
    memcpy(gptr(d2, ARGS), &cf, sizeof(cf));
    assert_int_equal(gnttab_op(GNTTABOP_cache_flush, ARGS, 1U), 0);
}

static void test_status_frames_and_swap(void **state)
{
    struct gnttab_get_status_frames sf = { .nr_frames = 0U, .dom = DOMID_SELF };
    struct gnttab_swap_grant_ref sw[3] = {
        { .ref_a = 70U, .ref_b = 71U }, { .ref_a = 70U, .ref_b = 9000U },
        { .ref_a = 72U, .ref_b = 73U },
    };
    uint32_t h = 0U;

    (void)state;
    as_dom(d1);
    memcpy(gptr(d1, ARGS), &sf, sizeof(sf));
    assert_int_equal(gnttab_op(GNTTABOP_get_status_frames, ARGS, 1U), 0);
    memcpy(&sf, gptr(d1, ARGS), sizeof(sf));
    assert_int_equal(sf.status, GNTST_okay);
    sf.nr_frames = 1U;
    memcpy(gptr(d1, ARGS), &sf, sizeof(sf));
    assert_int_equal(gnttab_op(GNTTABOP_get_status_frames, ARGS, 1U), 0);
    memcpy(&sf, gptr(d1, ARGS), sizeof(sf));
    assert_int_equal(sf.status, GNTST_general_error);
    assert_int_equal(gnttab_op(GNTTABOP_get_status_frames, ARGS, 2U), -EINVAL);

    grant(70U, D2, 0x111U, GTF_permit_access);
    grant(71U, D2, 0x222U, GTF_permit_access | GTF_readonly);
    grant(72U, D2, SHARED >> PAGE_SHIFT, GTF_permit_access);
    assert_int_equal(map(72U, D1, MAP_AT, GNTMAP_host_map, &h), GNTST_okay);
    as_dom(d1);
    memcpy(gptr(d1, ARGS), sw, sizeof(sw));
    assert_int_equal(gnttab_op(GNTTABOP_swap_grant_ref, ARGS, 3U), 0);
    memcpy(sw, gptr(d1, ARGS), sizeof(sw));
    assert_int_equal(sw[0].status, GNTST_okay);
    assert_int_equal(sw[1].status, GNTST_bad_gntref);
    assert_int_equal(sw[2].status, GNTST_eagain);
    assert_int_equal(gnt[70].frame, 0x222U);
    assert_int_equal(gnt[71].frame, 0x111U);
    assert_int_equal(gnt[70].flags, GTF_permit_access | GTF_readonly);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_query_size, setup, teardown),
        cmocka_unit_test_setup_teardown(test_max_frames, setup, teardown),
        cmocka_unit_test_setup_teardown(test_setup_table, setup, teardown),
        cmocka_unit_test_setup_teardown(test_versions_and_unknown, setup, teardown),
        cmocka_unit_test_setup_teardown(test_map_unmap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_map_readonly, setup, teardown),
        cmocka_unit_test_setup_teardown(test_map_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_map_batch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_maptrack_exhausted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pin_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_granter_destroyed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mapper_killed_releases_its_mappings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mapper_destroyed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_copy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_copy_batch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cache_flush, setup, teardown),
        cmocka_unit_test_setup_teardown(test_status_frames_and_swap, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
