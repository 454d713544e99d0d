/* xen_version, console_io and vm_assist. */
#include "xenabi.h"

static char buf[1024];

static bool all_printable(const char *s, size_t max)
{
    size_t n = strnlen(s, max);
    size_t i;

    for (i = 0U; i < n; i++) {
        if ((s[i] < 0x20) || (s[i] > 0x7e)) {
            return false;
        }
    }
    return n < max;
}

static void version_strings(void)
{
    long rc;

    memset(buf, 0, sizeof(buf));
    rc = hyp_xen_version(XENVER_extraversion, buf);
    printf("xenabi: extraversion \"%s\"\n", buf);
    test_check("xenver_extraversion", (rc == 0) && (buf[0] == '.') && all_printable(buf, 16U),
               "rc %ld, \"%s\"", rc, buf);

    memset(buf, 0, sizeof(buf));
    rc = hyp_xen_version(XENVER_capabilities, buf);
    printf("xenabi: capabilities \"%s\"\n", buf);
    test_check("xenver_capabilities", (rc == 0) && (strncmp(buf, "xen-3.0-aarch64", 15U) == 0),
               "rc %ld, \"%s\"", rc, buf);

    memset(buf, 0, sizeof(buf));
    rc = hyp_xen_version(XENVER_changeset, buf);
    test_check("xenver_changeset", (rc == 0) && all_printable(buf, 64U), "rc %ld", rc);

    memset(buf, 0, sizeof(buf));
    rc = hyp_xen_version(XENVER_compile_info, buf);
    test_check("xenver_compile_info", (rc == 0) && all_printable(buf, 64U), "rc %ld", rc);
}

static void version_numbers(void)
{
    struct xen_feature_info fi = { 0U, 0U };
    uint8_t handle[16];
    uint64_t params[2] = { 0U, 0U };
    long rc;
    size_t i;
    bool zero = true;

    rc = hyp_xen_version(XENVER_version, NULL);
    printf("xenabi: version 0x%lx\n", (unsigned long)rc);
    xen_expect("xenver_version", rc, (4L << 16) | 17L);

    rc = hyp_xen_version(XENVER_get_features, &fi);
    printf("xenabi: features[0] = 0x%x\n", fi.submap);
    test_check("xenver_get_features", (rc == 0) &&
               ((fi.submap & (1U << XENFEAT_auto_translated_physmap)) != 0U),
               "rc %ld submap 0x%x", rc, fi.submap);
    /* Xen 4.17 has one submap: index 1 is already out of range */
    fi.submap_idx = 1U;
    xen_expect("xenver_get_features_idx1", hyp_xen_version(XENVER_get_features, &fi), -XEN_EINVAL);
    fi.submap_idx = 1000U;
    rc = hyp_xen_version(XENVER_get_features, &fi);
    xen_expect("xenver_get_features_bad_idx", rc, -XEN_EINVAL);

    xen_expect("xenver_pagesize", hyp_xen_version(XENVER_pagesize, NULL), 4096);

    memset(handle, 0xa5, sizeof(handle));
    rc = hyp_xen_version(XENVER_guest_handle, handle);
    for (i = 0U; i < sizeof(handle); i++) {
        zero = zero && (handle[i] == 0U);
    }
    /* a dom0less domain is created without a handle: all zero */
    test_check("xenver_guest_handle", (rc == 0) && zero, "rc %ld, handle[0] 0x%x", rc, handle[0]);

    rc = hyp_xen_version(XENVER_platform_parameters, params);
    printf("xenabi: platform_parameters virt_start 0x%lx\n", params[0]);
    xen_expect("xenver_platform_parameters", rc, 0);

    /* Xen 4.17 answers XENVER_commandline to a domU too (the dummy XSM policy allows it) */
    xen_expect("xenver_commandline", hyp_xen_version(XENVER_commandline, buf), 0);
    xen_expect("xenver_unknown", hyp_xen_version(1000U, buf), -XEN_ENOSYS);
}

static void console_and_assist(void)
{
    static const char msg[] = "xenabi: written with console_io\n";

    xen_expect("console_io_write", xen_console_write(msg, sizeof(msg) - 1U), 0);
    xen_expect("console_io_write_empty", xen_console_write(msg, 0U), 0);
    xen_expect("console_io_unknown_cmd",
               xen_hypercall(__HYPERVISOR_console_io, 99U, 1U, hc_ptr(msg)), -XEN_ENOSYS);

    xen_expect("vm_assist_runstate_flag",
               xen_hypercall(__HYPERVISOR_vm_assist, VMASST_CMD_enable, VMASST_TYPE_runstate_update_flag, 0U), 0);
    xen_expect("vm_assist_bad_type",
               xen_hypercall(__HYPERVISOR_vm_assist, VMASST_CMD_enable, 0U, 0U), -XEN_EINVAL);
    xen_expect("vm_assist_bad_cmd",
               xen_hypercall(__HYPERVISOR_vm_assist, 7U, VMASST_TYPE_runstate_update_flag, 0U), -XEN_ENOSYS);
}

void test_version_console(const struct platform *p)
{
    (void)p;
    version_numbers();
    version_strings();
    console_and_assist();
}
