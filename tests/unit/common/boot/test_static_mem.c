/* xen,static-mem and direct-map (common/boot/static_mem.c): the banks read
 * with /chosen's cells as Xen 4.17's code reads them; what makes a node
 * unusable (cells, length, empty, unaligned or wrapping banks, too many,
 * direct-map alone, a "memory" that is not the banks' total); where a bank
 * may not be (outside RAM, over the hypervisor, the device tree, a boot
 * module, /reserved-memory, a static shared memory region, another bank of
 * its own domain or an earlier one), each named with its node and what it
 * overlaps; and where the banks go in the guest, filling Xen's guest
 * RAM banks in order or, with direct-map, 1:1. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "fdt_builder.h"
#include <fake_arch.h>
#include <proxenos/static_mem.h>
#include <proxenos/static_shm.h>

#define RAM0      0x40000000ULL
#define RAM0_SIZE 0x80000000ULL
#define IMAGE     0x40200000ULL
#define DTB       0x48000000ULL
#define MOD       0x50000000ULL
#define MIB       0x100000ULL

static const struct boot_owned owned = {
    .image = { IMAGE, 0x200000ULL },
    .dtb = { DTB, 0x10000ULL },
};

static struct fb *b;
static struct fdt fdt;
static struct boot_info bi;

static int setup(void **state)
{
    (void)state;
    fake_reset();
    fake_console_quiet(true);
    b = fb_new();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free(b);
    return 0;
}

/* / and /chosen with the given cells (0: no property); the caller adds
 * domain nodes and calls finish(). */
static void begin_chosen(uint32_t ac, uint32_t sc)
{
    fb_begin(b, "");
    fb_prop_u32(b, "#address-cells", 2U);
    fb_prop_u32(b, "#size-cells", 2U);
    fb_begin(b, "chosen");
    if (ac != 0U) {
        fb_prop_u32(b, "#address-cells", ac);
    }
    if (sc != 0U) {
        fb_prop_u32(b, "#size-cells", sc);
    }
}

/* A xen,domain node left open, memory in KiB (0: no property). */
static void domain(const char *name, uint32_t mem_kib)
{
    fb_begin(b, name);
    fb_prop_str(b, "compatible", "xen,domain");
    if (mem_kib != 0U) {
        fb_prop_cells(b, "memory", 2U, 0U, mem_kib);
    }
    fb_prop_u32(b, "cpus", 1U);
}

/* Close /chosen and /, and set bi up: one RAM bank, one module. */
static void finish(void)
{
    fb_end(b);
    fb_end(b);
    fb_finish(b);
    assert_int_equal(fdt_check(&fdt, b->out, b->out_len), 0);
    memset(&bi, 0, sizeof(bi));
    bi.fdt = &fdt;
    bi.chosen = fdt_path_offset(&fdt, "/chosen", 7U);
    bi.ram[0] = (struct boot_range){ RAM0, RAM0_SIZE };
    bi.nr_ram = 1U;
    bi.modules[0].kind = BOOTMOD_KERNEL;
    bi.modules[0].start = MOD;
    bi.modules[0].size = 0x200000U;
    bi.modules[0].node = -1;
    bi.modules[0].name = "kernel-module";
    bi.modules[0].domain = -1;
    bi.nr_modules = 1U;
}

static int node(const char *name)
{
    char path[64];
    int n = snprintf(path, sizeof(path), "/chosen/%s", name);
    int off = fdt_path_offset(&fdt, path, (size_t)n);

    assert_true(off >= 0);
    return off;
}

static const char *read_node(const char *name, struct static_mem *sm)
{
    return static_mem_read(&fdt, bi.chosen, node(name), sm);
}

/* ---- Reading ------------------------------------------------------------- */

static void banks_use_the_cells_of_chosen(void **state)
{
    struct static_mem sm;

    (void)state;
    begin_chosen(1U, 1U);
    domain("one", 0x3000U);     /* 12 MiB */
    /* The domain's own cells govern its children only, as in Xen. */
    fb_prop_u32(b, "#address-cells", 2U);
    fb_prop_u32(b, "#size-cells", 2U);
    fb_prop_cells(b, "xen,static-mem", 4U, 0x60000000U, 0x800000U, 0x70000000U, 0x400000U);
    fb_end(b);
    finish();
    assert_null(read_node("one", &sm));
    assert_int_equal(sm.nr, 2U);
    assert_int_equal(sm.bank[0].start, 0x60000000U);
    assert_int_equal(sm.bank[0].size, 0x800000U);
    assert_int_equal(sm.bank[1].start, 0x70000000U);
    assert_int_equal(sm.bank[1].size, 0x400000U);
    assert_int_equal(sm.total, 12U * MIB);
    assert_false(sm.direct_map);
}

