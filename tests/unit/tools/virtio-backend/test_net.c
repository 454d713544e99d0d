/* virtio-net of tools/virtio-backend with a SOCK_SEQPACKET pair standing in
 * for the tap (it keeps frame boundaries as a tap does): tx frames reach
 * the "tap" without their virtio header, whatever the split into buffers;
 * malformed, short, oversized and unreachable tx chains are dropped and
 * counted, never sent; rx frames land behind a header saying one buffer,
 * or not at all when the buffer is too small; and the whole device, driven
 * through its registers, carries frames both ways, drops a frame when the
 * guest has no rx buffer rather than holding it, and still serves tx. */
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "net.h"
#include "net_dev.h"
#include "vdev.h"
#include "vdev_types.h"
#include "vq_env.h"

#define HDR   G_BUF
#define DATA  (G_BUF + 0x100u)
#define BIG   (G_BUF + 0x1000u)
/* The tx queue's ring, after the rx queue's (G_DESC, G_AVAIL, G_USED). */
#define Q1_DESC  (G_BASE + 0x4000u)
#define Q1_AVAIL (G_BASE + 0x5000u)
#define Q1_USED  (G_BASE + 0x6000u)

static const uint8_t test_mac[6] = { 0x02, 0x50, 0x58, 0x00, 0x00, 0x07 };
static int sv[2];               /* sv[0] the device's "tap", sv[1] the host side */
static struct net_port port;
static struct vq vq;
static struct vq_chain chain;
static uint8_t frame[NET_MAX_FRAME + 1];

static void fill_frame(uint8_t *p, size_t len, uint8_t seed)
{
    for (size_t i = 0; i < len; i++)
        p[i] = (uint8_t)(seed + i * 7u);
}

/* Whether the host side has a frame waiting (within ms). */
static bool host_has_frame(int ms)
{
    struct pollfd pfd = { .fd = sv[1], .events = POLLIN };

    return poll(&pfd, 1, ms) == 1;
}

