/* Where a boot module may be read (boot_ranges.c): inside one RAM bank,
 * not wrapping, not empty, clear of the hypervisor's image, the device
 * tree and earlier modules; a module refused by the scan stays refused;
 * the domain or dom0 that owns an unusable module is told so by name. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fake_arch.h>
#include <proxenos/boot_ranges.h>
#include <proxenos/errno.h>
#include "bootinfo_scan.h"

#define RAM0      0x40000000ULL
#define RAM0_SIZE 0x40000000ULL
#define RAM1      0x100000000ULL
#define RAM1_SIZE 0x10000000ULL
#define IMAGE     0x40200000ULL
#define DTB       0x48000000ULL

static const struct boot_owned owned = {
    .image = { IMAGE, 0x200000ULL },
    .dtb = { DTB, 0x10000ULL },
};

/* Two banks and the given modules, as a literal (no tree: paths are the
 * module names). */
static void literal(struct boot_info *bi, const struct boot_range *mods, uint32_t n)
{
    memset(bi, 0, sizeof(*bi));
    bi->ram[0] = (struct boot_range){ RAM0, RAM0_SIZE };
    bi->ram[1] = (struct boot_range){ RAM1, RAM1_SIZE };
    bi->nr_ram = 2U;
    for (uint32_t i = 0U; i < n; i++) {
        bi->modules[i].kind = BOOTMOD_KERNEL;
        bi->modules[i].start = mods[i].start;
        bi->modules[i].size = mods[i].size;
        bi->modules[i].node = -1;
        bi->modules[i].name = "m";
        bi->modules[i].domain = -1;
    }
    bi->nr_modules = n;
}

static enum boot_range_verdict check(paddr_t start, uint64_t size)
{
    struct boot_info bi;

    literal(&bi, NULL, 0U);
    return boot_range_check(&bi, &owned, start, size, 0U, NULL);
}

static void test_ram(void **state)
{
    (void)state;
    assert_int_equal(check(RAM0 + 0x10000000ULL, 0x1000U), BOOT_RANGE_OK);
    /* Each edge of a bank, from inside and from outside. */
    assert_int_equal(check(RAM0 + RAM0_SIZE - 0x1000U, 0x1000U), BOOT_RANGE_OK);
    assert_int_equal(check(RAM0 + RAM0_SIZE - 0x1000U, 0x1001U), BOOT_RANGE_NOT_RAM);
    assert_int_equal(check(RAM0 - 1U, 0x1000U), BOOT_RANGE_NOT_RAM);
    assert_int_equal(check(RAM1, RAM1_SIZE), BOOT_RANGE_OK);
    assert_int_equal(check(RAM1, RAM1_SIZE + 1U), BOOT_RANGE_NOT_RAM);
    /* Spanning the hole between two banks is not "inside one bank". */
    assert_int_equal(check(RAM0 + RAM0_SIZE - 0x1000U, RAM1 - RAM0), BOOT_RANGE_NOT_RAM);
    /* What issue 14 found: 0, the UART, flash, a flipped high bit. */
    assert_int_equal(check(0U, 0x10000U), BOOT_RANGE_NOT_RAM);
    assert_int_equal(check(0x9000000U, 0x1000U), BOOT_RANGE_NOT_RAM);
    assert_int_equal(check(0x4000000U, 0x100000U), BOOT_RANGE_NOT_RAM);
    assert_int_equal(check(RAM0 | (1ULL << 63), 0x1000U), BOOT_RANGE_NOT_RAM);
    /* Larger than all RAM. */
    assert_int_equal(check(RAM0, UINT64_MAX / 2U), BOOT_RANGE_NOT_RAM);
}

static void test_empty_and_wrapping(void **state)
{
    (void)state;
    assert_int_equal(check(RAM0 + 0x10000000ULL, 0U), BOOT_RANGE_EMPTY);
    assert_int_equal(check(0U, 0U), BOOT_RANGE_EMPTY);
    assert_int_equal(check(UINT64_MAX - 0xfffU, 0x2000U), BOOT_RANGE_WRAPS);
    assert_int_equal(check(2U, UINT64_MAX), BOOT_RANGE_WRAPS);
    /* [1, 2^64) ends exactly at the top. */
    assert_int_equal(check(1U, UINT64_MAX), BOOT_RANGE_NOT_RAM);
    /* Ending exactly at the top does not wrap (but is not RAM here). */
    assert_int_equal(check(UINT64_MAX - 0xfffU, 0x1000U), BOOT_RANGE_NOT_RAM);
    assert_int_equal(check(0U, UINT64_MAX), BOOT_RANGE_NOT_RAM);
}

