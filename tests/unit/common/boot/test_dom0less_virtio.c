/* A dom0less domain's virtio-mmio devices (dom0less_virtio.c): devices
 * without reg or proxenos,irq placed as libxl places xl's (0x2000000 +
 * 0x200 * n, SPI 33 + n), around those that give theirs; each way a node
 * is refused (type, back end, reg, irq, args, overlaps, clashes, too many,
 * a full window), with one line naming the domain and the node; and a
 * refused node in dom0less_parse() skipping its domain only. Trees are
 * built here; the window is the fake arch's, Arm's. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include <fake_arch.h>
#include <proxenos/arch/dom0less.h>
#include <proxenos/dom0less.h>
#include <proxenos/dom0less_virtio.h>
#include "fdt_builder.h"

#define NONE 0xffffffffU

/* One node; a field left 0 (or NONE for irq) is left out. */
struct dev {
    const char *name;
    const char *type;
    uint64_t base;
    uint64_t size;              /* with base: a reg */
    uint32_t irq;
    const char *args;
    bool backend;               /* a proxenos,backend property */
    unsigned int reg_cells;     /* reg's length in cells; 0: 4 */
    unsigned int irq_cells;     /* 0: 1 */
};

struct env {
    struct fb *b;
    struct fdt fdt;
    struct dom0less_virtio dev[DOM0LESS_VIRTIO_MAX];
    unsigned int nr;
};

static void put_dev(struct fb *b, const struct dev *d)
{
    fb_begin(b, d->name);
    fb_prop_str(b, "compatible", DOM0LESS_VIRTIO_COMPAT);
    if (d->type != NULL) {
        fb_prop_str(b, "proxenos,device-type", d->type);
    }
    if (d->size != 0U) {
        uint8_t v[24] = { 0 };
        unsigned int cells = (d->reg_cells != 0U) ? d->reg_cells : 4U;

        fb_put32(&v[0], (uint32_t)(d->base >> 32));
        fb_put32(&v[4], (uint32_t)d->base);
        fb_put32(&v[8], (uint32_t)(d->size >> 32));
        fb_put32(&v[12], (uint32_t)d->size);
        fb_put32(&v[16], (uint32_t)d->base);
        fb_put32(&v[20], (uint32_t)d->size);
        fb_prop(b, "reg", v, (size_t)cells * 4U);
    }
    if (d->irq != NONE) {
        if (d->irq_cells == 2U) {
            fb_prop_cells(b, "proxenos,irq", 2U, 0U, d->irq);
        } else {
            fb_prop_u32(b, "proxenos,irq", d->irq);
        }
    }
    if (d->args != NULL) {
        fb_prop_str(b, "proxenos,backend-args", d->args);
    }
    if (d->backend) {
        fb_prop_u32(b, "proxenos,backend", 1U);
    }
    fb_end(b);
}

/* / { chosen { domU { devices, and a module node that is not one } } } */
static int domain_node(struct env *e, const struct dev *d, unsigned int n)
{
    e->b = fb_new();
    fb_begin(e->b, "");
    fb_begin(e->b, "chosen");
    fb_begin(e->b, "domU");
    fb_prop_str(e->b, "compatible", "xen,domain");
    fb_prop_u32(e->b, "#address-cells", 2U);
    fb_prop_u32(e->b, "#size-cells", 2U);
    fb_begin(e->b, "kernel");
    fb_prop_strs(e->b, "compatible", "multiboot,kernel", "multiboot,module", NULL);
    fb_prop_cells(e->b, "reg", 4U, 0U, 0x50000000U, 0U, 0x1000U);
    fb_end(e->b);
    for (unsigned int i = 0U; i < n; i++) {
        put_dev(e->b, &d[i]);
    }
    fb_end(e->b);
    fb_end(e->b);
    fb_end(e->b);
    fb_finish(e->b);
    assert_int_equal(fdt_check(&e->fdt, e->b->out, e->b->out_len), 0);
    return fdt_first_child(&e->fdt, fdt_first_child(&e->fdt, fdt_root(&e->fdt)));
}

static bool parse_with(struct env *e, const struct dev *d, unsigned int n, bool have_dom0)
{
    struct dom0less_virtio_window win;
    int dom = domain_node(e, d, n);

    arch_dom0less_virtio_window(&win);
    fake_log_clear();
    return dom0less_virtio_parse(&e->fdt, dom, "domU", have_dom0, &win, e->dev, &e->nr);
}

