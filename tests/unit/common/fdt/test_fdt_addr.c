/* Device tree lookups and decoding (fdt_addr.c): paths and aliases,
 * phandles, #address-cells/#size-cells, reg through bus ranges and
 * interrupts up to their controller, on a built tree and on QEMU's virt
 * DTB. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <proxenos/errno.h>
#include <proxenos/fdt.h>
#include "fdt_builder.h"
#include "fdt_sample_tree.h"

static void test_path_lookup(void **state)
{
    struct good *g = *state;
    const struct fdt *fdt = &g->fdt;
    int uart = path(fdt, "/soc/uart@1000");

    assert_true(uart > 0);
    assert_int_equal(path(fdt, "/"), fdt_root(fdt));
    assert_int_equal(path(fdt, "/soc/uart"), uart);         /* unit address optional */
    assert_int_equal(path(fdt, "//soc///uart@1000/"), uart); /* extra slashes */
    assert_int_equal(path(fdt, "/soc/uart@2000"), -ENOENT);  /* wrong unit address */
    assert_int_equal(path(fdt, "/soc/uar"), -ENOENT);        /* prefix is not a match */
    assert_int_equal(path(fdt, "/nothing/here"), -ENOENT);
    assert_int_equal(path(fdt, "/soc/off"), path(fdt, "/soc/off@200000"));
    assert_int_equal(path(fdt, ""), -EINVAL);
    /* Only len bytes count. */
    assert_int_equal(fdt_path_offset(fdt, "/soc/uart@1000:115200", 14), uart);
    assert_int_equal(fdt_path_offset(fdt, "/soc", 3), -ENOENT);  /* "/so" */

    /* Aliases, alone and with a path below them. */
    assert_int_equal(path(fdt, "serial0"), uart);
    assert_int_equal(path(fdt, "bus/dev@30"), path(fdt, "/soc/bus@20000/dev@30"));
    assert_int_equal(path(fdt, "nosuchalias"), -ENOENT);
    assert_int_equal(path(fdt, "relative"), -ENOENT);      /* value not a full path */
    assert_int_equal(path(fdt, "unterminated"), -ENOENT);  /* value not a string */
    assert_int_equal(path(fdt, "serial"), -ENOENT);        /* alias names match exactly */
}


static void test_phandles(void **state)
{
    struct good *g = *state;
    const struct fdt *fdt = &g->fdt;

    assert_int_equal(fdt_node_by_phandle(fdt, 1), path(fdt, "/gic@8000000"));
    assert_int_equal(fdt_node_by_phandle(fdt, 2), path(fdt, "/soc/bus@20000")); /* linux,phandle */
    assert_int_equal(fdt_node_by_phandle(fdt, 99), -ENOENT);
    assert_int_equal(fdt_node_by_phandle(fdt, 0), -ENOENT);
    assert_int_equal(fdt_node_by_phandle(fdt, 0xffffffffU), -ENOENT);
}


static void test_cells(void **state)
{
    struct good *g = *state;
    const struct fdt *fdt = &g->fdt;

    assert_int_equal(fdt_address_cells(fdt, path(fdt, "/soc")), 1);
    assert_int_equal(fdt_size_cells(fdt, path(fdt, "/soc")), 1);
    assert_int_equal(fdt_address_cells(fdt, fdt_root(fdt)), 2);
    /* Inherited from the nearest ancestor that says (Xen's reading). */
    assert_int_equal(fdt_address_cells(fdt, path(fdt, "/inherit")), 2);
    assert_int_equal(fdt_size_cells(fdt, path(fdt, "/inherit")), 2);
    assert_int_equal(fdt_size_cells(fdt, path(fdt, "/soc/uart")), 1);
}

