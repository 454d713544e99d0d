/* Reading xen,domain nodes: xen,enhanced as Xen 4.17 reads it (absent,
 * empty, "enabled", "no-xenstore", another string, or a value that is not
 * a NUL-terminated string), IDs in node order, and what happens to a node
 * whose architecture properties the architecture refuses. */
#include <stdbool.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fdt_builder.h"
#include <fake_arch.h>
#include <fake_dom0less.h>
#include <proxenos/bootinfo.h>
#include <proxenos/dom0less.h>
#include <proxenos/fdt.h>

/* Every domain has a kernel, as bootinfo_scan() would have recorded a
 * multiboot,kernel module inside its node; the real bootinfo_find_module()
 * (bootinfo.c) finds it. */
static void give_each_domain_a_kernel(struct boot_info *bi)
{
    for (int node = fdt_first_child(bi->fdt, bi->chosen); node >= 0;
         node = fdt_next_sibling(bi->fdt, node)) {
        struct boot_module *m = &bi->modules[bi->nr_modules];

        assert_true(bi->nr_modules < BOOTINFO_MAX_MODULES);
        m->kind = BOOTMOD_KERNEL;
        m->domain = node;
        bi->nr_modules++;
    }
}

struct enhanced_case {
    const char *name;
    const void *value;      /* NULL: no property */
    size_t len;
    enum xen_enhanced_mode want;
};

static const struct enhanced_case cases[] = {
    { "absent", NULL, 0U, ENHANCED_NONE },
    { "empty", "", 0U, ENHANCED_FULL },
    { "enabled", "enabled", 8U, ENHANCED_FULL },
    { "noxs", "no-xenstore", 12U, ENHANCED_NO_XENSTORE },
    { "other", "disabled", 9U, ENHANCED_NONE },
    { "nul", "", 1U, ENHANCED_NONE },
    /* No NUL inside the value: not a string, so "enabled" for Xen. */
    { "unterm", "no-xenstore", 11U, ENHANCED_FULL },
    { "garbage", "\x01\x02\x03\x04", 4U, ENHANCED_FULL },
    { "prefix", "enab", 4U, ENHANCED_FULL },
    /* A string is read up to its NUL: what follows does not count. */
    { "trailing", "enabled\0xyz", 12U, ENHANCED_FULL },
    { "noxs2", "no-xenstore\0\0", 13U, ENHANCED_NO_XENSTORE },
    { "longer", "enabledx", 9U, ENHANCED_NONE },
    { "shorter", "no-xen", 7U, ENHANCED_NONE },
};

#define NR_CASES (sizeof(cases) / sizeof(cases[0]))

static void test_xen_enhanced(void **state)
{
    struct fb *b = fb_new();
    struct fdt fdt;
    struct boot_info *bi = calloc(1, sizeof(*bi));
    struct dom0less_config cfgs[DOM0LESS_MAX_DOMAINS];
    unsigned int n;

    (void)state;
    assert_non_null(bi);
    fb_begin(b, "");
    fb_begin(b, "chosen");
    for (size_t i = 0U; i < NR_CASES; i++) {
        fb_begin(b, cases[i].name);
        fb_prop_str(b, "compatible", "xen,domain");
        fb_prop_cells(b, "memory", 2U, 0U, 0x4000U);
        fb_prop_cells(b, "cpus", 1U, 1U);
        if (cases[i].value != NULL) {
            fb_prop(b, "xen,enhanced", cases[i].value, cases[i].len);
        }
        fb_end(b);
    }
    fb_end(b);
    fb_end(b);
    fb_finish(b);
    assert_int_equal(fdt_check(&fdt, b->out, b->out_len), 0);
    bi->fdt = &fdt;
    bi->chosen = fdt_first_child(&fdt, fdt_root(&fdt));
    give_each_domain_a_kernel(bi);
    n = dom0less_parse(bi, cfgs, DOM0LESS_MAX_DOMAINS);
    assert_int_equal(n, NR_CASES);
    for (size_t i = 0U; i < NR_CASES; i++) {
        assert_string_equal(cfgs[i].name, cases[i].name);
        assert_int_equal(cfgs[i].domid, i + 1U);
        if (cfgs[i].enhanced != cases[i].want) {
            fail_msg("%s: xen,enhanced read as %d, Xen 4.17 reads %d", cases[i].name,
                     (int)cfgs[i].enhanced, (int)cases[i].want);
        }
    }
    free(bi);
    free(b);
}

/* The architecture reads its own properties of each node (one call per
 * node, with the node's slot) and may refuse one: then that domain is
 * skipped with a message naming the node and the reason, and the next
 * domain keeps its ID. */
static void test_arch_properties(void **state)
{
    static const char *const names[] = { "domA", "domB" };
    struct fb *b = fb_new();
    struct fdt fdt;
    struct boot_info *bi = calloc(1, sizeof(*bi));
    struct dom0less_config cfgs[DOM0LESS_MAX_DOMAINS];

    (void)state;
    assert_non_null(bi);
    fake_reset();
    fb_begin(b, "");
    fb_begin(b, "chosen");
    for (size_t i = 0U; i < 2U; i++) {
        fb_begin(b, names[i]);
        fb_prop_str(b, "compatible", "xen,domain");
        fb_prop_cells(b, "memory", 2U, 0U, 0x4000U);
        fb_prop_cells(b, "cpus", 1U, 1U);
        fb_end(b);
    }
    fb_end(b);
    fb_end(b);
    fb_finish(b);
    assert_int_equal(fdt_check(&fdt, b->out, b->out_len), 0);
    bi->fdt = &fdt;
    bi->chosen = fdt_first_child(&fdt, fdt_root(&fdt));
    give_each_domain_a_kernel(bi);

    assert_int_equal(dom0less_parse(bi, cfgs, DOM0LESS_MAX_DOMAINS), 2U);
    assert_int_equal(fake_dom0less_parses(), 2U);
    assert_string_equal(cfgs[1].name, "domB");
    assert_int_equal(cfgs[1].domid, 2U);

    fake_dom0less_set_parse_error("\"widget\" is bad");
    assert_int_equal(dom0less_parse(bi, cfgs, DOM0LESS_MAX_DOMAINS), 0U);
    assert_int_equal(fake_dom0less_parses(), 4U);
    assert_true(fake_log_contains("dom0less: domA: \"widget\" is bad: domain skipped"));
    assert_true(fake_log_contains("dom0less: domB: \"widget\" is bad: domain skipped"));
    free(bi);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_xen_enhanced),
        cmocka_unit_test(test_arch_properties),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
