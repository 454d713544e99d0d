/*
 * A minimal virtio-mmio (version 2) driver for test guests: split rings of
 * VDRV_QSZ entries, up to VDRV_MAXQ queues, descriptors written by the
 * caller, used rings polled. It does what a driver must to bring a device
 * up and lets the caller offer any chain at all, so that a guest can drive
 * a back end's device both as a driver should and as none should
 * (guests/vi2c_front, guests/vgpio_front).
 *
 * The guest's RAM is identity-mapped, so a pointer is its guest-physical
 * address.
 */
#ifndef GUEST_VDRV_H
#define GUEST_VDRV_H

#include <stdbool.h>
#include <stdint.h>

#define VDRV_QSZ        16U
#define VDRV_MAXQ       2U

#define VDRV_F_NEXT     1U
#define VDRV_F_WRITE    2U

/* Registers (VirtIO 1.2, 4.2.2). */
#define VDRV_MAGIC      0x000U
#define VDRV_VERSION    0x004U
#define VDRV_DEVICE_ID  0x008U
#define VDRV_DEVFEAT    0x010U
#define VDRV_DEVFEATSEL 0x014U
#define VDRV_ISR        0x060U
#define VDRV_ACK        0x064U
#define VDRV_STATUS     0x070U
#define VDRV_CONFIG     0x100U

struct vdrv_desc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
    uint16_t next;
};

struct vdrv_queue {
    struct vdrv_desc desc[VDRV_QSZ] __attribute__((aligned(4096)));
    volatile uint16_t avail[2U + VDRV_QSZ + 1U] __attribute__((aligned(4096)));
    volatile uint32_t used[1U + 2U * VDRV_QSZ + 1U] __attribute__((aligned(4096)));
    uint16_t next_avail, seen_used;
};

struct vdrv {
    uintptr_t base;
    unsigned nq;
    struct vdrv_queue q[VDRV_MAXQ];
};

static inline uint64_t vdrv_pa(const volatile void *p)
{
    return (uint64_t)(uintptr_t)p;
}

uint32_t vdrv_rd(const struct vdrv *d, uint32_t off);
void vdrv_wr(const struct vdrv *d, uint32_t off, uint32_t v);

/* Whether base holds a version-2 virtio-mmio device of this ID. */
bool vdrv_probe(struct vdrv *d, uintptr_t base, uint32_t device_id);
/* The device's feature bits, all 64. */
uint64_t vdrv_device_features(const struct vdrv *d);
/* Reset, negotiate features (the device must accept them), set up nq
 * queues and say DRIVER_OK: whether every step was accepted. */
bool vdrv_init(struct vdrv *d, uint64_t features, unsigned nq);

/* Descriptor i of queue q. */
void vdrv_desc(struct vdrv *d, unsigned q, unsigned i, uint64_t addr, uint32_t len,
               uint16_t flags, uint16_t next);
/* Make head available on queue q and notify the device. */
void vdrv_offer(struct vdrv *d, unsigned q, uint16_t head);
/* The next used entry of queue q if there is one: its head and length. */
bool vdrv_take(struct vdrv *d, unsigned q, uint16_t *head, uint32_t *len);
/* The next used entry within timeout_ms: its length (head in *head), or
 * -1 when none came. */
int64_t vdrv_wait(struct vdrv *d, unsigned q, uint16_t *head, uint64_t timeout_ms);

#endif
