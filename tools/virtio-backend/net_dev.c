/* virtio-net as a device type of the back end: a tap in dom0, queue 0 (rx)
 * filled by a thread of ours reading the tap, queue 1 (tx) drained by its
 * worker into the tap. A frame that finds no rx buffer is dropped and
 * counted, never waited on: a guest that stops taking frames must not stall
 * the tap, nor its own tx. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "log.h"
#include "net.h"
#include "net_dev.h"
#include "tap.h"
#include "vdev_types.h"

struct net_dev {
    struct net_port port;
    struct vdev *vdev;
    int stop_pipe[2];
    pthread_t rx;
    bool rx_running;
    char ifname[16];
    uint8_t rx_buf[NET_MAX_FRAME + 1];  /* one more: a longer frame shows itself */
};

static void *rx_main(void *arg)
{
    struct net_dev *nd = arg;

    for (;;) {
        struct pollfd pfd[2] = {
            { .fd = nd->port.fd, .events = POLLIN },
            { .fd = nd->stop_pipe[0], .events = POLLIN },
        };
        struct net_frame f = { .port = &nd->port, .data = nd->rx_buf };
        ssize_t n;

        if (poll(pfd, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            log_msg("rx: poll: %s", strerror(errno));
            break;
        }
        if (pfd[1].revents)
            break;
        if (!(pfd[0].revents & (POLLIN | POLLERR | POLLHUP)))
            continue;
        n = read(nd->port.fd, nd->rx_buf, sizeof(nd->rx_buf));
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN)
                continue;
            log_msg("rx: read: %s", strerror(errno));
            break;
        }
        if (n == 0) {
            /* The other end is gone (a test's socket); a tap never says so. */
            break;
        }
        if ((size_t)n > NET_MAX_FRAME) {
            atomic_fetch_add(&nd->port.rx_big, 1);
            continue;
        }
        f.len = (uint32_t)n;
        if (vdev_queue_fill(nd->vdev, NET_RXQ, net_rx_fill, &f) == 0)
            atomic_fetch_add(&nd->port.rx_nobuf, 1);
    }
    return NULL;
}

void *net_dev_create_on(int fd, const char *ifname, const struct vdev_opts *o,
                        struct vdev_info *info)
{
    struct net_dev *nd = calloc(1, sizeof(*nd));
    uint8_t mac[6];

    if (!nd)
        return NULL;
    if (pipe2(nd->stop_pipe, O_CLOEXEC) != 0) {
        free(nd);
        return NULL;
    }
    if (o->have_mac) {
        memcpy(mac, o->mac, 6);
    } else {
        /* Locally administered and unicast, otherwise random: two guests
         * on one bridge must not share an address. */
        if (getrandom(mac, sizeof(mac), 0) != (ssize_t)sizeof(mac))
            memset(mac, 0x5a, sizeof(mac));
        mac[0] = (uint8_t)((mac[0] & 0xfcu) | 0x02u);
    }
    net_port_init(&nd->port, fd, mac, o->mtu);
    strncpy(nd->ifname, ifname, sizeof(nd->ifname) - 1);
    memset(info, 0, sizeof(*info));
    info->device_id = VIRTIO_ID_NET;
    info->features = net_features(&nd->port);
    info->config = nd->port.config;
    info->config_len = VNET_CFG_SIZE;
    info->nqueues = 2;
    info->device_filled = 1u << NET_RXQ;
    snprintf(info->what, sizeof(info->what),
             "tap %s (guest MAC %02x:%02x:%02x:%02x:%02x:%02x, MTU %u)", nd->ifname, mac[0],
             mac[1], mac[2], mac[3], mac[4], mac[5], o->mtu ? o->mtu : 1500u);
    return nd;
}

static void *net_create(const struct vdev_opts *o, unsigned nvcpus, struct vdev_info *info)
{
    char ifname[16];
    int fd = tap_open(o->tap, ifname);
    void *nd;

    (void)nvcpus;
    if (fd < 0) {
        log_msg("cannot open tap %s: %s", o->tap ? o->tap : "(any)", strerror(errno));
        return NULL;
    }
    nd = net_dev_create_on(fd, ifname, o, info);
    if (!nd)
        close(fd);
    return nd;
}

static int net_start(void *dev, struct vdev *d)
{
    struct net_dev *nd = dev;

    nd->vdev = d;
    if (pthread_create(&nd->rx, NULL, rx_main, nd) != 0) {
        log_msg("cannot start the rx thread");
        return -1;
    }
    nd->rx_running = true;
    return 0;
}

static uint32_t net_request(void *dev, unsigned q, struct guest_mem *gm,
                            const struct vq_chain *chain, bool *failed)
{
    struct net_dev *nd = dev;

    /* Only tx reaches here: rx is device_filled. */
    (void)q;
    return net_tx(&nd->port, gm, chain, failed);
}

static void net_stop(void *dev)
{
    struct net_dev *nd = dev;
    char c = 1;

    if (!nd->rx_running)
        return;
    if (write(nd->stop_pipe[1], &c, 1) != 1)
        log_msg("rx: cannot signal the thread to stop: %s", strerror(errno));
    pthread_join(nd->rx, NULL);
    nd->rx_running = false;
}

static void net_destroy(void *dev)
{
    struct net_dev *nd = dev;
    struct net_port *p = &nd->port;

    log_msg("net %s: tx %lu frames, %lu malformed, %lu lost; rx %lu frames, %lu dropped (no "
            "buffer), %lu dropped (buffer too small), %lu refused (over %u bytes)",
            nd->ifname, atomic_load(&p->tx_frames), atomic_load(&p->tx_bad),
            atomic_load(&p->tx_lost), atomic_load(&p->rx_frames), atomic_load(&p->rx_nobuf),
            atomic_load(&p->rx_small), atomic_load(&p->rx_big), NET_MAX_FRAME);
    close(p->fd);
    close(nd->stop_pipe[0]);
    close(nd->stop_pipe[1]);
    free(nd);
}

const struct vdev_type vdev_net = {
    .name = "net",
    .create = net_create,
    .start = net_start,
    .request = net_request,
    .stop = net_stop,
    .destroy = net_destroy,
};