static void test_hypervisor_ranges(void **state)
{
    (void)state;
    assert_int_equal(check(IMAGE, 0x1000U), BOOT_RANGE_IMAGE);
    assert_int_equal(check(IMAGE - 0x1000U, 0x1001U), BOOT_RANGE_IMAGE);
    assert_int_equal(check(IMAGE - 0x1000U, 0x1000U), BOOT_RANGE_OK);
    assert_int_equal(check(IMAGE + 0x200000ULL, 0x1000U), BOOT_RANGE_OK);
    assert_int_equal(check(IMAGE + 0x1fffffULL, 0x1000U), BOOT_RANGE_IMAGE);
    assert_int_equal(check(DTB + 0xffffU, 1U), BOOT_RANGE_DTB);
    assert_int_equal(check(DTB + 0x10000U, 1U), BOOT_RANGE_OK);
    /* A module around both: the image is named first. */
    assert_int_equal(check(RAM0, RAM0_SIZE), BOOT_RANGE_IMAGE);
}

static void test_modules_against_each_other(void **state)
{
    static const struct boot_range mods[] = {
        { 0x50000000ULL, 0x10000U },    /* 0: fine */
        { 0x50000000ULL, 0x10000U },    /* 1: the same range: shared, fine */
        { 0x5000f000ULL, 0x2000U },     /* 2: overlaps 0's end */
        { 0x50010000ULL, 0x1000U },     /* 3: just after 0: fine */
        { 0x4ffff000ULL, 0x20000U },    /* 4: around 0 */
        { 0x9000000ULL, 0x1000U },      /* 5: not RAM */
        { 0x9000000ULL, 0x1000U },      /* 6: its twin, not RAM either */
        { 0x5000f000ULL, 0x2000U },     /* 7: the same as 2, which was refused */
    };
    struct boot_info bi;
    uint32_t other = 99U;

    (void)state;
    fake_reset();
    literal(&bi, mods, 8U);
    assert_int_equal(boot_modules_check(&bi, &owned), 5U);
    assert_null(bi.modules[0].unusable);
    assert_null(bi.modules[1].unusable);
    assert_string_equal(bi.modules[2].unusable, "overlaps another boot module");
    assert_null(bi.modules[3].unusable);
    assert_string_equal(bi.modules[4].unusable, "overlaps another boot module");
    assert_string_equal(bi.modules[5].unusable, "is not in RAM");
    assert_string_equal(bi.modules[6].unusable, "is not in RAM");
    /* A refused module holds nothing: 7 is checked against 0 (overlap),
     * never against its refused twin 2. */
    assert_string_equal(bi.modules[7].unusable, "overlaps another boot module");
    assert_int_equal(boot_range_check(&bi, &owned, 0x50010000ULL, 0x1000U, 8U, &other),
                     BOOT_RANGE_OK);
    assert_int_equal(boot_range_check(&bi, &owned, 0x5000ffffULL, 2U, 8U, &other),
                     BOOT_RANGE_MODULE);
    assert_int_equal(other, 0U);
    /* The message gives the range and the other module. */
    assert_true(fake_log_contains("Boot module m: [0x5000f000, +0x2000) overlaps boot module m"));
    assert_true(fake_log_contains("Boot module m: [0x9000000, +0x1000) is not in RAM"));
}

/* Without a path that fits, the module is named by its name and its
 * domain's. */
static void test_names_without_a_path(void **state)
{
    static const struct boot_range mods[] = { { 0x9000000ULL, 0x1000U } };
    struct boot_info bi;

    (void)state;
    fake_reset();
    literal(&bi, mods, 1U);
    bi.modules[0].name = "kernel";
    bi.modules[0].domain_name = "domU7";
    assert_int_equal(boot_modules_check(&bi, &owned), 1U);
    assert_true(fake_log_contains("Boot module kernel (in domU7): [0x9000000, +0x1000) "
                                  "is not in RAM"));
    assert_false(boot_module_usable_by(&bi, &bi.modules[0], "domU7"));
    assert_true(fake_log_contains("dom0less: domU7: kernel module kernel (in domU7) is "
                                  "unusable (is not in RAM): domain skipped"));
}

