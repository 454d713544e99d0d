/* A virtio-blk device behind a virtio-mmio window: the register file,
 * one worker thread per queue, the disk.
 *
 * Register accesses arrive from one thread (the event loop answering the
 * guest's vCPUs) and return at once; a notification only wakes the
 * queue's worker, which takes requests off the ring, does the I/O and
 * raises the interrupt. The guest's vCPU is therefore never held for the
 * duration of disk I/O, and queues proceed in parallel. */
#ifndef VBE_VDEV_H
#define VBE_VDEV_H

#include <stdint.h>

#include "blk.h"
#include "guest_mem.h"

struct vdev;

/* irq(ctx, level) drives the device's interrupt line. */
struct vdev *vdev_create(struct blk_disk *disk, struct guest_mem *gm, unsigned nqueues,
                         void (*irq)(void *ctx, int level), void *irq_ctx);
uint64_t vdev_read(struct vdev *d, uint64_t off, unsigned size);
void vdev_write(struct vdev *d, uint64_t off, unsigned size, uint64_t val);
/* Stop the workers, log what each queue did, free. */
void vdev_destroy(struct vdev *d);

#endif
