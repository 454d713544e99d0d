/* Event channels, the FIFO ABI: EVTCHNOP_init_control and expand_array
 * (checks, pinning), queue linking, READY bits, priorities, masking and
 * unmask, events raised before their array page exists, switching from
 * 2-level with ports bound, reset back to 2-level, and guests that corrupt
 * their own words (alone and from a concurrent thread). */
#define EVTCHN_TEST_MAIN
#include "evtchn_env.c"
#include <pthread.h>

#define CB_PAGE   1U        /* control blocks of vCPU 0 (offset 0) and 1 (offset 128) */
#define ARRAY_PG0 4U        /* event array pages */
#define ARRAY_PG1 5U

#define P_BIT(b) (1U << (b))
#define PENDING  P_BIT(EVTCHN_FIFO_PENDING)
#define MASKED   P_BIT(EVTCHN_FIFO_MASKED)
#define LINKED   P_BIT(EVTCHN_FIFO_LINKED)
#define BUSY     P_BIT(EVTCHN_FIFO_BUSY)

static long init_control(unsigned int id, uint64_t gfn, uint32_t offset, uint32_t vcpu,
                         uint8_t *link_bits)
{
    struct evtchn_init_control ic = { .control_gfn = gfn, .offset = offset, .vcpu = vcpu };
    long rc = evop(id, EVTCHNOP_init_control, &ic, sizeof(ic));

    if (link_bits != NULL) {
        *link_bits = ic.link_bits;
    }
    return rc;
}

static long expand(unsigned int id, uint64_t gfn)
{
    struct evtchn_expand_array ea = { .array_gfn = gfn };

    return evop(id, EVTCHNOP_expand_array, &ea, sizeof(ea));
}

static struct evtchn_fifo_control_block *cb(unsigned int id, unsigned int vcpu)
{
    return gmem(id, CB_PAGE, vcpu * 128U);
}

static event_word_t *word(unsigned int id, uint32_t port)
{
    return gmem(id, ARRAY_PG0 + port / 1024U, (port % 1024U) * 4U);
}

static struct page_info *frame(unsigned int id, unsigned int pg)
{
    return dom_page_frame(id, pg);
}

/* Domain 1 on FIFO with both control blocks and one array page. */
static void fifo_on(unsigned int id)
{
    uint8_t lb = 0U;

    assert_int_equal(init_control(id, GFN(CB_PAGE), 0U, 0U, &lb), 0);
    assert_int_equal(lb, EVTCHN_FIFO_LINK_BITS);
    if (D(id)->max_vcpus > 1U) {
        assert_int_equal(init_control(id, GFN(CB_PAGE), 128U, 1U, NULL), 0);
    }
    assert_int_equal(expand(id, GFN(ARRAY_PG0)), 0);
}

static void test_init_control_checks(void **state)
{
    (void)state;
    assert_int_equal(expand(1U, GFN(ARRAY_PG0)), -EOPNOTSUPP);
    assert_int_equal(set_priority(1U, 100U, 3U), -EINVAL); /* bad port first */
    assert_int_equal(bind_ipi(1U, 0U, NULL), 0);
    assert_int_equal(set_priority(1U, 1U, 3U), -ENOSYS);   /* 2-level */
    assert_int_equal(init_control(1U, GFN(CB_PAGE), 0U, 2U, NULL), -ENOENT);
    assert_int_equal(init_control(1U, GFN(CB_PAGE), 4096U - 72U + 8U, 0U, NULL), -EINVAL);
    assert_int_equal(init_control(1U, GFN(CB_PAGE), 0xffffffffU, 0U, NULL), -EINVAL);
    assert_int_equal(init_control(1U, GFN(CB_PAGE), 4U, 0U, NULL), -EINVAL);
    assert_int_equal(init_control(1U, GFN(DOM_PAGES), 0U, 0U, NULL), -EINVAL);  /* not RAM */
    assert_int_equal(init_control(1U, ~0ULL, 0U, 0U, NULL), -EINVAL);
    assert_null(D(1U)->evtchn->fifo);           /* still 2-level */
    assert_int_equal(init_control(1U, GFN(CB_PAGE), 4096U - 72U, 0U, NULL), 0);
    assert_int_equal(frame(1U, CB_PAGE)->u.guest.pins, 1U);
    assert_int_equal(init_control(1U, GFN(CB_PAGE), 0U, 0U, NULL), -EINVAL);   /* twice */
    assert_int_equal(init_control(1U, GFN(CB_PAGE), 128U, 1U, NULL), 0);
    assert_int_equal(frame(1U, CB_PAGE)->u.guest.pins, 2U);
    assert_int_equal(expand(1U, GFN(DOM_PAGES + 3U)), -EINVAL);
    assert_int_equal(expand(1U, GFN(ARRAY_PG0)), 0);
    assert_int_equal(frame(1U, ARRAY_PG0)->u.guest.pins, 1U);
    assert_int_equal(set_priority(1U, 1U, 16U), -EINVAL);
    assert_int_equal(set_priority(1U, 2U, 3U), -EACCES);    /* free */
    assert_int_equal(set_priority(1U, 0U, 3U), -EACCES);    /* reserved */
    assert_int_equal(set_priority(1U, 1U, 15U), 0);
}