/* A /reserved-memory child is firmware's or a device's: no module may lie
 * there. A /memreserve/ entry is not a claim (U-Boot notes the initrd it
 * loaded so). */
static void test_reserved_memory(void **state)
{
    struct boot_info bi;
    const paddr_t rsv = RAM0 + 0x20000000ULL;

    (void)state;
    literal(&bi, NULL, 0U);
    bi.reserved[0] = (struct boot_reserved){ rsv, 0x100000U, BOOT_RESERVED_NODE, -1 };
    bi.reserved[1] = (struct boot_reserved){ RAM0 + 0x30000000ULL, 0x100000U,
                                             BOOT_RESERVED_MEMRESERVE, -1 };
    bi.nr_reserved = 2U;
    assert_int_equal(boot_range_check(&bi, &owned, rsv, 0x1000U, 0U, NULL),
                     BOOT_RANGE_RESERVED);
    assert_int_equal(boot_range_check(&bi, &owned, rsv - 0x1000U, 0x1001U, 0U, NULL),
                     BOOT_RANGE_RESERVED);
    assert_int_equal(boot_range_check(&bi, &owned, rsv + 0xfffffU, 0x10U, 0U, NULL),
                     BOOT_RANGE_RESERVED);
    /* Its edges, from outside. */
    assert_int_equal(boot_range_check(&bi, &owned, rsv - 0x1000U, 0x1000U, 0U, NULL),
                     BOOT_RANGE_OK);
    assert_int_equal(boot_range_check(&bi, &owned, rsv + 0x100000U, 0x1000U, 0U, NULL),
                     BOOT_RANGE_OK);
    assert_int_equal(boot_range_check(&bi, &owned, RAM0 + 0x30000000ULL, 0x1000U, 0U, NULL),
                     BOOT_RANGE_OK);
    /* Not RAM comes first, as for every range. */
    bi.reserved[0].start = 0x9000000U;
    assert_int_equal(boot_range_check(&bi, &owned, 0x9000000U, 0x1000U, 0U, NULL),
                     BOOT_RANGE_NOT_RAM);
}

static void test_verdict_texts(void **state)
{
    (void)state;
    assert_string_equal(boot_range_verdict_text(BOOT_RANGE_OK), "is usable");
    assert_string_equal(boot_range_verdict_text(BOOT_RANGE_EMPTY), "is empty");
    assert_string_equal(boot_range_verdict_text(BOOT_RANGE_WRAPS),
                        "wraps around the end of the address space");
    assert_string_equal(boot_range_verdict_text(BOOT_RANGE_NOT_RAM), "is not in RAM");
    assert_string_equal(boot_range_verdict_text(BOOT_RANGE_IMAGE), "overlaps the hypervisor");
    assert_string_equal(boot_range_verdict_text(BOOT_RANGE_DTB), "overlaps the boot device tree");
    assert_string_equal(boot_range_verdict_text(BOOT_RANGE_RESERVED), "overlaps reserved memory");
    assert_string_equal(boot_range_verdict_text(BOOT_RANGE_MODULE),
                        "overlaps another boot module");
}

/* ---- From a scanned tree: node paths in the messages -------------------- */

/* /memory (1 GiB at RAM0), /chosen with dom0's kernel at 'dom0_at', and a
 * xen,domain "domU1" with the given cells whose kernel module has 'reg'
 * (reg_len bytes, NULL: no reg) and optional raw bootargs. */
struct tree_spec {
    uint32_t ac;
    uint32_t sc;
    const uint32_t *reg;
    size_t reg_cells;
    const char *args;
    size_t args_len;
    uint64_t dom0_at;
};

static void put_cells(struct fb *b, const char *name, const uint32_t *cells, size_t n)
{
    uint8_t buf[64];

    assert_true(n * 4U <= sizeof(buf));
    for (size_t i = 0U; i < n; i++) {
        buf[4U * i] = (uint8_t)(cells[i] >> 24);
        buf[4U * i + 1U] = (uint8_t)(cells[i] >> 16);
        buf[4U * i + 2U] = (uint8_t)(cells[i] >> 8);
        buf[4U * i + 3U] = (uint8_t)cells[i];
    }
    fb_prop(b, name, buf, n * 4U);
}

