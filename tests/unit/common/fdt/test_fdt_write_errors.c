/* Device tree writer, failures: every buffer size below the one needed
 * fails with -ENOSPC without writing past the buffer; misuse fails with
 * -EINVAL and every failure sticks. What it writes is in test_fdt_write.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <proxenos/errno.h>
#include <proxenos/fdt.h>
#include <proxenos/fdt_write.h>
#include <proxenos/lib.h>
#include "fdt_write_sample.h"

#define GUARD_SIZE 64U
#define GUARD_BYTE 0xa5U

/* ---- Running out of space ------------------------------------------------------------- */

static void test_enospc_at_every_size(void **state)
{
    uint32_t need;
    const uint8_t *ref = full_blob(&need);
    uint32_t s;

    (void)state;
    for (s = 0; s <= need + 8U; s++) {
        uint8_t *buf = malloc((size_t)s + GUARD_SIZE);
        struct fdt_writer w;
        int rc;
        uint32_t i;

        assert_non_null(buf);
        memset(buf, GUARD_BYTE, (size_t)s + GUARD_SIZE);
        rc = build_full(&w, buf, s);
        for (i = 0; i < GUARD_SIZE; i++) {
            if (buf[s + i] != GUARD_BYTE) {
                fail_msg("size %u: wrote past the buffer at +%u", s, i);
            }
        }
        if (s < need) {
            if (rc != -ENOSPC) {
                fail_msg("size %u of %u: got %d, not -ENOSPC", s, need, rc);
            }
            assert_int_equal(fdt_writer_size(&w), 0);
            if (s >= 4U) {
                /* No stale or half-made header claims to be a blob. */
                assert_int_not_equal(fdt_be32(buf), FDT_MAGIC);
            }
        } else {
            struct fdt fdt;

            assert_int_equal(rc, 0);
            assert_int_equal(fdt_writer_size(&w), need);
            assert_memory_equal(buf, ref, need);
            check_blob(buf, s, &fdt);
        }
        free(buf);
    }
}

static void test_init_limits(void **state)
{
    uint8_t buf[FDT_WRITER_MIN_SIZE];
    struct fdt_writer w;

    (void)state;
    assert_int_equal(fdt_writer_init(&w, NULL, 100), -EINVAL);
    assert_int_equal(fdt_writer_begin_node(&w, ""), -EINVAL);
    assert_int_equal(fdt_writer_init(&w, buf, FDT_WRITER_MIN_SIZE - 1U), -ENOSPC);
    assert_int_equal(fdt_writer_begin_node(&w, ""), -ENOSPC);
    assert_int_equal(fdt_writer_finish(&w), -ENOSPC);
    assert_int_equal(fdt_writer_size(&w), 0);
    /* The minimum holds an empty root, but not a reservation as well. */
    assert_int_equal(fdt_writer_init(&w, buf, sizeof(buf)), 0);
    assert_int_equal(fdt_writer_add_reservation(&w, 0x1000U, 0x1000U), 0);
    assert_int_equal(fdt_writer_begin_node(&w, ""), -ENOSPC);
}

/* A string longer than the space left is not read to its end. */
static void test_long_string(void **state)
{
    uint8_t buf[128];
    char big[300];
    struct fdt_writer w;

    (void)state;
    memset(big, 'a', sizeof(big) - 1U);
    big[sizeof(big) - 1U] = '\0';
    assert_int_equal(fdt_writer_init(&w, buf, sizeof(buf)), 0);
    assert_int_equal(fdt_writer_begin_node(&w, ""), 0);
    assert_int_equal(fdt_writer_prop_string(&w, "s", big), -ENOSPC);
    assert_int_equal(fdt_writer_error(&w), -ENOSPC);
}

/* ---- Misuse ------------------------------------------------------------------------------- */

/* A writer with an open root node. */
static void open_root(struct fdt_writer *w, uint8_t *buf, size_t size)
{
    assert_int_equal(fdt_writer_init(w, buf, size), 0);
    assert_int_equal(fdt_writer_begin_node(w, ""), 0);
}

