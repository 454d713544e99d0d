/* The static heap (static_heap.c): /chosen's xen,static-heap read in the
 * root's cells, each bank checked (RAM, the hypervisor, the DTB, modules,
 * earlier banks) and left out with a line naming it when bad, and the boot
 * allocator then handing out nothing but the banks that passed. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fake_arch.h>
#include <proxenos/bootmem.h>
#include <proxenos/errno.h>
#include <proxenos/static_heap.h>
#include "bootinfo_scan.h"

#define RAM0      0x40000000ULL
#define RAM0_SIZE 0x40000000ULL     /* 1 GiB */
#define RAM1      0x100000000ULL
#define RAM1_SIZE 0x10000000ULL     /* 256 MiB */
#define IMAGE     0x40200000ULL
#define DTB       0x48000000ULL
#define MODULE    0x47000000ULL

static const struct boot_owned owned = {
    .image = { IMAGE, 0x200000ULL },
    .dtb = { DTB, 0x10000ULL },
};

/* A tree with two RAM banks, a kernel module for dom0 and the given
 * /chosen heap cells (n cells; n = 0: no property). Root cells ac/sc; the
 * /chosen node has cells of its own, 1 and 1, that must not be used. */
static struct scanned *tree(uint32_t ac, uint32_t sc, const uint32_t *cells, unsigned int n)
{
    struct scanned *s = new_built();
    struct fb *b = s->fb;
    uint8_t raw[(STATIC_HEAP_MAX_BANKS + 1U) * 16U];

    fb_begin(b, "");
    fb_prop_u32(b, "#address-cells", ac);
    fb_prop_u32(b, "#size-cells", sc);
    /* (No RAM at all with cells nothing can read: the scan would stop.) */
    if ((ac == 2U) && (sc == 2U)) {
        fb_begin(b, "memory@40000000");
        fb_prop_str(b, "device_type", "memory");
        fb_prop_cells(b, "reg", 8, 0, (uint32_t)RAM0, 0, (uint32_t)RAM0_SIZE, 1, 0, 0,
                      (uint32_t)RAM1_SIZE);
        fb_end(b);
    } else if ((ac == 1U) && (sc == 1U)) {
        fb_begin(b, "memory@40000000");
        fb_prop_str(b, "device_type", "memory");
        fb_prop_cells(b, "reg", 2, (uint32_t)RAM0, (uint32_t)RAM0_SIZE);
        fb_end(b);
    } else {
        /* no memory node */
    }
    fb_begin(b, "chosen");
    fb_prop_u32(b, "#address-cells", 1);
    fb_prop_u32(b, "#size-cells", 1);
    if (n != 0U) {
        for (unsigned int i = 0U; i < n; i++) {
            fb_put32(&raw[i * 4U], cells[i]);
        }
        fb_prop(b, "xen,static-heap", raw, n * 4U);
    }
    fb_begin(b, "module@47000000");
    fb_prop_strs(b, "compatible", "multiboot,kernel", "multiboot,module", NULL);
    fb_prop_cells(b, "reg", 2, (uint32_t)MODULE, 0x100000);
    fb_end(b);
    fb_end(b);
    fb_end(b);
    assert_int_equal(scan_built(s), 0);
    return s;
}

static int scan(struct scanned *s, struct static_heap *sh, const char **why)
{
    fake_log_clear();
    return static_heap_scan(&s->bi, &owned, sh, why);
}

/* A tree that scans without a refusal: what the heap is then. */
struct good_case {
    uint32_t ac;                /* the root's cells */
    uint32_t sc;
    const uint32_t *cells;      /* /chosen's xen,static-heap (NULL: none) */
    unsigned int n;
    bool present;
    unsigned int nr_banks;
    struct boot_range banks[2]; /* sorted, as the scan leaves them */
};

static void scans_as_expected(void **state)
{
    const struct good_case *c = *state;
    struct scanned *s = tree(c->ac, c->sc, c->cells, c->n);
    struct static_heap sh;
    const char *why;
    uint64_t bytes = 0U;

    assert_int_equal(scan(s, &sh, &why), 0);
    assert_int_equal(sh.present, c->present);
    assert_int_equal(sh.nr_banks, c->nr_banks);
    assert_int_equal(sh.nr_refused, 0U);
    for (unsigned int i = 0U; i < c->nr_banks; i++) {
        assert_range(&sh.banks[i], c->banks[i].start, c->banks[i].size);
        bytes += c->banks[i].size;
    }
    assert_int_equal(static_heap_bytes(&sh), bytes);
    /* A good heap goes without a word. */
    assert_string_equal(fake_log(), "");
    free_scanned(s);
}

