/* XEN_DOMCTL_createdomain (common/control/domctl_createdomain.c): every
 * check of the configuration with Xen 4.17's answer, the id (asked, taken,
 * picked by the rover), what domain_create() is asked for, and what the
 * caller reads back. domain_create() itself is the shared fake
 * (fake_domain_create.c), which keeps what it was asked; the real one is
 * tested with the domain list (tests/unit/common/domain/test_domain.c). */
#include "control_env.h"

/* What xl create sends for a one-vCPU guest. */
static struct xen_domctl *create_in(domid_t dom)
{
    struct xen_domctl *op = domctl_in(0U, XEN_DOMCTL_createdomain, dom);
    struct xen_domctl_createdomain *cd = &op->u.createdomain;

    for (unsigned int i = 0U; i < sizeof(cd->handle); i++) {
        cd->handle[i] = (uint8_t)(0xa0U + i);
    }
    cd->flags = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap;
    cd->max_vcpus = 1U;
    cd->max_evtchn_port = 1023U;
    cd->max_grant_frames = -1;
    cd->max_maptrack_frames = -1;
    cd->grant_opts = 1U;
    cd->arch.gic_version = XEN_DOMCTL_CONFIG_GIC_NATIVE;
    cd->arch.nr_spis = 0U;
    return op;
}

static void creates_as_xl(void **state)
{
    struct xen_domctl *op = create_in(0xffffU);
    const struct domain_create_args *a = fake_domain_create_args();

    (void)state;
    hostinfo_set(&(struct host_info){ .nr_cpu_ids = 4U, .has_pmu = true,
                                      .timer_dt_frequency = 62500000U });
    assert_int_equal(call_domctl(), 0);
    assert_int_equal(fake_domain_creates(), 1U);
    /* The lowest free id, written back with the host's GIC and timer. */
    assert_int_equal(op->domain, 2U);
    assert_int_equal(op->u.createdomain.arch.gic_version, XEN_DOMCTL_CONFIG_GIC_V3);
    assert_int_equal(op->u.createdomain.arch.clock_frequency, 62500000U);
    /* What the domain was built with. */
    assert_int_equal(a->max_vcpus, 1U);
    assert_true(a->controller_paused);
    assert_true(a->toolstack_limits);
    assert_int_equal(a->max_evtchn_port, 1023U);
    assert_int_equal(a->max_grant_frames, 64U);     /* -1: Xen's default */
    assert_int_equal(a->p2m_pool_pages, 0U);
    assert_false(a->emulated_uart);
    assert_false(a->privileged);
    assert_false(a->direct_map);                    /* Xen's guest layout */
    assert_int_equal(a->arch.gic_version, XEN_DOMCTL_CONFIG_GIC_V3);
    assert_int_equal(a->cpupool_id, 0U);
    assert_int_equal(a->cpu_affinity, 0xfU);
    assert_int_equal(fake_domain_create_handle()[0], 0xa0U);
    assert_int_equal(fake_domain_create_handle()[15], 0xafU);
    assert_int_equal(fake_domain_refs_total(), 0U);
}

static void ids(void **state)
{
    struct xen_domctl *op;

    (void)state;
    /* Asked for: taken as asked, or -EEXIST; a dying domain still in
     * memory keeps its id. */
    op = create_in(7U);
    assert_int_equal(call_domctl(), 0);
    assert_int_equal(op->domain, 7U);
    op = create_in(7U);
    assert_int_equal(call_domctl(), -EEXIST);
    op = create_in(3U);
    assert_int_equal(call_domctl(), -EEXIST);
    doms[2].dying = true;
    op = create_in(3U);
    assert_int_equal(call_domctl(), -EEXIST);
    /* Freed: free again. */
    fake_domain_unlist(&doms[2]);        /* freed */
    fake_domain_create_forget();
    op = create_in(3U);
    assert_int_equal(call_domctl(), 0);
    assert_int_equal(op->domain, 3U);
    /* 0 and reserved ids pick upwards from where the last pick stopped
     * (creates_as_xl picked 2), skipping ids in use, never 0. */
    doms[2].dying = false;
    fake_domain_list(&doms[2]);
    fake_domain_create_forget();
    op = create_in(0U);
    assert_int_equal(call_domctl(), 0);
    assert_int_equal(op->domain, 4U);   /* 3 is dom3's */
    op = create_in(DOMID_SELF);
    assert_int_equal(call_domctl(), 0);
    assert_int_equal(op->domain, 5U);   /* 4 is in use now */
    /* MAX_DOMAINS in memory: no slot. */
    fake_domains_set_count_in_memory(MAX_DOMAINS);
    op = create_in(0U);
    assert_int_equal(call_domctl(), -ENOMEM);
    op = create_in(9U);
    assert_int_equal(call_domctl(), -ENOMEM);
    fake_domains_set_count_in_memory(0U);
    /* A failing build reaches the caller as it is; nothing is copied back. */
    fake_domain_create_fail(-ENOMEM);
    op = create_in(9U);
    op->u.createdomain.arch.gic_version = XEN_DOMCTL_CONFIG_GIC_NATIVE;
    assert_int_equal(call_domctl(), -ENOMEM);
    assert_int_equal(op->domain, 9U);
    assert_int_equal(op->u.createdomain.arch.gic_version, XEN_DOMCTL_CONFIG_GIC_NATIVE);
    assert_int_equal(fake_domain_refs_total(), 0U);
}

