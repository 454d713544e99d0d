/* xen_version: every sub-op, the feature bits dom0 and a domU see, the
 * sub-ops only dom0 may use, and bad guest buffers. */
#include "test_pv_hcall_env.h"

#include <proxenos/xen_version.h>
#include <public/features.h>
#include <public/version.h>

#include <proxenos/build_id.h>

#define ARG (GUEST_BASE + 0x100U)

/* The image's note as the linker script lays it out: a 20-byte id. */
__asm__(".section .rodata\n"
        ".balign 4\n"
        ".globl __build_id_note_start\n"
        "__build_id_note_start:\n"
        ".long 4, 20, 3\n"
        ".ascii \"GNU\\0\"\n"
        ".byte 0x91, 0x4c, 0x01, 0x1f, 0xc9, 0x0e, 0x61, 0xa6, 0x56, 0x13\n"
        ".byte 0xaa, 0x91, 0x6e, 0x73, 0x13, 0x7c, 0x9b, 0xdd, 0xfe, 0xf1\n"
        ".globl __build_id_note_end\n"
        "__build_id_note_end:\n"
        ".previous\n");

static const uint8_t ID[20] = { 0x91, 0x4c, 0x01, 0x1f, 0xc9, 0x0e, 0x61, 0xa6, 0x56, 0x13,
                                0xaa, 0x91, 0x6e, 0x73, 0x13, 0x7c, 0x9b, 0xdd, 0xfe, 0xf1 };
#define UNMAPPED_GVA 0x10000000ULL

static int setup(void **state)
{
    (void)state;
    env_setup();
    xen_version_set_cmdline("console=dtuart dom0_mem=512M");
    as(0U, 0U);
    return 0;
}

static long xv(uint64_t cmd, uint64_t arg)
{
    return hc(do_xen_version, cmd, arg, 0U);
}

static void version_is_4_17(void **state)
{
    (void)state;
    assert_int_equal(xv(XENVER_version, 0U), (4 << 16) | 17);
    /* Xen reads the command as an int: upper bits are ignored. */
    assert_int_equal(xv((1ULL << 32) | XENVER_version, 0U), (4 << 16) | 17);
    as(1U, 0U);
    assert_int_equal(xv(XENVER_version, 0U), (4 << 16) | 17);
}

static void strings_for_everyone(void **state)
{
    const xen_compile_info_t *ci = garg(0U, 0x100U);

    (void)state;
    as(1U, 0U);
    ci = garg(1U, 0x100U);
    memset(garg(1U, 0x100U), 0xaa, 2048U);
    assert_int_equal(xv(XENVER_extraversion, ARG), 0);
    assert_string_equal((const char *)garg(1U, 0x100U), ".0");
    assert_int_equal(((const uint8_t *)garg(1U, 0x100U))[15], 0);
    assert_int_equal(xv(XENVER_capabilities, ARG), 0);
    /* The architecture's string (the host fake's here). */
    assert_string_equal((const char *)garg(1U, 0x100U), "xen-3.0-fake ");
    assert_int_equal(((const uint8_t *)garg(1U, 0x100U))[1023], 0);
    assert_int_equal(xv(XENVER_changeset, ARG), 0);
    assert_non_null(strstr((const char *)garg(1U, 0x100U), "proxenos"));
    assert_int_equal(xv(XENVER_compile_info, ARG), 0);
    assert_non_null(strstr(ci->compiler, "gcc"));
    assert_string_equal(ci->compile_by, "proxenos");
    assert_int_equal(ci->compile_date[31], 0);
}

static void platform_parameters(void **state)
{
    const xen_platform_parameters_t *p = garg(0U, 0x100U);

    (void)state;
    assert_int_equal(xv(XENVER_platform_parameters, ARG), 0);
    assert_int_equal(p->virt_start, 0x1000U);    /* the host fake's */
}

static uint32_t features_of(unsigned int d)
{
    xen_feature_info_t *fi = garg(d, 0x100U);

    as(d, 0U);
    fi->submap_idx = 0U;
    fi->submap = 0U;
    assert_int_equal(xv(XENVER_get_features, ARG), 0);
    return fi->submap;
}

