/* virtio-mmio version 2 register file (VirtIO 1.2, 4.2.2). */
#include <string.h>

#include "le.h"
#include "virtio_abi.h"
#include "virtio_mmio.h"

/* Shown to the driver as VendorID: "PXNS". */
#define VENDOR_PROXENOS 0x534e5850u

void vmmio_init(struct vmmio *m, uint32_t device_id, uint64_t features, unsigned nqueues,
                uint32_t queue_num_max, const uint8_t *config, uint32_t config_len,
                const struct vmmio_ops *ops, void *opaque)
{
    memset(m, 0, sizeof(*m));
    m->device_id = device_id;
    m->vendor_id = VENDOR_PROXENOS;
    m->device_features = features;
    m->nqueues = nqueues > VMMIO_MAX_QUEUES ? VMMIO_MAX_QUEUES : nqueues;
    m->queue_num_max = queue_num_max;
    m->config = config;
    m->config_len = config_len;
    m->ops = ops;
    m->opaque = opaque;
    atomic_init(&m->int_status, 0);
    atomic_init(&m->needs_reset, false);
}

static struct vmmio_queue *sel_queue(struct vmmio *m)
{
    return m->queue_sel < m->nqueues ? &m->q[m->queue_sel] : NULL;
}

static void set_half(uint64_t *v, bool high, uint32_t val)
{
    if (high)
        *v = (*v & 0xffffffffull) | ((uint64_t)val << 32);
    else
        *v = (*v & ~0xffffffffull) | val;
}

static uint64_t config_read(struct vmmio *m, uint64_t off, unsigned size)
{
    uint8_t b[8] = { 0 };

    /* Past the device's fields reads as zero, as reserved space should. */
    if (off < m->config_len) {
        uint64_t n = m->config_len - off < size ? m->config_len - off : size;

        memcpy(b, m->config + off, n);
    }
    return le64(b) & (size == 8 ? ~0ull : (1ull << (8 * size)) - 1u);
}

static void reset(struct vmmio *m)
{
    unsigned i;

    for (i = 0; i < m->nqueues; i++) {
        if (m->q[i].ready)
            m->ops->queue_ready(m->opaque, i, false);
    }
    m->ops->reset(m->opaque);
    m->driver_features = 0;
    m->device_features_sel = 0;
    m->driver_features_sel = 0;
    m->queue_sel = 0;
    m->status = 0;
    memset(m->q, 0, sizeof(m->q));
    atomic_store(&m->needs_reset, false);
    if (atomic_exchange(&m->int_status, 0) != 0)
        m->ops->irq(m->opaque, 0);
}

static void write_status(struct vmmio *m, uint32_t val)
{
    if (val == 0) {
        reset(m);
        return;
    }
    /* FEATURES_OK holds only for a subset of what was offered that
     * includes VERSION_1 (no legacy interface here); the driver reads the
     * status back and gives up otherwise. */
    if ((val & VIRTIO_STATUS_FEATURES_OK) && !(m->status & VIRTIO_STATUS_FEATURES_OK)) {
        if ((m->driver_features & ~m->device_features) != 0 ||
            !vmmio_negotiated(m, VIRTIO_F_VERSION_1))
            val &= ~VIRTIO_STATUS_FEATURES_OK;
    }
    m->status = val & ~VIRTIO_STATUS_NEEDS_RESET;
}

static uint32_t read_reg(struct vmmio *m, uint64_t off)
{
    struct vmmio_queue *q = sel_queue(m);

    switch (off) {
    case VMMIO_MAGIC:
        return VMMIO_MAGIC_VALUE;
    case VMMIO_VERSION:
        return 2;
    case VMMIO_DEVICE_ID:
        return m->device_id;
    case VMMIO_VENDOR_ID:
        return m->vendor_id;
    case VMMIO_DEVICE_FEATURES:
        return m->device_features_sel > 1 ? 0
                                          : (uint32_t)(m->device_features >> (32 * m->device_features_sel));
    case VMMIO_QUEUE_NUM_MAX:
        return q ? m->queue_num_max : 0;
    case VMMIO_QUEUE_READY:
        return q ? q->ready : 0;
    case VMMIO_INTERRUPT_STATUS:
        return atomic_load(&m->int_status);
    case VMMIO_STATUS:
        return m->status | (atomic_load(&m->needs_reset) ? VIRTIO_STATUS_NEEDS_RESET : 0);
    case VMMIO_QUEUE_DESC_LOW:
        return q ? (uint32_t)q->desc : 0;
    case VMMIO_QUEUE_DESC_HIGH:
        return q ? (uint32_t)(q->desc >> 32) : 0;
    case VMMIO_QUEUE_DRIVER_LOW:
        return q ? (uint32_t)q->driver : 0;
    case VMMIO_QUEUE_DRIVER_HIGH:
        return q ? (uint32_t)(q->driver >> 32) : 0;
    case VMMIO_QUEUE_DEVICE_LOW:
        return q ? (uint32_t)q->device : 0;
    case VMMIO_QUEUE_DEVICE_HIGH:
        return q ? (uint32_t)(q->device >> 32) : 0;
    case VMMIO_SHM_LEN_LOW:
    case VMMIO_SHM_LEN_HIGH:
        /* No shared memory regions: every one has length -1. */
        return 0xffffffffu;
    case VMMIO_CONFIG_GENERATION:
        return m->config_generation;
    default:
        return 0;
    }
}