static int setup(void **state)
{
    (void)state;
    assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
    /* Room for the largest frames the tests send. */
    {
        int sz = 4 * 1024 * 1024;

        setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
        setsockopt(sv[1], SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
    }
    net_port_init(&port, sv[0], test_mac, 0);
    g_reset(&vq, 1);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    close(sv[0]);
    close(sv[1]);
    return 0;
}

static void pop(void)
{
    assert_int_equal(vq_pop(&vq, &chain), 1);
}

/* ---- the frame paths ---- */

static void test_config_and_features(void **state)
{
    struct net_port m;

    (void)state;
    assert_memory_equal(port.config + VNET_CFG_MAC, test_mac, 6);
    assert_int_equal(le16(port.config + VNET_CFG_STATUS), VIRTIO_NET_S_LINK_UP);
    assert_int_equal(le16(port.config + VNET_CFG_MAX_VQ_PAIRS), 1);
    assert_true(net_features(&port) & (1ull << VIRTIO_F_VERSION_1));
    assert_true(net_features(&port) & (1ull << VIRTIO_NET_F_MAC));
    assert_true(net_features(&port) & (1ull << VIRTIO_NET_F_STATUS));
    assert_false(net_features(&port) & (1ull << VIRTIO_NET_F_MTU));
    net_port_init(&m, -1, test_mac, 1400);
    assert_true(net_features(&m) & (1ull << VIRTIO_NET_F_MTU));
    assert_int_equal(le16(m.config + VNET_CFG_MTU), 1400);
}

static void test_tx_strips_header(void **state)
{
    uint8_t got[2048];
    bool failed = true;

    (void)state;
    memset(g_ptr(HDR), 0xaa, VNET_HDR_LEN);     /* whatever the guest puts there */
    fill_frame(g_ptr(DATA), 1000, 3);
    /* Header with the first 20 bytes of frame, then the rest elsewhere. */
    memcpy(g_ptr(HDR + VNET_HDR_LEN), g_ptr(DATA), 20);
    g_desc(G_DESC, 0, HDR, VNET_HDR_LEN + 20, VIRTQ_DESC_F_NEXT, 1);
    g_desc(G_DESC, 1, DATA + 20, 980, 0, 0);
    g_offer(0, 0);
    pop();
    assert_int_equal(net_tx(&port, &g_mem, &chain, &failed), 0);
    assert_false(failed);
    assert_true(host_has_frame(0));
    assert_int_equal(read(sv[1], got, sizeof(got)), 1000);
    assert_memory_equal(got, g_ptr(DATA), 1000);
    assert_int_equal(atomic_load(&port.tx_frames), 1);
}

static void test_tx_largest_frame(void **state)
{
    static uint8_t got[NET_MAX_FRAME + 16];
    bool failed = true;

    (void)state;
    fill_frame(g_ptr(BIG + VNET_HDR_LEN), NET_MAX_FRAME, 9);
    g_desc(G_DESC, 0, BIG, VNET_HDR_LEN + NET_MAX_FRAME, 0, 0);
    g_offer(0, 0);
    pop();
    net_tx(&port, &g_mem, &chain, &failed);
    assert_false(failed);
    assert_int_equal(read(sv[1], got, sizeof(got)), NET_MAX_FRAME);
    assert_memory_equal(got, g_ptr(BIG + VNET_HDR_LEN), NET_MAX_FRAME);
}

/* Each malformed chain: nothing reaches the tap, the request fails. */
static void tx_refused(void)
{
    bool failed = false;

    assert_int_equal(net_tx(&port, &g_mem, &chain, &failed), 0);
    assert_true(failed);
    assert_false(host_has_frame(0));
}

static void test_tx_malformed(void **state)
{
    unsigned idx = 0;

    (void)state;
    /* A header and less than an Ethernet header. */
    g_desc(G_DESC, 0, HDR, VNET_HDR_LEN + NET_MIN_FRAME - 1, 0, 0);
    g_offer(idx++, 0);
    pop();
    tx_refused();
    /* Not even a header. */
    g_desc(G_DESC, 0, HDR, 4, 0, 0);
    g_offer(idx++, 0);
    pop();
    tx_refused();
    /* One byte over the largest frame. */
    g_desc(G_DESC, 0, BIG, VNET_HDR_LEN + NET_MAX_FRAME + 1, 0, 0);
    g_offer(idx++, 0);
    pop();
    tx_refused();
    /* Frame bytes outside guest RAM. */
    g_desc(G_DESC, 0, HDR, VNET_HDR_LEN, VIRTQ_DESC_F_NEXT, 1);
    g_desc(G_DESC, 1, G_BASE + G_SIZE - 8, 64, 0, 0);
    g_offer(idx++, 0);
    pop();
    tx_refused();
    /* A chain the walk refused (a loop): nothing in it is looked at. */
    g_desc(G_DESC, 0, HDR, 64, VIRTQ_DESC_F_NEXT, 0);
    g_offer(idx++, 0);
    pop();
    assert_int_not_equal(chain.error, 0);
    tx_refused();
    assert_int_equal(atomic_load(&port.tx_bad), 4);
    assert_int_equal(atomic_load(&port.tx_frames), 0);
}

static void test_tx_tap_gone(void **state)
{
    bool failed = false;

    (void)state;
    close(sv[1]);
    sv[1] = socket(AF_UNIX, SOCK_SEQPACKET, 0);  /* for teardown */
    signal(SIGPIPE, SIG_IGN);
    fill_frame(g_ptr(HDR + VNET_HDR_LEN), 60, 1);
    g_desc(G_DESC, 0, HDR, VNET_HDR_LEN + 60, 0, 0);
    g_offer(0, 0);
    pop();
    net_tx(&port, &g_mem, &chain, &failed);
    assert_true(failed);
    assert_int_equal(atomic_load(&port.tx_lost), 1);
}

static void test_rx_fill(void **state)
{
    struct net_frame f = { .port = &port, .data = frame, .len = 300 };

    (void)state;
    fill_frame(frame, 300, 5);
    memset(g_ptr(HDR), 0xcc, 0x400);
    /* Header and the first 50 bytes in one buffer, the rest in another. */
    g_desc(G_DESC, 0, HDR, VNET_HDR_LEN + 50, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 1);
    g_desc(G_DESC, 1, DATA + 0x100, 1500, VIRTQ_DESC_F_WRITE, 0);
    g_offer(0, 0);
    pop();
    assert_int_equal(net_rx_fill(&f, &g_mem, &chain), VNET_HDR_LEN + 300);
    assert_true(f.placed);
    /* flags, gso_type, hdr_len, gso_size, csum_start, csum_offset all 0. */
    for (unsigned i = 0; i < VNET_HDR_NUM_BUFFERS; i++)
        assert_int_equal(g_ptr(HDR)[i], 0);
    assert_int_equal(le16(g_ptr(HDR + VNET_HDR_NUM_BUFFERS)), 1);
    assert_memory_equal(g_ptr(HDR + VNET_HDR_LEN), frame, 50);
    assert_memory_equal(g_ptr(DATA + 0x100), frame + 50, 250);
    /* Nothing past the frame was touched. */
    assert_int_equal(g_ptr(DATA + 0x100)[250], 0xcc);
}

static void test_rx_buffer_too_small(void **state)
{
    struct net_frame f = { .port = &port, .data = frame, .len = 1514 };

    (void)state;
    memset(g_ptr(HDR), 0xcc, 0x800);
    g_desc(G_DESC, 0, HDR, VNET_HDR_LEN + 1513, VIRTQ_DESC_F_WRITE, 0);
    g_offer(0, 0);
    pop();
    assert_int_equal(net_rx_fill(&f, &g_mem, &chain), 0);
    assert_false(f.placed);
    assert_int_equal(g_ptr(HDR)[0], 0xcc);
    /* A buffer the device may only read is no rx buffer. */
    g_desc(G_DESC, 0, HDR, 4096, 0, 0);
    g_offer(1, 0);
    pop();
    assert_int_equal(net_rx_fill(&f, &g_mem, &chain), 0);
    /* Out of guest RAM. */
    f.len = 100;
    g_desc(G_DESC, 0, G_BASE + G_SIZE - 16, 4096, VIRTQ_DESC_F_WRITE, 0);
    g_offer(2, 0);
    pop();
    assert_int_equal(net_rx_fill(&f, &g_mem, &chain), 0);
    assert_int_equal(atomic_load(&port.rx_small), 3);
    assert_int_equal(atomic_load(&port.rx_frames), 0);
}

/* ---- the whole device ---- */

static struct vdev *dev;
static struct vdev_type sock_net;

static void *sock_create(const struct vdev_opts *o, unsigned nvcpus, struct vdev_info *info)
{
    (void)nvcpus;
    return net_dev_create_on(sv[0], "sock", o, info);
}

static void no_irq(void *ctx, int level)
{
    (void)ctx;
    (void)level;
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

static bool wait_used(uint64_t used, uint16_t idx)
{
    struct timespec ts = { 0, 1000000 };

    for (unsigned i = 0; i < 5000; i++) {
        if (le16(g_ptr(used + 2)) == idx)
            return true;
        nanosleep(&ts, NULL);
    }
    return false;
}

static int dev_setup(void **state)
{
    struct vdev_opts o = { .have_mac = true };
    uint64_t want = (1ull << VIRTIO_F_VERSION_1) | (1ull << VIRTIO_NET_F_MAC) |
                    (1ull << VIRTIO_NET_F_STATUS);

    setup(state);
    memcpy(o.mac, test_mac, 6);
    sock_net = vdev_net;
    sock_net.create = sock_create;
    dev = vdev_open(&sock_net, &o, 2, &g_mem, no_irq, NULL);
    assert_non_null(dev);
    wr(VMMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
    wr(VMMIO_DRIVER_FEATURES_SEL, 0);
    wr(VMMIO_DRIVER_FEATURES, (uint32_t)want);
    wr(VMMIO_DRIVER_FEATURES_SEL, 1);
    wr(VMMIO_DRIVER_FEATURES, (uint32_t)(want >> 32));
    wr(VMMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK);
    queue(NET_RXQ, G_DESC, G_AVAIL, G_USED);
    queue(NET_TXQ, Q1_DESC, Q1_AVAIL, Q1_USED);
    wr(VMMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
                         VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK);
    return 0;
}

static int dev_teardown(void **state)
{
    vdev_destroy(dev);      /* closes sv[0] */
    sv[0] = socket(AF_UNIX, SOCK_SEQPACKET, 0);
    return teardown(state);
}

static void test_device_registers(void **state)
{
    (void)state;
    assert_int_equal(rd(VMMIO_DEVICE_ID), VIRTIO_ID_NET);
    for (unsigned i = 0; i < 6; i++)
        assert_int_equal(vdev_read(dev, VMMIO_CONFIG + VNET_CFG_MAC + i, 1), test_mac[i]);
    assert_int_equal(vdev_read(dev, VMMIO_CONFIG + VNET_CFG_STATUS, 2), VIRTIO_NET_S_LINK_UP);
}

static void test_device_both_ways(void **state)
{
    uint8_t got[2048];

    (void)state;
    /* Guest to host: queue 1. */
    fill_frame(g_ptr(DATA + VNET_HDR_LEN), 200, 11);
    g_desc(Q1_DESC, 0, DATA, VNET_HDR_LEN + 200, 0, 0);
    put_le16(g_ptr(Q1_AVAIL + 4), 0);
    put_le16(g_ptr(Q1_AVAIL + 2), 1);
    wr(VMMIO_QUEUE_NOTIFY, NET_TXQ);
    assert_true(wait_used(Q1_USED, 1));
    assert_true(host_has_frame(5000));
    assert_int_equal(read(sv[1], got, sizeof(got)), 200);
    assert_memory_equal(got, g_ptr(DATA + VNET_HDR_LEN), 200);

    /* Host to guest: queue 0, one buffer offered. */
    g_desc(G_DESC, 0, BIG, 2048, VIRTQ_DESC_F_WRITE, 0);
    g_offer(0, 0);
    wr(VMMIO_QUEUE_NOTIFY, NET_RXQ);
    fill_frame(frame, 600, 13);
    assert_int_equal(write(sv[1], frame, 600), 600);
    assert_true(wait_used(G_USED, 1));
    assert_int_equal(le32(g_ptr(G_USED + 8)), VNET_HDR_LEN + 600);
    assert_int_equal(le16(g_ptr(BIG + VNET_HDR_NUM_BUFFERS)), 1);
    assert_memory_equal(g_ptr(BIG + VNET_HDR_LEN), frame, 600);
    assert_true(rd(VMMIO_INTERRUPT_STATUS) & VMMIO_INT_VRING);
}

static void test_device_drops_without_buffers(void **state)
{
    struct timespec ts = { 0, 50000000 };
    uint8_t got[256];

    (void)state;
    /* No rx buffer: the frame is taken off the tap and dropped. */
    fill_frame(frame, 100, 1);
    assert_int_equal(write(sv[1], frame, 100), 100);
    nanosleep(&ts, NULL);
    /* tx still flows meanwhile. */
    fill_frame(g_ptr(DATA + VNET_HDR_LEN), 64, 2);
    g_desc(Q1_DESC, 0, DATA, VNET_HDR_LEN + 64, 0, 0);
    put_le16(g_ptr(Q1_AVAIL + 4), 0);
    put_le16(g_ptr(Q1_AVAIL + 2), 1);
    wr(VMMIO_QUEUE_NOTIFY, NET_TXQ);
    assert_true(wait_used(Q1_USED, 1));
    assert_true(host_has_frame(5000));
    assert_int_equal(read(sv[1], got, sizeof(got)), 64);
    /* A buffer now: the next frame fills it, not the dropped one. */
    g_desc(G_DESC, 0, BIG, 2048, VIRTQ_DESC_F_WRITE, 0);
    g_offer(0, 0);
    fill_frame(frame, 100, 77);
    assert_int_equal(write(sv[1], frame, 100), 100);
    assert_true(wait_used(G_USED, 1));
    assert_memory_equal(g_ptr(BIG + VNET_HDR_LEN), frame, 100);
    /* A malformed rx chain comes back empty and the device goes on. */
    g_desc(G_DESC, 1, BIG, 2048, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 1);
    g_offer(1, 1);
    g_desc(G_DESC, 2, BIG + 0x1000, 2048, VIRTQ_DESC_F_WRITE, 0);
    g_offer(2, 2);
    fill_frame(frame, 100, 99);
    assert_int_equal(write(sv[1], frame, 100), 100);
    assert_true(wait_used(G_USED, 2));
    assert_int_equal(le32(g_ptr(G_USED + 4 + 8 + 4)), 0);
    assert_int_equal(write(sv[1], frame, 100), 100);
    assert_true(wait_used(G_USED, 3));
    assert_memory_equal(g_ptr(BIG + 0x1000 + VNET_HDR_LEN), frame, 100);
    assert_false(rd(VMMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET);
}

/* A frame longer than any the device passes on is refused whole. */
static void test_device_refuses_oversize(void **state)
{
    static uint8_t huge[NET_MAX_FRAME + 1];

    (void)state;
    g_desc(G_DESC, 0, G_BASE + 0x10000u, G_SIZE - 0x10000u, VIRTQ_DESC_F_WRITE, 0);
    g_offer(0, 0);
    fill_frame(huge, sizeof(huge), 3);
    assert_int_equal(write(sv[1], huge, sizeof(huge)), (ssize_t)sizeof(huge));
    fill_frame(frame, 80, 4);
    assert_int_equal(write(sv[1], frame, 80), 80);
    assert_true(wait_used(G_USED, 1));
    assert_int_equal(le32(g_ptr(G_USED + 8)), VNET_HDR_LEN + 80);
    assert_memory_equal(g_ptr(G_BASE + 0x10000u + VNET_HDR_LEN), frame, 80);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_config_and_features, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tx_strips_header, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tx_largest_frame, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tx_malformed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tx_tap_gone, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rx_fill, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rx_buffer_too_small, setup, teardown),
        cmocka_unit_test_setup_teardown(test_device_registers, dev_setup, dev_teardown),
        cmocka_unit_test_setup_teardown(test_device_both_ways, dev_setup, dev_teardown),
        cmocka_unit_test_setup_teardown(test_device_drops_without_buffers, dev_setup,
                                        dev_teardown),
        cmocka_unit_test_setup_teardown(test_device_refuses_oversize, dev_setup, dev_teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
