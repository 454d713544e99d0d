/* The device tree reader on the DTB QEMU's virt machine generates: read
 * whole, then cut short at every length and damaged at every byte, which it
 * must reject or walk without reading outside the blob. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <proxenos/errno.h>
#include <proxenos/fdt.h>
#include "fdt_builder.h"

/* Every prefix of a valid blob is rejected, and no byte change makes the
 * reader touch memory outside the blob (ASan watches). */
static void walk_everything(const struct fdt *fdt, bool deep)
{
    int depth = 0;
    int node = fdt_root(fdt);
    unsigned int nodes = 0;

    while (node >= 0) {
        uint64_t a;
        uint64_t s;
        uint32_t intid;
        uint32_t flags;
        char buf[256];

        nodes++;
        for (int p = fdt_first_prop(fdt, node); p >= 0; p = fdt_next_prop(fdt, p)) {
            struct fdt_property prop;

            assert_int_equal(fdt_prop_at(fdt, p, &prop), 0);
            assert_non_null(fdt_getprop(fdt, node, prop.name, NULL));
        }
        (void)fdt_node_is_available(fdt, node);
        if (deep) {
            /* These walk from the root for every node: O(n^2). */
            (void)fdt_reg(fdt, node, 0, &a, &s);
            (void)fdt_irq(fdt, node, 0, &intid, &flags);
            (void)fdt_node_path(fdt, node, buf, sizeof(buf));
        }
        node = fdt_next_node(fdt, node, &depth);
    }
    assert_int_equal(node, -ENOENT);
    assert_int_equal(nodes, fdt->nr_nodes);
}

/* The index changes no answer: for every node, what an indexed copy of
 * the checked blob says equals what walking says. */
static void assert_index_agrees(const struct fdt *walked)
{
    struct fdt indexed = *walked;
    struct fdt_node_ref refs[256];
    int depth = 0;

    assert_int_equal(fdt_index_build(&indexed, refs, 256U), 0);
    assert_int_equal(indexed.index_len, walked->nr_nodes);
    for (int node = fdt_root(walked); node >= 0; node = fdt_next_node(walked, node, &depth)) {
        int chain_w[FDT_MAX_DEPTH];
        int chain_i[FDT_MAX_DEPTH];
        int n = fdt_ancestors(walked, node, chain_w);
        uint32_t ph;

        assert_int_equal(fdt_ancestors(&indexed, node, chain_i), n);
        for (int i = 0; i < n; i++) {
            assert_int_equal(chain_i[i], chain_w[i]);
        }
        assert_int_equal(fdt_first_child(&indexed, node), fdt_first_child(walked, node));
        assert_int_equal(fdt_next_sibling(&indexed, node), fdt_next_sibling(walked, node));
        assert_int_equal(fdt_parent(&indexed, node), fdt_parent(walked, node));
        assert_int_equal(fdt_node_depth(&indexed, node), fdt_node_depth(walked, node));
        if (fdt_getprop_u32(walked, node, "phandle", &ph) == 0) {
            assert_int_equal(fdt_node_by_phandle(&indexed, ph), fdt_node_by_phandle(walked, ph));
        }
        if (fdt_getprop_u32(walked, node, "linux,phandle", &ph) == 0) {
            assert_int_equal(fdt_node_by_phandle(&indexed, ph), fdt_node_by_phandle(walked, ph));
        }
    }
    for (uint32_t ph = 0U; ph < 0x8010U; ph += (ph < 16U) ? 1U : 0x7ff0U) {
        assert_int_equal(fdt_node_by_phandle(&indexed, ph), fdt_node_by_phandle(walked, ph));
    }
    /* Not node offsets: the walk's error either way. */
    assert_int_equal(fdt_first_child(&indexed, 1), fdt_first_child(walked, 1));
    assert_int_equal(fdt_next_sibling(&indexed, -3), fdt_next_sibling(walked, -3));
}

static void test_every_truncation_and_byte_flip(void **state)
{
    size_t len;
    uint8_t *blob = fb_load_fixture("qemu-virt.dtb", &len);
    struct fdt fdt;

    (void)state;
    for (size_t cut = 0; cut < len; cut++) {
        uint8_t *copy = malloc(cut + 1U);

        memcpy(copy, blob, cut);
        assert_int_not_equal(fdt_check(&fdt, copy, cut), 0);
        free(copy);
    }
    for (size_t i = 0; i < len; i++) {
        uint8_t *copy = malloc(len);

        memcpy(copy, blob, len);
        copy[i] ^= (uint8_t)(0x5aU + i);
        if (fdt_check(&fdt, copy, len) == 0) {
            walk_everything(&fdt, (i % 61U) == 0U);
            if ((i % 7U) == 0U) {
                assert_index_agrees(&fdt);
            }
        } else {
            assert_non_null(fdt.error);
        }
        free(copy);
    }
    free(blob);
}

/* ---- The DTB QEMU generates for -M virt,gic-version=3 ------------------- */

static void test_qemu_virt_blob(void **state)
{
    size_t len;
    uint8_t *blob = fb_load_fixture("qemu-virt.dtb", &len);
    struct fdt fdt;
    int cpus;
    int n = 0;

    (void)state;
    assert_int_equal(fdt_check(&fdt, blob, len), 0);
    assert_int_equal(fdt.version, 17);
    assert_int_equal(fdt.total_size, len);
    assert_int_equal(fdt_rsv_count(&fdt), 0);
    /* /cpus holds cpu-map and the four cpu@N nodes. */
    cpus = fdt_first_child(&fdt, fdt_root(&fdt));
    while ((cpus >= 0) && !fdt_node_name_is(&fdt, cpus, "cpus")) {
        cpus = fdt_next_sibling(&fdt, cpus);
    }
    assert_true(cpus >= 0);
    for (int c = fdt_first_child(&fdt, cpus); c >= 0; c = fdt_next_sibling(&fdt, c)) {
        if (fdt_node_name_is(&fdt, c, "cpu")) {
            assert_string_equal(fdt_getprop_string(&fdt, c, "device_type"), "cpu");
            n++;
        }
    }
    assert_int_equal(n, 4);
    assert_true(fdt_find_compatible(&fdt, -1, "arm,gic-v3") >= 0);
    walk_everything(&fdt, true);
    assert_index_agrees(&fdt);
    free(blob);
}

/* Too many nodes for the room given: no index, and every answer the same. */
static void test_index_without_room(void **state)
{
    size_t len;
    uint8_t *blob = fb_load_fixture("qemu-virt.dtb", &len);
    struct fdt fdt;
    struct fdt small;
    struct fdt_node_ref refs[4];
    int cpus;

    (void)state;
    assert_int_equal(fdt_check(&fdt, blob, len), 0);
    small = fdt;
    assert_int_equal(fdt_index_build(&small, refs, 4U), -ENOSPC);
    assert_null(small.index);
    cpus = fdt_find_compatible(&fdt, -1, "arm,gic-v3");
    assert_int_equal(fdt_parent(&small, cpus), fdt_parent(&fdt, cpus));
    assert_int_equal(fdt_first_child(&small, fdt_root(&fdt)), fdt_first_child(&fdt, fdt_root(&fdt)));
    /* And a blob that was never checked gets none. */
    small.blob = NULL;
    assert_int_equal(fdt_index_build(&small, refs, 4U), -EINVAL);
    free(blob);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_truncation_and_byte_flip),
        cmocka_unit_test(test_qemu_virt_blob),
        cmocka_unit_test(test_index_without_room),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