static void write_reg(struct vmmio *m, uint64_t off, uint32_t val)
{
    struct vmmio_queue *q = sel_queue(m);

    switch (off) {
    case VMMIO_DEVICE_FEATURES_SEL:
        m->device_features_sel = val;
        break;
    case VMMIO_DRIVER_FEATURES:
        /* Features are fixed once FEATURES_OK is set (3.1.1). */
        if (m->driver_features_sel <= 1 && !(m->status & VIRTIO_STATUS_FEATURES_OK))
            set_half(&m->driver_features, m->driver_features_sel == 1, val);
        break;
    case VMMIO_DRIVER_FEATURES_SEL:
        m->driver_features_sel = val;
        break;
    case VMMIO_QUEUE_SEL:
        m->queue_sel = val;
        break;
    case VMMIO_QUEUE_NUM:
        if (q && !q->ready)
            q->num = val;
        break;
    case VMMIO_QUEUE_READY:
        if (!q || (val & 1u) == q->ready)
            break;
        if (m->ops->queue_ready(m->opaque, m->queue_sel, val & 1u))
            q->ready = val & 1u;
        break;
    case VMMIO_QUEUE_NOTIFY:
        /* The value is the queue index (no VIRTIO_F_NOTIFICATION_DATA). */
        if (val < m->nqueues && m->q[val].ready)
            m->ops->notify(m->opaque, val);
        break;
    case VMMIO_INTERRUPT_ACK:
        if ((atomic_fetch_and(&m->int_status, ~val) & ~val) == 0)
            m->ops->irq(m->opaque, 0);
        break;
    case VMMIO_STATUS:
        write_status(m, val);
        break;
    case VMMIO_QUEUE_DESC_LOW:
    case VMMIO_QUEUE_DESC_HIGH:
        if (q && !q->ready)
            set_half(&q->desc, off == VMMIO_QUEUE_DESC_HIGH, val);
        break;
    case VMMIO_QUEUE_DRIVER_LOW:
    case VMMIO_QUEUE_DRIVER_HIGH:
        if (q && !q->ready)
            set_half(&q->driver, off == VMMIO_QUEUE_DRIVER_HIGH, val);
        break;
    case VMMIO_QUEUE_DEVICE_LOW:
    case VMMIO_QUEUE_DEVICE_HIGH:
        if (q && !q->ready)
            set_half(&q->device, off == VMMIO_QUEUE_DEVICE_HIGH, val);
        break;
    default:
        /* Read-only and reserved registers, SHMSel, QueueReset: ignored. */
        break;
    }
}

uint64_t vmmio_read(struct vmmio *m, uint64_t off, unsigned size)
{
    if (size != 1 && size != 2 && size != 4 && size != 8)
        return ~0ull;
    if (off >= VMMIO_CONFIG)
        return config_read(m, off - VMMIO_CONFIG, size);
    /* Registers are 32 bits wide, read whole and aligned (4.2.2.2). */
    if (size != 4 || (off & 3u) != 0)
        return 0;
    return read_reg(m, off);
}

void vmmio_write(struct vmmio *m, uint64_t off, unsigned size, uint64_t val)
{
    /* The config space of a block device is read-only to the driver (its
     * writeback field needs VIRTIO_BLK_F_CONFIG_WCE, not offered). */
    if (off >= VMMIO_CONFIG || size != 4 || (off & 3u) != 0)
        return;
    write_reg(m, off, (uint32_t)val);
}

void vmmio_raise(struct vmmio *m, uint32_t bits)
{
    atomic_fetch_or(&m->int_status, bits);
    m->ops->irq(m->opaque, 1);
}

void vmmio_set_needs_reset(struct vmmio *m)
{
    atomic_store(&m->needs_reset, true);
    /* A driver that is not running yet ignores it; one that is re-reads
     * the status. */
    vmmio_raise(m, VMMIO_INT_CONFIG);
}