static void test_unbalanced_nodes(void **state)
{
    uint8_t buf[512];
    struct fdt_writer w;

    (void)state;
    /* Finish with a node still open. */
    open_root(&w, buf, sizeof(buf));
    assert_int_equal(fdt_writer_begin_node(&w, "a"), 0);
    assert_int_equal(fdt_writer_end_node(&w), 0);
    assert_int_equal(fdt_writer_finish(&w), -EINVAL);
    assert_int_equal(fdt_writer_size(&w), 0);
    assert_int_not_equal(fdt_be32(buf), FDT_MAGIC);

    /* One end too many. */
    open_root(&w, buf, sizeof(buf));
    assert_int_equal(fdt_writer_end_node(&w), 0);
    assert_int_equal(fdt_writer_end_node(&w), -EINVAL);
    assert_int_equal(fdt_writer_finish(&w), -EINVAL);

    /* A second root. */
    open_root(&w, buf, sizeof(buf));
    assert_int_equal(fdt_writer_end_node(&w), 0);
    assert_int_equal(fdt_writer_begin_node(&w, "x"), -EINVAL);

    /* No root at all. */
    assert_int_equal(fdt_writer_init(&w, buf, sizeof(buf)), 0);
    assert_int_equal(fdt_writer_finish(&w), -EINVAL);
    assert_int_equal(fdt_writer_init(&w, buf, sizeof(buf)), 0);
    assert_int_equal(fdt_writer_end_node(&w), -EINVAL);
}

static void test_calls_out_of_order(void **state)
{
    uint8_t buf[512];
    struct fdt_writer w;

    (void)state;
    /* A property before the root. */
    assert_int_equal(fdt_writer_init(&w, buf, sizeof(buf)), 0);
    assert_int_equal(fdt_writer_prop_u32(&w, "x", 1U), -EINVAL);

    /* A property after a child node. */
    open_root(&w, buf, sizeof(buf));
    assert_int_equal(fdt_writer_begin_node(&w, "a"), 0);
    assert_int_equal(fdt_writer_prop_u32(&w, "in-a", 1U), 0);
    assert_int_equal(fdt_writer_end_node(&w), 0);
    assert_int_equal(fdt_writer_prop_u32(&w, "late", 1U), -EINVAL);

    /* A reservation after the root. */
    open_root(&w, buf, sizeof(buf));
    assert_int_equal(fdt_writer_add_reservation(&w, 0x1000U, 0x1000U), -EINVAL);

    /* Nodes or other properties inside an open property; appends outside. */
    open_root(&w, buf, sizeof(buf));
    assert_int_equal(fdt_writer_prop_append(&w, "x", 1U), -EINVAL);
    open_root(&w, buf, sizeof(buf));
    assert_int_equal(fdt_writer_prop_end(&w), -EINVAL);
    open_root(&w, buf, sizeof(buf));
    assert_int_equal(fdt_writer_prop_begin(&w, "p"), 0);
    assert_int_equal(fdt_writer_begin_node(&w, "a"), -EINVAL);
    open_root(&w, buf, sizeof(buf));
    assert_int_equal(fdt_writer_prop_begin(&w, "p"), 0);
    assert_int_equal(fdt_writer_prop_u32(&w, "q", 1U), -EINVAL);
    open_root(&w, buf, sizeof(buf));
    assert_int_equal(fdt_writer_prop_begin(&w, "p"), 0);
    assert_int_equal(fdt_writer_end_node(&w), -EINVAL);
    open_root(&w, buf, sizeof(buf));
    assert_int_equal(fdt_writer_prop_begin(&w, "p"), 0);
    assert_int_equal(fdt_writer_prop_append(&w, NULL, 1U), -EINVAL);

    /* Anything after finish; the error then sticks. */
    open_root(&w, buf, sizeof(buf));
    assert_int_equal(fdt_writer_end_node(&w), 0);
    assert_int_equal(fdt_writer_finish(&w), 0);
    assert_int_equal(fdt_writer_finish(&w), -EINVAL);
    assert_int_equal(fdt_writer_set_boot_cpuid(&w, 1U), -EINVAL);
    assert_int_equal(fdt_writer_size(&w), 0);
}