static void test_reg(void **state)
{
    struct good *g = *state;
    const struct fdt *fdt = &g->fdt;
    uint64_t a = 0;
    uint64_t s = 0;
    int dev = path(fdt, "/soc/bus/dev");

    assert_int_equal(fdt_reg(fdt, path(fdt, "/gic@8000000"), 0, &a, &s), 0);
    assert_int_equal(a, 0x8000000);
    assert_int_equal(s, 0x10000);
    assert_int_equal(fdt_reg_count(fdt, path(fdt, "/gic@8000000")), 1);

    /* One bus: child 0x1000 is CPU 0x10001000. */
    assert_int_equal(fdt_reg_raw(fdt, path(fdt, "serial0"), 0, &a, &s), 0);
    assert_int_equal(a, 0x1000);
    assert_int_equal(fdt_reg(fdt, path(fdt, "serial0"), 0, &a, &s), 0);
    assert_int_equal(a, 0x10001000);
    assert_int_equal(s, 0x100);

    /* Two buses: 0x40 -> 0x20040 -> 0x10020040. */
    assert_int_equal(fdt_reg_count(fdt, dev), 2);
    assert_int_equal(fdt_reg(fdt, dev, 1, &a, &s), 0);
    assert_int_equal(a, 0x10020040);
    assert_int_equal(s, 0x10);
    assert_int_equal(fdt_reg(fdt, dev, 2, &a, &s), -ENOENT);

    /* Outside every range, or a bus without ranges: not translatable. */
    assert_int_equal(fdt_reg(fdt, path(fdt, "/soc/off"), 0, &a, &s), -ERANGE);
    assert_int_equal(fdt_reg(fdt, path(fdt, "/isolated/thing"), 0, &a, &s), -ERANGE);
    assert_int_equal(fdt_reg_raw(fdt, path(fdt, "/isolated/thing"), 0, &a, &s), 0);
    assert_int_equal(a, 0x10);

    /* Inherited 2+2 cells; /inherit has no ranges, so only raw reads. */
    assert_int_equal(fdt_reg(fdt, path(fdt, "/inherit/thing"), 0, &a, &s), -ERANGE);
    assert_int_equal(fdt_reg_raw(fdt, path(fdt, "/inherit/thing"), 0, &a, &s), 0);
    assert_int_equal(a, 0x1234);
    assert_int_equal(s, 0x10);

    /* Malformed: 3 cells with 1+1 per entry; more than 2 address cells. */
    assert_int_equal(fdt_reg_count(fdt, path(fdt, "/badreg/short")), -EINVAL);
    assert_int_equal(fdt_reg(fdt, path(fdt, "/badreg/short"), 0, &a, &s), -EINVAL);
    assert_int_equal(fdt_reg_count(fdt, path(fdt, "/badreg/wide/y")), 1);
    assert_int_equal(fdt_reg(fdt, path(fdt, "/badreg/wide/y"), 0, &a, &s), -EOPNOTSUPP);

    /* No reg at all, and the root. */
    assert_int_equal(fdt_reg_count(fdt, path(fdt, "/chosen")), 0);
    assert_int_equal(fdt_reg(fdt, path(fdt, "/chosen"), 0, &a, &s), -ENOENT);
    assert_int_equal(fdt_reg(fdt, fdt_root(fdt), 0, &a, &s), -ENOENT);
    assert_int_equal(fdt_reg_raw(fdt, fdt_root(fdt), 0, &a, &s), -ENOENT);
    assert_int_equal(fdt_reg_count(fdt, fdt_root(fdt)), 0);
}

/* reg under every odd pair of cells a boot module's parent can give
 * (issue 14): each is decoded or refused, never read past its end. */
struct cells_case {
    const char *name;
    uint32_t ac;
    uint32_t sc;
    size_t reg_cells;       /* reg is cells 1, 2, 3, ... of this many */
    int count;              /* fdt_reg_count() */
    int rc;                 /* fdt_reg_raw() of entry 0 */
    uint64_t addr;
    uint64_t size;
};

