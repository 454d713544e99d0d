/* The virtio-mmio register file, version 2 ("modern"), of one device.
 *
 * Pure state: accesses come in as (offset, size, value) and what they mean
 * for the device (a queue made ready or not, a notification, a reset, an
 * acknowledged interrupt) goes out through vmmio_ops. The interrupt status
 * is the only part other threads touch (vmmio_raise), hence atomic. */
#ifndef VBE_VIRTIO_MMIO_H
#define VBE_VIRTIO_MMIO_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#define VMMIO_MAX_QUEUES 16u

struct vmmio_queue {
    uint32_t num;
    bool ready;
    uint64_t desc, driver, device;
};

struct vmmio_ops {
    /* Queue q becomes usable (ready) or stops being so; returns false to
     * refuse a layout the device cannot use (the queue stays not ready). */
    bool (*queue_ready)(void *opaque, unsigned q, bool ready);
    void (*notify)(void *opaque, unsigned q);
    /* The driver wrote 0 to Status: every queue is already stopped. */
    void (*reset)(void *opaque);
    /* Set the interrupt line: level 1 on a raise, 0 once all is acknowledged. */
    void (*irq)(void *opaque, int level);
};

struct vmmio {
    uint32_t device_id, vendor_id;
    uint64_t device_features, driver_features;
    uint32_t device_features_sel, driver_features_sel, queue_sel;
    uint32_t status;
    atomic_uint int_status;
    atomic_bool needs_reset;
    uint32_t config_generation;
    unsigned nqueues;
    uint32_t queue_num_max;
    struct vmmio_queue q[VMMIO_MAX_QUEUES];
    const uint8_t *config;
    uint32_t config_len;
    const struct vmmio_ops *ops;
    void *opaque;
};

void vmmio_init(struct vmmio *m, uint32_t device_id, uint64_t features, unsigned nqueues,
                uint32_t queue_num_max, const uint8_t *config, uint32_t config_len,
                const struct vmmio_ops *ops, void *opaque);

/* A guest access at offset off of the window, size 1, 2, 4 or 8. */
uint64_t vmmio_read(struct vmmio *m, uint64_t off, unsigned size);
void vmmio_write(struct vmmio *m, uint64_t off, unsigned size, uint64_t val);

/* From any thread: set InterruptStatus bits and raise the line. */
void vmmio_raise(struct vmmio *m, uint32_t bits);
/* From any thread: the device cannot go on (a broken ring) until reset;
 * the driver is told with a configuration interrupt. */
void vmmio_set_needs_reset(struct vmmio *m);

static inline bool vmmio_negotiated(const struct vmmio *m, unsigned bit)
{
    return (m->driver_features >> bit) & 1u;
}

#endif