static void test_errors_stick(void **state)
{
    uint8_t buf[512];
    struct fdt_writer w;

    (void)state;
    open_root(&w, buf, sizeof(buf));
    assert_int_equal(fdt_writer_begin_node(&w, "bad/name"), -EINVAL);
    /* Every later call, valid or not, reports the first failure. */
    assert_int_equal(fdt_writer_prop_u32(&w, "ok", 1U), -EINVAL);
    assert_int_equal(fdt_writer_begin_node(&w, "good"), -EINVAL);
    assert_int_equal(fdt_writer_end_node(&w), -EINVAL);
    assert_int_equal(fdt_writer_finish(&w), -EINVAL);
    assert_int_equal(fdt_writer_error(&w), -EINVAL);

    open_root(&w, buf, 80U);
    assert_int_equal(fdt_writer_prop_string(&w, "s", "too long for what is left"), -ENOSPC);
    assert_int_equal(fdt_writer_begin_node(&w, "bad/name"), -ENOSPC);
    assert_int_equal(fdt_writer_finish(&w), -ENOSPC);
}

static void expect_bad_node_name(const char *name)
{
    uint8_t buf[1024];
    struct fdt_writer w;

    open_root(&w, buf, sizeof(buf));
    assert_int_equal(fdt_writer_begin_node(&w, name), -EINVAL);
}

static void expect_bad_prop_name(const char *name)
{
    uint8_t buf[1024];
    struct fdt_writer w;

    open_root(&w, buf, sizeof(buf));
    assert_int_equal(fdt_writer_prop_empty(&w, name), -EINVAL);
}

static void test_bad_names(void **state)
{
    char longest[FDT_WRITER_NAME_MAX + 2U];
    uint8_t buf[1024];
    struct fdt_writer w;
    struct fdt fdt;

    (void)state;
    /* The root must be "". */
    assert_int_equal(fdt_writer_init(&w, buf, sizeof(buf)), 0);
    assert_int_equal(fdt_writer_begin_node(&w, "root"), -EINVAL);
    assert_int_equal(fdt_writer_init(&w, buf, sizeof(buf)), 0);
    assert_int_equal(fdt_writer_begin_node(&w, NULL), -EINVAL);

    expect_bad_node_name("");
    expect_bad_node_name(NULL);
    expect_bad_node_name("a/b");
    expect_bad_node_name("has space");
    expect_bad_node_name("tab\t");
    expect_bad_node_name("\x7f");
    expect_bad_node_name("\xc3\xa9");
    expect_bad_prop_name("");
    expect_bad_prop_name(NULL);
    expect_bad_prop_name("a b");

    /* FDT_WRITER_NAME_MAX characters are fine, one more is not. */
    memset(longest, 'n', sizeof(longest));
    longest[FDT_WRITER_NAME_MAX + 1U] = '\0';
    expect_bad_node_name(longest);
    expect_bad_prop_name(longest);
    longest[FDT_WRITER_NAME_MAX] = '\0';
    open_root(&w, buf, sizeof(buf));
    assert_int_equal(fdt_writer_begin_node(&w, longest), 0);
    assert_int_equal(fdt_writer_prop_empty(&w, longest), 0);
    /* '/' is allowed in property names (aliases use it in values only,
     * but the format does not care). */
    assert_int_equal(fdt_writer_prop_empty(&w, "a/b"), 0);
    assert_int_equal(fdt_writer_end_node(&w), 0);
    assert_int_equal(fdt_writer_end_node(&w), 0);
    assert_int_equal(fdt_writer_finish(&w), 0);
    check_blob(buf, fdt_writer_size(&w), &fdt);
    assert_non_null(fdt_getprop(&fdt, fdt_first_child(&fdt, fdt_root(&fdt)), longest, NULL));
}

static void test_cells_range(void **state)
{
    uint8_t buf[256];
    struct fdt_writer w;

    (void)state;
    open_root(&w, buf, sizeof(buf));
    assert_int_equal(fdt_writer_prop_begin(&w, "reg"), 0);
    assert_int_equal(fdt_writer_prop_append_cells(&w, 0xffffffffU, 1U), 0);
    assert_int_equal(fdt_writer_prop_append_cells(&w, 0U, 0U), 0);
    assert_int_equal(fdt_writer_prop_append_cells(&w, UINT64_MAX, 2U), 0);
    assert_int_equal(fdt_writer_prop_append_cells(&w, 0x100000000ULL, 1U), -ERANGE);

    open_root(&w, buf, sizeof(buf));
    assert_int_equal(fdt_writer_prop_begin(&w, "reg"), 0);
    assert_int_equal(fdt_writer_prop_append_cells(&w, 1U, 0U), -ERANGE);

    open_root(&w, buf, sizeof(buf));
    assert_int_equal(fdt_writer_prop_begin(&w, "reg"), 0);
    assert_int_equal(fdt_writer_prop_append_cells(&w, 1U, 3U), -EINVAL);

    open_root(&w, buf, sizeof(buf));
    assert_int_equal(fdt_writer_prop_cells(&w, "c", NULL, 1U), -EINVAL);
    open_root(&w, buf, sizeof(buf));
    assert_int_equal(fdt_writer_prop_stringlist(&w, "c", NULL, 1U), -EINVAL);
    open_root(&w, buf, sizeof(buf));
    assert_int_equal(fdt_writer_prop_string(&w, "c", NULL), -EINVAL);
}