static struct scanned *scan_tree(const struct tree_spec *t)
{
    struct scanned *s = new_built();
    struct fb *b = s->fb;

    begin_root(b);
    fb_begin(b, "memory@40000000");
    fb_prop_str(b, "device_type", "memory");
    fb_prop_cells(b, "reg", 4, 0, (uint32_t)RAM0, 0, (uint32_t)RAM0_SIZE);
    fb_end(b);
    fb_begin(b, "chosen");
    fb_begin(b, "dom0-kernel");
    fb_prop_strs(b, "compatible", "multiboot,kernel", "multiboot,module", NULL);
    fb_prop_cells(b, "reg", 4, (uint32_t)(t->dom0_at >> 32), (uint32_t)t->dom0_at, 0, 0x1000);
    fb_end(b);
    fb_begin(b, "domU1");
    fb_prop_str(b, "compatible", "xen,domain");
    fb_prop_u32(b, "#address-cells", t->ac);
    fb_prop_u32(b, "#size-cells", t->sc);
    fb_begin(b, "kernel");
    fb_prop_strs(b, "compatible", "multiboot,kernel", "multiboot,module", NULL);
    if (t->reg != NULL) {
        put_cells(b, "reg", t->reg, t->reg_cells);
    }
    if (t->args != NULL) {
        fb_prop(b, "bootargs", t->args, t->args_len);
    }
    fb_end(b);
    fb_end(b);
    fb_end(b);
    fb_end(b);
    assert_int_equal(scan_built(s), 0);
    assert_int_equal(s->bi.nr_modules, 2U);
    fake_reset();
    (void)boot_modules_check(&s->bi, &owned);
    return s;
}

static const struct boot_module *domu_kernel(const struct scanned *s)
{
    return &s->bi.modules[1];
}

/* Scan, check, and require domU1's kernel refused for 'why', named by its
 * path, and domU1 told it is skipped. */
static void expect_refused(const struct tree_spec *t, const char *why)
{
    struct scanned *s = scan_tree(t);
    char line[256];

    assert_non_null(domu_kernel(s)->unusable);
    assert_string_equal(domu_kernel(s)->unusable, why);
    (void)snprintf(line, sizeof(line), "Boot module /chosen/domU1/kernel: ");
    assert_true(fake_log_contains(line));
    /* The line names the other module where that is the reason. */
    assert_true(fake_log_contains((strcmp(why, "overlaps another boot module") == 0) ?
                                  "overlaps boot module /chosen/dom0-kernel" : why));
    assert_false(boot_module_usable_by(&s->bi, domu_kernel(s), "domU1"));
    (void)snprintf(line, sizeof(line), "dom0less: domU1: kernel module /chosen/domU1/kernel "
                   "is unusable (%s): domain skipped", why);
    assert_true(fake_log_contains(line));
    /* dom0's kernel, in RAM and clear of all, is untouched. */
    assert_null(s->bi.modules[0].unusable);
    assert_true(boot_module_usable_by(&s->bi, &s->bi.modules[0], NULL));
    free_scanned(s);
}

