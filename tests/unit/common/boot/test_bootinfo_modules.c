/* Boot information from blobs built here for Xen's rules on command lines
 * (which one is the hypervisor's, which dom0's) and boot modules (kinds,
 * legacy names, guessing, placement, linux,initrd-start/-end). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <proxenos/bootinfo.h>
#include <proxenos/errno.h>
#include "bootinfo_scan.h"

/* ---- Command-line priority (fact sheet section 2) ----------------------- */

struct chosen_args {
    const char *xen;          /* xen,xen-bootargs or NULL */
    const char *dom0;         /* xen,dom0-bootargs or NULL */
    const char *bootargs;     /* bootargs or NULL */
    const char *module;       /* the dom0 kernel module's bootargs or NULL */
    bool has_kernel;
};

static struct scanned *scan_chosen(const struct chosen_args *a)
{
    struct scanned *s = new_built();
    struct fb *b = s->fb;

    begin_root(b);
    fb_begin(b, "chosen");
    if (a->xen != NULL) {
        fb_prop_str(b, "xen,xen-bootargs", a->xen);
    }
    if (a->dom0 != NULL) {
        fb_prop_str(b, "xen,dom0-bootargs", a->dom0);
    }
    if (a->bootargs != NULL) {
        fb_prop_str(b, "bootargs", a->bootargs);
    }
    if (a->has_kernel) {
        fb_begin(b, "module@40000000");
        fb_prop_strs(b, "compatible", "multiboot,kernel", "multiboot,module", NULL);
        fb_prop_cells(b, "reg", 4, 0, 0x40000000, 0, 0x100000);
        if (a->module != NULL) {
            fb_prop_str(b, "bootargs", a->module);
        }
        fb_end(b);
    }
    fb_end(b);
    fb_end(b);
    assert_int_equal(scan_built(s), 0);
    return s;
}

static void expect_cmdlines(const struct chosen_args *a, const char *xen, const char *dom0)
{
    struct scanned *s = scan_chosen(a);

    if (xen == NULL) {
        assert_null(s->bi.xen_cmdline);
    } else {
        assert_non_null(s->bi.xen_cmdline);
        assert_string_equal(s->bi.xen_cmdline, xen);
    }
    if (dom0 == NULL) {
        assert_null(s->bi.dom0_cmdline);
    } else {
        assert_non_null(s->bi.dom0_cmdline);
        assert_string_equal(s->bi.dom0_cmdline, dom0);
    }
    free_scanned(s);
}

static void test_cmdline_priority(void **state)
{
    (void)state;
    /* Only bootargs: dom0's; Xen gets nothing. */
    expect_cmdlines(&(struct chosen_args){ .bootargs = "B" }, NULL, "B");
    expect_cmdlines(&(struct chosen_args){ .bootargs = "B", .has_kernel = true }, NULL, "B");
    /* Only xen,xen-bootargs besides bootargs: bootargs stays dom0's. */
    expect_cmdlines(&(struct chosen_args){ .xen = "X", .bootargs = "B" }, "X", "B");
    /* xen,dom0-bootargs without xen,xen-bootargs: bootargs becomes Xen's. */
    expect_cmdlines(&(struct chosen_args){ .dom0 = "D", .bootargs = "B" }, "B", "D");
    expect_cmdlines(&(struct chosen_args){ .dom0 = "D" }, NULL, "D");
    /* The kernel module's own bootargs: likewise. */
    expect_cmdlines(&(struct chosen_args){ .bootargs = "B", .module = "M", .has_kernel = true },
                    "B", "M");
    /* ... but only if non-empty. */
    expect_cmdlines(&(struct chosen_args){ .bootargs = "B", .module = "", .has_kernel = true },
                    NULL, "B");
    /* xen,dom0-bootargs wins over the module's bootargs for dom0. */
    expect_cmdlines(&(struct chosen_args){ .dom0 = "D", .bootargs = "B", .module = "M",
                                           .has_kernel = true }, "B", "D");
    /* Everything: each takes its own, bootargs is unused. */
    expect_cmdlines(&(struct chosen_args){ .xen = "X", .dom0 = "D", .bootargs = "B",
                                           .module = "M", .has_kernel = true }, "X", "D");
    expect_cmdlines(&(struct chosen_args){ .xen = "X", .module = "M", .has_kernel = true },
                    "X", "M");
    expect_cmdlines(&(struct chosen_args){ 0 }, NULL, NULL);
}