static void test_expand_limit(void **state)
{
    (void)state;
    fifo_on(0U);
    /* 128 pages: the same guest page may be given again, each is pinned. */
    for (unsigned int i = 1U; i < 128U; i++) {
        assert_int_equal(expand(0U, GFN(ARRAY_PG1)), 0);
    }
    assert_int_equal(expand(0U, GFN(ARRAY_PG1)), -ENOSPC);
    assert_int_equal(frame(0U, ARRAY_PG1)->u.guest.pins, 127U);
    assert_int_equal(D(0U)->evtchn->fifo->nr_words, EVTCHN_FIFO_NR_CHANNELS);
}

static void test_fifo_queue_linking(void **state)
{
    uint32_t a;
    uint32_t b;
    uint32_t c;

    (void)state;
    fifo_on(1U);
    assert_int_equal(bind_ipi(1U, 0U, &a), 0);
    assert_int_equal(bind_ipi(1U, 0U, &b), 0);
    assert_int_equal(bind_ipi(1U, 0U, &c), 0);
    assert_int_equal(evsend(1U, a), 0);
    assert_int_equal(*word(1U, a), PENDING | LINKED);
    assert_int_equal(cb(1U, 0U)->head[EVTCHN_FIFO_PRIORITY_DEFAULT], a);
    assert_int_equal(cb(1U, 0U)->ready, P_BIT(EVTCHN_FIFO_PRIORITY_DEFAULT));
    assert_int_equal(marks(1U, 0U), 1U);
    assert_true(evtchn_port_is_pending(D(1U), a));
    /* The next one is linked behind a; the queue was not empty: no upcall. */
    assert_int_equal(evsend(1U, b), 0);
    assert_int_equal(*word(1U, a), PENDING | LINKED | b);
    assert_int_equal(*word(1U, b), PENDING | LINKED);
    assert_int_equal(marks(1U, 0U), 1U);
    /* Sending a pending port again changes nothing. */
    assert_int_equal(evsend(1U, a), 0);
    assert_int_equal(*word(1U, a), PENDING | LINKED | b);
    /* The guest consumed everything (unlinked b): c starts a new queue. */
    *word(1U, a) = 0U;
    *word(1U, b) = 0U;
    cb(1U, 0U)->ready = 0U;
    assert_int_equal(evsend(1U, c), 0);
    assert_int_equal(cb(1U, 0U)->head[EVTCHN_FIFO_PRIORITY_DEFAULT], c);
    assert_int_equal(*word(1U, b), 0U);
    assert_int_equal(marks(1U, 0U), 2U);
    /* Close clears PENDING but leaves the link to the guest; a still
     * LINKED word makes the port busy for allocation. */
    assert_int_equal(evclose(1U, c), 0);
    assert_int_equal(*word(1U, c), LINKED);
    assert_int_equal(bind_ipi(1U, 0U, &a), 0);
    assert_int_equal(a, c + 1U);
    *word(1U, c) = 0U;          /* the guest unlinked it: usable again */
    assert_int_equal(bind_ipi(1U, 0U, &a), 0);
    assert_int_equal(a, c);
}

