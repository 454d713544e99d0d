/* grant_table_op v1: sizes, versions, setup_table, and a copy through our own grant. */
#include "xenabi.h"

#define COPY_REF 10U

static uint8_t src_page[XEN_PAGE_SIZE] __attribute__((aligned(XEN_PAGE_SIZE)));
static uint8_t dst_page[XEN_PAGE_SIZE] __attribute__((aligned(XEN_PAGE_SIZE)));

static void sizes_and_versions(void)
{
    struct gnttab_query_size qs = { XEN_DOMID_SELF, 0U, 0U, 99 };
    struct gnttab_get_version gv = { XEN_DOMID_SELF, 0U, 0U };
    struct gnttab_setup_table st = { XEN_DOMID_SELF, 1U, 99, 0U };
    uint64_t frame = 0xdeadU;
    long rc;

    rc = hyp_gnttab_op(GNTTABOP_query_size, &qs, 1U);
    printf("xenabi: grant frames %u of %u\n", qs.nr_frames, qs.max_nr_frames);
    test_check("gnttab_query_size", (rc == 0) && (qs.status == GNTST_okay) && (qs.nr_frames >= 1U) &&
               (qs.max_nr_frames >= qs.nr_frames), "rc %ld status %d", rc, qs.status);
    qs.dom = 0x7fe0U;
    rc = hyp_gnttab_op(GNTTABOP_query_size, &qs, 1U);
    test_check("gnttab_query_size_bad_dom", (rc == 0) && (qs.status == GNTST_bad_domain),
               "rc %ld status %d", rc, qs.status);

    xen_expect("gnttab_set_version_1", hyp_gnttab_op(GNTTABOP_set_version,
               &(struct gnttab_set_version){ 1U }, 1U), 0);
    xen_expect("gnttab_set_version_3", hyp_gnttab_op(GNTTABOP_set_version,
               &(struct gnttab_set_version){ 3U }, 1U), -XEN_EINVAL);
    rc = hyp_gnttab_op(GNTTABOP_get_version, &gv, 1U);
    test_check("gnttab_get_version", (rc == 0) && (gv.version == 1U), "rc %ld version %u", rc, gv.version);

    st.frame_list = hc_ptr(&frame);
    rc = hyp_gnttab_op(GNTTABOP_setup_table, &st, 1U);
    printf("xenabi: setup_table rc %ld status %d frame 0x%lx\n", rc, st.status, frame);
    test_check("gnttab_setup_table", (rc == 0) && (st.status == GNTST_okay), "rc %ld status %d",
               rc, st.status);
    xen_expect("gnttab_bad_cmd", hyp_gnttab_op(99U, &st, 1U), -XEN_ENOSYS);
}

static void copy_to_self(void)
{
    struct gnttab_copy c;
    int16_t status = 0;
    long rc;
    uint32_t i;

    for (i = 0U; i < XEN_PAGE_SIZE; i++) {
        src_page[i] = (uint8_t)(i ^ 0x5aU);
        dst_page[i] = 0U;
    }
    gnttab_grant(COPY_REF, xenabi_domid, (uint64_t)(uintptr_t)src_page >> XEN_PAGE_SHIFT, true);
    memset(&c, 0, sizeof(c));
    c.source.u.ref = COPY_REF;
    c.source.domid = XEN_DOMID_SELF;
    c.source.offset = 16U;
    c.dest.u.gmfn = (uint64_t)(uintptr_t)dst_page >> XEN_PAGE_SHIFT;
    c.dest.domid = XEN_DOMID_SELF;
    c.dest.offset = 32U;
    c.len = 100U;
    c.flags = GNTCOPY_source_gref;
    rc = gnttab_copy_one(&c, &status);
    test_check("gnttab_copy_self", (rc == 0) && (status == GNTST_okay) &&
               (memcmp(&dst_page[32], &src_page[16], 100U) == 0) && (dst_page[31] == 0U) &&
               (dst_page[132] == 0U), "rc %ld status %d", rc, status);
    test_check("gnttab_copy_released", (gnttab_entries[COPY_REF].flags & (GTF_reading | GTF_writing)) == 0U,
               "flags 0x%x", gnttab_entries[COPY_REF].flags);

    c.source.u.ref = 5000U;
    rc = gnttab_copy_one(&c, &status);
    test_check("gnttab_copy_bad_ref", (rc == 0) && (status == GNTST_bad_gntref), "rc %ld status %d", rc, status);
    c.source.u.ref = COPY_REF;
    c.len = 4090U;
    rc = gnttab_copy_one(&c, &status);
    test_check("gnttab_copy_crosses_page", (rc == 0) && (status == GNTST_bad_copy_arg),
               "rc %ld status %d", rc, status);
    gnttab_revoke(COPY_REF);
    c.len = 8U;
    rc = gnttab_copy_one(&c, &status);
    test_check("gnttab_copy_revoked", (rc == 0) && (status == GNTST_general_error),
               "rc %ld status %d", rc, status);
}

void test_grant(const struct platform *p)
{
    (void)p;
    if (gnttab_entries == NULL) {
        test_fail("gnttab", "grant frame not mapped");
        return;
    }
    sizes_and_versions();
    copy_to_self();
}