static void test_domu_module_bootargs_are_not_dom0s(void **state)
{
    struct scanned *s = new_built();
    struct fb *b = s->fb;

    (void)state;
    fb_begin(b, "");
    fb_begin(b, "chosen");
    fb_prop_u32(b, "#address-cells", 1);
    fb_prop_u32(b, "#size-cells", 1);
    fb_prop_str(b, "bootargs", "B");
    fb_begin(b, "domU");
    fb_prop_str(b, "compatible", "xen,domain");
    fb_begin(b, "k");
    fb_prop_strs(b, "compatible", "multiboot,kernel", "multiboot,module", NULL);
    fb_prop_cells(b, "reg", 2, 0x50000000, 0x1000);
    fb_prop_str(b, "bootargs", "U");
    fb_end(b);
    fb_end(b);
    fb_end(b);
    fb_end(b);
    assert_int_equal(scan_built(s), 0);
    assert_null(s->bi.xen_cmdline);
    assert_string_equal(s->bi.dom0_cmdline, "B");
    assert_true(bootinfo_is_dom0less(&s->bi));
    assert_string_equal(s->bi.modules[0].cmdline, "U");
    free_scanned(s);
}

/* ---- Module kinds, legacy names, guessing, placement -------------------- */

static void add_module(struct fb *b, const char *name, uint32_t addr, const char *compat1,
                       const char *compat2)
{
    fb_begin(b, name);
    if (compat2 != NULL) {
        fb_prop_strs(b, "compatible", compat1, compat2, NULL);
    } else {
        fb_prop_str(b, "compatible", compat1);
    }
    fb_prop_cells(b, "reg", 2, addr, 0x1000);
    fb_end(b);
}

static void test_module_kinds(void **state)
{
    struct scanned *s = new_built();
    struct fb *b = s->fb;
    const struct boot_info *bi = &s->bi;

    (void)state;
    fb_begin(b, "");
    fb_begin(b, "chosen");
    fb_prop_u32(b, "#address-cells", 1);
    fb_prop_u32(b, "#size-cells", 1);
    add_module(b, "m0", 0x1000000, "xen,multiboot-module", "xen,linux-zimage");
    add_module(b, "m1", 0x2000000, "xen,linux-initrd", "xen,multiboot-module");
    add_module(b, "m2", 0x3000000, "multiboot,module", NULL);        /* 1st untyped */
    add_module(b, "m3", 0x4000000, "multiboot,module", NULL);        /* 2nd untyped */
    add_module(b, "m4", 0x5000000, "xen,multiboot-module", NULL);    /* 3rd untyped */
    add_module(b, "m5", 0x6000000, "multiboot,module", "xen,xsm-policy");
    add_module(b, "m6", 0x7000000, "multiboot,device-tree", "multiboot,module");
    add_module(b, "notmod", 0x8000000, "multiboot,kernel", NULL);   /* lacks multiboot,module */
    fb_end(b);
    add_module(b, "outside", 0x9000000, "multiboot,module", "multiboot,kernel");
    fb_end(b);
    assert_int_equal(scan_built(s), 0);

    assert_int_equal(bi->nr_modules, 7);
    assert_int_equal(bi->modules[0].kind, BOOTMOD_KERNEL);
    assert_false(bi->modules[0].kind_guessed);
    assert_int_equal(bi->modules[1].kind, BOOTMOD_RAMDISK);
    assert_int_equal(bi->modules[2].kind, BOOTMOD_KERNEL);
    assert_true(bi->modules[2].kind_guessed);
    assert_int_equal(bi->modules[3].kind, BOOTMOD_RAMDISK);
    assert_true(bi->modules[3].kind_guessed);
    assert_int_equal(bi->modules[4].kind, BOOTMOD_UNKNOWN);
    assert_true(bi->modules[4].kind_guessed);
    assert_int_equal(bi->modules[5].kind, BOOTMOD_XSM);
    assert_int_equal(bi->modules[6].kind, BOOTMOD_GUEST_DTB);
    assert_int_equal(bi->modules[6].start, 0x7000000);
    /* The first kernel found is dom0's. */
    assert_ptr_equal(bootinfo_find_module(bi, BOOTMOD_KERNEL, -1), &bi->modules[0]);

    assert_string_equal(boot_module_kind_name(BOOTMOD_KERNEL), "kernel");
    assert_string_equal(boot_module_kind_name(BOOTMOD_RAMDISK), "ramdisk");
    assert_string_equal(boot_module_kind_name(BOOTMOD_XSM), "xsm");
    assert_string_equal(boot_module_kind_name(BOOTMOD_GUEST_DTB), "device-tree");
    assert_string_equal(boot_module_kind_name(BOOTMOD_UNKNOWN), "unknown");
    free_scanned(s);
}