static const struct good_case absent = { 2U, 2U, NULL, 0U, false, 0U, { { 0U, 0U } } };

/* Xen's example shape: 2+2 cells from the root, banks sorted, an empty
 * bank skipped without a word. */
static const uint32_t root_cells[] = {
    1, 0x00000000, 0, 0x08000000,   /* RAM1, 128 MiB */
    0, 0x50000000, 0, 0x10000000,   /* RAM0 + 256 MiB, 256 MiB */
    0, 0x60000000, 0, 0,            /* empty */
};
static const struct good_case banks_in_root_cells = {
    2U, 2U, root_cells, 12U, true, 2U,
    { { 0x50000000ULL, 0x10000000ULL }, { RAM1, 0x08000000ULL } },
};

/* 1+1 root cells: /chosen's own cells are not the ones read. */
static const uint32_t one_cell[] = { 0x50000000, 0x01000000, 0x60000000, 0x02000000 };
static const struct good_case one_cell_root = {
    1U, 1U, one_cell, 4U, true, 2U,
    { { 0x50000000ULL, 0x01000000ULL }, { 0x60000000ULL, 0x02000000ULL } },
};

/* Each bad bank is reported with its range and reason and left out; the
 * good one stays. */
static void test_bad_banks_left_out(void **state)
{
    const uint32_t cells[] = {
        0, 0x00000000, 0, 0x00100000,   /* not RAM */
        0, 0x40100000, 0, 0x00200000,   /* over the hypervisor */
        0, 0x48000000, 0, 0x00001000,   /* over the DTB */
        0, 0x46f00000, 0, 0x00200000,   /* over the module */
        0, 0x7ff00000, 0, 0x00200000,   /* runs past the end of RAM0 */
        0, 0x50000000, 0, 0x01000000,   /* good */
        0, 0x50800000, 0, 0x01000000,   /* overlaps the good one */
        0xffffffff, 0xfffff000, 0, 0x2000, /* wraps */
    };
    struct scanned *s = tree(2U, 2U, cells, 32U);
    struct static_heap sh;
    const char *why;

    (void)state;
    assert_int_equal(scan(s, &sh, &why), 0);
    assert_int_equal(sh.nr_banks, 1U);
    assert_int_equal(sh.nr_refused, 7U);
    assert_range(&sh.banks[0], 0x50000000ULL, 0x01000000ULL);
    assert_true(fake_log_contains("/chosen/xen,static-heap: bank [0x0, +0x100000) is not in RAM: "
                                  "left out of the heap"));
    assert_true(fake_log_contains("bank [0x40100000, +0x200000) overlaps the hypervisor"));
    assert_true(fake_log_contains("bank [0x48000000, +0x1000) overlaps the boot device tree"));
    assert_true(fake_log_contains("bank [0x46f00000, +0x200000) overlaps a boot module"));
    assert_true(fake_log_contains("bank [0x7ff00000, +0x200000) is not in RAM"));
    assert_true(fake_log_contains("bank [0x50800000, +0x1000000) overlaps an earlier heap bank"));
    assert_true(fake_log_contains("bank [0xfffffffffffff000, +0x2000) wraps around"));
    free_scanned(s);
}

static void test_malformed_property(void **state)
{
    const uint32_t three[] = { 0, 0x50000000, 0 };
    const uint32_t ok[] = { 0, 0x50000000, 0, 0x1000000 };
    struct static_heap sh;
    const char *why = NULL;
    struct scanned *s = tree(2U, 2U, three, 3U);

    (void)state;
    assert_int_equal(scan(s, &sh, &why), -EINVAL);
    assert_true(sh.present);
    assert_non_null(strstr(why, "whole number"));
    free_scanned(s);
    /* Three address cells: nothing can read them. */
    s = tree(3U, 1U, ok, 4U);
    assert_int_equal(scan(s, &sh, &why), -EINVAL);
    assert_non_null(strstr(why, "#address-cells"));
    free_scanned(s);
}

static void test_too_many_banks(void **state)
{
    uint32_t cells[(STATIC_HEAP_MAX_BANKS + 1U) * 4U];
    struct scanned *s;
    struct static_heap sh;
    const char *why = NULL;

    (void)state;
    for (uint32_t i = 0U; i <= STATIC_HEAP_MAX_BANKS; i++) {
        cells[(i * 4U) + 0U] = 0U;
        cells[(i * 4U) + 1U] = 0x50000000U + (i * 0x100000U);
        cells[(i * 4U) + 2U] = 0U;
        cells[(i * 4U) + 3U] = 0x10000U;
    }
    s = tree(2U, 2U, cells, (STATIC_HEAP_MAX_BANKS + 1U) * 4U);
    assert_int_equal(scan(s, &sh, &why), -ENOSPC);
    assert_non_null(why);
    free_scanned(s);
}