static void two_cells_and_direct_map(void **state)
{
    struct static_mem sm;

    (void)state;
    begin_chosen(2U, 2U);
    domain("dm", 0x1000U);
    fb_prop_cells(b, "xen,static-mem", 4U, 0x1U, 0x0U, 0x0U, 0x400000U);
    fb_prop_empty(b, "direct-map");
    fb_end(b);
    domain("plain", 0x1000U);
    fb_end(b);
    finish();
    assert_null(read_node("dm", &sm));
    assert_int_equal(sm.nr, 1U);
    assert_int_equal(sm.bank[0].start, 0x100000000ULL);
    assert_true(sm.direct_map);
    /* No property: nothing to say, no banks. */
    assert_null(read_node("plain", &sm));
    assert_int_equal(sm.nr, 0U);
}

struct bad_case {
    const char *name;
    uint32_t ac;
    uint32_t sc;
    uint32_t mem_kib;
    unsigned int ncells;
    uint32_t cells[20];
    bool direct_map;
    const char *why;
};

static const struct bad_case bad[] = {
    { "ac3", 3U, 1U, 0x400U, 4U, { 0U, 0U, 0x60000000U, 0x100000U }, false,
      "xen,static-mem needs #address-cells and #size-cells of 1 or 2 in /chosen" },
    /* No #size-cells in /chosen: the root's 2, so one cell is no entry. */
    { "sc0", 1U, 0U, 0x400U, 1U, { 0x60000000U }, false,
      "xen,static-mem is not a list of <address size> with /chosen's cells" },
    { "short", 1U, 1U, 0x400U, 3U, { 0x60000000U, 0x100000U, 0x1U }, false,
      "xen,static-mem is not a list of <address size> with /chosen's cells" },
    { "empty-prop", 1U, 1U, 0x400U, 0U, { 0U }, false,
      "xen,static-mem is not a list of <address size> with /chosen's cells" },
    { "zero", 1U, 1U, 0x400U, 2U, { 0x60000000U, 0U }, false,
      "a xen,static-mem bank is empty" },
    { "unaligned", 1U, 1U, 0x400U, 2U, { 0x60000800U, 0x100000U }, false,
      "a xen,static-mem bank is not page aligned" },
    { "wraps", 2U, 2U, 0x400U, 4U, { 0xffffffffU, 0xfff00000U, 0x0U, 0x200000U }, false,
      "a xen,static-mem bank wraps around the end of the address space" },
    { "nine", 1U, 1U, 0x2400U, 18U, { 0x60000000U, 0x100000U, 0x60100000U, 0x100000U,
      0x60200000U, 0x100000U, 0x60300000U, 0x100000U, 0x60400000U, 0x100000U,
      0x60500000U, 0x100000U, 0x60600000U, 0x100000U, 0x60700000U, 0x100000U,
      0x60800000U, 0x100000U }, false, "xen,static-mem has more than 8 banks" },
    { "mismatch", 1U, 1U, 0x800U, 2U, { 0x60000000U, 0x100000U }, false,
      "\"memory\" is not the sum of the xen,static-mem banks" },
    { "dm-alone", 1U, 1U, 0x400U, 0U, { 0U }, true, "direct-map needs xen,static-mem" },
};

/* Each bad node alone under a /chosen with its cells: read, refused with
 * its reason. */