static struct env *env_new(void)
{
    struct env *e = calloc(1, sizeof(*e));

    assert_non_null(e);
    return e;
}

static void env_free(struct env *e)
{
    free(e->b);
    free(e);
}

static void assert_dev(const struct dom0less_virtio *v, const char *name, uint64_t base,
                       uint64_t size, uint32_t intid)
{
    assert_string_equal(v->name, name);
    assert_int_equal(v->base, base);
    assert_int_equal(v->size, size);
    assert_int_equal(v->intid, intid);
    assert_int_equal(v->backend, 0U);
}

static void test_libxl_layout(void **state)
{
    const struct dev d[] = {
        { .name = "vdisk", .type = "blk", .irq = NONE, .args = "target=/srv/a.img" },
        { .name = "vnet", .type = "net", .irq = NONE },
        { .name = "vgpio", .type = "gpio", .irq = NONE },
    };
    struct env *e = env_new();

    (void)state;
    assert_true(parse_with(e, d, 3U, true));
    assert_int_equal(e->nr, 3U);
    assert_dev(&e->dev[0], "vdisk", 0x2000000U, 0x200U, 33U);
    assert_dev(&e->dev[1], "vnet", 0x2000200U, 0x200U, 34U);
    assert_dev(&e->dev[2], "vgpio", 0x2000400U, 0x200U, 35U);
    assert_string_equal(e->dev[0].type, "blk");
    assert_int_equal(e->dev[0].device_id, 2U);
    assert_int_equal(e->dev[1].device_id, 1U);
    assert_int_equal(e->dev[2].device_id, 41U);
    assert_string_equal(e->dev[0].backend_args, "target=/srv/a.img");
    assert_null(e->dev[1].backend_args);
    env_free(e);
}

/* Given places and lines are kept; the others fill the gaps, lowest first. */
static void test_given_and_automatic(void **state)
{
    const struct dev d[] = {
        { .name = "a", .type = "blk", .irq = NONE },
        { .name = "b", .type = "blk", .base = 0x2000000U, .size = 0x400U, .irq = 33U },
        { .name = "c", .type = "i2c", .irq = 35U },
        { .name = "d", .type = "rng", .base = 0x20ff000U, .size = 0x1000U, .irq = NONE },
        { .name = "e", .type = "console", .irq = NONE },
    };
    struct env *e = env_new();

    (void)state;
    assert_true(parse_with(e, d, 5U, true));
    assert_int_equal(e->nr, 5U);
    assert_dev(&e->dev[0], "a", 0x2000400U, 0x200U, 34U);
    assert_dev(&e->dev[1], "b", 0x2000000U, 0x400U, 33U);
    assert_dev(&e->dev[2], "c", 0x2000600U, 0x200U, 35U);
    assert_dev(&e->dev[3], "d", 0x20ff000U, 0x1000U, 36U);
    assert_dev(&e->dev[4], "e", 0x2000800U, 0x200U, 37U);
    env_free(e);
}

static void test_no_devices(void **state)
{
    struct env *e = env_new();

    (void)state;
    e->nr = 5U;
    assert_true(parse_with(e, NULL, 0U, false));
    assert_int_equal(e->nr, 0U);
    env_free(e);
}

struct bad_case {
    struct dev d[2];
    unsigned int n;
    bool have_dom0;
    const char *why;
};