static void features_dom0_and_domu(void **state)
{
    uint32_t common = (1U << XENFEAT_writable_page_tables) |
                      (1U << XENFEAT_auto_translated_physmap) |
                      (1U << XENFEAT_memory_op_vnode_supported);   /* the fake adds none */

    (void)state;
    assert_int_equal(features_of(0U),
                     common | (1U << XENFEAT_dom0) | (1U << XENFEAT_direct_mapped));
    assert_int_equal(features_of(1U), common | (1U << XENFEAT_not_direct_mapped));
    /* Being mapped 1:1 is what counts, not being dom0. */
    doms[0].direct_map = false;
    assert_int_equal(features_of(0U),
                     common | (1U << XENFEAT_dom0) | (1U << XENFEAT_not_direct_mapped));
}

static void features_bad_submap_and_buffer(void **state)
{
    xen_feature_info_t *fi = garg(0U, 0x100U);

    (void)state;
    fi->submap_idx = 1U;
    fi->submap = 0x1234U;
    assert_int_equal(xv(XENVER_get_features, ARG), -EINVAL);
    assert_int_equal(fi->submap, 0x1234U);
    fake_guest_fault(ARG, 8U, false);
    assert_int_equal(xv(XENVER_get_features, ARG), -EFAULT);
    fake_reset();
    setup(state);
    fake_guest_fault(ARG, 8U, true);    /* readable, not writable */
    fi->submap_idx = 0U;
    assert_int_equal(xv(XENVER_get_features, ARG), -EFAULT);
}

static void pagesize_and_handle(void **state)
{
    uint8_t zero[16] = { 0 };

    (void)state;
    assert_int_equal(xv(XENVER_pagesize, 0U), 4096);
    assert_int_equal(xv(XENVER_pagesize, ARG), -EINVAL);
    memset(garg(0U, 0x100U), 0xff, 16U);
    assert_int_equal(xv(XENVER_guest_handle, ARG), 0);
    assert_memory_equal(garg(0U, 0x100U), zero, 16U);
    /* Once the toolstack set one (XEN_DOMCTL_setdomainhandle). */
    memset(doms[0].handle, 0x42, sizeof(doms[0].handle));
    assert_int_equal(xv(XENVER_guest_handle, ARG), 0);
    assert_memory_equal(garg(0U, 0x100U), doms[0].handle, 16U);
    assert_int_equal(xv(XENVER_guest_handle, UNMAPPED_GVA), -EFAULT);
}

static void commandline_dom0_only(void **state)
{
    const char *out = garg(0U, 0x100U);

    (void)state;
    assert_int_equal(xv(XENVER_commandline, ARG), 0);
    assert_string_equal(out, "console=dtuart dom0_mem=512M");
    as(1U, 0U);
    out = garg(1U, 0x100U);
    assert_int_equal(xv(XENVER_commandline, ARG), 0);
    assert_string_equal(out, "<denied>");
    /* Extraversion and friends are never denied. */
    assert_int_equal(xv(XENVER_extraversion, ARG), 0);
    assert_string_equal(out, ".0");
}

static void commandline_is_cut_and_faults(void **state)
{
    static char lng[2000];
    const char *out = garg(0U, 0x100U);

    (void)state;
    memset(lng, 'x', sizeof(lng) - 1U);
    xen_version_set_cmdline(lng);
    assert_int_equal(xv(XENVER_commandline, ARG), 0);
    assert_int_equal(strlen(out), 1023U);
    xen_version_set_cmdline(NULL);
    assert_int_equal(xv(XENVER_commandline, ARG), 0);
    assert_string_equal(out, "");
    /* The 1024 bytes run into a second page, which faults. */
    fake_guest_fault(GUEST_BASE + PAGE_SIZE, PAGE_SIZE, false);
    assert_int_equal(xv(XENVER_commandline, GUEST_BASE + PAGE_SIZE - 512U), -EFAULT);
    assert_int_equal(xv(XENVER_extraversion, 0U), -EFAULT);
}