static const struct cells_case cells_cases[] = {
    { "a0s2", 0, 2, 2, 1, 0, 0x0, 0x100000002ULL },      /* address reads as 0 */
    { "a2s0", 2, 0, 2, 1, 0, 0x100000002ULL, 0x0 },      /* size reads as 0 */
    { "a0s0", 0, 0, 1, -EINVAL, -EINVAL, 0, 0 },         /* no entry size */
    { "a1s1", 1, 1, 4, 2, 0, 0x1, 0x2 },
    { "a3s2", 3, 2, 5, 1, -EOPNOTSUPP, 0, 0 },           /* spec allows, we hold 2 */
    { "a2s3", 2, 3, 5, 1, -EOPNOTSUPP, 0, 0 },
    { "a4s4", 4, 4, 8, 1, -EOPNOTSUPP, 0, 0 },
    { "a5s2", 5, 2, 7, -EINVAL, -EINVAL, 0, 0 },         /* beyond the spec */
    { "a2s5", 2, 5, 7, -EINVAL, -EINVAL, 0, 0 },
    { "huge", 0xffffffffU, 1, 2, -EINVAL, -EINVAL, 0, 0 },
    { "short", 2, 2, 3, -EINVAL, -EINVAL, 0, 0 },        /* not a multiple */
    { "odd", 2, 2, 5, -EINVAL, -EINVAL, 0, 0 },
    { "empty", 2, 2, 0, 0, -ENOENT, 0, 0 },              /* present, no entry */
};

#define NR_CELLS_CASES (sizeof(cells_cases) / sizeof(cells_cases[0]))

static void test_reg_cells_edge_cases(void **state)
{
    struct fb *b = fb_new();
    struct fdt fdt;

    (void)state;
    fb_begin(b, "");
    fb_prop_u32(b, "#address-cells", 2);
    fb_prop_u32(b, "#size-cells", 2);
    for (size_t i = 0U; i < NR_CELLS_CASES; i++) {
        const struct cells_case *c = &cells_cases[i];
        uint8_t reg[64];

        for (size_t k = 0U; k < c->reg_cells; k++) {
            fb_put32(&reg[4U * k], (uint32_t)(k + 1U));
        }
        fb_begin(b, c->name);
        fb_prop_u32(b, "#address-cells", c->ac);
        fb_prop_u32(b, "#size-cells", c->sc);
        fb_begin(b, "m");
        fb_prop(b, "reg", reg, 4U * c->reg_cells);
        fb_end(b);
        fb_end(b);
    }
    fb_end(b);
    fb_finish(b);
    assert_int_equal(fdt_check(&fdt, b->out, b->out_len), 0);
    for (size_t i = 0U; i < NR_CELLS_CASES; i++) {
        const struct cells_case *c = &cells_cases[i];
        char p[32];
        uint64_t a = 0xdeadU;
        uint64_t s = 0xbeefU;
        int node;

        (void)snprintf(p, sizeof(p), "/%s/m", c->name);
        node = path(&fdt, p);
        assert_true(node >= 0);
        assert_int_equal(fdt_reg_count(&fdt, node), c->count);
        assert_int_equal(fdt_reg_raw(&fdt, node, 0U, &a, &s), c->rc);
        if (c->rc == 0) {
            assert_int_equal(a, c->addr);
            assert_int_equal(s, c->size);
        } else {
            /* Nothing written on failure. */
            assert_int_equal(a, 0xdeadU);
            assert_int_equal(s, 0xbeefU);
        }
        /* Past the last entry, and far past it. */
        assert_int_not_equal(fdt_reg_raw(&fdt, node, 2U, &a, &s), 0);
        assert_int_not_equal(fdt_reg_raw(&fdt, node, 0xffffffffU, &a, &s), 0);
    }
    free(b);
}

/* Whether a bus's ranges can be read (fdt_ranges_check), and what a
 * child's reg gives through each kind. */