static void test_module_depth(void **state)
{
    struct scanned *s = new_built();
    struct fb *b = s->fb;
    const struct boot_info *bi = &s->bi;

    (void)state;
    fb_begin(b, "");
    fb_begin(b, "chosen");
    fb_begin(b, "group");                                  /* not a xen,domain */
    fb_prop_u32(b, "#address-cells", 1);
    fb_prop_u32(b, "#size-cells", 1);
    add_module(b, "depth3", 0x1000000, "multiboot,module", "multiboot,kernel");
    fb_begin(b, "deeper");
    fb_prop_u32(b, "#address-cells", 1);
    fb_prop_u32(b, "#size-cells", 1);
    add_module(b, "depth4", 0x2000000, "multiboot,module", "multiboot,kernel");
    fb_end(b);
    fb_end(b);
    fb_end(b);
    fb_end(b);
    assert_int_equal(scan_built(s), 0);
    /* Depth 3 counts and belongs to dom0; depth 4 is too deep. */
    assert_int_equal(bi->nr_modules, 1);
    assert_int_equal(bi->modules[0].start, 0x1000000);
    assert_int_equal(bi->modules[0].domain, -1);
    assert_int_equal(bi->nr_domain_nodes, 0);
    assert_false(bootinfo_is_dom0less(bi));
    free_scanned(s);
}

static void test_module_errors(void **state)
{
    struct scanned *s = new_built();

    (void)state;
    fb_begin(s->fb, "");
    fb_begin(s->fb, "chosen");
    fb_begin(s->fb, "noreg");
    fb_prop_str(s->fb, "compatible", "multiboot,module");
    fb_end(s->fb);
    fb_end(s->fb);
    fb_end(s->fb);
    /* Kept, marked unusable: only its owner is skipped (boot_ranges.h). */
    assert_int_equal(scan_built(s), 0);
    assert_int_equal(s->bi.nr_modules, 1);
    assert_string_equal(s->bi.modules[0].unusable, "has no reg");
    assert_string_equal(s->bi.modules[0].name, "noreg");
    free_scanned(s);

    s = new_built();
    begin_root(s->fb);
    fb_begin(s->fb, "chosen");
    fb_begin(s->fb, "m");
    fb_prop_str(s->fb, "compatible", "multiboot,module");
    fb_prop_cells(s->fb, "reg", 4, 0, 0x1000, 0, 0x1000);
    fb_prop(s->fb, "bootargs", "abc", 3);                  /* no NUL */
    fb_end(s->fb);
    fb_end(s->fb);
    fb_end(s->fb);
    assert_int_equal(scan_built(s), 0);
    assert_string_equal(s->bi.modules[0].unusable, "its bootargs is not a NUL-terminated string");
    assert_null(s->bi.modules[0].cmdline);
    free_scanned(s);

    s = new_built();
    begin_root(s->fb);
    fb_begin(s->fb, "chosen");
    fb_begin(s->fb, "m");
    fb_prop_str(s->fb, "compatible", "multiboot,module");
    fb_prop_cells(s->fb, "reg", 4, 0xffffffff, 0xfffff000, 0, 0x2000); /* wraps */
    fb_end(s->fb);
    fb_end(s->fb);
    fb_end(s->fb);
    /* Read as written; that it wraps is boot_modules_check()'s to say. */
    assert_int_equal(scan_built(s), 0);
    assert_null(s->bi.modules[0].unusable);
    assert_int_equal(s->bi.modules[0].start, 0xfffffffffffff000ULL);
    assert_int_equal(s->bi.modules[0].size, 0x2000);
    free_scanned(s);
}

