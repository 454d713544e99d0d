/* The vpl011's console-ring back end (arch/arm64/vpl011_ring.c): what the
 * guest's data register accesses and the back end's notifications do to
 * a struct xencons_interface and to FR and RIS, playing xenconsoled by
 * hand; and a hostile back end's indices, which must neither send the
 * hypervisor outside the page nor make it loop. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <asm/vpl011_ring.h>

#define OUT XENCONS_OUT_SIZE
#define IN  XENCONS_IN_SIZE

/* The ring page with guard bytes either side: nothing may touch them. */
static struct {
    uint8_t before[64];
    struct xencons_interface r;
    uint8_t after[64];
} page;
static struct vpl011_status st;

static int setup(void **state)
{
    (void)state;
    memset(&page, 0xa5, sizeof(page));
    memset(&page.r, 0, sizeof(page.r));
    vpl011_ring_reset(&st);
    return 0;
}

static void guards_intact(void)
{
    for (size_t i = 0U; i < sizeof(page.before); i++) {
        assert_int_equal(page.before[i], 0xa5U);
        assert_int_equal(page.after[i], 0xa5U);
    }
}

/* xenconsoled adding input. */
static void backend_puts(const char *s)
{
    for (size_t i = 0U; s[i] != '\0'; i++) {
        page.r.in[page.r.in_prod % IN] = s[i];
        page.r.in_prod++;
    }
}

static void test_reset(void **state)
{
    (void)state;
    assert_int_equal(st.fr, VPL011_FR_TXFE | VPL011_FR_RXFE);
    assert_int_equal(st.ris, 0U);
}

static void test_tx(void **state)
{
    (void)state;
    vpl011_ring_tx(&page.r, &st, 'h');
    vpl011_ring_tx(&page.r, &st, 'i');
    assert_int_equal(page.r.out_prod, 2U);
    assert_int_equal(page.r.out_cons, 0U);
    assert_memory_equal(page.r.out, "hi", 2U);
    /* Not empty any more; room for more: TX raised, not full. */
    assert_int_equal(st.fr & (VPL011_FR_TXFE | VPL011_FR_TXFF | VPL011_FR_BUSY), 0U);
    assert_int_equal(st.ris & VPL011_INT_TX, VPL011_INT_TX);
    /* The back end takes it all and notifies: empty again. */
    page.r.out_cons = 2U;
    vpl011_ring_notified(&page.r, &st);
    assert_int_equal(st.fr & VPL011_FR_TXFE, VPL011_FR_TXFE);
    guards_intact();
}

static void test_tx_full(void **state)
{
    (void)state;
    /* Up to half a FIFO short of full, TX stays raised. */
    for (uint32_t i = 0U; i < OUT - VPL011_FIFO_LEVEL; i++) {
        vpl011_ring_tx(&page.r, &st, (uint8_t)i);
    }
    assert_int_equal(st.ris & VPL011_INT_TX, VPL011_INT_TX);
    vpl011_ring_tx(&page.r, &st, 'x');
    assert_int_equal(st.ris & VPL011_INT_TX, 0U);
    assert_int_equal(st.fr & VPL011_FR_TXFF, 0U);
    while (page.r.out_prod < OUT) {
        vpl011_ring_tx(&page.r, &st, 'y');
    }
    /* Full: TXFF and BUSY; a byte written now is lost, nothing moves. */
    assert_int_equal(st.fr & (VPL011_FR_TXFF | VPL011_FR_BUSY), VPL011_FR_TXFF | VPL011_FR_BUSY);
    vpl011_ring_tx(&page.r, &st, 'z');
    assert_int_equal(page.r.out_prod, OUT);
    assert_int_equal((uint8_t)page.r.out[0], 0U);
    /* The back end takes a few bytes: not full, but TX only comes back
     * once half a FIFO fits. */
    page.r.out_cons = 4U;
    vpl011_ring_notified(&page.r, &st);
    assert_int_equal(st.fr & (VPL011_FR_TXFF | VPL011_FR_BUSY | VPL011_FR_TXFE), 0U);
    assert_int_equal(st.ris & VPL011_INT_TX, 0U);
    page.r.out_cons = VPL011_FIFO_LEVEL;
    vpl011_ring_notified(&page.r, &st);
    assert_int_equal(st.ris & VPL011_INT_TX, VPL011_INT_TX);
    /* The next byte wraps to the start of out[]. */
    vpl011_ring_tx(&page.r, &st, 'w');
    assert_int_equal(page.r.out[0], 'w');
    guards_intact();
}