/* Free ranges the boot allocator hands over, for the checks below. */
struct handed {
    paddr_t start[16];
    paddr_t end[16];
    unsigned int n;
};

static int record(paddr_t start, paddr_t end, void *arg)
{
    struct handed *h = arg;

    assert_true(h->n < 16U);
    h->start[h->n] = start;
    h->end[h->n] = end;
    h->n++;
    return 0;
}

/* RAM as setup does it (every bank, the image, DTB and module reserved),
 * then the heap's limit. */
static void ram_as_setup_leaves_it(const struct scanned *s, const struct static_heap *sh)
{
    bootmem_reset();
    for (uint32_t i = 0U; i < s->bi.nr_ram; i++) {
        assert_int_equal(bootmem_add_ram(s->bi.ram[i].start,
                                         s->bi.ram[i].start + s->bi.ram[i].size), 0);
    }
    assert_int_equal(bootmem_reserve(IMAGE, IMAGE + 0x200000ULL), 0);
    assert_int_equal(bootmem_reserve(DTB, DTB + 0x10000ULL), 0);
    assert_int_equal(bootmem_reserve(MODULE, MODULE + 0x100000ULL), 0);
    assert_int_equal(static_heap_reserve_rest(&s->bi, sh), 0);
}

/* After ram_as_setup_leaves_it, only the banks are free, boot allocations come
 * from them, and the handover gives exactly what is left of them. */
static void test_boot_allocator_kept_to_banks(void **state)
{
    const uint32_t cells[] = {
        0, 0x50000000, 0, 0x01000000,   /* 16 MiB in RAM0 */
        1, 0x00000000, 0, 0x00800000,   /* 8 MiB at the start of RAM1 */
        0, 0x47000000, 0, 0x00100000,   /* the module: left out */
    };
    struct scanned *s = tree(2U, 2U, cells, 12U);
    struct static_heap sh;
    struct handed h = { 0 };
    const char *why;
    paddr_t pa = 0U;

    (void)state;
    assert_int_equal(scan(s, &sh, &why), 0);
    assert_int_equal(sh.nr_banks, 2U);
    ram_as_setup_leaves_it(s, &sh);
    assert_int_equal(bootmem_free_bytes(), 0x01800000ULL);
    /* Highest first: the top of RAM1's bank. */
    assert_int_equal(bootmem_alloc(0x2000U, 0U, &pa), 0);
    assert_int_equal(pa, RAM1 + 0x00800000ULL - 0x2000ULL);
    /* More than the largest bank holds: nothing else of RAM is there. */
    assert_int_equal(bootmem_alloc(0x01000001U, 0U, &pa), -ENOMEM);
    assert_int_equal(bootmem_handover(record, &h), 0);
    assert_int_equal(h.n, 2U);
    assert_int_equal(h.start[0], 0x50000000ULL);
    assert_int_equal(h.end[0], 0x51000000ULL);
    assert_int_equal(h.start[1], RAM1);
    assert_int_equal(h.end[1], RAM1 + 0x00800000ULL - 0x2000ULL);
    free_scanned(s);
}

/* A bank that is not page aligned is rounded inwards, and a warning says
 * it is not 64 KiB aligned as the binding asks. */
static void test_unaligned_bank(void **state)
{
    const uint32_t cells[] = { 0, 0x50000800, 0, 0x00010000 };
    struct scanned *s = tree(2U, 2U, cells, 4U);
    struct static_heap sh;
    const char *why;

    (void)state;
    assert_int_equal(scan(s, &sh, &why), 0);
    assert_true(fake_log_contains("is not 64 KiB aligned"));
    ram_as_setup_leaves_it(s, &sh);
    assert_int_equal(bootmem_free_bytes(), 0x10000ULL - 0x1000ULL);
    free_scanned(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        { "test_absent", scans_as_expected, NULL, NULL, (void *)&absent },
        { "test_banks_in_root_cells", scans_as_expected, NULL, NULL,
          (void *)&banks_in_root_cells },
        { "test_one_cell_root", scans_as_expected, NULL, NULL, (void *)&one_cell_root },
        cmocka_unit_test(test_bad_banks_left_out),
        cmocka_unit_test(test_malformed_property),
        cmocka_unit_test(test_too_many_banks),
        cmocka_unit_test(test_boot_allocator_kept_to_banks),
        cmocka_unit_test(test_unaligned_bank),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