static void test_fifo_priorities_and_vcpus(void **state)
{
    uint32_t lo;
    uint32_t hi;
    uint32_t v1;

    (void)state;
    fifo_on(1U);
    assert_int_equal(bind_ipi(1U, 0U, &lo), 0);
    assert_int_equal(bind_ipi(1U, 0U, &hi), 0);
    assert_int_equal(bind_ipi(1U, 1U, &v1), 0);
    assert_int_equal(set_priority(1U, hi, EVTCHN_FIFO_PRIORITY_MAX), 0);
    assert_int_equal(evsend(1U, lo), 0);
    assert_int_equal(evsend(1U, hi), 0);
    assert_int_equal(cb(1U, 0U)->head[0], hi);
    assert_int_equal(cb(1U, 0U)->head[7], lo);
    assert_int_equal(cb(1U, 0U)->ready, P_BIT(0U) | P_BIT(7U));
    assert_int_equal(marks(1U, 0U), 2U);
    assert_int_equal(evsend(1U, v1), 0);
    assert_int_equal(cb(1U, 1U)->head[7], v1);
    assert_int_equal(cb(1U, 1U)->ready, P_BIT(7U));
    assert_int_equal(marks(1U, 1U), 1U);
    /* Moved to vCPU 1 once consumed: the old queue's tail is forgotten, so
     * a later event on vCPU 0 does not link behind it. */
    *word(1U, lo) = 0U;
    assert_int_equal(bind_vcpu(1U, lo, 1U), -EINVAL);   /* IPI: cannot move */
    uint32_t u;
    uint32_t peer;
    assert_int_equal(alloc_unbound(1U, DOMID_SELF, DOMID_SELF, &u), 0);
    assert_int_equal(bind_interdomain(1U, DOMID_SELF, u, &peer), 0);
    assert_int_equal(*word(1U, peer), PENDING | LINKED);    /* raised by bind */
    assert_int_equal(*word(1U, lo), 0U);
    *word(1U, peer) = 0U;
    assert_int_equal(bind_vcpu(1U, u, 1U), 0);
    assert_int_equal(evsend(1U, peer), 0);                  /* raises u on vCPU 1 */
    assert_int_equal(*word(1U, v1), PENDING | LINKED | u);
    *word(1U, u) = 0U;
    assert_int_equal(bind_vcpu(1U, u, 0U), 0);
    assert_int_equal(evsend(1U, peer), 0);
    assert_int_equal(*word(1U, v1), PENDING | LINKED | u);  /* unchanged */
}

static void test_fifo_masking_and_unmask(void **state)
{
    uint32_t p;

    (void)state;
    fifo_on(1U);
    assert_int_equal(bind_ipi(1U, 0U, &p), 0);
    *word(1U, p) = MASKED;
    V(1U, 0U)->polling = true;
    assert_int_equal(evsend(1U, p), 0);
    assert_int_equal(*word(1U, p), MASKED | PENDING);
    assert_int_equal(cb(1U, 0U)->ready, 0U);
    assert_int_equal(marks(1U, 0U), 0U);
    assert_int_equal(wakes(1U, 0U), 1U);      /* masked still ends a poll */
    assert_int_equal(evunmask(1U, p), 0);
    assert_int_equal(*word(1U, p), PENDING | LINKED);
    assert_int_equal(cb(1U, 0U)->head[7], p);
    assert_int_equal(marks(1U, 0U), 1U);
    /* Unmask of a port that is not pending: only the bit goes. */
    *word(1U, p) = MASKED;
    assert_int_equal(evunmask(1U, p), 0);
    assert_int_equal(*word(1U, p), 0U);
    assert_false(evtchn_port_is_pending(D(1U), p));
}

