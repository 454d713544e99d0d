/* Device tree reader (fdt.c, fdt_token.c): walking, names, properties,
 * big-endian reads and the reservation map of a valid tree built here.
 * Validation is in test_fdt_check.c, lookups and decoding in
 * test_fdt_addr.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <proxenos/errno.h>
#include <proxenos/fdt.h>
#include <proxenos/lib.h>
#include "fdt_builder.h"
#include "fdt_sample_tree.h"

/* ---- Walking and lookups ------------------------------------------------ */

static void test_walk_order_and_depth(void **state)
{
    struct good *g = *state;
    const struct fdt *fdt = &g->fdt;
    static const char *const expect[] = {
        "", "aliases", "chosen", "gic@8000000", "soc", "uart@1000", "bus@20000", "dev@30",
        "off@200000", "isolated", "thing@10", "inherit", "thing", "badreg", "short", "wide",
        "y", "notctrl", "dev", "twocell", "ctrl", "dev", "values",
    };
    static const int depths[] = {
        0, 1, 1, 1, 1, 2, 2, 3, 2, 1, 2, 1, 2, 1, 2, 2, 3, 1, 2, 1, 2, 2, 1,
    };
    int depth = 0;
    int node = fdt_root(fdt);
    size_t i = 0;

    while (node >= 0) {
        assert_true(i < ARRAY_SIZE(expect));
        assert_string_equal(fdt_node_name(fdt, node), expect[i]);
        assert_int_equal(depth, depths[i]);
        assert_int_equal(fdt_node_depth(fdt, node), depths[i]);
        node = fdt_next_node(fdt, node, &depth);
        i++;
    }
    assert_int_equal(node, -ENOENT);
    assert_int_equal(i, ARRAY_SIZE(expect));
    assert_int_equal(fdt->nr_nodes, ARRAY_SIZE(expect));
}

static void test_children_and_parents(void **state)
{
    struct good *g = *state;
    const struct fdt *fdt = &g->fdt;
    int soc = path(fdt, "/soc");
    int child;
    int chain[FDT_MAX_DEPTH];
    int dev = path(fdt, "/soc/bus@20000/dev@30");

    child = fdt_first_child(fdt, soc);
    assert_string_equal(fdt_node_name(fdt, child), "uart@1000");
    child = fdt_next_sibling(fdt, child);
    assert_string_equal(fdt_node_name(fdt, child), "bus@20000");
    /* The sibling after bus@20000 skips its child dev@30. */
    child = fdt_next_sibling(fdt, child);
    assert_string_equal(fdt_node_name(fdt, child), "off@200000");
    assert_int_equal(fdt_next_sibling(fdt, child), -ENOENT);
    assert_int_equal(fdt_first_child(fdt, child), -ENOENT);
    /* The last child of the root has no sibling: no cousins either. */
    assert_int_equal(fdt_next_sibling(fdt, path(fdt, "/values")), -ENOENT);

    assert_int_equal(fdt_parent(fdt, child), soc);
    assert_int_equal(fdt_parent(fdt, soc), fdt_root(fdt));
    assert_int_equal(fdt_parent(fdt, fdt_root(fdt)), -ENOENT);
    assert_int_equal(fdt_ancestors(fdt, dev, chain), 4);
    assert_int_equal(chain[0], fdt_root(fdt));
    assert_int_equal(chain[1], soc);
    assert_int_equal(chain[3], dev);

    /* Offsets that are not nodes are refused, not followed. */
    assert_int_equal(fdt_next_node(fdt, -1, NULL), -EINVAL);
    assert_int_equal(fdt_next_node(fdt, dev + 4, NULL), -EINVAL);
    assert_null(fdt_node_name(fdt, 3));
    assert_int_equal(fdt_parent(fdt, 0x7ffffff0), -ENOENT);
    assert_int_equal(fdt_first_prop(fdt, 1), -EINVAL);
}

static void test_node_path(void **state)
{
    struct good *g = *state;
    const struct fdt *fdt = &g->fdt;
    char buf[64];
    char tiny[10];

    assert_int_equal(fdt_node_path(fdt, fdt_root(fdt), buf, sizeof(buf)), 1);
    assert_string_equal(buf, "/");
    assert_int_equal(fdt_node_path(fdt, path(fdt, "/soc/bus/dev"), buf, sizeof(buf)),
                     (int)strlen("/soc/bus@20000/dev@30"));
    assert_string_equal(buf, "/soc/bus@20000/dev@30");
    assert_int_equal(fdt_node_path(fdt, path(fdt, "/soc/bus/dev"), tiny, sizeof(tiny)),
                     -ENAMETOOLONG);
}

