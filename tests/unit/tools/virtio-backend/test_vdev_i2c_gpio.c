/* The i2c and gpio device types of tools/virtio-backend in the shared
 * transport (vdev.c), as a driver sees them through their registers, with
 * the queues' worker threads and the gpio device's event thread running:
 * the i2c device on the simulated EEPROM answers a write and a read, and
 * refuses a PATH it cannot use; the gpio device on the simulated paired
 * chip keeps two event buffers and gives them back in the order their
 * lines' edges come, not the order they were queued, each with an
 * interrupt; a reset forgets a kept buffer, which never reaches the new
 * ring. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <time.h>
#include <cmocka.h>

#include "vdev.h"
#include "vdev_types.h"
#include "vgpio.h"
#include "vi2c.h"
#include "virtio_mmio.h"
#include "vq_env.h"

/* Queue 1's ring, after queue 0's (G_DESC, G_AVAIL, G_USED). */
#define Q1_DESC  (G_BASE + 0x4000u)
#define Q1_AVAIL (G_BASE + 0x5000u)
#define Q1_USED  (G_BASE + 0x6000u)
#define REQ      (G_BUF)
#define RESP     (G_BUF + 0x100u)
#define EVT      (G_BUF + 0x200u)
#define EVST     (G_BUF + 0x300u)

static struct vdev *dev;
static atomic_int irq_raises;

static void on_irq(void *ctx, int level)
{
    (void)ctx;
    if (level)
        atomic_fetch_add(&irq_raises, 1);
}

static uint32_t rd(uint64_t off)
{
    return (uint32_t)vdev_read(dev, off, 4);
}

static void wr(uint64_t off, uint32_t v)
{
    vdev_write(dev, off, 4, v);
}

static void queue(unsigned q, uint64_t desc, uint64_t avail, uint64_t used)
{
    wr(VMMIO_QUEUE_SEL, q);
    wr(VMMIO_QUEUE_NUM, G_NUM);
    wr(VMMIO_QUEUE_DESC_LOW, (uint32_t)desc);
    wr(VMMIO_QUEUE_DESC_HIGH, 0);
    wr(VMMIO_QUEUE_DRIVER_LOW, (uint32_t)avail);
    wr(VMMIO_QUEUE_DRIVER_HIGH, 0);
    wr(VMMIO_QUEUE_DEVICE_LOW, (uint32_t)used);
    wr(VMMIO_QUEUE_DEVICE_HIGH, 0);
    wr(VMMIO_QUEUE_READY, 1);
}