static void test_fifo_pending_before_page(void **state)
{
    uint32_t p = 0U;

    (void)state;
    fifo_on(0U);
    /* Ports past the first array page: allocation works, events wait. */
    for (unsigned int i = 1U; i <= 1030U; i++) {
        assert_int_equal(bind_ipi(0U, 0U, &p), 0);
    }
    assert_int_equal(p, 1030U);
    assert_int_equal(evsend(0U, 1030U), 0);
    assert_false(evtchn_port_is_pending(D(0U), 1030U));
    assert_int_equal(marks(0U, 0U), 0U);
    assert_int_equal(expand(0U, GFN(ARRAY_PG1)), 0);
    assert_int_equal(*word(0U, 1030U), PENDING | LINKED);
    assert_int_equal(cb(0U, 0U)->head[7], 1030U);
    assert_int_equal(marks(0U, 0U), 1U);
    /* FIFO lifts the 2-level limit. */
    for (unsigned int i = 1031U; i <= 5000U; i++) {
        assert_int_equal(bind_ipi(0U, 0U, &p), 0);
    }
    assert_int_equal(p, 5000U);
}

static void test_switch_from_2l_and_reset_back(void **state)
{
    uint32_t p;
    uint32_t q;

    (void)state;
    assert_int_equal(bind_ipi(1U, 0U, &p), 0);
    assert_int_equal(bind_ipi(1U, 0U, &q), 0);
    assert_int_equal(evsend(1U, p), 0);
    assert_true(l2_pending(1U, p));
    fifo_on(1U);
    /* The 2-level pending port is raised again once its word exists. */
    assert_int_equal(*word(1U, p), PENDING | LINKED);
    assert_int_equal(*word(1U, q), 0U);
    assert_int_equal(set_priority(1U, q, 2U), 0);
    assert_int_equal(evreset(1U, DOMID_SELF), 0);
    assert_null(D(1U)->evtchn->fifo);
    assert_int_equal(frame(1U, CB_PAGE)->u.guest.pins, 0U);
    assert_int_equal(frame(1U, ARRAY_PG0)->u.guest.pins, 0U);
    assert_int_equal(bind_ipi(1U, 0U, &p), 0);
    assert_int_equal(set_priority(1U, p, 2U), -ENOSYS);
    /* And FIFO can be set up again. */
    memset(gmem(1U, ARRAY_PG0, 0U), 0, 4096U);
    fifo_on(1U);
    assert_int_equal(evsend(1U, p), 0);
    assert_int_equal(*word(1U, p), PENDING | LINKED);
}

/* An event for a vCPU with no control block yet is not linked or
 * signalled, but stays PENDING in its word (as on Xen): once the vCPU has
 * its control block, the guest's unmask delivers it. */
static void test_fifo_no_control_block_keeps_pending(void **state)
{
    uint32_t p;

    (void)state;
    assert_int_equal(init_control(1U, GFN(CB_PAGE), 0U, 0U, NULL), 0);
    assert_int_equal(expand(1U, GFN(ARRAY_PG0)), 0);
    assert_int_equal(bind_ipi(1U, 1U, &p), 0);      /* vCPU 1 has no control block */
    assert_int_equal(evsend(1U, p), 0);
    assert_int_equal(*word(1U, p), PENDING);
    assert_int_equal(marks(1U, 1U), 0U);
    assert_int_equal(init_control(1U, GFN(CB_PAGE), 128U, 1U, NULL), 0);
    *word(1U, p) |= MASKED;
    assert_int_equal(evunmask(1U, p), 0);
    assert_int_equal(*word(1U, p), PENDING | LINKED);
    assert_int_equal(cb(1U, 1U)->head[7], p);
    assert_int_equal(marks(1U, 1U), 1U);
}