static const struct bad_case bad[] = {
    { { { .name = "x", .irq = NONE } }, 1U, true, "virtio device x: no \"proxenos,device-type\"" },
    { { { .name = "x", .type = "floppy", .irq = NONE } }, 1U, true,
      "virtio device x: unknown \"proxenos,device-type\"" },
    { { { .name = "x", .type = "blk", .irq = NONE, .backend = true } }, 1U, true,
      "virtio device x: \"proxenos,backend\": only dom0" },
    { { { .name = "x", .type = "blk", .irq = NONE } }, 1U, false,
      "virtio device x: its back end is dom0, and no dom0 kernel was given" },
    { { { .name = "x", .type = "blk", .base = 0x2000000U, .size = 0x200U, .irq = NONE,
          .reg_cells = 3U } }, 1U, true, "virtio device x: \"reg\" must be one" },
    { { { .name = "x", .type = "blk", .base = 0x2000000U, .size = 0x200U, .irq = NONE,
          .reg_cells = 6U } }, 1U, true, "virtio device x: \"reg\" must be one" },
    { { { .name = "x", .type = "blk", .base = 0x1fff000U, .size = 0x2000U, .irq = NONE } }, 1U,
      true, "virtio device x: \"reg\" is not inside the virtio-mmio window" },
    { { { .name = "x", .type = "blk", .base = 0x20fff00U, .size = 0x200U, .irq = NONE } }, 1U,
      true, "virtio device x: \"reg\" is not inside the virtio-mmio window" },
    { { { .name = "x", .type = "blk", .base = 0x40000000U, .size = 0x200U, .irq = NONE } }, 1U,
      true, "virtio device x: \"reg\" is not inside the virtio-mmio window" },
    { { { .name = "x", .type = "blk", .base = 0x2000002U, .size = 0x200U, .irq = NONE } }, 1U,
      true, "virtio device x: \"reg\" is not 4-byte aligned" },
    { { { .name = "x", .type = "blk", .irq = 33U, .irq_cells = 2U } }, 1U, true,
      "virtio device x: \"proxenos,irq\" must be one cell" },
    { { { .name = "x", .type = "blk", .irq = 32U } }, 1U, true,
      "virtio device x: \"proxenos,irq\" is not one of the virtio-mmio SPIs" },
    { { { .name = "x", .type = "blk", .irq = 44U } }, 1U, true,
      "virtio device x: \"proxenos,irq\" is not one of the virtio-mmio SPIs" },
    { { { .name = "x", .type = "blk", .base = 0x2000000U, .size = 0x400U, .irq = NONE },
        { .name = "y", .type = "net", .base = 0x2000200U, .size = 0x200U, .irq = NONE } }, 2U,
      true, "virtio device y: \"reg\" 0x2000200+0x200 overlaps virtio device x" },
    { { { .name = "x", .type = "blk", .irq = 40U },
        { .name = "y", .type = "net", .irq = 40U } }, 2U, true,
      "virtio device y: \"proxenos,irq\" 40 is virtio device x's too" },
    { { { .name = "x", .type = "blk", .base = 0x2000000U, .size = 0x100000U, .irq = NONE },
        { .name = "y", .type = "net", .irq = NONE } }, 2U, true,
      "virtio device y: no room left in the virtio-mmio window" },
};

static void test_bad_nodes(void **state)
{
    (void)state;
    for (size_t i = 0U; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct env *e = env_new();

        e->nr = 7U;
        if (parse_with(e, bad[i].d, bad[i].n, bad[i].have_dom0)) {
            fail_msg("case %zu (%s) was accepted", i, bad[i].why);
        }
        assert_int_equal(e->nr, 0U);
        if (!fake_log_contains(bad[i].why) || !fake_log_contains("dom0less: domU: ") ||
            !fake_log_contains(": domain skipped")) {
            fail_msg("case %zu: wanted \"%s\", log:\n%s", i, bad[i].why, fake_log());
        }
        env_free(e);
    }
}

static void test_bad_args_and_too_many(void **state)
{
    struct dev d[DOM0LESS_VIRTIO_MAX + 1U];
    struct env *e = env_new();
    char names[DOM0LESS_VIRTIO_MAX + 1U][8];
    int dom;
    struct dom0less_virtio_window win;
    static const uint8_t unterminated[] = { 'a', 'b' };

    (void)state;
    for (unsigned int i = 0U; i < DOM0LESS_VIRTIO_MAX + 1U; i++) {
        (void)snprintf(names[i], sizeof(names[i]), "v%u", i);
        d[i] = (struct dev){ .name = names[i], .type = "blk", .irq = NONE };
    }
    assert_true(parse_with(e, d, DOM0LESS_VIRTIO_MAX, true));
    assert_int_equal(e->nr, DOM0LESS_VIRTIO_MAX);
    assert_int_equal(e->dev[DOM0LESS_VIRTIO_MAX - 1U].intid, 33U + DOM0LESS_VIRTIO_MAX - 1U);
    free(e->b);
    assert_false(parse_with(e, d, DOM0LESS_VIRTIO_MAX + 1U, true));
    assert_true(fake_log_contains("virtio device v8: more than 8 virtio devices"));
    free(e->b);
    /* An args value that is no string. */
    e->b = fb_new();
    fb_begin(e->b, "");
    fb_begin(e->b, "dom");
    fb_begin(e->b, "v");
    fb_prop_str(e->b, "compatible", DOM0LESS_VIRTIO_COMPAT);
    fb_prop_str(e->b, "proxenos,device-type", "blk");
    fb_prop(e->b, "proxenos,backend-args", unterminated, sizeof(unterminated));
    fb_end(e->b);
    fb_end(e->b);
    fb_end(e->b);
    fb_finish(e->b);
    assert_int_equal(fdt_check(&e->fdt, e->b->out, e->b->out_len), 0);
    dom = fdt_first_child(&e->fdt, fdt_root(&e->fdt));
    arch_dom0less_virtio_window(&win);
    fake_log_clear();
    assert_false(dom0less_virtio_parse(&e->fdt, dom, "dom", true, &win, e->dev, &e->nr));
    assert_true(fake_log_contains("dom0less: dom: virtio device v: \"proxenos,backend-args\" is "
                                  "not a string"));
    env_free(e);
}

