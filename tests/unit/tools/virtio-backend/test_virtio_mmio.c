/* The virtio-mmio register file of tools/virtio-backend as a driver drives
 * it: identification, feature negotiation (FEATURES_OK only for a subset
 * with VERSION_1), queue set-up refused or accepted by the device, queue
 * registers frozen while ready, notifications, the interrupt status and
 * line, reset, the config space, and accesses of odd sizes or places. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "virtio_abi.h"
#include "virtio_mmio.h"

static struct vmmio m;
static uint8_t config[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
static unsigned ready_calls, notified, resets, last_q;
static int ready_answer, irq_level;

static bool on_ready(void *opaque, unsigned q, bool ready)
{
    (void)opaque;
    (void)ready;
    ready_calls++;
    last_q = q;
    return ready_answer;
}

static void on_notify(void *opaque, unsigned q)
{
    (void)opaque;
    notified++;
    last_q = q;
}

static void on_reset(void *opaque)
{
    (void)opaque;
    resets++;
}

static void on_irq(void *opaque, int level)
{
    (void)opaque;
    irq_level = level;
}

static const struct vmmio_ops ops = { on_ready, on_notify, on_reset, on_irq };

#define FEATURES ((1ull << VIRTIO_F_VERSION_1) | (1ull << VIRTIO_F_INDIRECT_DESC) | 0x200u)

static int setup(void **state)
{
    (void)state;
    ready_calls = notified = resets = last_q = 0;
    ready_answer = 1;
    irq_level = -1;
    vmmio_init(&m, VIRTIO_ID_BLOCK, FEATURES, 2, 256, config, sizeof(config), &ops, NULL);
    return 0;
}

static uint32_t rd(uint64_t off)
{
    return (uint32_t)vmmio_read(&m, off, 4);
}

static void wr(uint64_t off, uint32_t v)
{
    vmmio_write(&m, off, 4, v);
}

static void test_identity(void **state)
{
    (void)state;
    assert_int_equal(rd(VMMIO_MAGIC), VMMIO_MAGIC_VALUE);
    assert_int_equal(rd(VMMIO_VERSION), 2);
    assert_int_equal(rd(VMMIO_DEVICE_ID), VIRTIO_ID_BLOCK);
    assert_int_equal(rd(VMMIO_SHM_LEN_LOW), 0xffffffffu);
    wr(VMMIO_DEVICE_FEATURES_SEL, 0);
    assert_int_equal(rd(VMMIO_DEVICE_FEATURES), (uint32_t)FEATURES);
    wr(VMMIO_DEVICE_FEATURES_SEL, 1);
    assert_int_equal(rd(VMMIO_DEVICE_FEATURES), (uint32_t)(FEATURES >> 32));
    wr(VMMIO_DEVICE_FEATURES_SEL, 2);
    assert_int_equal(rd(VMMIO_DEVICE_FEATURES), 0);
}

static void negotiate(uint64_t want)
{
    wr(VMMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
    wr(VMMIO_DRIVER_FEATURES_SEL, 0);
    wr(VMMIO_DRIVER_FEATURES, (uint32_t)want);
    wr(VMMIO_DRIVER_FEATURES_SEL, 1);
    wr(VMMIO_DRIVER_FEATURES, (uint32_t)(want >> 32));
    wr(VMMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK);
}

static void test_features_ok(void **state)
{
    (void)state;
    negotiate(FEATURES);
    assert_true(rd(VMMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK);
    assert_true(vmmio_negotiated(&m, VIRTIO_F_INDIRECT_DESC));
    /* Fixed from now on. */
    wr(VMMIO_DRIVER_FEATURES_SEL, 0);
    wr(VMMIO_DRIVER_FEATURES, 0);
    assert_true(vmmio_negotiated(&m, VIRTIO_F_INDIRECT_DESC));
}