static void test_fifo_hostile_words(void **state)
{
    uint32_t a;
    uint32_t b;
    uint32_t c;

    (void)state;
    fifo_on(1U);
    assert_int_equal(bind_ipi(1U, 0U, &a), 0);
    assert_int_equal(bind_ipi(1U, 0U, &b), 0);
    assert_int_equal(bind_ipi(1U, 0U, &c), 0);
    assert_int_equal(evsend(1U, a), 0);
    /* The guest writes garbage into the tail's LINK: we overwrite it, never
     * follow it. */
    *word(1U, a) = PENDING | LINKED | EVTCHN_FIFO_LINK_MASK;
    assert_int_equal(evsend(1U, b), 0);
    assert_int_equal(*word(1U, a), PENDING | LINKED | b);
    /* The guest unlinked the tail behind our back: the queue is empty. */
    *word(1U, b) = PENDING;
    assert_int_equal(evsend(1U, c), 0);
    assert_int_equal(cb(1U, 0U)->head[7], c);
    /* Every word all ones: sends, closes, unmasks and allocations finish. */
    memset(gmem(1U, ARRAY_PG0, 0U), 0xff, 4096U);
    memset(cb(1U, 0U), 0xff, sizeof(struct evtchn_fifo_control_block));
    assert_int_equal(evsend(1U, a), 0);
    assert_int_equal(evunmask(1U, b), 0);
    assert_int_equal(evclose(1U, c), 0);
    /* Free ports whose word is LINKED are busy: allocation skips them all
     * and, as Xen, takes the first port of new storage (64). */
    assert_int_equal(bind_ipi(1U, 0U, &c), 0);
    assert_int_equal(c, 64U);
    /* The guest corrupts the control block's head pointers: only its own
     * page is written. */
    memset(gmem(1U, ARRAY_PG0, 0U), 0, 4096U);
    assert_int_equal(evsend(1U, a), 0);
    assert_int_equal(cb(1U, 0U)->head[7], a);
}

struct flipper {
    volatile bool stop;
    event_word_t *words;
    unsigned long flips;
};

/* A guest vCPU on another CPU toggling MASKED, PENDING, LINKED and LINK
 * bits of every word as fast as it can. */
static void *flip(void *arg)
{
    struct flipper *f = arg;
    uint32_t x = 12345U;

    while (!f->stop) {
        for (unsigned int i = 0U; i < 8U; i++) {
            x = x * 1103515245U + 12345U;
            __atomic_fetch_xor(&f->words[i], x & (MASKED | LINKED | PENDING | BUSY | 0x7U),
                               __ATOMIC_SEQ_CST);
        }
        f->flips++;
    }
    return NULL;
}

static void test_fifo_concurrent_guest(void **state)
{
    struct flipper f = { .stop = false, .words = NULL, .flips = 0U };
    pthread_t t;
    uint32_t p[4];

    (void)state;
    fifo_on(1U);
    for (unsigned int i = 0U; i < 4U; i++) {
        assert_int_equal(bind_ipi(1U, 0U, &p[i]), 0);
    }
    f.words = word(1U, 0U);
    assert_int_equal(pthread_create(&t, NULL, flip, &f), 0);
    for (unsigned int i = 0U; i < 20000U; i++) {
        assert_int_equal(evsend(1U, p[i % 4U]), 0);
        if ((i % 7U) == 0U) {
            assert_int_equal(evunmask(1U, p[(i / 7U) % 4U]), 0);
        }
    }
    f.stop = true;
    assert_int_equal(pthread_join(t, NULL), 0);
    /* Whatever the guest did, the queue heads name our ports only. */
    for (unsigned int i = 0U; i < 16U; i++) {
        assert_true(cb(1U, 0U)->head[i] <= p[3]);
    }
}

static void test_destroy_releases_pages(void **state)
{
    uint32_t rp;
    uint32_t lp;
    struct evtchn_status s;

    (void)state;
    fifo_on(1U);
    assert_int_equal(alloc_unbound(2U, DOMID_SELF, 1U, &rp), 0);
    assert_int_equal(bind_interdomain(1U, 2U, rp, &lp), 0);
    assert_int_equal(evsend(2U, rp), 0);
    assert_int_equal(*word(1U, lp), PENDING | LINKED);
    kill_domain(1U);
    assert_int_equal(frame(1U, CB_PAGE)->u.guest.pins, 0U);
    assert_int_equal(frame(1U, ARRAY_PG0)->u.guest.pins, 0U);
    assert_int_equal(evstatus(2U, DOMID_SELF, rp, &s), 0);
    assert_int_equal(s.status, EVTCHNSTAT_unbound);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_init_control_checks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_expand_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fifo_queue_linking, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fifo_priorities_and_vcpus, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fifo_masking_and_unmask, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fifo_pending_before_page, setup, teardown),
        cmocka_unit_test_setup_teardown(test_switch_from_2l_and_reset_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fifo_no_control_block_keeps_pending, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fifo_hostile_words, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fifo_concurrent_guest, setup, teardown),
        cmocka_unit_test_setup_teardown(test_destroy_releases_pages, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