/* createdomain with one field changed by fn: rc, and no domain made on
 * failure. */
static void expect(void (*fn)(struct xen_domctl_createdomain *), long rc)
{
    struct xen_domctl *op = create_in(5U);

    fake_domain_create_forget();
    fn(&op->u.createdomain);
    assert_int_equal(call_domctl(), rc);
    assert_int_equal(fake_domain_creates(), (rc == 0) ? 1U : 0U);
}

static void unknown_flag(struct xen_domctl_createdomain *c) { c->flags |= 1U << 8; }
static void no_hvm(struct xen_domctl_createdomain *c) { c->flags = XEN_DOMCTL_CDF_hap; }
static void pv(struct xen_domctl_createdomain *c) { c->flags = 0U; }
static void xs_domain(struct xen_domctl_createdomain *c) { c->flags |= XEN_DOMCTL_CDF_xs_domain; }
static void iommu(struct xen_domctl_createdomain *c) { c->flags |= XEN_DOMCTL_CDF_iommu; }
static void iommu_opts(struct xen_domctl_createdomain *c) { c->iommu_opts = 1U; }
static void vpmu(struct xen_domctl_createdomain *c) { c->flags |= XEN_DOMCTL_CDF_vpmu; }
static void grant_opts(struct xen_domctl_createdomain *c) { c->grant_opts = 0x11U; }
static void grant_v0(struct xen_domctl_createdomain *c) { c->grant_opts = 0U; }
static void grant_v2(struct xen_domctl_createdomain *c) { c->grant_opts = 2U; }
static void no_vcpus(struct xen_domctl_createdomain *c) { c->max_vcpus = 0U; }
static void vcpus_128(struct xen_domctl_createdomain *c) { c->max_vcpus = 128U; }
static void vcpus_129(struct xen_domctl_createdomain *c) { c->max_vcpus = 129U; }
static void vmtrace(struct xen_domctl_createdomain *c) { c->vmtrace_size = 4096U; }
static void gic_v2(struct xen_domctl_createdomain *c) { c->arch.gic_version = XEN_DOMCTL_CONFIG_GIC_V2; }
static void gic_v3(struct xen_domctl_createdomain *c) { c->arch.gic_version = XEN_DOMCTL_CONFIG_GIC_V3; }
static void gic_bad(struct xen_domctl_createdomain *c) { c->arch.gic_version = 3U; }
static void tee(struct xen_domctl_createdomain *c) { c->arch.tee_type = XEN_DOMCTL_CONFIG_TEE_OPTEE; }
static void frames_0(struct xen_domctl_createdomain *c) { c->max_grant_frames = 0; }
static void frames_64(struct xen_domctl_createdomain *c) { c->max_grant_frames = 64; }
static void frames_65(struct xen_domctl_createdomain *c) { c->max_grant_frames = 65; }
static void maptrack_big(struct xen_domctl_createdomain *c) { c->max_maptrack_frames = 1025; }
static void no_pool(struct xen_domctl_createdomain *c) { c->cpupool_id = 2U; }
static void pool_1(struct xen_domctl_createdomain *c) { c->cpupool_id = 1U; }

static void config_checks(void **state)
{
    (void)state;
    expect(unknown_flag, -EINVAL);
    expect(no_hvm, -EINVAL);            /* hap without hvm */
    expect(pv, -EINVAL);                /* Arm: hvm and hap required */
    expect(xs_domain, -EINVAL);         /* known, but not on Arm */
    expect(iommu, -EINVAL);             /* no IOMMU */
    expect(iommu_opts, -EINVAL);
    expect(vpmu, 0);                    /* the host has a PMU */
    hostinfo_set(&(struct host_info){ .nr_cpu_ids = 4U, .has_pmu = false });
    expect(vpmu, -EINVAL);
    expect(grant_opts, -EINVAL);
    expect(grant_v0, -EINVAL);
    expect(grant_v2, -EINVAL);          /* Xen on Arm: version 1 only */
    expect(no_vcpus, -EINVAL);
    expect(vcpus_128, 0);
    expect(vcpus_129, -EINVAL);
    expect(vmtrace, -EINVAL);
    expect(gic_v2, -EINVAL);
    expect(gic_v3, 0);
    expect(gic_bad, -EINVAL);
    expect(tee, -EINVAL);
    expect(frames_0, -EINVAL);
    expect(frames_64, 0);
    expect(frames_65, -EINVAL);
    expect(maptrack_big, -EINVAL);
    expect(no_pool, -ESRCH);
    env_add_pool(1U, 0x30U, "null");    /* CPUs 4 and 5: offline */
    expect(pool_1, -ENODEV);
    fake_set_online_cpus(0x3fU);
    expect(pool_1, 0);
    assert_int_equal(fake_domain_create_args()->cpupool_id, 1U);
    assert_int_equal(fake_domain_create_args()->cpu_affinity, 0x30U);
    assert_int_equal(fake_domain_refs_total(), 0U);
}

static void only_dom0(void **state)
{
    (void)state;
    as(1U, 0U);
    (void)domctl_in(1U, XEN_DOMCTL_createdomain, 5U);
    assert_int_equal(call_domctl(), -EPERM);
    assert_int_equal(fake_domain_creates(), 0U);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(creates_as_xl, env_test_setup),
        cmocka_unit_test_setup(ids, env_test_setup),
        cmocka_unit_test_setup(config_checks, env_test_setup),
        cmocka_unit_test_setup(only_dom0, env_test_setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