static void bad_nodes_say_why(void **state)
{
    (void)state;
    for (size_t i = 0U; i < (sizeof(bad) / sizeof(bad[0])); i++) {
        const struct bad_case *c = &bad[i];
        struct static_mem sm;
        const char *why;

        free(b);
        b = fb_new();
        begin_chosen(c->ac, c->sc);
        domain(c->name, c->mem_kib);
        if ((c->ncells != 0U) || !c->direct_map) {
            uint8_t raw[80];

            for (unsigned int j = 0U; j < c->ncells; j++) {
                fb_put32(&raw[4U * j], c->cells[j]);
            }
            fb_prop(b, "xen,static-mem", raw, 4U * c->ncells);
        }
        if (c->direct_map) {
            fb_prop_empty(b, "direct-map");
        }
        fb_end(b);
        finish();
        why = read_node(c->name, &sm);
        if ((why == NULL) || (strcmp(why, c->why) != 0)) {
            fail_msg("%s: got \"%s\", want \"%s\"", c->name, (why != NULL) ? why : "(none)",
                     c->why);
        }
    }
}

/* ---- Where a bank may be ---------------------------------------------------- */

/* good, then one domain per kind of bad place, then one that overlaps
 * good, then one whose own banks overlap, then a second good one. */
static void build_places_tree(void)
{
    begin_chosen(1U, 1U);
    domain("good", 0x2000U);
    fb_prop_cells(b, "xen,static-mem", 2U, 0x60000000U, 0x800000U);
    fb_end(b);
    domain("outside", 0x400U);
    fb_prop_cells(b, "xen,static-mem", 2U, 0x20000000U, 0x100000U);
    fb_end(b);
    domain("over-xen", 0x400U);
    fb_prop_cells(b, "xen,static-mem", 2U, IMAGE, 0x100000U);
    fb_end(b);
    domain("over-dtb", 0x400U);
    fb_prop_cells(b, "xen,static-mem", 2U, DTB, 0x100000U);
    fb_end(b);
    domain("over-module", 0x400U);
    fb_prop_cells(b, "xen,static-mem", 2U, MOD + 0x100000U, 0x100000U);
    fb_end(b);
    domain("over-good", 0x400U);
    fb_prop_cells(b, "xen,static-mem", 2U, 0x60700000U, 0x100000U);
    fb_end(b);
    domain("self", 0x800U);
    fb_prop_cells(b, "xen,static-mem", 4U, 0x61000000U, 0x100000U, 0x61000000U, 0x100000U);
    fb_end(b);
    domain("good2", 0x800U);
    fb_prop_cells(b, "xen,static-mem", 2U, 0x62000000U, 0x200000U);
    fb_prop_empty(b, "direct-map");
    fb_end(b);
    domain("heap", 0x400U);
    fb_end(b);
    finish();
}

static void bad_places_are_named_and_skipped(void **state)
{
    const struct static_mem *sm = NULL;
    const char *why = NULL;
    struct static_mem_bank bank;

    (void)state;
    build_places_tree();
    assert_int_equal(static_mem_check_all(&bi, &owned), 6U);
    assert_true(fake_log_contains("dom0less: /chosen/outside: xen,static-mem bank 0 "
                                  "[0x20000000, +0x100000) is not in RAM: domain skipped"));
    assert_true(fake_log_contains("dom0less: /chosen/over-xen: xen,static-mem bank 0 "
                                  "[0x40200000, +0x100000) overlaps the hypervisor"));
    assert_true(fake_log_contains("dom0less: /chosen/over-dtb: xen,static-mem bank 0 "
                                  "[0x48000000, +0x100000) overlaps the boot device tree"));
    assert_true(fake_log_contains("dom0less: /chosen/over-module: xen,static-mem bank 0 "
                                  "[0x50100000, +0x100000) overlaps boot module kernel-module"));
    assert_true(fake_log_contains("dom0less: /chosen/over-good: xen,static-mem bank 0 "
                                  "[0x60700000, +0x100000) overlaps a static memory bank of "
                                  "/chosen/good: domain skipped"));
    assert_true(fake_log_contains("dom0less: /chosen/self: xen,static-mem bank 1 "
                                  "[0x61000000, +0x100000) overlaps a static memory bank of "
                                  "/chosen/self"));

    assert_int_equal(static_mem_lookup(node("good"), &sm, &why), STATIC_MEM_OK);
    assert_int_equal(sm->total, 8U * MIB);
    assert_int_equal(static_mem_lookup(node("good2"), &sm, &why), STATIC_MEM_OK);
    assert_true(sm->direct_map);
    assert_int_equal(static_mem_lookup(node("over-good"), &sm, &why), STATIC_MEM_REFUSED);
    assert_string_equal(why, "overlaps another static memory bank");
    assert_int_equal(static_mem_lookup(node("outside"), &sm, &why), STATIC_MEM_REFUSED);
    assert_string_equal(why, "is not in RAM");
    assert_int_equal(static_mem_lookup(node("heap"), &sm, &why), STATIC_MEM_NONE);

    /* Only the banks that passed are reserved: good's and good2's; none
     * of self's, whose first bank passed before its second failed. */
    assert_true(static_mem_reserved_bank(0U, &bank));
    assert_int_equal(bank.start, 0x60000000U);
    assert_true(static_mem_reserved_bank(1U, &bank));
    assert_int_equal(bank.start, 0x62000000U);
    assert_false(static_mem_reserved_bank(2U, &bank));
}