static void test_ranges_check(void **state)
{
    struct fb *b = fb_new();
    struct fdt fdt;
    uint64_t a = 0U;
    uint64_t s = 0U;

    (void)state;
    fb_begin(b, "");
    fb_prop_u32(b, "#address-cells", 2);
    fb_prop_u32(b, "#size-cells", 2);
    fb_begin(b, "good");        /* 1+1 children, one entry of 1+2+1 cells */
    fb_prop_u32(b, "#address-cells", 1);
    fb_prop_u32(b, "#size-cells", 1);
    fb_prop_cells(b, "ranges", 4, 0, 0, 0x10000000, 0x1000);
    fb_begin(b, "dev@10");
    fb_prop_cells(b, "reg", 2, 0x10, 0x10);
    fb_end(b);
    fb_end(b);
    fb_begin(b, "empty");       /* 1:1 */
    fb_prop_empty(b, "ranges");
    fb_end(b);
    fb_begin(b, "bad");         /* 5 cells of 4-cell entries */
    fb_prop_u32(b, "#address-cells", 1);
    fb_prop_u32(b, "#size-cells", 1);
    fb_prop_cells(b, "ranges", 5, 0, 0, 0x10000000, 0x1000, 0);
    fb_begin(b, "dev@10");
    fb_prop_cells(b, "reg", 2, 0x10, 0x10);
    fb_end(b);
    fb_end(b);
    fb_begin(b, "wide");        /* three address cells for its children */
    fb_prop_u32(b, "#address-cells", 3);
    fb_prop_u32(b, "#size-cells", 1);
    fb_prop_cells(b, "ranges", 6, 0, 0, 0, 0, 0x10000000, 0x1000);
    fb_end(b);
    fb_begin(b, "none");
    fb_end(b);
    fb_end(b);
    fb_finish(b);
    assert_int_equal(fdt_check(&fdt, b->out, b->out_len), 0);

    assert_int_equal(fdt_ranges_check(&fdt, path(&fdt, "/good")), 0);
    assert_int_equal(fdt_ranges_check(&fdt, path(&fdt, "/empty")), 0);
    assert_int_equal(fdt_ranges_check(&fdt, path(&fdt, "/bad")), -EINVAL);
    assert_int_equal(fdt_ranges_check(&fdt, path(&fdt, "/wide")), -EOPNOTSUPP);
    assert_int_equal(fdt_ranges_check(&fdt, path(&fdt, "/none")), -ENOENT);
    assert_int_equal(fdt_ranges_check(&fdt, fdt_root(&fdt)), -ENOENT);
    assert_int_equal(fdt_ranges_check(&fdt, -1), -ENOENT);
    /* The same verdicts as the translation of a child's reg. */
    assert_int_equal(fdt_reg(&fdt, path(&fdt, "/good/dev@10"), 0, &a, &s), 0);
    assert_int_equal(a, 0x10000010);
    assert_int_equal(fdt_reg(&fdt, path(&fdt, "/bad/dev@10"), 0, &a, &s), -EINVAL);
    free(b);
}

/* What fdt_irq() hands the architecture: the whole property, the
 * parent's #interrupt-cells and the index (the host's fake decoder takes
 * one cell per interrupt). The GIC binding is tested with the arm64
 * decoder in tests/unit/arch/arm64/test_fdt_irq_gic.c. */
static void test_interrupts_to_the_decoder(void **state)
{
    struct fb *b = fb_new();
    struct fdt fdt;
    uint32_t intid = 0;
    uint32_t flags = 7;
    int dev;

    (void)state;
    fb_begin(b, "");
    fb_prop_u32(b, "interrupt-parent", 5);
    fb_begin(b, "ctrl");
    fb_prop_u32(b, "phandle", 5);
    fb_prop_empty(b, "interrupt-controller");
    fb_prop_u32(b, "#interrupt-cells", 1);
    fb_end(b);
    fb_begin(b, "bus");
    fb_begin(b, "dev");
    fb_prop_cells(b, "interrupts", 2, 42, 43);
    fb_end(b);
    fb_end(b);
    fb_end(b);
    fb_finish(b);
    assert_int_equal(fdt_check(&fdt, b->out, b->out_len), 0);
    dev = fdt_path_offset(&fdt, "/bus/dev", 8);
    /* The parent comes from the root, through the bus. */
    assert_int_equal(fdt_irq(&fdt, dev, 0, &intid, &flags), 0);
    assert_int_equal(intid, 42);
    assert_int_equal(flags, 0);
    assert_int_equal(fdt_irq(&fdt, dev, 1, &intid, &flags), 0);
    assert_int_equal(intid, 43);
    assert_int_equal(fdt_irq(&fdt, dev, 2, &intid, &flags), -ENOENT);
    free(b);
}

static void test_interrupt_parents(void **state)
{
    struct good *g = *state;
    const struct fdt *fdt = &g->fdt;
    uint32_t intid = 0;
    uint32_t flags = 0;

    assert_int_equal(fdt_irq(fdt, path(fdt, "/chosen"), 0, &intid, &flags), -ENOENT);
    /* Parent is not an interrupt controller. */
    assert_int_equal(fdt_irq(fdt, path(fdt, "/notctrl/dev"), 0, &intid, &flags), -EOPNOTSUPP);
}


