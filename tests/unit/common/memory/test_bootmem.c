/* Boot allocator: RAM and reserved range bookkeeping, allocation from the
 * top, and the handover to the page allocator. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <proxenos/bootmem.h>
#include <proxenos/errno.h>
#include <proxenos/lib.h>
#include <fake_arch.h>

#define RAM0 0x40000000ULL

struct seen {
    paddr_t start[2U * BOOTMEM_MAX_RANGES];
    paddr_t end[2U * BOOTMEM_MAX_RANGES];
    unsigned int n;
};

static int record(paddr_t start, paddr_t end, void *arg)
{
    struct seen *s = arg;

    s->start[s->n] = start;
    s->end[s->n] = end;
    s->n++;
    return 0;
}

/* The free ranges, obtained the only way there is: by handing over. */
static void handover(struct seen *s)
{
    s->n = 0U;
    assert_int_equal(bootmem_handover(record, s), 0);
}

static void assert_free_range(const struct seen *s, unsigned int i, paddr_t start, paddr_t end)
{
    assert_true(i < s->n);
    assert_int_equal(s->start[i], start);
    assert_int_equal(s->end[i], end);
}

static void assert_bank(unsigned int i, paddr_t start, paddr_t end)
{
    paddr_t s;
    paddr_t e;

    assert_int_equal(bootmem_ram_range(i, &s, &e), 0);
    assert_int_equal(s, start);
    assert_int_equal(e, end);
}

static int setup(void **state)
{
    (void)state;
    fake_reset();
    bootmem_reset();
    return 0;
}

static void test_ram_rounds_inwards(void **state)
{
    (void)state;
    assert_int_equal(bootmem_add_ram(RAM0 + 0x100U, RAM0 + 0x3f00U), 0);
    assert_int_equal(bootmem_ram_count(), 1);
    assert_bank(0, RAM0 + 0x1000U, RAM0 + 0x3000U);
    /* Less than a whole page: ignored, not an error. */
    assert_int_equal(bootmem_add_ram(RAM0 + 0x10100U, RAM0 + 0x10f00U), 0);
    assert_int_equal(bootmem_add_ram(RAM0 + 0x20000U, RAM0 + 0x20000U), 0);
    assert_int_equal(bootmem_add_ram(UINT64_MAX - 0x10U, UINT64_MAX), 0);
    assert_int_equal(bootmem_ram_count(), 1);
    assert_int_equal(bootmem_add_ram(RAM0 + 0x2000U, RAM0 + 0x1000U), -EINVAL);
    assert_int_equal(bootmem_free_bytes(), 0x2000U);
    assert_int_equal(bootmem_ram_range(1, &(paddr_t){ 0 }, &(paddr_t){ 0 }), -ENOENT);
}

static void test_ram_merges_and_sorts(void **state)
{
    (void)state;
    assert_int_equal(bootmem_add_ram(0x80000000ULL, 0x80100000ULL), 0);
    assert_int_equal(bootmem_add_ram(RAM0, RAM0 + MiB(1)), 0);
    /* Adjacent to the first bank, then overlapping the second. */
    assert_int_equal(bootmem_add_ram(RAM0 + MiB(1), RAM0 + MiB(2)), 0);
    assert_int_equal(bootmem_add_ram(0x7ff00000ULL, 0x80080000ULL), 0);
    assert_int_equal(bootmem_ram_count(), 2);
    assert_bank(0, RAM0, RAM0 + MiB(2));
    assert_bank(1, 0x7ff00000ULL, 0x80100000ULL);
    /* One range covering both swallows them. */
    assert_int_equal(bootmem_add_ram(RAM0 - MiB(1), 0x90000000ULL), 0);
    assert_int_equal(bootmem_ram_count(), 1);
    assert_bank(0, RAM0 - MiB(1), 0x90000000ULL);
}

static void test_reserve_rounds_outwards(void **state)
{
    struct seen s;

    (void)state;
    assert_int_equal(bootmem_add_ram(RAM0, RAM0 + MiB(1)), 0);
    assert_int_equal(bootmem_reserve(RAM0 + 0x1800U, RAM0 + 0x2001U), 0);
    assert_int_equal(bootmem_free_bytes(), MiB(1) - 0x2000U);
    handover(&s);
    assert_int_equal(s.n, 2);
    assert_free_range(&s, 0, RAM0, RAM0 + 0x1000U);
    assert_free_range(&s, 1, RAM0 + 0x3000U, RAM0 + MiB(1));
}

