/* The RAM banks of the boot tree (boot_ram.c) on trees built here and
 * scanned by the real bootinfo.c: a bank over a device's reg (the UART,
 * the GIC) or over an earlier bank is ignored, named with its node, its
 * range and what it overlaps; the others stay, in order; a module in an
 * ignored bank is then not in RAM. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fake_arch.h>
#include <proxenos/boot_ram.h>
#include <proxenos/boot_ranges.h>
#include "bootinfo_scan.h"

#define UART 0x9000000U
#define GICD 0x8000000U

/* One memory node; 'cells' are its reg (2+2 cells per bank). */
static void memory_node(struct fb *b, const char *name, const uint32_t *cells, unsigned int n)
{
    uint8_t buf[64];

    assert_true((n * 4U) <= sizeof(buf));
    for (unsigned int i = 0U; i < n; i++) {
        fb_put32(&buf[4U * i], cells[i]);
    }
    fb_begin(b, name);
    fb_prop_str(b, "device_type", "memory");
    fb_prop(b, "reg", buf, (size_t)n * 4U);
    fb_end(b);
}

/* QEMU virt's devices as its tree has them directly under the root: the
 * PL011 and the GICv3 (distributor and redistributors), plus a disabled
 * node and a bus whose child is not looked at. */
static void devices(struct fb *b)
{
    fb_begin(b, "pl011@9000000");
    fb_prop_str(b, "compatible", "arm,pl011");
    fb_prop_cells(b, "reg", 4, 0, UART, 0, 0x1000);
    fb_end(b);
    fb_begin(b, "intc@8000000");
    fb_prop_str(b, "compatible", "arm,gic-v3");
    fb_prop_cells(b, "reg", 8, 0, GICD, 0, 0x10000, 0, 0x80a0000, 0, 0xf60000);
    fb_end(b);
    fb_begin(b, "off@70000000");
    fb_prop_str(b, "status", "disabled");
    fb_prop_cells(b, "reg", 4, 0, 0x70000000, 0, 0x1000);
    fb_end(b);
}

struct ram_case {
    const char *what;
    const uint32_t *mem0;       /* reg of /memory@0 (NULL: no node) */
    unsigned int mem0_cells;
    const uint32_t *mem1;       /* reg of /memory@1 */
    unsigned int mem1_cells;
    uint32_t ignored;
    uint32_t nr_kept;
    struct boot_range kept[3];
    const char *logged[2];
};

static struct scanned *scan_banks(const struct ram_case *c)
{
    struct scanned *s = new_built();

    begin_root(s->fb);
    devices(s->fb);
    if (c->mem0 != NULL) {
        memory_node(s->fb, "memory@0", c->mem0, c->mem0_cells);
    }
    if (c->mem1 != NULL) {
        memory_node(s->fb, "memory@1", c->mem1, c->mem1_cells);
    }
    fb_end(s->fb);
    assert_int_equal(scan_built(s), 0);
    fake_reset();
    return s;
}

static void run_case(const struct ram_case *c)
{
    struct scanned *s = scan_banks(c);

    assert_int_equal(boot_ram_check(&s->bi), c->ignored);
    assert_int_equal(s->bi.nr_ram, c->nr_kept);
    for (uint32_t i = 0U; i < c->nr_kept; i++) {
        assert_range(&s->bi.ram[i], c->kept[i].start, c->kept[i].size);
    }
    for (unsigned int i = 0U; (i < 2U) && (c->logged[i] != NULL); i++) {
        if (!fake_log_contains(c->logged[i])) {
            fail_msg("%s: log lacks \"%s\":\n%s", c->what, c->logged[i], fake_log());
        }
    }
    if (c->ignored == 0U) {
        assert_false(fake_log_contains("RAM bank"));
    }
    free_scanned(s);
}

static const uint32_t ram_1g[] = { 0, 0x40000000, 0, 0x40000000 };
static const uint32_t ram_high[] = { 1, 0, 0, 0x10000000 };
static const uint32_t two_banks[] = { 0, 0x40000000, 0, 0x40000000, 1, 0, 0, 0x10000000 };
static const uint32_t over_uart[] = { 0, 0x8ff0000, 0, 0x20000 };
static const uint32_t over_gicr[] = { 0, 0x8100000, 0, 0x100000 };
static const uint32_t inside_1g[] = { 0, 0x50000000, 0, 0x1000000 };
static const uint32_t edge_1g[] = { 0, 0x7fff0000, 0, 0x20000 };
static const uint32_t after_1g[] = { 0, 0x80000000, 0, 0x1000 };
static const uint32_t disabled_dev[] = { 0, 0x70000000, 0, 0x1000 };

