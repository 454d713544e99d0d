/* The virtio-blk device type of tools/virtio-backend (blk_dev.c) in the
 * shared transport (vdev.c), as a driver sees it:
 * set up through its registers, a request on each of two queues carried
 * out by the queue's worker thread and signalled with the interrupt, the
 * interrupt acknowledged; a ring gone bad stops its queue and asks for a
 * reset, which brings the device back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "blk.h"
#include "vdev.h"
#include "vdev_types.h"
#include "vq_env.h"

#define DISK_BYTES (64u * 1024u)
/* Queue 1's ring, after queue 0's (G_DESC, G_AVAIL, G_USED). */
#define Q1_DESC  (G_BASE + 0x4000u)
#define Q1_AVAIL (G_BASE + 0x5000u)
#define Q1_USED  (G_BASE + 0x6000u)

static char image_path[] = "/tmp/test_vdev.XXXXXX";
static struct vdev *dev;
static atomic_int irq_level = -1;
static atomic_int irq_raises;

static void on_irq(void *ctx, int level)
{
    (void)ctx;
    atomic_store(&irq_level, level);
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
    wr(VMMIO_QUEUE_DESC_HIGH, (uint32_t)(desc >> 32));
    wr(VMMIO_QUEUE_DRIVER_LOW, (uint32_t)avail);
    wr(VMMIO_QUEUE_DRIVER_HIGH, 0);
    wr(VMMIO_QUEUE_DEVICE_LOW, (uint32_t)used);
    wr(VMMIO_QUEUE_DEVICE_HIGH, 0);
    wr(VMMIO_QUEUE_READY, 1);
}