static void test_reserve_edges_and_overlaps(void **state)
{
    struct seen s;

    (void)state;
    assert_int_equal(bootmem_add_ram(RAM0, RAM0 + MiB(4)), 0);
    /* Covering the start and the end of the bank. */
    assert_int_equal(bootmem_reserve(RAM0 - MiB(1), RAM0 + 0x1000U), 0);
    assert_int_equal(bootmem_reserve(RAM0 + MiB(4) - 0x1000U, RAM0 + MiB(8)), 0);
    /* Two overlapping and one adjacent reservation in the middle. */
    assert_int_equal(bootmem_reserve(RAM0 + MiB(1), RAM0 + MiB(1) + 0x5000U), 0);
    assert_int_equal(bootmem_reserve(RAM0 + MiB(1) + 0x3000U, RAM0 + MiB(1) + 0x8000U), 0);
    assert_int_equal(bootmem_reserve(RAM0 + MiB(1) + 0x8000U, RAM0 + MiB(1) + 0x9000U), 0);
    /* Wholly outside RAM, and empty. */
    assert_int_equal(bootmem_reserve(0x10000000ULL, 0x10001000ULL), 0);
    assert_int_equal(bootmem_reserve(RAM0 + MiB(2), RAM0 + MiB(2)), 0);
    assert_int_equal(bootmem_reserve(RAM0 + 0x2000U, RAM0 + 0x1000U), -EINVAL);
    assert_int_equal(bootmem_reserve(0x1000U, UINT64_MAX), -ERANGE);
    handover(&s);
    assert_int_equal(s.n, 2);
    assert_free_range(&s, 0, RAM0 + 0x1000U, RAM0 + MiB(1));
    assert_free_range(&s, 1, RAM0 + MiB(1) + 0x9000U, RAM0 + MiB(4) - 0x1000U);
}

static void test_reserve_spanning_banks(void **state)
{
    struct seen s;

    (void)state;
    assert_int_equal(bootmem_add_ram(RAM0, RAM0 + MiB(2)), 0);
    assert_int_equal(bootmem_add_ram(RAM0 + MiB(4), RAM0 + MiB(6)), 0);
    assert_int_equal(bootmem_add_ram(RAM0 + MiB(8), RAM0 + MiB(10)), 0);
    /* From inside bank 0, across bank 1 and the gaps, into bank 2. */
    assert_int_equal(bootmem_reserve(RAM0 + MiB(1), RAM0 + MiB(9)), 0);
    assert_int_equal(bootmem_free_bytes(), MiB(2));
    handover(&s);
    assert_int_equal(s.n, 2);
    assert_free_range(&s, 0, RAM0, RAM0 + MiB(1));
    assert_free_range(&s, 1, RAM0 + MiB(9), RAM0 + MiB(10));
}

static void test_alloc_from_top(void **state)
{
    paddr_t a;
    paddr_t b;
    paddr_t c;

    (void)state;
    assert_int_equal(bootmem_add_ram(RAM0, RAM0 + MiB(16)), 0);
    assert_int_equal(bootmem_add_ram(0x80000000ULL, 0x80000000ULL + MiB(4)), 0);
    assert_int_equal(bootmem_alloc(0x1000U, 0, &a), 0);
    assert_int_equal(a, 0x80000000ULL + MiB(4) - 0x1000U);
    /* Unaligned size rounds up to pages; the next one sits just below. */
    assert_int_equal(bootmem_alloc(0x1800U, PAGE_SIZE, &b), 0);
    assert_int_equal(b, a - 0x2000U);
    /* A 2 MiB aligned block skips down to the next 2 MiB boundary. */
    assert_int_equal(bootmem_alloc(MiB(1), MiB(2), &c), 0);
    assert_int_equal(c, 0x80000000ULL + MiB(2));
    assert_int_equal(bootmem_allocated_bytes(), 0x3000U + MiB(1));
    assert_int_equal(bootmem_free_bytes(), MiB(20) - 0x3000U - MiB(1));
    /* Too big for the high bank: comes from the top of the low one. */
    assert_int_equal(bootmem_alloc(MiB(3), 0, &a), 0);
    assert_int_equal(a, RAM0 + MiB(13));
}

static void test_alloc_skips_small_holes(void **state)
{
    paddr_t a;

    (void)state;
    assert_int_equal(bootmem_add_ram(RAM0, RAM0 + MiB(8)), 0);
    /* Leave a 64 KiB hole at the top, then a reservation. */
    assert_int_equal(bootmem_reserve(RAM0 + MiB(6), RAM0 + MiB(8) - KiB(64)), 0);
    assert_int_equal(bootmem_alloc(KiB(128), 0, &a), 0);
    assert_int_equal(a, RAM0 + MiB(6) - KiB(128));
    assert_int_equal(bootmem_alloc(KiB(64), 0, &a), 0);
    assert_int_equal(a, RAM0 + MiB(8) - KiB(64));
}

static void test_alloc_errors_and_exhaustion(void **state)
{
    paddr_t a = 0;
    unsigned int i;

    (void)state;
    assert_int_equal(bootmem_alloc(0x1000U, 0, &a), -ENOMEM);   /* no RAM */
    assert_int_equal(bootmem_add_ram(RAM0, RAM0 + 0x10000U), 0);
    assert_int_equal(bootmem_alloc(0, 0, &a), -EINVAL);
    assert_int_equal(bootmem_alloc(0x1000U, 0x3000U, &a), -EINVAL);
    assert_int_equal(bootmem_alloc(0x1000U, 0, NULL), -EINVAL);
    assert_int_equal(bootmem_alloc(UINT64_MAX, 0, &a), -ENOMEM);
    assert_int_equal(bootmem_alloc(0x11000U, 0, &a), -ENOMEM);
    for (i = 0U; i < 16U; i++) {
        assert_int_equal(bootmem_alloc(0x1000U, 0, &a), 0);
        assert_int_equal(a, RAM0 + 0x10000U - ((uint64_t)(i + 1U) * 0x1000U));
    }
    assert_int_equal(bootmem_alloc(0x1000U, 0, &a), -ENOMEM);
    assert_int_equal(bootmem_free_bytes(), 0);
}