static void test_tx_index_wrap(void **state)
{
    (void)state;
    /* Indices near 2^32 wrap like the back end's. */
    page.r.out_prod = 0xffffffffU;
    page.r.out_cons = 0xffffffffU;
    vpl011_ring_tx(&page.r, &st, 'a');
    vpl011_ring_tx(&page.r, &st, 'b');
    assert_int_equal(page.r.out_prod, 1U);
    assert_int_equal(page.r.out[OUT - 1U], 'a');
    assert_int_equal(page.r.out[0], 'b');
    guards_intact();
}

static void test_rx(void **state)
{
    (void)state;
    /* Nothing there: 0, and RX FIFO still empty. */
    assert_int_equal(vpl011_ring_rx(&page.r, &st), 0U);
    assert_int_equal(page.r.in_cons, 0U);
    backend_puts("ok");
    vpl011_ring_notified(&page.r, &st);
    assert_int_equal(st.fr & VPL011_FR_RXFE, 0U);
    /* Input waiting raises the timeout interrupt, not RX (that is for a
     * ring within half a FIFO of full). */
    assert_int_equal(st.ris & (VPL011_INT_RT | VPL011_INT_RX), VPL011_INT_RT);
    assert_int_equal(vpl011_ring_rx(&page.r, &st), 'o');
    assert_int_equal(st.ris & VPL011_INT_RT, VPL011_INT_RT);
    assert_int_equal(vpl011_ring_rx(&page.r, &st), 'k');
    assert_int_equal(page.r.in_cons, 2U);
    assert_int_equal(st.fr & VPL011_FR_RXFE, VPL011_FR_RXFE);
    assert_int_equal(st.ris & VPL011_INT_RT, 0U);
    guards_intact();
}

static void test_rx_full(void **state)
{
    (void)state;
    page.r.in_prod = IN;
    vpl011_ring_notified(&page.r, &st);
    assert_int_equal(st.fr & VPL011_FR_RXFF, VPL011_FR_RXFF);
    assert_int_equal(st.ris & (VPL011_INT_RT | VPL011_INT_RX), VPL011_INT_RT | VPL011_INT_RX);
    (void)vpl011_ring_rx(&page.r, &st);
    assert_int_equal(st.fr & VPL011_FR_RXFF, 0U);
    assert_int_equal(st.ris & VPL011_INT_RX, VPL011_INT_RX);
    while (page.r.in_cons < VPL011_FIFO_LEVEL + 1U) {
        (void)vpl011_ring_rx(&page.r, &st);
    }
    assert_int_equal(st.ris & VPL011_INT_RX, 0U);
    assert_int_equal(st.ris & VPL011_INT_RT, VPL011_INT_RT);
    guards_intact();
}

/* A hostile back end: indices far apart, backwards, or at the edges of
 * the index space. Each call moves at most one byte and stays inside
 * in[] and out[]. */
static void test_hostile_indices(void **state)
{
    static const uint32_t bad[] = { 0U, 1U, 0x7fffffffU, 0x80000000U, 0xfffffc00U,
                                    0xffffffffU, 1025U, 2049U, 5000U };

    (void)state;
    for (size_t i = 0U; i < sizeof(bad) / sizeof(bad[0]); i++) {
        for (size_t j = 0U; j < sizeof(bad) / sizeof(bad[0]); j++) {
            uint32_t before;

            page.r.in_prod = bad[i];
            page.r.in_cons = bad[j];
            page.r.out_prod = bad[j];
            page.r.out_cons = bad[i];
            vpl011_ring_notified(&page.r, &st);
            before = page.r.in_cons;
            (void)vpl011_ring_rx(&page.r, &st);
            assert_true((page.r.in_cons - before) <= 1U);
            before = page.r.out_prod;
            vpl011_ring_tx(&page.r, &st, 'q');
            assert_true((page.r.out_prod - before) <= 1U);
            /* A distance beyond the ring counts as full: no write. */
            if ((bad[j] - bad[i]) > OUT) {
                assert_int_equal(page.r.out_prod, before);
                assert_int_equal(st.fr & VPL011_FR_TXFE, 0U);
            }
        }
    }
    guards_intact();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_reset, setup),
        cmocka_unit_test_setup(test_tx, setup),
        cmocka_unit_test_setup(test_tx_full, setup),
        cmocka_unit_test_setup(test_tx_index_wrap, setup),
        cmocka_unit_test_setup(test_rx, setup),
        cmocka_unit_test_setup(test_rx_full, setup),
        cmocka_unit_test_setup(test_hostile_indices, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