static void test_too_many_modules(void **state)
{
    struct scanned *s = new_built();
    char name[16];

    (void)state;
    begin_root(s->fb);
    fb_begin(s->fb, "chosen");
    for (uint32_t i = 0; i <= BOOTINFO_MAX_MODULES; i++) {
        snprintf(name, sizeof(name), "m%u", i);
        fb_begin(s->fb, name);
        fb_prop_strs(s->fb, "compatible", "multiboot,module", "multiboot,ramdisk", NULL);
        fb_prop_cells(s->fb, "reg", 4, 0, 0x1000 * (i + 1), 0, 0x1000);
        fb_end(s->fb);
    }
    fb_end(s->fb);
    fb_end(s->fb);
    assert_int_equal(scan_built(s), -ENOSPC);
    assert_string_equal(s->bi.error, "too many boot modules (at most 32)");
    assert_int_equal(s->bi.nr_modules, BOOTINFO_MAX_MODULES);
    free_scanned(s);
}

/* ---- linux,initrd-start / -end ------------------------------------------ */

static struct scanned *scan_initrd(const void *start, size_t slen, const void *end,
                                   size_t elen)
{
    struct scanned *s = new_built();

    fb_begin(s->fb, "");
    fb_begin(s->fb, "chosen");
    if (start != NULL) {
        fb_prop(s->fb, "linux,initrd-start", start, slen);
    }
    if (end != NULL) {
        fb_prop(s->fb, "linux,initrd-end", end, elen);
    }
    fb_end(s->fb);
    fb_end(s->fb);
    return s;
}

static void test_initrd_properties(void **state)
{
    static const uint8_t s32[] = { 0x48, 0x00, 0x00, 0x00 };
    static const uint8_t e32[] = { 0x48, 0x10, 0x00, 0x00 };
    static const uint8_t s64[] = { 0, 0, 0, 1, 0x00, 0x00, 0x00, 0x00 };
    static const uint8_t e64[] = { 0, 0, 0, 1, 0x00, 0x20, 0x00, 0x00 };
    static const uint8_t bad[] = { 1, 2, 3 };
    struct scanned *s;

    (void)state;
    s = scan_initrd(s32, 4, e32, 4);
    assert_int_equal(scan_built(s), 0);
    assert_int_equal(s->bi.nr_modules, 1);
    assert_int_equal(s->bi.modules[0].kind, BOOTMOD_RAMDISK);
    assert_int_equal(s->bi.modules[0].start, 0x48000000);
    assert_int_equal(s->bi.modules[0].size, 0x100000);
    assert_int_equal(s->bi.modules[0].domain, -1);
    assert_ptr_equal(bootinfo_find_module(&s->bi, BOOTMOD_RAMDISK, -1), &s->bi.modules[0]);
    free_scanned(s);

    s = scan_initrd(s64, 8, e32, 4);        /* mixed sizes are fine, but 4G > end */
    /* Kept, unusable: dom0 goes unbuilt, the scan goes on. */
    assert_int_equal(scan_built(s), 0);
    assert_int_equal(s->bi.nr_modules, 1);
    assert_string_equal(s->bi.modules[0].unusable, "linux,initrd-start is not below linux,initrd-end");
    free_scanned(s);

    s = scan_initrd(s64, 8, e64, 8);
    assert_int_equal(scan_built(s), 0);
    assert_int_equal(s->bi.modules[0].start, 0x100000000ULL);
    assert_int_equal(s->bi.modules[0].size, 0x200000);
    free_scanned(s);

    s = scan_initrd(s32, 4, NULL, 0);
    /* Kept, unusable: dom0 goes unbuilt, the scan goes on. */
    assert_int_equal(scan_built(s), 0);
    assert_int_equal(s->bi.nr_modules, 1);
    assert_string_equal(s->bi.modules[0].unusable, "linux,initrd-start without linux,initrd-end");
    free_scanned(s);

    s = scan_initrd(bad, 3, e32, 4);
    /* Kept, unusable: dom0 goes unbuilt, the scan goes on. */
    assert_int_equal(scan_built(s), 0);
    assert_int_equal(s->bi.nr_modules, 1);
    assert_string_equal(s->bi.modules[0].unusable, "linux,initrd-start/-end must be 4 or 8 bytes");
    free_scanned(s);

    s = scan_initrd(NULL, 0, e32, 4);       /* end alone: no initrd */
    assert_int_equal(scan_built(s), 0);
    assert_int_equal(s->bi.nr_modules, 0);
    free_scanned(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cmdline_priority),
        cmocka_unit_test(test_domu_module_bootargs_are_not_dom0s),
        cmocka_unit_test(test_module_kinds),
        cmocka_unit_test(test_module_depth),
        cmocka_unit_test(test_module_errors),
        cmocka_unit_test(test_too_many_modules),
        cmocka_unit_test(test_initrd_properties),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
