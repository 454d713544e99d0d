/* One VirtIO device behind a virtio-mmio window: the part every device
 * type shares (register file, one worker thread per queue, the interrupt)
 * and the interface a device type plugs into it.
 *
 * Register accesses arrive from one thread (the event loop answering the
 * guest's vCPUs) and return at once; a notification only wakes the
 * queue's worker, which takes chains off the ring, hands each to the
 * type's request() and raises the interrupt. The guest's vCPU is therefore
 * never held for the duration of I/O, and queues proceed in parallel.
 *
 * Adding a device type (see blk_dev.c, net_dev.c):
 *   1. Write a `const struct vdev_type vdev_<name>` whose create() opens
 *      what backs the device from the vdev_opts and describes the device
 *      in a vdev_info (features, config space, queues).
 *   2. Handle chains in request(): it is called on the queue's worker
 *      thread, one chain at a time per queue, queues in parallel. The chain
 *      was walked and bounded by virtqueue.c but its contents are the
 *      guest's: check every byte read through vq_chain_read().
 *   3. A queue the device fills on its own initiative (net's rx) is named
 *      in vdev_info.device_filled: no worker drains it; the device calls
 *      vdev_queue_fill() from its own thread when it has something to put.
 *   4. A chain the device answers later, out of order (gpio's event
 *      buffers, each kept until its line's interrupt), is kept by returning
 *      VDEV_HELD from request() and given back with vdev_queue_return().
 *   5. List the type in vdev_types.c, and the file in backend.mk; its
 *      option words (a dom0less device's backend-args, the discovery
 *      mode's configuration) in devargs.c. */
#ifndef VBE_VDEV_H
#define VBE_VDEV_H

#include <stdbool.h>
#include <stdint.h>

#include "guest_mem.h"
#include "virtqueue.h"

struct vdev;

/* What the command line (or xenstore) says about a device; each type uses
 * the fields that mean something to it and ignores the rest. */
struct vdev_opts {
    const char *path;       /* blk: image or block device; i2c/gpio: the dom0 device node */
    bool ro;                /* blk: read-only */
    unsigned queues;        /* blk: request queues, 0 = one per guest vCPU */
    const char *tap;        /* net: tap interface name, NULL = the kernel picks one */
    bool have_mac;
    uint8_t mac[6];         /* net: the guest's MAC when have_mac */
    unsigned mtu;           /* net: 0 = no VIRTIO_NET_F_MTU */
};

/* A device as its type describes it to the transport. */
struct vdev_info {
    uint32_t device_id;     /* VIRTIO_ID_* */
    uint64_t features;      /* offered; VIRTIO_F_VERSION_1 is the type's to include */
    const uint8_t *config;  /* config space, owned by the device; read-only to the driver */
    uint32_t config_len;
    unsigned nqueues;       /* 1..VMMIO_MAX_QUEUES */
    uint32_t device_filled; /* bit q: queue q is filled by vdev_queue_fill(), not drained */
    char what[160];         /* what backs it, for the "serving ..." log line; "" = the type's name */
};

struct vdev_type {
    const char *name;       /* what --type says */
    /* Open the backing (an image, a tap, ...) for a guest of nvcpus vCPUs
     * and fill *info: the device's own state, or NULL after a log line
     * saying why not. */
    void *(*create)(const struct vdev_opts *o, unsigned nvcpus, struct vdev_info *info);
    /* Optional: the transport exists; d is what vdev_queue_fill() wants.
     * A type with threads of its own starts them here: 0, or -1 to give up. */
    int (*start)(void *dev, struct vdev *d);
    /* One chain of queue q (never a device_filled one; chain->error may be
     * set, and then nothing in it may be touched). Returns the bytes
     * written into the chain's writable part, as the used ring reports
     * them; *failed set when the request was answered with an error. */
    uint32_t (*request)(void *dev, unsigned q, struct guest_mem *gm, const struct vq_chain *chain,
                        bool *failed);
    /* Optional: the driver reset the device (all queues already stopped). */
    void (*reset)(void *dev);
    /* Optional: stop the type's own threads; after it vdev_queue_fill()
     * is not called again. Called before the queues' workers stop. */
    void (*stop)(void *dev);
    /* Close the backing, log what the device did, free. */
    void (*destroy)(void *dev);
};

/* The type called name, or NULL (vdev_types.c). */
const struct vdev_type *vdev_type_find(const char *name);
/* "blk|net|..." for usage messages. */
const char *vdev_type_names(void);

/* Create the type's device and its transport; irq(ctx, level) drives the
 * interrupt line. NULL on failure, with nothing left behind. */
struct vdev *vdev_open(const struct vdev_type *t, const struct vdev_opts *o, unsigned nvcpus,
                       struct guest_mem *gm, void (*irq)(void *ctx, int level), void *irq_ctx);
/* The device as its type described it. */
const struct vdev_info *vdev_get_info(const struct vdev *d);
uint64_t vdev_read(struct vdev *d, uint64_t off, unsigned size);
void vdev_write(struct vdev *d, uint64_t off, unsigned size, uint64_t val);
/* Stop the type's threads and the workers, log what each queue did, and
 * destroy the type's device. */
void vdev_destroy(struct vdev *d);

/* From the device's own thread, for a device_filled queue: take the next
 * buffer the driver made available, let fill(ctx, gm, chain) write into
 * it (it returns the bytes written), give it back, interrupt if the
 * driver wants one. 1 when a buffer was filled, 0 when there was none (the
 * queue not ready, empty, or broken), -1 when the chain was malformed
 * (given back with nothing written). */
int vdev_queue_fill(struct vdev *d, unsigned q,
                    uint32_t (*fill)(void *ctx, struct guest_mem *gm, const struct vq_chain *chain),
                    void *ctx);
/* request()'s answer for a chain the type keeps, to give back later with
 * vdev_queue_return() (gpio's event queue holds a buffer per line until
 * that line's interrupt comes). Nothing goes on the used ring for it now. */
#define VDEV_HELD UINT32_MAX

/* Put chain head, kept by request(), on queue q's used ring with len bytes
 * written, and interrupt if the driver wants one. From any thread but that
 * queue's worker (never from request(): it waits for the worker to be
 * between two rounds). 0, or -1 when the queue is not ready or is broken:
 * a reset took the chain with it. */
int vdev_queue_return(struct vdev *d, unsigned q, uint16_t head, uint32_t len);

/* Whether the driver accepted feature bit. */
bool vdev_negotiated(struct vdev *d, unsigned bit);

#endif