/* A bank exactly at the edges of what it must avoid passes. */
static void banks_touching_what_they_avoid_pass(void **state)
{
    static const struct static_mem_bank others[] = { { 0x60000000U, 0x100000U } };
    struct static_mem_bank before_image = { IMAGE - 0x100000U, 0x100000U };
    struct static_mem_bank after_dtb = { DTB + 0x10000U, 0x1000U };
    struct static_mem_bank after_other = { 0x60100000U, 0x100000U };
    struct static_mem_bank ram_end = { RAM0 + RAM0_SIZE - 0x1000U, 0x1000U };
    struct static_mem_bank past_end = { RAM0 + RAM0_SIZE - 0x1000U, 0x2000U };
    uint32_t other = 0U;

    (void)state;
    begin_chosen(1U, 1U);
    finish();
    assert_int_equal(static_mem_bank_check(&bi, &owned, &before_image, others, 1U, &other),
                     BOOT_RANGE_OK);
    assert_int_equal(static_mem_bank_check(&bi, &owned, &after_dtb, others, 1U, &other),
                     BOOT_RANGE_OK);
    assert_int_equal(static_mem_bank_check(&bi, &owned, &after_other, others, 1U, &other),
                     BOOT_RANGE_OK);
    assert_int_equal(static_mem_bank_check(&bi, &owned, &ram_end, others, 1U, &other),
                     BOOT_RANGE_OK);
    assert_int_equal(static_mem_bank_check(&bi, &owned, &past_end, others, 1U, &other),
                     BOOT_RANGE_NOT_RAM);
    assert_int_equal(static_mem_bank_check(&bi, &owned, &others[0], others, 1U, &other),
                     BOOT_RANGE_STATIC);
    assert_int_equal(other, 0U);
}

/* Beyond Xen 4.17: a bank over a /reserved-memory child or over a static
 * shared memory region (scanned first) is refused naming both nodes; so
 * is a shared region over /reserved-memory. */