static const struct ram_case cases[] = {
    { "a clean tree keeps every bank", ram_1g, 4U, ram_high, 4U, 0U, 2U,
      { { 0x40000000U, 0x40000000U }, { 0x100000000ULL, 0x10000000U } }, { NULL } },
    { "two banks of one node", two_banks, 8U, NULL, 0U, 0U, 2U,
      { { 0x40000000U, 0x40000000U }, { 0x100000000ULL, 0x10000000U } }, { NULL } },
    { "a bank over the UART", ram_1g, 4U, over_uart, 4U, 1U, 1U,
      { { 0x40000000U, 0x40000000U } },
      { "RAM bank /memory@1: [0x8ff0000, +0x20000) overlaps device /pl011@9000000: "
        "bank ignored", NULL } },
    { "a bank over the GIC's second reg (its redistributors)", over_gicr, 4U, ram_1g, 4U, 1U,
      1U, { { 0x40000000U, 0x40000000U } },
      { "RAM bank /memory@0: [0x8100000, +0x100000) overlaps device /intc@8000000: "
        "bank ignored", NULL } },
    { "a bank inside an earlier one", ram_1g, 4U, inside_1g, 4U, 1U, 1U,
      { { 0x40000000U, 0x40000000U } },
      { "RAM bank /memory@1: [0x50000000, +0x1000000) overlaps RAM bank /memory@0: "
        "bank ignored", NULL } },
    { "a bank across an earlier one's end", ram_1g, 4U, edge_1g, 4U, 1U, 1U,
      { { 0x40000000U, 0x40000000U } }, { "overlaps RAM bank /memory@0", NULL } },
    { "a bank touching an earlier one's end", ram_1g, 4U, after_1g, 4U, 0U, 2U,
      { { 0x40000000U, 0x40000000U }, { 0x80000000U, 0x1000U } }, { NULL } },
    { "a disabled node claims nothing", disabled_dev, 4U, NULL, 0U, 0U, 1U,
      { { 0x70000000U, 0x1000U } }, { NULL } },
    { "the first bank over a device, the second kept", over_uart, 4U, ram_1g, 4U, 1U, 1U,
      { { 0x40000000U, 0x40000000U } }, { "RAM bank /memory@0: [0x8ff0000", NULL } },
};

static void test_case(void **state)
{
    run_case(*state);
}

/* A module in a bank that was ignored is then not in RAM: nothing is read
 * from the UART a memory node claimed. */
static void test_module_in_an_ignored_bank(void **state)
{
    static const struct ram_case c = { "module", ram_1g, 4U, over_uart, 4U, 1U, 1U,
                                       { { 0x40000000U, 0x40000000U } }, { NULL } };
    static const struct boot_owned owned = {
        .image = { 0x40200000U, 0x200000U },
        .dtb = { 0x48000000U, 0x10000U },
    };
    struct scanned *s = scan_banks(&c);

    (void)state;
    assert_int_equal(boot_range_check(&s->bi, &owned, UART, 0x1000U, 0U, NULL),
                     BOOT_RANGE_OK);
    (void)boot_ram_check(&s->bi);
    assert_int_equal(boot_range_check(&s->bi, &owned, UART, 0x1000U, 0U, NULL),
                     BOOT_RANGE_NOT_RAM);
    assert_int_equal(boot_range_check(&s->bi, &owned, 0x50000000U, 0x1000U, 0U, NULL),
                     BOOT_RANGE_OK);
    free_scanned(s);
}

/* A boot description written as a literal (no tree): banks are checked
 * against each other only, and named "?". */
static void test_literal_without_a_tree(void **state)
{
    struct boot_info bi;

    (void)state;
    fake_reset();
    memset(&bi, 0, sizeof(bi));
    bi.ram[0] = (struct boot_range){ 0x40000000U, 0x40000000U };
    bi.ram[1] = (struct boot_range){ 0x40000000U, 0x1000U };
    bi.ram_node[0] = -1;
    bi.ram_node[1] = -1;
    bi.nr_ram = 2U;
    assert_int_equal(boot_ram_check(&bi), 1U);
    assert_int_equal(bi.nr_ram, 1U);
    assert_true(fake_log_contains("RAM bank ?: [0x40000000, +0x1000) overlaps RAM bank ?: "
                                  "bank ignored"));
}

int main(void)
{
    struct CMUnitTest tests[(sizeof(cases) / sizeof(cases[0])) + 2U];
    size_t n = 0U;

    for (size_t i = 0U; i < (sizeof(cases) / sizeof(cases[0])); i++) {
        tests[n] = (struct CMUnitTest){ cases[i].what, test_case, NULL, NULL, (void *)&cases[i] };
        n++;
    }
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_module_in_an_ignored_bank);
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_literal_without_a_tree);
    assert_int_equal(n, sizeof(tests) / sizeof(tests[0]));
    return cmocka_run_group_tests(tests, NULL, NULL);
}