static void test_features_refused(void **state)
{
    (void)state;
    /* No VERSION_1: a legacy driver, which this device does not serve. */
    negotiate(1ull << VIRTIO_F_INDIRECT_DESC);
    assert_false(rd(VMMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK);
    /* A feature that was not offered. */
    wr(VMMIO_STATUS, 0);
    negotiate(FEATURES | (1ull << VIRTIO_F_EVENT_IDX));
    assert_false(rd(VMMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK);
}

static void set_queue(unsigned q)
{
    wr(VMMIO_QUEUE_SEL, q);
    wr(VMMIO_QUEUE_NUM, 64);
    wr(VMMIO_QUEUE_DESC_LOW, 0x40001000);
    wr(VMMIO_QUEUE_DESC_HIGH, 0x1);
    wr(VMMIO_QUEUE_DRIVER_LOW, 0x40002000);
    wr(VMMIO_QUEUE_DEVICE_LOW, 0x40003000);
    wr(VMMIO_QUEUE_READY, 1);
}

static void test_queue_setup(void **state)
{
    (void)state;
    negotiate(FEATURES);
    wr(VMMIO_QUEUE_SEL, 1);
    assert_int_equal(rd(VMMIO_QUEUE_NUM_MAX), 256);
    set_queue(1);
    assert_int_equal(ready_calls, 1);
    assert_int_equal(last_q, 1);
    assert_int_equal(rd(VMMIO_QUEUE_READY), 1);
    assert_true(m.q[1].desc == 0x140001000ull);
    assert_int_equal(m.q[1].num, 64);
    /* Frozen while ready. */
    wr(VMMIO_QUEUE_NUM, 8);
    wr(VMMIO_QUEUE_DESC_LOW, 0);
    assert_int_equal(m.q[1].num, 64);
    assert_true(m.q[1].desc == 0x140001000ull);
    /* A queue that does not exist has nothing to set or read. */
    wr(VMMIO_QUEUE_SEL, 5);
    assert_int_equal(rd(VMMIO_QUEUE_NUM_MAX), 0);
    wr(VMMIO_QUEUE_READY, 1);
    assert_int_equal(ready_calls, 1);
}

static void test_queue_refused(void **state)
{
    (void)state;
    negotiate(FEATURES);
    ready_answer = 0;
    set_queue(0);
    assert_int_equal(ready_calls, 1);
    assert_int_equal(rd(VMMIO_QUEUE_READY), 0);
    wr(VMMIO_QUEUE_NOTIFY, 0);
    assert_int_equal(notified, 0);
}

static void test_notify(void **state)
{
    (void)state;
    negotiate(FEATURES);
    set_queue(1);
    wr(VMMIO_QUEUE_NOTIFY, 1);
    assert_int_equal(notified, 1);
    assert_int_equal(last_q, 1);
    wr(VMMIO_QUEUE_NOTIFY, 0);      /* not ready */
    wr(VMMIO_QUEUE_NOTIFY, 7);      /* no such queue */
    wr(VMMIO_QUEUE_NOTIFY, 0xffffffffu);
    assert_int_equal(notified, 1);
}

static void test_interrupts(void **state)
{
    (void)state;
    vmmio_raise(&m, VMMIO_INT_VRING);
    assert_int_equal(irq_level, 1);
    vmmio_set_needs_reset(&m);
    assert_int_equal(rd(VMMIO_INTERRUPT_STATUS), VMMIO_INT_VRING | VMMIO_INT_CONFIG);
    assert_true(rd(VMMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET);
    wr(VMMIO_INTERRUPT_ACK, VMMIO_INT_VRING);
    assert_int_equal(irq_level, 1);     /* one bit left */
    wr(VMMIO_INTERRUPT_ACK, VMMIO_INT_CONFIG);
    assert_int_equal(irq_level, 0);
    assert_int_equal(rd(VMMIO_INTERRUPT_STATUS), 0);
}

static void test_reset(void **state)
{
    (void)state;
    negotiate(FEATURES);
    set_queue(0);
    set_queue(1);
    vmmio_raise(&m, VMMIO_INT_VRING);
    vmmio_set_needs_reset(&m);
    ready_calls = 0;
    wr(VMMIO_STATUS, 0);
    /* Each ready queue stopped, then the device told. */
    assert_int_equal(ready_calls, 2);
    assert_int_equal(resets, 1);
    assert_int_equal(rd(VMMIO_STATUS), 0);
    assert_int_equal(rd(VMMIO_INTERRUPT_STATUS), 0);
    assert_int_equal(irq_level, 0);
    wr(VMMIO_QUEUE_SEL, 1);
    assert_int_equal(rd(VMMIO_QUEUE_READY), 0);
    assert_false(vmmio_negotiated(&m, VIRTIO_F_VERSION_1));
}

static void test_config_and_odd_accesses(void **state)
{
    (void)state;
    assert_int_equal(vmmio_read(&m, VMMIO_CONFIG, 1), 1);
    assert_int_equal(vmmio_read(&m, VMMIO_CONFIG + 2, 2), 0x0403);
    assert_int_equal(vmmio_read(&m, VMMIO_CONFIG, 4), 0x04030201);
    assert_true(vmmio_read(&m, VMMIO_CONFIG, 8) == 0x0807060504030201ull);
    /* Straddling the end and past it: zeroes. */
    assert_int_equal(vmmio_read(&m, VMMIO_CONFIG + 6, 4), 0x0807);
    assert_int_equal(vmmio_read(&m, VMMIO_CONFIG + 0x100, 4), 0);
    assert_int_equal(vmmio_read(&m, ~0ull, 4), 0);
    /* Writes to the config space change nothing. */
    vmmio_write(&m, VMMIO_CONFIG, 4, 0);
    assert_int_equal(config[0], 1);
    /* Registers take whole aligned 32-bit accesses only. */
    assert_int_equal(vmmio_read(&m, VMMIO_MAGIC, 2), 0);
    assert_int_equal(vmmio_read(&m, VMMIO_MAGIC + 1, 4), 0);
    assert_true(vmmio_read(&m, VMMIO_MAGIC, 3) == ~0ull);
    vmmio_write(&m, VMMIO_STATUS, 1, VIRTIO_STATUS_ACKNOWLEDGE);
    assert_int_equal(rd(VMMIO_STATUS), 0);
    /* Reserved registers read 0 and ignore writes. */
    assert_int_equal(rd(0x0e0), 0);
    wr(0x0e0, 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_identity, setup),
        cmocka_unit_test_setup(test_features_ok, setup),
        cmocka_unit_test_setup(test_features_refused, setup),
        cmocka_unit_test_setup(test_queue_setup, setup),
        cmocka_unit_test_setup(test_queue_refused, setup),
        cmocka_unit_test_setup(test_notify, setup),
        cmocka_unit_test_setup(test_interrupts, setup),
        cmocka_unit_test_setup(test_reset, setup),
        cmocka_unit_test_setup(test_config_and_odd_accesses, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