static void test_cells_and_reg_of_a_module(void **state)
{
    static const uint32_t ac0[] = { 0, 0x10000 };
    static const uint32_t ac3[] = { 0, 0, 0x50000000, 0, 0x1000 };
    static const uint32_t sc0[] = { 0, 0x50000000 };
    static const uint32_t short_reg[] = { 0, 0x50000000, 0 };
    static const uint32_t ok[] = { 0, 0x50000000, 0, 0x1000 };
    static const uint32_t uart[] = { 0, 0x9000000, 0, 0x1000 };
    static const uint32_t high[] = { 0x80000000, 0x50000000, 0, 0x1000 };
    static const uint32_t wrap[] = { 0xffffffff, 0xfffff000, 0, 0x2000 };
    static const uint32_t image[] = { 0, (uint32_t)IMAGE, 0, 0x1000 };

    (void)state;
    expect_refused(&(struct tree_spec){ 0, 2, ac0, 2, NULL, 0, RAM0 + 0x1000000 },
                   "is not in RAM");
    expect_refused(&(struct tree_spec){ 3, 2, ac3, 5, NULL, 0, RAM0 + 0x1000000 },
                   "its reg has more than two address or size cells");
    expect_refused(&(struct tree_spec){ 5, 2, ac3, 5, NULL, 0, RAM0 + 0x1000000 },
                   "its reg does not match #address-cells and #size-cells");
    expect_refused(&(struct tree_spec){ 0, 0, ac0, 2, NULL, 0, RAM0 + 0x1000000 },
                   "its reg does not match #address-cells and #size-cells");
    expect_refused(&(struct tree_spec){ 2, 0, sc0, 2, NULL, 0, RAM0 + 0x1000000 }, "is empty");
    expect_refused(&(struct tree_spec){ 2, 2, short_reg, 3, NULL, 0, RAM0 + 0x1000000 },
                   "its reg does not match #address-cells and #size-cells");
    expect_refused(&(struct tree_spec){ 2, 2, NULL, 0, NULL, 0, RAM0 + 0x1000000 },
                   "has no reg");
    expect_refused(&(struct tree_spec){ 2, 2, ok, 0, NULL, 0, RAM0 + 0x1000000 }, "has no reg");
    expect_refused(&(struct tree_spec){ 2, 2, uart, 4, NULL, 0, RAM0 + 0x1000000 },
                   "is not in RAM");
    expect_refused(&(struct tree_spec){ 2, 2, high, 4, NULL, 0, RAM0 + 0x1000000 },
                   "is not in RAM");
    expect_refused(&(struct tree_spec){ 2, 2, wrap, 4, NULL, 0, RAM0 + 0x1000000 },
                   "wraps around the end of the address space");
    expect_refused(&(struct tree_spec){ 2, 2, image, 4, NULL, 0, RAM0 + 0x1000000 },
                   "overlaps the hypervisor");
    /* dom0's kernel comes first in the tree: the later module is refused. */
    expect_refused(&(struct tree_spec){ 2, 2, ok, 4, NULL, 0, 0x50000800ULL },
                   "overlaps another boot module");
    /* bootargs without its NUL. */
    expect_refused(&(struct tree_spec){ 2, 2, ok, 4, "abc", 3, RAM0 + 0x1000000 },
                   "its bootargs is not a NUL-terminated string");
}

static void test_a_good_module_and_dom0_refused(void **state)
{
    static const uint32_t ok[] = { 0, 0x50000000, 0, 0x1000 };
    struct scanned *s;

    (void)state;
    s = scan_tree(&(struct tree_spec){ 2, 2, ok, 4, "name=a", 7, RAM0 + 0x1000000 });
    assert_null(domu_kernel(s)->unusable);
    assert_string_equal(domu_kernel(s)->cmdline, "name=a");
    assert_true(boot_module_usable_by(&s->bi, domu_kernel(s), "domU1"));
    assert_true(boot_module_usable_by(&s->bi, NULL, "domU1"));
    assert_false(fake_log_contains("Boot module"));
    free_scanned(s);

    /* dom0's kernel on the UART: dom0 is named as the one not built. */
    s = scan_tree(&(struct tree_spec){ 2, 2, ok, 4, NULL, 0, 0x9000000ULL });
    assert_string_equal(s->bi.modules[0].unusable, "is not in RAM");
    assert_true(fake_log_contains("Boot module /chosen/dom0-kernel: [0x9000000, +0x1000) "
                                  "is not in RAM"));
    assert_false(boot_module_usable_by(&s->bi, &s->bi.modules[0], NULL));
    assert_true(fake_log_contains("dom0: kernel module /chosen/dom0-kernel is unusable "
                                  "(is not in RAM): dom0 not built"));
    assert_null(domu_kernel(s)->unusable);
    free_scanned(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ram),
        cmocka_unit_test(test_empty_and_wrapping),
        cmocka_unit_test(test_hypervisor_ranges),
        cmocka_unit_test(test_modules_against_each_other),
        cmocka_unit_test(test_names_without_a_path),
        cmocka_unit_test(test_reserved_memory),
        cmocka_unit_test(test_verdict_texts),
        cmocka_unit_test(test_cells_and_reg_of_a_module),
        cmocka_unit_test(test_a_good_module_and_dom0_refused),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