static void banks_over_reserved_or_shared_memory_are_named(void **state)
{
    struct static_shm_table t;
    const struct static_mem *sm = NULL;
    const char *why = NULL;
    int fw;

    (void)state;
    fb_begin(b, "");
    fb_prop_u32(b, "#address-cells", 2U);
    fb_prop_u32(b, "#size-cells", 2U);
    fb_begin(b, "reserved-memory");
    fb_begin(b, "fw@6f000000");
    fb_prop_cells(b, "reg", 4U, 0U, 0x6f000000U, 0U, 0x100000U);
    fb_end(b);
    fb_end(b);
    fb_begin(b, "chosen");
    fb_prop_u32(b, "#address-cells", 1U);
    fb_prop_u32(b, "#size-cells", 1U);
    domain("over-fw", 0x400U);
    fb_prop_cells(b, "xen,static-mem", 2U, 0x6f080000U, 0x100000U);
    fb_end(b);
    domain("sharer", 0x400U);
    fb_prop_u32(b, "#address-cells", 1U);
    fb_prop_u32(b, "#size-cells", 1U);
    fb_begin(b, "shm@0");
    fb_prop_str(b, "compatible", STATIC_SHM_COMPAT);
    fb_prop_str(b, "xen,shm-id", "shm-x");
    fb_prop_str(b, "role", "owner");
    fb_prop_cells(b, "xen,shared-mem", 3U, 0x6e000000U, 0x6e000000U, 0x200000U);
    fb_end(b);
    fb_begin(b, "shm@1");
    fb_prop_str(b, "compatible", STATIC_SHM_COMPAT);
    fb_prop_str(b, "xen,shm-id", "shm-fw");
    fb_prop_cells(b, "xen,shared-mem", 3U, 0x6f0ff000U, 0x6f000000U, 0x2000U);
    fb_end(b);
    fb_end(b);
    domain("over-shm", 0x400U);
    fb_prop_cells(b, "xen,static-mem", 2U, 0x6e100000U, 0x100000U);
    fb_end(b);
    domain("beside", 0x400U);
    fb_prop_cells(b, "xen,static-mem", 2U, 0x6e200000U, 0x100000U);
    fb_end(b);
    finish();
    fw = fdt_path_offset(&fdt, "/reserved-memory/fw@6f000000", 28U);
    assert_true(fw >= 0);
    bi.reserved[0] = (struct boot_reserved){ .start = 0x6f000000U, .size = 0x100000U,
                                             .source = BOOT_RESERVED_NODE, .node = fw };
    bi.nr_reserved = 1U;

    assert_int_equal(static_shm_scan(&bi, &owned, &t), 1U);
    assert_true(fake_log_contains("static shared memory /chosen/sharer/shm@1: host range "
                                  "[0x6f0ff000, +0x2000) overlaps reserved memory "
                                  "/reserved-memory/fw@6f000000"));
    bi.shm = &t;
    assert_int_equal(static_mem_check_all(&bi, &owned), 2U);
    assert_true(fake_log_contains("dom0less: /chosen/over-fw: xen,static-mem bank 0 "
                                  "[0x6f080000, +0x100000) overlaps reserved memory "
                                  "/reserved-memory/fw@6f000000: domain skipped"));
    assert_true(fake_log_contains("dom0less: /chosen/over-shm: xen,static-mem bank 0 "
                                  "[0x6e100000, +0x100000) overlaps static shared memory "
                                  "/chosen/sharer/shm@0: domain skipped"));
    assert_int_equal(static_mem_lookup(node("over-fw"), &sm, &why), STATIC_MEM_REFUSED);
    assert_string_equal(why, "overlaps reserved memory");
    assert_int_equal(static_mem_lookup(node("over-shm"), &sm, &why), STATIC_MEM_REFUSED);
    assert_string_equal(why, "overlaps static shared memory");
    /* Touching the region is fine. */
    assert_int_equal(static_mem_lookup(node("beside"), &sm, &why), STATIC_MEM_OK);

    /* What a direct-mapped domain's extended regions leave out: the bank
     * that passed and the region that did (not the refused shm-fw). */
    {
        struct boot_range cuts[2];
        unsigned int nr = 9U;

        assert_true(static_mem_host_cuts(&bi, cuts, 2U, &nr));
        assert_int_equal(nr, 2U);
        assert_int_equal(cuts[0].start, 0x6e200000U);
        assert_int_equal(cuts[0].size, 0x100000U);
        assert_int_equal(cuts[1].start, 0x6e000000U);
        assert_int_equal(cuts[1].size, 0x200000U);
        assert_false(static_mem_host_cuts(&bi, cuts, 1U, &nr));
        assert_int_equal(nr, 0U);
    }
}

/* ---- Where the banks go in the guest ------------------------------------------ */

/* Xen's allocate_static_memory: GUEST_RAM0 (3 GiB at 1 GiB) filled first,
 * a bank that does not fit split into GUEST_RAM1. */
static void banks_fill_the_guest_banks_in_order(void **state)
{
    struct static_mem sm = { 0 };
    struct static_mem_piece p[STATIC_MEM_MAX_PIECES];
    struct static_mem_bank r[STATIC_MEM_MAX_BANKS];
    unsigned int nr = 0U;

    (void)state;
    sm.nr = 2U;
    sm.bank[0] = (struct static_mem_bank){ 0x100000000ULL, 0x80000000ULL };    /* 2 GiB */
    sm.bank[1] = (struct static_mem_bank){ 0x200000000ULL, 0x80000000ULL };    /* 2 GiB */
    sm.total = 0x100000000ULL;
    assert_int_equal(static_mem_layout(&sm, p, r, &nr), 3U);
    assert_int_equal(p[0].host, 0x100000000ULL);
    assert_int_equal(p[0].guest, 0x40000000ULL);
    assert_int_equal(p[0].size, 0x80000000ULL);
    assert_int_equal(p[1].host, 0x200000000ULL);
    assert_int_equal(p[1].guest, 0xc0000000ULL);
    assert_int_equal(p[1].size, 0x40000000ULL);
    assert_int_equal(p[2].host, 0x240000000ULL);
    assert_int_equal(p[2].guest, 0x200000000ULL);
    assert_int_equal(p[2].size, 0x40000000ULL);
    assert_int_equal(nr, 2U);
    assert_int_equal(r[0].start, 0x40000000ULL);
    assert_int_equal(r[0].size, 0xc0000000ULL);
    assert_int_equal(r[1].start, 0x200000000ULL);
    assert_int_equal(r[1].size, 0x40000000ULL);
}

