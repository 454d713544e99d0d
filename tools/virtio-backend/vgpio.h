/* virtio-gpio (VirtIO 1.2, 5.17) on a dom0 GPIO chip.
 *
 * Two queues: requests (0) and, with VIRTIO_GPIO_F_IRQ, events (1). A
 * request is an 8-byte message the device reads (type, line, value) and a
 * response it writes: status, then one value byte, or the lines' names for
 * GET_NAMES. The event queue holds at most one buffer per line whose
 * interrupt the driver enabled: the device keeps it until the interrupt
 * comes (VALID) or is disabled (INVALID), so buffers go back out of order.
 *
 * Lines start released (direction NONE): the chip's line is taken from
 * dom0 when the driver sets a direction and given back when it sets NONE
 * or resets the device. Level interrupts are made of edges and the line's
 * level: a buffer queued while the level holds comes back at once. */
#ifndef VBE_VGPIO_H
#define VBE_VGPIO_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "gpio_chip.h"
#include "guest_mem.h"
#include "virtqueue.h"

#define VIRTIO_ID_GPIO                  41
#define VIRTIO_GPIO_F_IRQ               0

#define VIRTIO_GPIO_MSG_GET_NAMES       0x0001u
#define VIRTIO_GPIO_MSG_GET_DIRECTION   0x0002u
#define VIRTIO_GPIO_MSG_SET_DIRECTION   0x0003u
#define VIRTIO_GPIO_MSG_GET_VALUE       0x0004u
#define VIRTIO_GPIO_MSG_SET_VALUE       0x0005u
#define VIRTIO_GPIO_MSG_IRQ_TYPE        0x0006u

#define VIRTIO_GPIO_STATUS_OK           0u
#define VIRTIO_GPIO_STATUS_ERR          1u

#define VIRTIO_GPIO_DIRECTION_NONE      0u
#define VIRTIO_GPIO_DIRECTION_OUT       1u
#define VIRTIO_GPIO_DIRECTION_IN        2u

#define VIRTIO_GPIO_IRQ_TYPE_NONE         0x00u
#define VIRTIO_GPIO_IRQ_TYPE_EDGE_RISING  0x01u
#define VIRTIO_GPIO_IRQ_TYPE_EDGE_FALLING 0x02u
#define VIRTIO_GPIO_IRQ_TYPE_EDGE_BOTH    0x03u
#define VIRTIO_GPIO_IRQ_TYPE_LEVEL_HIGH   0x04u
#define VIRTIO_GPIO_IRQ_TYPE_LEVEL_LOW    0x08u

#define VIRTIO_GPIO_IRQ_STATUS_INVALID  0u
#define VIRTIO_GPIO_IRQ_STATUS_VALID    1u

#define VGPIO_REQ_LEN       8u
#define VGPIO_CFG_SIZE      8u
/* Lines offered at most: bounds the names and the per-line state. */
#define VGPIO_MAX_LINES     256u
/* Longest name kept, NUL included (the chip's own limit in Linux). */
#define VGPIO_NAME_MAX      32u

/* vgpio_event_buffer()'s answer for a buffer the device keeps. */
#define VGPIO_HELD          UINT32_MAX

struct vgpio_line {
    uint8_t dir;            /* VIRTIO_GPIO_DIRECTION_* as the driver set it */
    uint8_t value;          /* the last SET_VALUE: driven once the line is an output */
    uint8_t irq_type;
    bool latched;           /* an edge came while no buffer was there */
    bool held;              /* the driver's event buffer is with us */
    uint16_t head;
    uint64_t status_gpa;    /* where its status byte goes */
};

struct vgpio {
    struct gpio_chip *chip;
    struct guest_mem *gm;   /* the last chain's, under lock: where kept buffers are */
    /* Give event buffer head back with len bytes written, from any thread
     * but with no lock of ours held. */
    void (*give_back)(void *ctx, uint16_t head, uint32_t len);
    void *ctx;
    pthread_mutex_t lock;
    unsigned nlines;
    struct vgpio_line line[VGPIO_MAX_LINES];
    uint32_t names_size;
    uint8_t names[VGPIO_MAX_LINES * VGPIO_NAME_MAX];
    uint8_t config[VGPIO_CFG_SIZE];
    unsigned long events;   /* interrupts delivered */
};

/* The chip's first VGPIO_MAX_LINES lines, names read once. */
void vgpio_init(struct vgpio *v, struct gpio_chip *chip,
                void (*give_back)(void *ctx, uint16_t head, uint32_t len), void *ctx);
void vgpio_fini(struct vgpio *v);
uint64_t vgpio_features(void);

/* A request queue chain: the bytes written (status and value, or names),
 * 0 for a chain with nowhere to write; *status what was answered (0xff:
 * nothing). irq: whether VIRTIO_GPIO_F_IRQ was negotiated. */
uint32_t vgpio_request(struct vgpio *v, struct guest_mem *gm, const struct vq_chain *chain, bool irq,
                       uint8_t *status);

/* An event queue chain: VGPIO_HELD when the device keeps it for a line's
 * interrupt, else the bytes written now (1: the status, VALID for an
 * interrupt already pending, INVALID for a buffer it cannot keep; 0 when
 * there is nowhere to write). */
uint32_t vgpio_event_buffer(struct vgpio *v, struct guest_mem *gm, const struct vq_chain *chain,
                            bool irq);

/* From the event thread: the chip saw an edge on line. */
void vgpio_edge(struct vgpio *v, unsigned line, bool rising);

/* The driver reset the device: every line back to dom0, no interrupt
 * enabled, kept buffers forgotten (their ring is gone). */
void vgpio_reset(struct vgpio *v);

#endif
