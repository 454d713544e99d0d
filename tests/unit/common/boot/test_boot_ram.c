/* The RAM banks of the boot tree (boot_ram.c) on trees built here and
 * scanned by the real bootinfo.c: a bank over a device's reg (the UART,
 * the GIC) or over an earlier bank is ignored, named with its node, its
 * range and what it overlaps; the others stay, in order; a module in an
 * ignored bank is then not in RAM. Devices under memory-mapped buses count
 * at their CPU address (through the buses' ranges); a bus whose ranges
 * cannot be read, or nested too deep, is named once and not looked into. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
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
 * node. */
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

/* ---- Devices under buses -------------------------------------------------- */

/* A simple-bus node opened, with ac address and sc size cells for its
 * children (0: none of its own). The caller adds ranges and children. */
static void bus(struct fb *b, const char *name, uint32_t ac, uint32_t sc)
{
    fb_begin(b, name);
    fb_prop_str(b, "compatible", "simple-bus");
    if (ac != 0U) {
        fb_prop_u32(b, "#address-cells", ac);
        fb_prop_u32(b, "#size-cells", sc);
    }
}

/* A device node with a reg of n cells (closed). */
static void device(struct fb *b, const char *name, unsigned int n, uint32_t a0, uint32_t a1,
                   uint32_t a2, uint32_t a3)
{
    fb_begin(b, name);
    if (n == 2U) {
        fb_prop_cells(b, "reg", 2, a0, a1);
    } else {
        fb_prop_cells(b, "reg", 4, a0, a1, a2, a3);
    }
    fb_end(b);
}

/* Beside devices(), buses as SoC trees have them (addresses in the
 * comments are the CPU's):
 *   /soc               simple-bus, 1+1 cells, child 0 -> 0x10000000
 *     uart@1000        0x10001000
 *     bridge@200000    simple-bus, 1+1 cells, child 0 -> soc's 0x200000
 *       dev@10         0x10200010
 *       b3             simple-bus, empty ranges (1:1)
 *         dev@40       0x10200040 (four levels down: the deepest looked at)
 *         b4           simple-bus, empty ranges: nested too deep
 *           dev@20     0x10200020, not looked at
 *   /badbus            simple-bus, ranges of 5 cells (entries are 4)
 *     dev@0            0x20000000 as written, not looked at
 *   /widebus           simple-bus, 3 address cells
 *   /offbus            simple-bus, disabled; dev 0x30000000 not looked at
 *   /plainbus          simple-bus without ranges: its child 0x3a000000 is
 *                      not in the CPU's space
 *   /reserved-memory   ranges but no bus: region 0x38000000 is RAM's */
static void buses(struct fb *b)
{
    bus(b, "soc", 1U, 1U);
    fb_prop_cells(b, "ranges", 4, 0, 0, 0x10000000, 0x1000000);
    device(b, "uart@1000", 2U, 0x1000, 0x1000, 0, 0);
    bus(b, "bridge@200000", 1U, 1U);
    fb_prop_cells(b, "ranges", 3, 0, 0x200000, 0x100000);
    device(b, "dev@10", 2U, 0x10, 0x10, 0, 0);
    bus(b, "b3", 0U, 0U);
    fb_prop_empty(b, "ranges");
    device(b, "dev@40", 2U, 0x40, 0x10, 0, 0);
    bus(b, "b4", 0U, 0U);
    fb_prop_empty(b, "ranges");
    device(b, "dev@20", 2U, 0x20, 0x10, 0, 0);
    fb_end(b);      /* b4 */
    fb_end(b);      /* b3 */
    fb_end(b);      /* bridge */
    fb_end(b);      /* soc */

    bus(b, "badbus", 1U, 1U);
    fb_prop_cells(b, "ranges", 5, 0, 0, 0, 0x1000000, 0);
    device(b, "dev@0", 2U, 0x20000000, 0x1000, 0, 0);
    fb_end(b);
    bus(b, "widebus", 3U, 1U);
    fb_prop_cells(b, "ranges", 6, 0, 0, 0, 0, 0x28000000, 0x1000);
    fb_end(b);
    bus(b, "offbus", 0U, 0U);
    fb_prop_str(b, "status", "disabled");
    fb_prop_empty(b, "ranges");
    device(b, "dev@30000000", 4U, 0, 0x30000000, 0, 0x1000);
    fb_end(b);
    bus(b, "plainbus", 0U, 0U);
    device(b, "dev@3a000000", 4U, 0, 0x3a000000, 0, 0x1000);
    fb_end(b);
    fb_begin(b, "reserved-memory");
    fb_prop_u32(b, "#address-cells", 2);
    fb_prop_u32(b, "#size-cells", 2);
    fb_prop_empty(b, "ranges");
    fb_begin(b, "region@38000000");
    fb_prop_cells(b, "reg", 4, 0, 0x38000000, 0, 0x100000);
    fb_end(b);
    fb_end(b);
}

