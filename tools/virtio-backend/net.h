/* virtio-net frames between a guest's virtqueues and a tap descriptor.
 *
 * One rx/tx queue pair, no offloads: the guest's virtio_net_hdr is read
 * only for its length and never acted on (no checksum or segmentation
 * features are offered, so it carries nothing we must honour), and what we
 * give the guest says "no checksum needed, no GSO, one buffer". Anything
 * the guest wrote is untrusted: a tx chain too short for a header, empty,
 * or holding more than NET_MAX_FRAME bytes of frame fails (is dropped and
 * counted); an rx buffer too small for the frame gets nothing.
 *
 * The descriptor is a tap opened with IFF_TAP | IFF_NO_PI (tap.c), or in
 * the unit tests one end of a SOCK_SEQPACKET pair: both keep a frame's
 * boundaries on read and write. */
#ifndef VBE_NET_H
#define VBE_NET_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "guest_mem.h"
#include "virtio_abi.h"
#include "virtqueue.h"

/* The largest frame either way (without the virtio header): a 64 KiB
 * IP packet behind an Ethernet header and VLAN tags, as a tap may carry. */
#define NET_MAX_FRAME  65550u
/* An Ethernet header: anything shorter is no frame. */
#define NET_MIN_FRAME  14u
#define NET_RXQ        0u
#define NET_TXQ        1u

struct net_port {
    int fd;
    uint8_t mac[6];
    unsigned mtu;           /* 0: not offered */
    uint8_t config[VNET_CFG_SIZE];
    /* Counted by the threads that move frames, read at the end. */
    atomic_ulong tx_frames, tx_bad, tx_lost;
    atomic_ulong rx_frames, rx_nobuf, rx_small, rx_big;
};

/* Take fd (a tap or a test's socket), fill the config space. */
void net_port_init(struct net_port *n, int fd, const uint8_t mac[6], unsigned mtu);
uint64_t net_features(const struct net_port *n);

/* One tx chain: the frame after the header written to the descriptor.
 * 0 (a tx buffer is only read); *failed when it was dropped. */
uint32_t net_tx(struct net_port *n, struct guest_mem *gm, const struct vq_chain *chain,
                bool *failed);

/* A frame read from the descriptor, waiting for an rx buffer. */
struct net_frame {
    struct net_port *port;
    const uint8_t *data;
    uint32_t len;
    bool placed;            /* set by net_rx_fill when it reached the guest */
};

/* vdev_queue_fill()'s filler for the rx queue: header and frame into the
 * chain's writable part; the bytes written, or 0 when it does not fit. */
uint32_t net_rx_fill(void *frame, struct guest_mem *gm, const struct vq_chain *chain);

#endif