static void test_alloc_alignment_larger_than_bank(void **state)
{
    paddr_t a;

    (void)state;
    assert_int_equal(bootmem_add_ram(RAM0 + 0x1000U, RAM0 + MiB(2) - 0x1000U), 0);
    assert_int_equal(bootmem_alloc(0x1000U, MiB(2), &a), -ENOMEM);
    assert_int_equal(bootmem_alloc(0x1000U, MiB(1), &a), 0);
    assert_int_equal(a, RAM0 + MiB(1));
}

static void test_list_capacity(void **state)
{
    uint64_t i;

    (void)state;
    for (i = 0U; i < BOOTMEM_MAX_RANGES; i++) {
        assert_int_equal(bootmem_add_ram(RAM0 + (i * MiB(2)), RAM0 + (i * MiB(2)) + MiB(1)), 0);
    }
    assert_int_equal(bootmem_add_ram(0x10000000ULL, 0x10001000ULL), -ENOSPC);
    /* Merging into existing ranges needs no slot. */
    assert_int_equal(bootmem_add_ram(RAM0 + MiB(1), RAM0 + MiB(2)), 0);
    assert_int_equal(bootmem_ram_count(), BOOTMEM_MAX_RANGES - 1U);

    for (i = 0U; i < BOOTMEM_MAX_RANGES; i++) {
        assert_int_equal(bootmem_reserve(RAM0 + (i * MiB(2)), RAM0 + (i * MiB(2)) + 0x1000U), 0);
    }
    assert_int_equal(bootmem_reserve(0x10000000ULL, 0x10001000ULL), -ENOSPC);
    /* An allocation needs a reserved slot too (this one cannot merge). */
    assert_int_equal(bootmem_alloc(0x1000U, MiB(1), &(paddr_t){ 0 }), -ENOSPC);
}

static int fail_second(paddr_t start, paddr_t end, void *arg)
{
    unsigned int *calls = arg;

    (void)start;
    (void)end;
    (*calls)++;
    return (*calls == 2U) ? -ENOMEM : 0;
}

static void test_handover_closes(void **state)
{
    unsigned int calls = 0U;
    paddr_t a;

    (void)state;
    assert_int_equal(bootmem_add_ram(RAM0, RAM0 + MiB(1)), 0);
    assert_int_equal(bootmem_add_ram(RAM0 + MiB(2), RAM0 + MiB(3)), 0);
    assert_int_equal(bootmem_add_ram(RAM0 + MiB(4), RAM0 + MiB(5)), 0);
    assert_int_equal(bootmem_handover(fail_second, &calls), -ENOMEM);
    assert_int_equal(calls, 2);
    assert_int_equal(bootmem_handover(fail_second, &calls), -EBUSY);
    assert_int_equal(bootmem_add_ram(RAM0 + MiB(8), RAM0 + MiB(9)), -EBUSY);
    assert_int_equal(bootmem_reserve(RAM0, RAM0 + 0x1000U), -EBUSY);
    assert_int_equal(bootmem_alloc(0x1000U, 0, &a), -EBUSY);
    /* Queries still answer. */
    assert_int_equal(bootmem_ram_count(), 3);
    bootmem_reset();
    assert_int_equal(bootmem_add_ram(RAM0, RAM0 + MiB(1)), 0);
}

static void test_dump(void **state)
{
    (void)state;
    assert_int_equal(bootmem_add_ram(RAM0, RAM0 + MiB(1)), 0);
    assert_int_equal(bootmem_reserve(RAM0, RAM0 + 0x1000U), 0);
    bootmem_dump();
    assert_true(fake_log_contains("RAM: 1 range"));
    assert_true(fake_log_contains("reserved: 1 range"));
    assert_true(fake_log_contains("[0x0000000040001000, 0x0000000040100000) 1020 KiB"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_ram_rounds_inwards, setup),
        cmocka_unit_test_setup(test_ram_merges_and_sorts, setup),
        cmocka_unit_test_setup(test_reserve_rounds_outwards, setup),
        cmocka_unit_test_setup(test_reserve_edges_and_overlaps, setup),
        cmocka_unit_test_setup(test_reserve_spanning_banks, setup),
        cmocka_unit_test_setup(test_alloc_from_top, setup),
        cmocka_unit_test_setup(test_alloc_skips_small_holes, setup),
        cmocka_unit_test_setup(test_alloc_errors_and_exhaustion, setup),
        cmocka_unit_test_setup(test_alloc_alignment_larger_than_bank, setup),
        cmocka_unit_test_setup(test_list_capacity, setup),
        cmocka_unit_test_setup(test_handover_closes, setup),
        cmocka_unit_test_setup(test_dump, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
