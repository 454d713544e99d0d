/* One split virtqueue as the device sees it: descriptor chains taken from
 * the available ring, checked, and given back through the used ring.
 *
 * Nothing the guest wrote is trusted. A chain that cannot be walked (a
 * loop, an index or address out of range, a bad indirect table) comes back
 * with an error code so that only that request fails; a ring that cannot be
 * read at all, or whose indices make no sense, makes vq_pop() report the
 * queue broken. */
#ifndef VBE_VIRTQUEUE_H
#define VBE_VIRTQUEUE_H

#include <stdbool.h>
#include <stdint.h>

#include "guest_mem.h"

/* QueueNumMax: the largest ring a driver may set up. */
#define VQ_MAX_SIZE      256u
/* The most buffers one chain may name, direct and indirect together; the
 * block device advertises seg_max well below it. */
#define VQ_MAX_SEGS      256u
/* The largest indirect table accepted, in descriptors. */
#define VQ_MAX_INDIRECT  256u

struct vq_seg {
    uint64_t gpa;
    uint32_t len;
    bool device_writes;
};

struct vq_chain {
    uint16_t head;
    int error;              /* 0, or a negative errno saying why it is unusable */
    unsigned nseg;
    uint64_t readable;      /* bytes the device may read, in order */
    uint64_t writable;      /* bytes the device may write, after them */
    struct vq_seg seg[VQ_MAX_SEGS];
};

struct vq {
    struct guest_mem *gm;
    uint16_t num;           /* ring size, a power of two */
    uint64_t desc;          /* descriptor table */
    uint64_t avail;         /* driver area */
    uint64_t used;          /* device area */
    bool indirect;          /* VIRTIO_F_INDIRECT_DESC was negotiated */
    uint16_t last_avail;    /* next available entry to take */
    uint16_t used_idx;      /* next used entry to fill */
};

/* Whether (num, desc, avail, used) describe a ring the device can use:
 * size a power of two up to VQ_MAX_SIZE, each area aligned as the
 * specification requires and not wrapping around the address space. */
bool vq_layout_ok(uint32_t num, uint64_t desc, uint64_t avail, uint64_t used);

void vq_init(struct vq *vq, struct guest_mem *gm, uint16_t num, uint64_t desc, uint64_t avail,
             uint64_t used, bool indirect);

/* Take the next chain: 1 with *chain filled (check chain->error), 0 when
 * the ring is empty, -1 when the ring itself is broken. */
int vq_pop(struct vq *vq, struct vq_chain *chain);

/* Give chain head back with len bytes written into its buffers: 0, or -1
 * when the used ring cannot be written. */
int vq_push(struct vq *vq, uint16_t head, uint32_t len);

/* Whether the driver wants an interrupt for used buffers (it may ask not
 * to with VIRTQ_AVAIL_F_NO_INTERRUPT). */
bool vq_wants_irq(struct vq *vq);

/* Copy between the chain's buffers and ours: the readable part seen as one
 * run of bytes from offset off, or the writable part likewise. 0, or -1
 * when the chain is too short or guest memory cannot be reached. */
int vq_chain_read(struct guest_mem *gm, const struct vq_chain *chain, uint64_t off, void *dst,
                  uint64_t len);
int vq_chain_write(struct guest_mem *gm, const struct vq_chain *chain, uint64_t off,
                   const void *src, uint64_t len);

/* Host addresses of len bytes at offset off of the readable or writable
 * part, through guest_mem's get, in at most max iovecs: their count, or -1
 * with nothing held when the chain is too short or the memory cannot be
 * reached that way (copy with the calls above instead). vq_chain_put with
 * the same arguments and the iovecs it filled gives back what a successful
 * vq_chain_get holds. */
int vq_chain_get(struct guest_mem *gm, const struct vq_chain *chain, bool writable, uint64_t off,
                 uint64_t len, struct iovec *iov, unsigned max);
void vq_chain_put(struct guest_mem *gm, const struct vq_chain *chain, bool writable, uint64_t off,
                  uint64_t len, const struct iovec *iov);

#endif
