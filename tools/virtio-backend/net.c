/* virtio-net frame paths (VirtIO 1.2, 5.1.6). */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "le.h"
#include "net.h"

/* Per thread: only the tx worker uses it, and the guest cannot make us
 * allocate. */
static _Thread_local uint8_t tx_buf[NET_MAX_FRAME];

void net_port_init(struct net_port *n, int fd, const uint8_t mac[6], unsigned mtu)
{
    memset(n, 0, sizeof(*n));
    n->fd = fd;
    memcpy(n->mac, mac, 6);
    n->mtu = mtu;
    memcpy(n->config + VNET_CFG_MAC, mac, 6);
    /* The tap is there for as long as we are: the link never goes down. */
    put_le16(n->config + VNET_CFG_STATUS, VIRTIO_NET_S_LINK_UP);
    put_le16(n->config + VNET_CFG_MAX_VQ_PAIRS, 1);
    put_le16(n->config + VNET_CFG_MTU, (uint16_t)mtu);
}

uint64_t net_features(const struct net_port *n)
{
    uint64_t f = (1ull << VIRTIO_F_VERSION_1) | (1ull << VIRTIO_F_INDIRECT_DESC) |
                 (1ull << VIRTIO_NET_F_MAC) | (1ull << VIRTIO_NET_F_STATUS);

    if (n->mtu != 0)
        f |= 1ull << VIRTIO_NET_F_MTU;
    return f;
}

uint32_t net_tx(struct net_port *n, struct guest_mem *gm, const struct vq_chain *c, bool *failed)
{
    uint64_t len;
    ssize_t w;

    *failed = true;
    if (c->error != 0)
        return 0;
    if (c->readable < VNET_HDR_LEN + NET_MIN_FRAME ||
        c->readable - VNET_HDR_LEN > NET_MAX_FRAME) {
        atomic_fetch_add(&n->tx_bad, 1);
        return 0;
    }
    len = c->readable - VNET_HDR_LEN;
    if (vq_chain_read(gm, c, VNET_HDR_LEN, tx_buf, len) != 0) {
        atomic_fetch_add(&n->tx_bad, 1);
        return 0;
    }
    do {
        w = write(n->fd, tx_buf, len);
    } while (w < 0 && errno == EINTR);
    /* A tap whose interface is down refuses frames: the wire lost them,
     * as a real one would, and the guest is not told. */
    if (w != (ssize_t)len) {
        atomic_fetch_add(&n->tx_lost, 1);
        return 0;
    }
    atomic_fetch_add(&n->tx_frames, 1);
    *failed = false;
    return 0;
}

uint32_t net_rx_fill(void *ctx, struct guest_mem *gm, const struct vq_chain *c)
{
    struct net_frame *f = ctx;
    uint8_t hdr[VNET_HDR_LEN];

    if (c->writable < VNET_HDR_LEN || c->writable - VNET_HDR_LEN < f->len) {
        atomic_fetch_add(&f->port->rx_small, 1);
        return 0;
    }
    /* No flags (the frame's checksums are whole), no GSO, one buffer. */
    memset(hdr, 0, sizeof(hdr));
    put_le16(hdr + VNET_HDR_NUM_BUFFERS, 1);
    if (vq_chain_write(gm, c, 0, hdr, VNET_HDR_LEN) != 0 ||
        vq_chain_write(gm, c, VNET_HDR_LEN, f->data, f->len) != 0) {
        atomic_fetch_add(&f->port->rx_small, 1);
        return 0;
    }
    f->placed = true;
    atomic_fetch_add(&f->port->rx_frames, 1);
    return VNET_HDR_LEN + f->len;
}
