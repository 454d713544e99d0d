/* Stage-2 tables under random maps and unmaps, checked against a model of
 * what each guest frame should map to (and against the MMU's view). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <asm/p2m.h>
#include <proxenos/arch/mm.h>
#include <proxenos/bootmem.h>
#include <proxenos/errno.h>
#include <proxenos/lib.h>
#include <proxenos/page_alloc.h>
#include <fake_arch.h>
#include "fake_p2m_hw.h"
#include "p2m_env.h"

/* ---- Random operations against a model ------------------------------------------ */

/* The model: what each guest frame of a window maps to (0: nothing). The
 * window starts 4 MiB below the 1 GiB line and covers that whole GiB, so
 * 4 KiB, 2 MiB and 1 GiB leaves all occur. */
#define WIN_START   (GFN_RAM0 - 1024U)
#define WIN_PAGES   (1024U + PAGES_1G)

struct model_entry {
    uint64_t mfn_nr;
    enum p2m_type type;
};

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;
/* What the random run exercised, so that it cannot pass by doing little. */
static unsigned int seen_enomem;
static unsigned int seen_1g;
static unsigned int seen_splits;

static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static void check_model_range(struct p2m_domain *p2m, const struct model_entry *model,
                              uint64_t first, uint64_t nr)
{
    uint64_t i;

    for (i = first; (i < first + nr) && (i < WIN_PAGES); i++) {
        mfn_t m = INVALID_MFN;
        enum p2m_type t = P2M_INVALID;
        int rc = p2m_lookup(p2m, gfn(WIN_START + i), &m, &t, NULL);

        if (model[i].type == P2M_INVALID) {
            assert_int_equal(rc, -ENOENT);
        } else {
            assert_int_equal(rc, 0);
            assert_int_equal(mfn_x(m), model[i].mfn_nr);
            assert_int_equal(t, model[i].type);
            assert_int_equal(hw_translate(p2m, WIN_START + i), model[i].mfn_nr << PAGE_SHIFT);
        }
    }
}

static void check_counts(struct p2m_domain *p2m, const struct model_entry *model)
{
    struct p2m_stats st = stats_of(p2m);
    uint64_t mapped = 0U;
    uint64_t i;

    for (i = 0U; i < WIN_PAGES; i++) {
        if (model[i].type != P2M_INVALID) {
            mapped++;
        }
    }
    assert_int_equal((st.leaves[1] * PAGES_1G) + (st.leaves[2] * PAGES_2M) + st.leaves[3],
                     mapped);
    assert_int_equal(paging_pool_total(&p2m->pool) - pool_free(p2m), st.tables);
}

static void random_op(struct p2m_domain *p2m, struct model_entry *model)
{
    static const uint64_t lengths[] = { 1U, 2U, 3U, 511U, 512U, 513U, 1024U, 1500U };
    static const enum p2m_type types[] = { P2M_RAM_RW, P2M_RAM_RO, P2M_MMIO_DEVICE };
    uint64_t kind = rng() % 16U;
    uint64_t first = rng() % WIN_PAGES;
    uint64_t nr = lengths[rng() % ARRAY_SIZE(lengths)];
    /* Mostly co-aligned host frames (blocks possible), sometimes not. */
    uint64_t delta = ((rng() % 4U) == 0U) ? 0x100001U : 0x100000U;
    enum p2m_type t = types[rng() % ARRAY_SIZE(types)];
    uint64_t free_before = pool_free(p2m);
    uint64_t i;
    int rc;

    if (kind == 0U) {
        /* The whole GiB as one block, or all of it unmapped. */
        first = 1024U;
        nr = PAGES_1G;
    }
    if ((first + nr) > WIN_PAGES) {
        nr = WIN_PAGES - first;
    }
    if ((kind % 2U) == 0U) {
        rc = p2m_map(p2m, gfn(WIN_START + first), mfn(WIN_START + first + delta), nr, t);
    } else {
        rc = p2m_unmap(p2m, gfn(WIN_START + first), nr);
    }
    if (rc == -ENOMEM) {
        seen_enomem++;
        assert_int_equal(pool_free(p2m), free_before);
    } else {
        assert_int_equal(rc, 0);
        for (i = first; i < first + nr; i++) {
            if ((kind % 2U) == 0U) {
                model[i].mfn_nr = WIN_START + i + delta;
                model[i].type = t;
            } else {
                model[i].type = P2M_INVALID;
            }
        }
    }
    /* The range and a margin around it (blocks split or freed nearby). */
    check_model_range(p2m, model, (first > 600U) ? first - 600U : 0U, nr + 1200U);
    check_counts(p2m, model);
    if (stats_of(p2m).leaves[1] != 0U) {
        seen_1g++;
    }
}

static void test_random_against_model(void **state)
{
    static const uint64_t pools[] = { 0U, 1U, 2U, 3U, 5U, 64U };
    struct p2m_domain *p2m = &doms[0];
    struct model_entry *model = calloc(WIN_PAGES, sizeof(*model));
    uint64_t before = heap_free();
    unsigned int round;
    unsigned int op;

    (void)state;
    assert_non_null(model);
    for (round = 0U; round < ARRAY_SIZE(pools); round++) {
        memset(model, 0, WIN_PAGES * sizeof(*model));
        assert_int_equal(p2m_init(p2m, pools[round]), 0);
        for (op = 0U; op < 150U; op++) {
            random_op(p2m, model);
        }
        check_model_range(p2m, model, 0U, WIN_PAGES);
        seen_splits += (unsigned int)stats_of(p2m).splits;
        /* Unmapping everything gives every table back. */
        assert_int_equal(p2m_unmap(p2m, gfn(WIN_START), WIN_PAGES), 0);
        assert_int_equal(stats_of(p2m).tables, 0);
        assert_int_equal(pool_free(p2m), pools[round]);
        p2m_destroy(p2m);
        assert_int_equal(heap_free(), before);
    }
    free(model);
    print_message("random p2m ops: %u refused for lack of pool, %u with a 1 GiB block, "
                  "%u splits\n", seen_enomem, seen_1g, seen_splits);
    assert_true(seen_enomem > 10U);
    assert_true(seen_1g > 10U);
    assert_true(seen_splits > 10U);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_random_against_model, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