/* One bank of the bus tree, and whether it is kept. */
struct bus_case {
    const char *what;
    uint32_t start;
    uint32_t size;
    const char *over;           /* the device named (NULL: kept) */
};

static const struct bus_case bus_cases[] = {
    { "a device under a bus, at its CPU address", 0x10001800U, 0x1000U, "/soc/uart@1000" },
    { "a device under two buses", 0x10200000U, 0x20U, "/soc/bridge@200000/dev@10" },
    { "a device four levels down", 0x10200040U, 0x10U, "/soc/bridge@200000/b3/dev@40" },
    { "a device's untranslated address is no claim", 0x0U, 0x2000U, NULL },
    { "a bus's window without a device is no claim", 0x10800000U, 0x100000U, NULL },
    { "under a bus nested too deep", 0x10200020U, 0x10U, NULL },
    { "under a bus with a malformed ranges", 0x20000000U, 0x1000U, NULL },
    { "under a disabled bus", 0x30000000U, 0x1000U, NULL },
    { "under a bus without ranges", 0x3a000000U, 0x1000U, NULL },
    { "a reserved-memory region is RAM", 0x38000000U, 0x100000U, NULL },
};

static unsigned int occurrences(const char *text, const char *what)
{
    unsigned int n = 0U;

    for (const char *p = strstr(text, what); p != NULL; p = strstr(p + 1, what)) {
        n++;
    }
    return n;
}

/* Each case's bank beside a clean 1 GiB: the bank goes when it is over a
 * device and stays otherwise, and every bus the check cannot look into is
 * named once, whatever the number of banks. */
static void test_bus_case(void **state)
{
    const struct bus_case *c = *state;
    const uint32_t bank[] = { 0, c->start, 0, c->size };
    struct scanned *s = new_built();
    char line[160];

    begin_root(s->fb);
    devices(s->fb);
    buses(s->fb);
    memory_node(s->fb, "memory@0", ram_1g, 4U);
    memory_node(s->fb, "memory@1", bank, 4U);
    fb_end(s->fb);
    assert_int_equal(scan_built(s), 0);
    fake_reset();
    assert_int_equal(boot_ram_check(&s->bi), (c->over != NULL) ? 1U : 0U);
    assert_int_equal(s->bi.nr_ram, (c->over != NULL) ? 1U : 2U);
    assert_range(&s->bi.ram[0], 0x40000000U, 0x40000000U);
    if (c->over != NULL) {
        (void)snprintf(line, sizeof(line), "RAM bank /memory@1: [0x%x, +0x%x) overlaps device %s: "
                       "bank ignored", c->start, c->size, c->over);
        if (!fake_log_contains(line)) {
            fail_msg("%s: log lacks \"%s\":\n%s", c->what, line, fake_log());
        }
    } else {
        assert_range(&s->bi.ram[1], c->start, c->size);
    }
    assert_int_equal(occurrences(fake_log(), "RAM bank check: bus /soc/bridge@200000/b3/b4: "
                                 "buses nested deeper than the check looks: the devices under "
                                 "it are not checked\n"), 1U);
    assert_int_equal(occurrences(fake_log(), "RAM bank check: bus /badbus: its ranges is "
                                 "malformed: the devices under it are not checked\n"), 1U);
    assert_int_equal(occurrences(fake_log(), "RAM bank check: bus /widebus: its ranges has more "
                                 "than two cells: the devices under it are not checked\n"), 1U);
    /* A disabled bus, or one without ranges, is not a fault of the tree. */
    assert_int_equal(occurrences(fake_log(), "RAM bank check: bus"), 3U);
    free_scanned(s);
}

int main(void)
{
    struct CMUnitTest tests[(sizeof(cases) / sizeof(cases[0])) +
                            (sizeof(bus_cases) / sizeof(bus_cases[0])) + 2U];
    size_t n = 0U;

    for (size_t i = 0U; i < (sizeof(cases) / sizeof(cases[0])); i++) {
        tests[n] = (struct CMUnitTest){ cases[i].what, test_case, NULL, NULL, (void *)&cases[i] };
        n++;
    }
    for (size_t i = 0U; i < (sizeof(bus_cases) / sizeof(bus_cases[0])); i++) {
        tests[n] = (struct CMUnitTest){ bus_cases[i].what, test_bus_case, NULL, NULL,
                                        (void *)&bus_cases[i] };
        n++;
    }
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_module_in_an_ignored_bank);
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_literal_without_a_tree);
    assert_int_equal(n, sizeof(tests) / sizeof(tests[0]));
    return cmocka_run_group_tests(tests, NULL, NULL);
}