static void driver_init(uint64_t want, unsigned nq)
{
    wr(VMMIO_STATUS, 0);
    memset(g_ram, 0, G_BUF - G_BASE);
    wr(VMMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
    wr(VMMIO_DRIVER_FEATURES_SEL, 0);
    wr(VMMIO_DRIVER_FEATURES, (uint32_t)want);
    wr(VMMIO_DRIVER_FEATURES_SEL, 1);
    wr(VMMIO_DRIVER_FEATURES, (uint32_t)(want >> 32));
    wr(VMMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK);
    assert_true(rd(VMMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK);
    queue(0, G_DESC, G_AVAIL, G_USED);
    if (nq > 1)
        queue(1, Q1_DESC, Q1_AVAIL, Q1_USED);
    wr(VMMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
                         VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK);
}

static uint16_t used_idx(uint64_t used)
{
    return le16(g_ptr(used + 2));
}

/* Until the used ring's index reaches want; false after 5 s. */
static bool wait_used(uint64_t used, uint16_t want)
{
    struct timespec ts = { 0, 1000000 };
    unsigned i;

    for (i = 0; i < 5000; i++) {
        if (used_idx(used) == want)
            return true;
        nanosleep(&ts, NULL);
    }
    return false;
}

static void settle(void)
{
    struct timespec ts = { 0, 300000000 };

    nanosleep(&ts, NULL);
}

/* Offer head on queue q's ring (16 entries, avail at avail), notify. */
static void offer(unsigned q, uint64_t avail, uint16_t head)
{
    uint16_t idx = le16(g_ptr(avail + 2));

    put_le16(g_ptr(avail + 4 + 2u * (idx % G_NUM)), head);
    put_le16(g_ptr(avail + 2), (uint16_t)(idx + 1));
    wr(VMMIO_QUEUE_NOTIFY, q);
}

static int teardown(void **state)
{
    (void)state;
    vdev_destroy(dev);
    dev = NULL;
    return 0;
}

static void test_i2c_paths(void **state)
{
    struct vdev_opts o = { 0 };

    (void)state;
    o.path = "sim-eeprom:0x50,0x50";
    assert_null(vdev_open(&vdev_i2c, &o, 1, &g_mem, on_irq, NULL));
    o.path = "sim-eeprom:";
    assert_null(vdev_open(&vdev_i2c, &o, 1, &g_mem, on_irq, NULL));
    o.path = "sim-eeprom:0x50x";
    assert_null(vdev_open(&vdev_i2c, &o, 1, &g_mem, on_irq, NULL));
    o.path = "/nonexistent/i2c-9";
    assert_null(vdev_open(&vdev_i2c, &o, 1, &g_mem, on_irq, NULL));
    o.path = NULL;
    assert_null(vdev_open(&vdev_i2c, &o, 1, &g_mem, on_irq, NULL));
    o.path = "sim-eeprom:0x50,0x51";
    dev = vdev_open(&vdev_i2c, &o, 1, &g_mem, on_irq, NULL);
    assert_non_null(dev);
}

static void test_i2c_device(void **state)
{
    struct vdev_opts o = { .path = "sim-eeprom:0x51" };

    (void)state;
    dev = vdev_open(&vdev_i2c, &o, 1, &g_mem, on_irq, NULL);
    assert_non_null(dev);
    assert_int_equal(rd(VMMIO_DEVICE_ID), VIRTIO_ID_I2C);
    driver_init((1ull << VIRTIO_F_VERSION_1) | (1ull << VIRTIO_I2C_F_ZERO_LENGTH_REQUEST), 1);
    /* Write 0xab at 0x10, then point at 0x10 and read a byte back. */
    put_le16(g_ptr(REQ), 0x51 << 1);
    put_le32(g_ptr(REQ + 4), 0);
    memcpy(g_ptr(REQ + 8), "\x10\xab", 2);
    g_desc(G_DESC, 0, REQ, 8, VIRTQ_DESC_F_NEXT, 1);
    g_desc(G_DESC, 1, REQ + 8, 2, VIRTQ_DESC_F_NEXT, 2);
    g_desc(G_DESC, 2, RESP, 1, VIRTQ_DESC_F_WRITE, 0);
    offer(0, G_AVAIL, 0);
    assert_true(wait_used(G_USED, 1));
    assert_int_equal(g_ptr(RESP)[0], VIRTIO_I2C_MSG_OK);
    g_desc(G_DESC, 1, REQ + 8, 1, VIRTQ_DESC_F_NEXT, 2);
    offer(0, G_AVAIL, 0);
    assert_true(wait_used(G_USED, 2));
    put_le32(g_ptr(REQ + 4), VIRTIO_I2C_FLAGS_M_RD);
    g_desc(G_DESC, 0, REQ, 8, VIRTQ_DESC_F_NEXT, 3);
    g_desc(G_DESC, 3, RESP + 8, 1, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 2);
    offer(0, G_AVAIL, 0);
    assert_true(wait_used(G_USED, 3));
    assert_int_equal(g_ptr(RESP)[0], VIRTIO_I2C_MSG_OK);
    assert_int_equal(g_ptr(RESP + 8)[0], 0xab);
    assert_int_equal(le32(g_ptr(G_USED + 4 + 8 * 2 + 4)), 2);
    assert_true(atomic_load(&irq_raises) > 0);
}

/* A gpio request (type, line, value) as descriptors 0-1 of queue 0;
 * waits for the answer and returns its status. */
static uint8_t gpio_req(uint16_t type, uint16_t line, uint32_t value)
{
    uint16_t idx = used_idx(G_USED);

    put_le16(g_ptr(REQ), type);
    put_le16(g_ptr(REQ + 2), line);
    put_le32(g_ptr(REQ + 4), value);
    g_ptr(RESP)[0] = 0xee;
    g_desc(G_DESC, 0, REQ, 8, VIRTQ_DESC_F_NEXT, 1);
    g_desc(G_DESC, 1, RESP, 2, VIRTQ_DESC_F_WRITE, 0);
    offer(0, G_AVAIL, 0);
    assert_true(wait_used(G_USED, (uint16_t)(idx + 1)));
    return g_ptr(RESP)[0];
}

/* Event buffer head (descriptors 2*head, 2*head+1 of queue 1) for line. */
static void event_buffer(uint16_t head, uint16_t line)
{
    put_le16(g_ptr(EVT + 4u * head), line);
    g_ptr(EVST + head)[0] = 0xee;
    g_desc(Q1_DESC, 2u * head, EVT + 4u * head, 2, VIRTQ_DESC_F_NEXT, (uint16_t)(2u * head + 1));
    g_desc(Q1_DESC, 2u * head + 1, EVST + head, 1, VIRTQ_DESC_F_WRITE, 0);
    offer(1, Q1_AVAIL, (uint16_t)(2u * head));
}

/* The id of used entry n of queue 1. */
static uint32_t event_used(unsigned n)
{
    return le32(g_ptr(Q1_USED + 4 + 8u * n));
}

static void gpio_open(void)
{
    struct vdev_opts o = { .path = "sim-pairs" };

    dev = vdev_open(&vdev_gpio, &o, 1, &g_mem, on_irq, NULL);
    assert_non_null(dev);
    assert_int_equal(rd(VMMIO_DEVICE_ID), VIRTIO_ID_GPIO);
    assert_int_equal(rd(VMMIO_CONFIG) & 0xffff, 8);
    driver_init((1ull << VIRTIO_F_VERSION_1) | (1ull << VIRTIO_GPIO_F_IRQ), 2);
}

static void test_gpio_events_out_of_order(void **state)
{
    int raises;

    (void)state;
    gpio_open();
    /* Interrupts on lines 1 and 3, buffers queued in that order. */
    assert_int_equal(gpio_req(VIRTIO_GPIO_MSG_SET_DIRECTION, 1, VIRTIO_GPIO_DIRECTION_IN), 0);
    assert_int_equal(gpio_req(VIRTIO_GPIO_MSG_IRQ_TYPE, 1, VIRTIO_GPIO_IRQ_TYPE_EDGE_RISING), 0);
    assert_int_equal(gpio_req(VIRTIO_GPIO_MSG_SET_DIRECTION, 3, VIRTIO_GPIO_DIRECTION_IN), 0);
    assert_int_equal(gpio_req(VIRTIO_GPIO_MSG_IRQ_TYPE, 3, VIRTIO_GPIO_IRQ_TYPE_EDGE_RISING), 0);
    event_buffer(0, 1);
    event_buffer(1, 3);
    settle();
    assert_int_equal(used_idx(Q1_USED), 0);
    /* Line 2 driven high: line 3's buffer comes back first. */
    raises = atomic_load(&irq_raises);
    assert_int_equal(gpio_req(VIRTIO_GPIO_MSG_SET_VALUE, 2, 1), 0);
    assert_int_equal(gpio_req(VIRTIO_GPIO_MSG_SET_DIRECTION, 2, VIRTIO_GPIO_DIRECTION_OUT), 0);
    assert_true(wait_used(Q1_USED, 1));
    assert_int_equal(event_used(0), 2);
    assert_int_equal(g_ptr(EVST + 1)[0], VIRTIO_GPIO_IRQ_STATUS_VALID);
    assert_int_equal(g_ptr(EVST + 0)[0], 0xee);
    assert_true(atomic_load(&irq_raises) > raises);
    /* Then line 0: line 1's. */
    assert_int_equal(gpio_req(VIRTIO_GPIO_MSG_SET_DIRECTION, 0, VIRTIO_GPIO_DIRECTION_OUT), 0);
    assert_int_equal(gpio_req(VIRTIO_GPIO_MSG_SET_VALUE, 0, 1), 0);
    assert_true(wait_used(Q1_USED, 2));
    assert_int_equal(event_used(1), 0);
    assert_int_equal(g_ptr(EVST + 0)[0], VIRTIO_GPIO_IRQ_STATUS_VALID);
}

static void test_gpio_reset_forgets_kept_buffers(void **state)
{
    (void)state;
    gpio_open();
    assert_int_equal(gpio_req(VIRTIO_GPIO_MSG_SET_DIRECTION, 1, VIRTIO_GPIO_DIRECTION_IN), 0);
    assert_int_equal(gpio_req(VIRTIO_GPIO_MSG_IRQ_TYPE, 1, VIRTIO_GPIO_IRQ_TYPE_EDGE_RISING), 0);
    event_buffer(0, 1);
    settle();
    /* A new driver: the line is released, its interrupt off. */
    driver_init((1ull << VIRTIO_F_VERSION_1) | (1ull << VIRTIO_GPIO_F_IRQ), 2);
    assert_int_equal(gpio_req(VIRTIO_GPIO_MSG_GET_DIRECTION, 1, 0), 0);
    assert_int_equal(g_ptr(RESP)[1], VIRTIO_GPIO_DIRECTION_NONE);
    /* The same interrupt again, but no buffer queued in the new ring: the
     * edge must find none (the old one would be a head this ring never
     * offered). */
    assert_int_equal(gpio_req(VIRTIO_GPIO_MSG_SET_DIRECTION, 1, VIRTIO_GPIO_DIRECTION_IN), 0);
    assert_int_equal(gpio_req(VIRTIO_GPIO_MSG_IRQ_TYPE, 1, VIRTIO_GPIO_IRQ_TYPE_EDGE_RISING), 0);
    assert_int_equal(gpio_req(VIRTIO_GPIO_MSG_SET_DIRECTION, 0, VIRTIO_GPIO_DIRECTION_OUT), 0);
    assert_int_equal(gpio_req(VIRTIO_GPIO_MSG_SET_VALUE, 0, 1), 0);
    settle();
    assert_int_equal(used_idx(Q1_USED), 0);
    /* The edge was latched for the next buffer. */
    event_buffer(0, 1);
    assert_true(wait_used(Q1_USED, 1));
    assert_int_equal(g_ptr(EVST + 0)[0], VIRTIO_GPIO_IRQ_STATUS_VALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_i2c_paths, teardown),
        cmocka_unit_test_teardown(test_i2c_device, teardown),
        cmocka_unit_test_teardown(test_gpio_events_out_of_order, teardown),
        cmocka_unit_test_teardown(test_gpio_reset_forgets_kept_buffers, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