static void test_names_and_compatible(void **state)
{
    struct good *g = *state;
    const struct fdt *fdt = &g->fdt;
    int uart = path(fdt, "serial0");
    int gic;

    assert_true(fdt_node_name_is(fdt, uart, "uart"));
    assert_true(fdt_node_name_is(fdt, uart, "uart@1000"));
    assert_false(fdt_node_name_is(fdt, uart, "uar"));
    assert_false(fdt_node_name_is(fdt, uart, "uart@10"));

    assert_true(fdt_node_is_compatible(fdt, uart, "arm,pl011"));
    assert_true(fdt_node_is_compatible(fdt, uart, "arm,primecell"));
    assert_false(fdt_node_is_compatible(fdt, uart, "arm,pl01"));
    assert_false(fdt_node_is_compatible(fdt, path(fdt, "/chosen"), "arm,pl011"));
    assert_true(fdt_stringlist_contains("a\0bc\0", 5, "bc"));
    assert_false(fdt_stringlist_contains("a\0bc", 4, "bc"));    /* last not terminated */
    assert_false(fdt_stringlist_contains("", 0, ""));

    gic = fdt_find_compatible(fdt, -1, "arm,gic-v3");
    assert_int_equal(gic, path(fdt, "/gic@8000000"));
    assert_int_equal(fdt_find_compatible(fdt, gic, "arm,gic-v3"), -ENOENT);
    assert_int_equal(fdt_find_compatible(fdt, -1, "test,board"), fdt_root(fdt));

    assert_true(fdt_node_is_available(fdt, uart));                       /* "okay" */
    assert_true(fdt_node_is_available(fdt, path(fdt, "/soc/bus/dev"))); /* "ok" */
    assert_true(fdt_node_is_available(fdt, path(fdt, "/soc")));         /* absent */
    assert_false(fdt_node_is_available(fdt, path(fdt, "/soc/off")));    /* "disabled" */
}

static void test_properties(void **state)
{
    struct good *g = *state;
    const struct fdt *fdt = &g->fdt;
    int v = path(fdt, "/values");
    uint32_t len = 99;
    uint32_t u32 = 0;
    uint64_t u64 = 0;
    const char *names[8];
    int n = 0;

    assert_int_equal(fdt_getprop_u64(fdt, v, "v64", &u64), 0);
    assert_int_equal(u64, 0x123456789abcdef0ULL);
    assert_int_equal(fdt_getprop_u32(fdt, v, "v32", &u32), 0);
    assert_int_equal(u32, 5);
    assert_int_equal(fdt_getprop_u32(fdt, v, "v64", &u32), -EINVAL);
    assert_int_equal(fdt_getprop_u64(fdt, v, "v32", &u64), -EINVAL);
    assert_int_equal(fdt_getprop_u32(fdt, v, "missing", &u32), -ENOENT);
    assert_int_equal(fdt_getprop_u64(fdt, v, "missing", &u64), -ENOENT);

    assert_string_equal(fdt_getprop_string(fdt, v, "str"), "hello");
    assert_null(fdt_getprop_string(fdt, v, "unterminated"));
    assert_null(fdt_getprop_string(fdt, v, "empty"));
    assert_non_null(fdt_getprop(fdt, v, "empty", &len));
    assert_int_equal(len, 0);
    assert_non_null(fdt_getprop(fdt, v, "odd", &len));
    assert_int_equal(len, 3);
    /* A NOP between properties does not end the list. */
    assert_string_equal(fdt_getprop_string(fdt, v, "after-nop"), "x");
    /* Properties of a child are not the parent's. */
    assert_null(fdt_getprop(fdt, path(fdt, "/soc"), "interrupts", NULL));

    for (int p = fdt_first_prop(fdt, v); p >= 0; p = fdt_next_prop(fdt, p)) {
        struct fdt_property prop;

        assert_int_equal(fdt_prop_at(fdt, p, &prop), 0);
        assert_true(n < 8);
        names[n++] = prop.name;
    }
    assert_int_equal(n, 7);
    assert_string_equal(names[0], "v64");
    assert_string_equal(names[6], "after-nop");
    assert_int_equal(fdt_first_prop(fdt, path(fdt, "/chosen")), -ENOENT);
}

static void test_big_endian_reads(void **state)
{
    static const uint8_t bytes[] = { 0xff, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08 };

    (void)state;
    /* Reads at odd addresses work and are big-endian. */
    assert_int_equal(fdt_be32(&bytes[1]), 0x01020304U);
    assert_int_equal(fdt_be64(&bytes[1]), 0x0102030405060708ULL);
    assert_int_equal(fdt_read_cells(&bytes[1], 1), 0x01020304U);
    assert_int_equal(fdt_read_cells(&bytes[1], 2), 0x0102030405060708ULL);
    assert_int_equal(fdt_read_cells(&bytes[1], 0), 0);
}

static void test_reservation_map(void **state)
{
    struct good *g = *state;
    const struct fdt *fdt = &g->fdt;
    uint64_t a;
    uint64_t s;

    assert_int_equal(fdt_rsv_count(fdt), 2);
    assert_int_equal(fdt_rsv_entry(fdt, 0, &a, &s), 0);
    assert_int_equal(a, 0x48000000);
    assert_int_equal(s, 0x1000);
    assert_int_equal(fdt_rsv_entry(fdt, 1, &a, &s), 0);
    assert_int_equal(a, 0x123456789000ULL);
    assert_int_equal(s, 0x2000);
    assert_int_equal(fdt_rsv_entry(fdt, 2, &a, &s), -ENOENT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_walk_order_and_depth, good_setup, good_teardown),
        cmocka_unit_test_setup_teardown(test_children_and_parents, good_setup, good_teardown),
        cmocka_unit_test_setup_teardown(test_node_path, good_setup, good_teardown),
        cmocka_unit_test_setup_teardown(test_names_and_compatible, good_setup, good_teardown),
        cmocka_unit_test_setup_teardown(test_properties, good_setup, good_teardown),
        cmocka_unit_test(test_big_endian_reads),
        cmocka_unit_test_setup_teardown(test_reservation_map, good_setup, good_teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