static void driver_init(void)
{
    uint64_t want = (1ull << VIRTIO_F_VERSION_1) | (1ull << VIRTIO_F_INDIRECT_DESC) |
                    (1ull << VIRTIO_BLK_F_MQ);

    wr(VMMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
    wr(VMMIO_DRIVER_FEATURES_SEL, 0);
    wr(VMMIO_DRIVER_FEATURES, (uint32_t)want);
    wr(VMMIO_DRIVER_FEATURES_SEL, 1);
    wr(VMMIO_DRIVER_FEATURES, (uint32_t)(want >> 32));
    wr(VMMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK);
    assert_true(rd(VMMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK);
    queue(0, G_DESC, G_AVAIL, G_USED);
    queue(1, Q1_DESC, Q1_AVAIL, Q1_USED);
    assert_int_equal(rd(VMMIO_QUEUE_READY), 1);
    wr(VMMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
                         VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK);
}

/* Until InterruptStatus has one of bits (the workers set it after the
 * used ring, so what they wrote is visible once it is seen); false after
 * 5 s. */
static bool wait_int(uint32_t bits)
{
    struct timespec ts = { 0, 1000000 };
    unsigned i;

    for (i = 0; i < 5000; i++) {
        if (rd(VMMIO_INTERRUPT_STATUS) & bits)
            return true;
        nanosleep(&ts, NULL);
    }
    return false;
}

static int setup(void **state)
{
    struct vdev_opts o = { .queues = 2 };
    static uint8_t image[DISK_BYTES];
    int fd;

    (void)state;
    strcpy(image_path, "/tmp/test_vdev.XXXXXX");
    fd = mkstemp(image_path);
    assert_true(fd >= 0);
    for (unsigned i = 0; i < DISK_BYTES; i++)
        image[i] = (uint8_t)(i / BLK_SECTOR + 1);
    assert_int_equal(pwrite(fd, image, DISK_BYTES, 0), DISK_BYTES);
    close(fd);
    memset(g_ram, 0, sizeof(g_ram));
    atomic_store(&irq_raises, 0);
    o.path = image_path;
    /* Four vCPUs, but two queues asked for: the option wins. */
    dev = vdev_open(&vdev_blk, &o, 4, &g_mem, on_irq, NULL);
    assert_non_null(dev);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    vdev_destroy(dev);
    unlink(image_path);
    return 0;
}

/* A read of sector `sector` on the ring at (desc, avail) as its idx-th
 * request, buffers at buf. */
static void post_read(uint64_t desc, uint64_t avail, unsigned idx, uint64_t buf, uint64_t sector)
{
    put_le32(g_ptr(buf), VIRTIO_BLK_T_IN);
    put_le64(g_ptr(buf + 8), sector);
    g_ptr(buf + 0x300)[0] = 0xee;
    g_desc(desc, 0, buf, 16, VIRTQ_DESC_F_NEXT, 1);
    g_desc(desc, 1, buf + 0x100, BLK_SECTOR, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 2);
    g_desc(desc, 2, buf + 0x300, 1, VIRTQ_DESC_F_WRITE, 0);
    put_le16(g_ptr(avail + 4 + 2u * (idx % G_NUM)), 0);
    put_le16(g_ptr(avail + 2), (uint16_t)(idx + 1));
}

static void test_config_space(void **state)
{
    (void)state;
    assert_int_equal(rd(VMMIO_DEVICE_ID), VIRTIO_ID_BLOCK);
    assert_int_equal(vdev_read(dev, VMMIO_CONFIG + VBLK_CFG_CAPACITY, 8), DISK_BYTES / BLK_SECTOR);
    assert_int_equal(vdev_read(dev, VMMIO_CONFIG + VBLK_CFG_NUM_QUEUES, 2), 2);
}

static void test_requests_on_both_queues(void **state)
{
    (void)state;
    driver_init();
    post_read(G_DESC, G_AVAIL, 0, G_BUF, 3);
    wr(VMMIO_QUEUE_NOTIFY, 0);
    assert_true(wait_int(VMMIO_INT_VRING));
    assert_int_equal(atomic_load(&irq_level), 1);
    assert_int_equal(le16(g_ptr(G_USED + 2)), 1);
    assert_int_equal(le32(g_ptr(G_USED + 8)), BLK_SECTOR + 1);
    assert_int_equal(g_ptr(G_BUF + 0x300)[0], VIRTIO_BLK_S_OK);
    assert_int_equal(g_ptr(G_BUF + 0x100)[0], 4);
    wr(VMMIO_INTERRUPT_ACK, VMMIO_INT_VRING);
    assert_int_equal(atomic_load(&irq_level), 0);

    post_read(Q1_DESC, Q1_AVAIL, 0, G_BUF + 0x1000, 100);
    wr(VMMIO_QUEUE_NOTIFY, 1);
    assert_true(wait_int(VMMIO_INT_VRING));
    assert_int_equal(le16(g_ptr(Q1_USED + 2)), 1);
    assert_int_equal(g_ptr(G_BUF + 0x1300)[0], VIRTIO_BLK_S_OK);
    assert_int_equal(g_ptr(G_BUF + 0x1100)[0], 101);
    assert_int_equal(atomic_load(&irq_raises), 2);
}

static void test_broken_ring_needs_reset(void **state)
{
    (void)state;
    driver_init();
    /* The driver claims far more entries than the ring holds. */
    put_le16(g_ptr(G_AVAIL + 2), 100);
    wr(VMMIO_QUEUE_NOTIFY, 0);
    assert_true(wait_int(VMMIO_INT_CONFIG));
    assert_true(rd(VMMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET);
    assert_int_equal(le16(g_ptr(G_USED + 2)), 0);
    /* The other queue still works. */
    post_read(Q1_DESC, Q1_AVAIL, 0, G_BUF + 0x1000, 1);
    wr(VMMIO_QUEUE_NOTIFY, 1);
    assert_true(wait_int(VMMIO_INT_VRING));
    assert_int_equal(g_ptr(G_BUF + 0x1300)[0], VIRTIO_BLK_S_OK);
    /* A reset brings the device back as new. */
    wr(VMMIO_STATUS, 0);
    assert_int_equal(rd(VMMIO_STATUS), 0);
    assert_int_equal(rd(VMMIO_INTERRUPT_STATUS), 0);
    memset(g_ram, 0, sizeof(g_ram));
    driver_init();
    post_read(G_DESC, G_AVAIL, 0, G_BUF, 2);
    wr(VMMIO_QUEUE_NOTIFY, 0);
    assert_true(wait_int(VMMIO_INT_VRING));
    assert_int_equal(g_ptr(G_BUF + 0x300)[0], VIRTIO_BLK_S_OK);
    assert_int_equal(g_ptr(G_BUF + 0x100)[0], 3);
}

/* The type cannot be made: nothing is left behind (the sanitizer would
 * see a leak) and no device comes back. */
static void test_missing_image(void **state)
{
    struct vdev_opts o = { .path = "/nonexistent/image" };
    struct vdev_opts none = { 0 };

    (void)state;
    assert_null(vdev_open(&vdev_blk, &o, 1, &g_mem, on_irq, NULL));
    assert_null(vdev_open(&vdev_blk, &none, 1, &g_mem, on_irq, NULL));
}

static void test_type_names(void **state)
{
    (void)state;
    assert_ptr_equal(vdev_type_find("blk"), &vdev_blk);
    assert_ptr_equal(vdev_type_find("net"), &vdev_net);
    assert_null(vdev_type_find("bl"));
    assert_null(vdev_type_find(""));
    assert_non_null(strstr(vdev_type_names(), "blk"));
}

static void test_bad_layout_refused(void **state)
{
    (void)state;
    driver_init();
    wr(VMMIO_QUEUE_SEL, 0);
    wr(VMMIO_QUEUE_READY, 0);
    assert_int_equal(rd(VMMIO_QUEUE_READY), 0);
    wr(VMMIO_QUEUE_NUM, 12);            /* not a power of two */
    wr(VMMIO_QUEUE_READY, 1);
    assert_int_equal(rd(VMMIO_QUEUE_READY), 0);
    wr(VMMIO_QUEUE_NUM, G_NUM);
    wr(VMMIO_QUEUE_DESC_LOW, (uint32_t)G_DESC + 8);    /* misaligned */
    wr(VMMIO_QUEUE_READY, 1);
    assert_int_equal(rd(VMMIO_QUEUE_READY), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_config_space, setup, teardown),
        cmocka_unit_test_setup_teardown(test_requests_on_both_queues, setup, teardown),
        cmocka_unit_test_setup_teardown(test_broken_ring_needs_reset, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_layout_refused, setup, teardown),
        cmocka_unit_test(test_missing_image),
        cmocka_unit_test(test_type_names),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