static void build_id_rules(void **state)
{
    uint32_t *len = garg(0U, 0x100U);
    const uint8_t *buf = (const uint8_t *)(len + 1);

    (void)state;
    /* A NULL argument asks for the size. */
    assert_int_equal(xv(XENVER_build_id, 0U), 20);
    *len = 0U;
    assert_int_equal(xv(XENVER_build_id, ARG), -EINVAL);
    *len = 19U;
    assert_int_equal(xv(XENVER_build_id, ARG), -ENOBUFS);
    *len = 64U;
    assert_int_equal(xv(XENVER_build_id, ARG), 20);
    assert_memory_equal(buf, ID, sizeof(ID));
    assert_int_equal(*len, 64U);        /* len is left as it was, as Xen */
    fake_guest_fault(ARG, 4U, false);
    assert_int_equal(xv(XENVER_build_id, ARG), -EFAULT);
    /* The id runs into a page that faults: -EFAULT. */
    *(uint32_t *)garg(0U, PAGE_SIZE - 8U) = 64U;
    fake_guest_fault(GUEST_BASE + PAGE_SIZE, PAGE_SIZE, false);
    assert_int_equal(xv(XENVER_build_id, GUEST_BASE + PAGE_SIZE - 8U), -EFAULT);
    as(1U, 0U);
    assert_int_equal(xv(XENVER_build_id, 0U), -EPERM);
}

/* Notes that are not a GNU build id, or whose sizes lie: no id. */
static void build_id_malformed_notes(void **state)
{
    uint32_t note[16] = { 4U, 20U, 3U, 0x00554e47U };  /* "GNU\0" */
    const uint8_t *id = NULL;
    uint32_t len = 0U;

    (void)state;
    assert_int_equal(build_id_parse((const uint8_t *)note, 36U, &id, &len), 0);
    assert_ptr_equal(id, (const uint8_t *)&note[4]);
    assert_int_equal(len, 20U);
    /* Cut short, by the header or by the id. */
    assert_int_equal(build_id_parse((const uint8_t *)note, 0U, &id, &len), -ENODATA);
    assert_int_equal(build_id_parse((const uint8_t *)note, 15U, &id, &len), -ENODATA);
    assert_int_equal(build_id_parse((const uint8_t *)note, 35U, &id, &len), -ENODATA);
    /* An id too long for what is there, or none at all. */
    note[1] = 0xffffffffU;
    assert_int_equal(build_id_parse((const uint8_t *)note, sizeof(note), &id, &len), -ENODATA);
    note[1] = 0U;
    assert_int_equal(build_id_parse((const uint8_t *)note, sizeof(note), &id, &len), -ENODATA);
    note[1] = 20U;
    /* Another type, name or name size. */
    note[2] = 1U;
    assert_int_equal(build_id_parse((const uint8_t *)note, sizeof(note), &id, &len), -ENODATA);
    note[2] = 3U;
    note[3] = 0x00584e47U;
    assert_int_equal(build_id_parse((const uint8_t *)note, sizeof(note), &id, &len), -ENODATA);
    note[3] = 0x00554e47U;
    note[0] = 8U;
    assert_int_equal(build_id_parse((const uint8_t *)note, sizeof(note), &id, &len), -ENODATA);
}

static void unknown_subop(void **state)
{
    (void)state;
    assert_int_equal(xv(11U, ARG), -ENOSYS);
    assert_int_equal(xv(0xffffffffU, ARG), -ENOSYS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(version_is_4_17, setup),
        cmocka_unit_test_setup(strings_for_everyone, setup),
        cmocka_unit_test_setup(platform_parameters, setup),
        cmocka_unit_test_setup(features_dom0_and_domu, setup),
        cmocka_unit_test_setup(features_bad_submap_and_buffer, setup),
        cmocka_unit_test_setup(pagesize_and_handle, setup),
        cmocka_unit_test_setup(commandline_dom0_only, setup),
        cmocka_unit_test_setup(commandline_is_cut_and_faults, setup),
        cmocka_unit_test_setup(build_id_rules, setup),
        cmocka_unit_test_setup(build_id_malformed_notes, setup),
        cmocka_unit_test_setup(unknown_subop, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