static void test_interrupts_without_parent(void **state)
{
    struct fb *b = fb_new();
    struct fdt fdt;
    uint32_t intid;
    uint32_t flags;

    (void)state;
    fb_begin(b, "");
    fb_begin(b, "dev");
    fb_prop_cells(b, "interrupts", 3, 0, 1, 4);
    fb_end(b);
    fb_begin(b, "dangling");
    fb_prop_u32(b, "interrupt-parent", 77);
    fb_prop_cells(b, "interrupts", 3, 0, 1, 4);
    fb_end(b);
    fb_begin(b, "ctrl");
    fb_prop_u32(b, "phandle", 5);
    fb_prop_empty(b, "interrupt-controller");
    fb_end(b);
    fb_begin(b, "nocells");
    fb_prop_u32(b, "interrupt-parent", 5);
    fb_prop_cells(b, "interrupts", 3, 0, 1, 4);
    fb_end(b);
    fb_end(b);
    fb_finish(b);
    assert_int_equal(fdt_check(&fdt, b->out, b->out_len), 0);
    assert_int_equal(fdt_irq(&fdt, fdt_path_offset(&fdt, "/dev", 4), 0, &intid, &flags),
                     -ENOENT);
    assert_int_equal(fdt_irq(&fdt, fdt_path_offset(&fdt, "/dangling", 9), 0, &intid, &flags),
                     -ENOENT);
    assert_int_equal(fdt_irq(&fdt, fdt_path_offset(&fdt, "/nocells", 8), 0, &intid, &flags),
                     -EINVAL);
    free(b);
}


static void test_qemu_virt_lookups(void **state)
{
    size_t len;
    uint8_t *blob = fb_load_fixture("qemu-virt.dtb", &len);
    struct fdt fdt;
    int uart;
    int its;
    int gic;
    uint64_t a;
    uint64_t s;

    (void)state;
    assert_int_equal(fdt_check(&fdt, blob, len), 0);
    uart = fdt_path_offset(&fdt, "/pl011@9000000", 14);
    assert_true(uart >= 0);
    assert_int_equal(fdt_path_offset(&fdt, "/pl011", 6), uart);
    assert_true(fdt_node_is_compatible(&fdt, uart, "arm,pl011"));
    assert_int_equal(fdt_reg(&fdt, uart, 0, &a, &s), 0);
    assert_int_equal(a, 0x09000000);
    assert_int_equal(s, 0x1000);

    /* The ITS sits under the GIC, whose empty ranges map 1:1. */
    gic = fdt_find_compatible(&fdt, -1, "arm,gic-v3");
    its = fdt_path_offset(&fdt, "/intc/its", 9);
    assert_true(its >= 0);
    assert_int_equal(fdt_reg(&fdt, its, 0, &a, &s), 0);
    assert_int_equal(a, 0x08080000);
    assert_int_equal(s, 0x20000);
    assert_int_equal(fdt_parent(&fdt, its), gic);
    assert_int_equal(fdt_node_by_phandle(&fdt, 0x8005), gic);
    /* Second reg entry of the GIC: the redistributors. */
    assert_int_equal(fdt_reg(&fdt, gic, 1, &a, &s), 0);
    assert_int_equal(a, 0x080a0000);
    free(blob);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_path_lookup, good_setup, good_teardown),
        cmocka_unit_test_setup_teardown(test_phandles, good_setup, good_teardown),
        cmocka_unit_test_setup_teardown(test_cells, good_setup, good_teardown),
        cmocka_unit_test(test_reg_cells_edge_cases),
        cmocka_unit_test(test_ranges_check),
        cmocka_unit_test_setup_teardown(test_reg, good_setup, good_teardown),
        cmocka_unit_test(test_interrupts_to_the_decoder),
        cmocka_unit_test_setup_teardown(test_interrupt_parents, good_setup, good_teardown),
        cmocka_unit_test(test_interrupts_without_parent),
        cmocka_unit_test(test_qemu_virt_lookups),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
