/* Test helper: one well-formed tree with a bit of everything (aliases,
 * buses with and without ranges, phandles, interrupt parents, odd
 * properties), shared by test_fdt and test_fdt_addr. */
#ifndef TEST_FDT_SAMPLE_TREE_H
#define TEST_FDT_SAMPLE_TREE_H

#include <proxenos/fdt.h>
#include "fdt_builder.h"

static inline void build_good_tree(struct fb *b)
{
    fb_rsv(b, 0x48000000U, 0x1000U);
    fb_rsv(b, 0x123456789000ULL, 0x2000U);
    fb_begin(b, "");
    fb_prop_u32(b, "#address-cells", 2);
    fb_prop_u32(b, "#size-cells", 2);
    fb_prop_strs(b, "compatible", "test,board", "test,generic", NULL);
    fb_prop_u32(b, "interrupt-parent", 1);

    fb_begin(b, "aliases");
    fb_prop_str(b, "serial0", "/soc/uart@1000");
    fb_prop_str(b, "bus", "/soc/bus@20000");
    fb_prop_str(b, "relative", "soc");
    fb_prop(b, "unterminated", "/soc", 4);
    fb_end(b);

    fb_begin(b, "chosen");
    fb_end(b);

    fb_begin(b, "gic@8000000");
    fb_prop_str(b, "compatible", "arm,gic-v3");
    fb_prop_empty(b, "interrupt-controller");
    fb_prop_u32(b, "#interrupt-cells", 3);
    fb_prop_u32(b, "phandle", 1);
    fb_prop_cells(b, "reg", 4, 0, 0x8000000, 0, 0x10000);
    fb_prop_cells(b, "interrupts", 3, 1, 9, 4);
    fb_end(b);

    fb_begin(b, "soc");
    fb_prop_str(b, "compatible", "simple-bus");
    fb_prop_u32(b, "#address-cells", 1);
    fb_prop_u32(b, "#size-cells", 1);
    fb_prop_cells(b, "ranges", 4, 0x0, 0x0, 0x10000000, 0x100000);
    fb_begin(b, "uart@1000");
    fb_prop_strs(b, "compatible", "arm,pl011", "arm,primecell", NULL);
    fb_prop_cells(b, "reg", 2, 0x1000, 0x100);
    fb_prop_cells(b, "interrupts", 18, 0, 5, 4, 1, 3, 8, 2, 7, 4, 3, 1, 4, 4, 0, 4, 0, 988, 4);
    fb_prop_str(b, "status", "okay");
    fb_end(b);
    fb_begin(b, "bus@20000");
    fb_prop_u32(b, "#address-cells", 1);
    fb_prop_u32(b, "#size-cells", 1);
    fb_prop_cells(b, "ranges", 3, 0x0, 0x20000, 0x1000);
    fb_prop_u32(b, "linux,phandle", 2);
    fb_begin(b, "dev@30");
    fb_prop_cells(b, "reg", 4, 0x30, 0x10, 0x40, 0x10);
    fb_prop_str(b, "status", "ok");
    fb_end(b);
    fb_end(b);
    fb_begin(b, "off@200000");
    fb_prop_str(b, "status", "disabled");
    fb_prop_cells(b, "reg", 2, 0x200000, 0x10);
    fb_end(b);
    fb_end(b);

    fb_begin(b, "isolated");
    fb_prop_u32(b, "#address-cells", 1);
    fb_prop_u32(b, "#size-cells", 1);
    fb_begin(b, "thing@10");
    fb_prop_cells(b, "reg", 2, 0x10, 0x4);
    fb_end(b);
    fb_end(b);

    fb_begin(b, "inherit");
    fb_begin(b, "thing");
    fb_prop_cells(b, "reg", 4, 0x0, 0x1234, 0x0, 0x10);
    fb_end(b);
    fb_end(b);

    fb_begin(b, "badreg");
    fb_prop_u32(b, "#address-cells", 1);
    fb_prop_u32(b, "#size-cells", 1);
    fb_begin(b, "short");
    fb_prop_cells(b, "reg", 3, 1, 2, 3);
    fb_end(b);
    fb_begin(b, "wide");
    fb_prop_u32(b, "#address-cells", 3);
    fb_prop_u32(b, "#size-cells", 1);
    fb_begin(b, "y");
    fb_prop_cells(b, "reg", 4, 0, 0, 1, 2);
    fb_end(b);
    fb_end(b);
    fb_end(b);

    fb_begin(b, "notctrl");
    fb_prop_u32(b, "interrupt-parent", 2);
    fb_begin(b, "dev");
    fb_prop_cells(b, "interrupts", 3, 0, 1, 4);
    fb_end(b);
    fb_end(b);

    fb_begin(b, "twocell");
    fb_prop_u32(b, "interrupt-parent", 3);
    fb_begin(b, "ctrl");
    fb_prop_u32(b, "phandle", 3);
    fb_prop_empty(b, "interrupt-controller");
    fb_prop_u32(b, "#interrupt-cells", 2);
    fb_end(b);
    fb_begin(b, "dev");
    fb_prop_cells(b, "interrupts", 2, 1, 2);
    fb_end(b);
    fb_end(b);

    fb_begin(b, "values");
    fb_prop_cells(b, "v64", 2, 0x12345678, 0x9abcdef0);
    fb_prop_u32(b, "v32", 5);
    fb_prop(b, "odd", "\x01\x02\x03", 3);
    fb_prop_str(b, "str", "hello");
    fb_prop(b, "unterminated", "ab", 2);
    fb_prop_empty(b, "empty");
    fb_word(b, FB_NOP);
    fb_prop_str(b, "after-nop", "x");
    fb_end(b);

    fb_end(b);
    fb_finish(b);
}

struct good {
    struct fb *b;
    struct fdt fdt;
};

static inline int good_setup(void **state)
{
    struct good *g = calloc(1, sizeof(*g));

    g->b = fb_new();
    build_good_tree(g->b);
    assert_int_equal(fdt_check(&g->fdt, g->b->out, g->b->out_len), 0);
    *state = g;
    return 0;
}

static inline int good_teardown(void **state)
{
    struct good *g = *state;

    free(g->b);
    free(g);
    return 0;
}

static inline int path(const struct fdt *fdt, const char *p)
{
    return fdt_path_offset(fdt, p, strlen(p));
}

#endif