static void test_device_ids(void **state)
{
    (void)state;
    assert_int_equal(dom0less_virtio_device_id("net"), 1U);
    assert_int_equal(dom0less_virtio_device_id("blk"), 2U);
    assert_int_equal(dom0less_virtio_device_id("i2c"), 34U);
    assert_int_equal(dom0less_virtio_device_id("gpio"), 41U);
    assert_int_equal(dom0less_virtio_device_id("block"), 0U);
    assert_int_equal(dom0less_virtio_device_id(""), 0U);
}

/* Through dom0less_parse(): the domain with a bad device is skipped, the
 * next keeps its devices. */
static void test_parse_skips_domain(void **state)
{
    struct fb *b = fb_new();
    struct fdt fdt;
    struct boot_info *bi = calloc(1, sizeof(*bi));
    struct dom0less_config *cfgs = calloc(DOM0LESS_MAX_DOMAINS, sizeof(*cfgs));
    const struct dev bad_dev = { .name = "vbad", .type = "blk", .irq = 50U };
    const struct dev good_dev = { .name = "vgood", .type = "net", .irq = NONE };
    unsigned int n;

    (void)state;
    assert_non_null(bi);
    assert_non_null(cfgs);
    fb_begin(b, "");
    fb_begin(b, "chosen");
    for (unsigned int i = 0U; i < 2U; i++) {
        fb_begin(b, (i == 0U) ? "first" : "second");
        fb_prop_str(b, "compatible", "xen,domain");
        fb_prop_cells(b, "memory", 2U, 0U, 0x4000U);
        fb_prop_cells(b, "cpus", 1U, 1U);
        fb_prop_u32(b, "#address-cells", 2U);
        fb_prop_u32(b, "#size-cells", 2U);
        put_dev(b, (i == 0U) ? &bad_dev : &good_dev);
        fb_end(b);
    }
    fb_end(b);
    fb_end(b);
    fb_finish(b);
    assert_int_equal(fdt_check(&fdt, b->out, b->out_len), 0);
    bi->fdt = &fdt;
    bi->chosen = fdt_first_child(&fdt, fdt_root(&fdt));
    /* dom0's kernel and one for each domain (bootinfo_find_module finds them). */
    bi->modules[0] = (struct boot_module){ .kind = BOOTMOD_KERNEL, .domain = -1, .node = -1 };
    bi->nr_modules = 1U;
    for (int node = fdt_first_child(&fdt, bi->chosen); node >= 0;
         node = fdt_next_sibling(&fdt, node)) {
        bi->modules[bi->nr_modules] = (struct boot_module){ .kind = BOOTMOD_KERNEL,
                                                            .domain = node, .node = -1 };
        bi->nr_modules++;
    }
    fake_log_clear();
    n = dom0less_parse(bi, cfgs, DOM0LESS_MAX_DOMAINS);
    assert_int_equal(n, 1U);
    assert_string_equal(cfgs[0].name, "second");
    assert_int_equal(cfgs[0].domid, 2U);
    assert_int_equal(cfgs[0].nr_virtio, 1U);
    assert_dev(&cfgs[0].virtio[0], "vgood", 0x2000000U, 0x200U, 33U);
    assert_true(fake_log_contains("dom0less: first: virtio device vbad: \"proxenos,irq\" is not "
                                  "one of the virtio-mmio SPIs: domain skipped"));
    free(cfgs);
    free(bi);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_libxl_layout),
        cmocka_unit_test(test_given_and_automatic),
        cmocka_unit_test(test_no_devices),
        cmocka_unit_test(test_bad_nodes),
        cmocka_unit_test(test_bad_args_and_too_many),
        cmocka_unit_test(test_device_ids),
        cmocka_unit_test(test_parse_skips_domain),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