static void test_bad_reservations(void **state)
{
    uint8_t buf[256];
    struct fdt_writer w;
    struct fdt fdt;
    uint64_t addr;
    uint64_t size;

    (void)state;
    /* A zero size would read as the end of the block. */
    assert_int_equal(fdt_writer_init(&w, buf, sizeof(buf)), 0);
    assert_int_equal(fdt_writer_add_reservation(&w, 0x1000U, 0U), -EINVAL);
    assert_int_equal(fdt_writer_init(&w, buf, sizeof(buf)), 0);
    assert_int_equal(fdt_writer_add_reservation(&w, UINT64_MAX - 0xfffU, 0x1000U), -EINVAL);
    /* Address 0 and a range ending just below 2^64 are fine. */
    assert_int_equal(fdt_writer_init(&w, buf, sizeof(buf)), 0);
    assert_int_equal(fdt_writer_add_reservation(&w, 0U, 0x1000U), 0);
    assert_int_equal(fdt_writer_add_reservation(&w, UINT64_MAX - 0x1000U, 0x1000U), 0);
    assert_int_equal(fdt_writer_begin_node(&w, ""), 0);
    assert_int_equal(fdt_writer_end_node(&w), 0);
    assert_int_equal(fdt_writer_finish(&w), 0);
    check_blob(buf, fdt_writer_size(&w), &fdt);
    assert_int_equal(fdt_rsv_count(&fdt), 2);
    assert_int_equal(fdt_rsv_entry(&fdt, 1, &addr, &size), 0);
    assert_int_equal(addr, UINT64_MAX - 0x1000U);
    assert_int_equal(size, 0x1000U);
}

/* Exactly as deep as the reader accepts, and no deeper. */
static void test_depth_limit(void **state)
{
    static uint8_t buf[4096];
    struct fdt_writer w;
    struct fdt fdt;
    unsigned int i;
    int node;
    int depth = 0;
    unsigned int deepest = 0;

    (void)state;
    open_root(&w, buf, sizeof(buf));
    for (i = 1; i < (unsigned int)FDT_MAX_DEPTH; i++) {
        assert_int_equal(fdt_writer_begin_node(&w, "n"), 0);
    }
    for (i = 0; i < (unsigned int)FDT_MAX_DEPTH; i++) {
        assert_int_equal(fdt_writer_end_node(&w), 0);
    }
    assert_int_equal(fdt_writer_finish(&w), 0);
    check_blob(buf, fdt_writer_size(&w), &fdt);
    assert_int_equal(fdt.nr_nodes, FDT_MAX_DEPTH);
    for (node = fdt_root(&fdt); node >= 0; node = fdt_next_node(&fdt, node, &depth)) {
        deepest = MAX(deepest, (unsigned int)depth);
    }
    assert_int_equal(deepest, FDT_MAX_DEPTH - 1);

    open_root(&w, buf, sizeof(buf));
    for (i = 1; i < (unsigned int)FDT_MAX_DEPTH; i++) {
        assert_int_equal(fdt_writer_begin_node(&w, "n"), 0);
    }
    assert_int_equal(fdt_writer_begin_node(&w, "n"), -EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_enospc_at_every_size),
        cmocka_unit_test(test_init_limits),
        cmocka_unit_test(test_long_string),
        cmocka_unit_test(test_unbalanced_nodes),
        cmocka_unit_test(test_calls_out_of_order),
        cmocka_unit_test(test_errors_stick),
        cmocka_unit_test(test_bad_names),
        cmocka_unit_test(test_cells_range),
        cmocka_unit_test(test_bad_reservations),
        cmocka_unit_test(test_depth_limit),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