static void small_banks_share_guest_bank_zero(void **state)
{
    struct static_mem sm = { 0 };
    struct static_mem_piece p[STATIC_MEM_MAX_PIECES];
    struct static_mem_bank r[STATIC_MEM_MAX_BANKS];
    unsigned int nr = 0U;

    (void)state;
    sm.nr = 2U;
    sm.bank[0] = (struct static_mem_bank){ 0x70000000U, 0x400000U };
    sm.bank[1] = (struct static_mem_bank){ 0x60000000U, 0x200000U };
    assert_int_equal(static_mem_layout(&sm, p, r, &nr), 2U);
    assert_int_equal(p[0].guest, 0x40000000U);
    assert_int_equal(p[1].host, 0x60000000U);
    assert_int_equal(p[1].guest, 0x40400000U);
    assert_int_equal(nr, 1U);
    assert_int_equal(r[0].size, 0x600000U);
}

static void direct_map_is_one_to_one(void **state)
{
    struct static_mem sm = { 0 };
    struct static_mem_piece p[STATIC_MEM_MAX_PIECES];
    struct static_mem_bank r[STATIC_MEM_MAX_BANKS];
    unsigned int nr = 0U;

    (void)state;
    sm.nr = 2U;
    sm.direct_map = true;
    sm.bank[0] = (struct static_mem_bank){ 0x70000000U, 0x400000U };
    sm.bank[1] = (struct static_mem_bank){ 0x60000000U, 0x200000U };
    assert_int_equal(static_mem_layout(&sm, p, r, &nr), 2U);
    for (unsigned int i = 0U; i < 2U; i++) {
        assert_int_equal(p[i].host, sm.bank[i].start);
        assert_int_equal(p[i].guest, sm.bank[i].start);
        assert_int_equal(p[i].size, sm.bank[i].size);
        assert_int_equal(r[i].start, sm.bank[i].start);
    }
    assert_int_equal(nr, 2U);
}

/* More than the guest banks hold (the fake's two: 3 GiB + 1016 GiB). */
static void too_much_for_the_guest_banks(void **state)
{
    struct static_mem sm = { 0 };
    struct static_mem_piece p[STATIC_MEM_MAX_PIECES];
    struct static_mem_bank r[STATIC_MEM_MAX_BANKS];
    unsigned int nr = 5U;

    (void)state;
    sm.nr = 2U;
    sm.bank[0] = (struct static_mem_bank){ 0x10000000000ULL, 0xc0000000ULL };
    sm.bank[1] = (struct static_mem_bank){ 0x20000000000ULL, 0xfe00001000ULL };
    assert_int_equal(static_mem_layout(&sm, p, r, &nr), 0U);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(banks_use_the_cells_of_chosen, setup, teardown),
        cmocka_unit_test_setup_teardown(two_cells_and_direct_map, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_nodes_say_why, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_places_are_named_and_skipped, setup, teardown),
        cmocka_unit_test_setup_teardown(banks_touching_what_they_avoid_pass, setup, teardown),
        cmocka_unit_test_setup_teardown(banks_over_reserved_or_shared_memory_are_named, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(banks_fill_the_guest_banks_in_order, setup, teardown),
        cmocka_unit_test_setup_teardown(small_banks_share_guest_bank_zero, setup, teardown),
        cmocka_unit_test_setup_teardown(direct_map_is_one_to_one, setup, teardown),
        cmocka_unit_test_setup_teardown(too_much_for_the_guest_banks, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
