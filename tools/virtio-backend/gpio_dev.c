/* virtio-gpio as a device type of the back end: a request queue and an
 * event queue, the lines those of a dom0 chip (PATH /dev/gpiochipN) or of
 * the simulated paired chip (PATH sim-pairs, docs/virtio.md). A thread of
 * the device's own waits for the chip's edges and gives event buffers
 * back; request() keeps them (VDEV_HELD) until then. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpio_cdev.h"
#include "gpio_sim.h"
#include "log.h"
#include "vdev_types.h"
#include "vgpio.h"

#define SIM_NAME    "sim-pairs"
#define EVENT_Q     1u
#define WAIT_MS     100

struct gpio_dev {
    struct vgpio v;
    bool sim;
    struct gpio_cdev cdev;
    struct gpio_sim simchip;
    struct gpio_chip *chip;
    struct vdev *d;
    pthread_t thread;
    bool running;
    atomic_bool stop;
};

static void give_back(void *ctx, uint16_t head, uint32_t len)
{
    struct gpio_dev *g = ctx;

    /* -1: the queue was reset meanwhile, and the buffer went with it. */
    (void)vdev_queue_return(g->d, EVENT_Q, head, len);
}

static void edge_seen(void *ctx, unsigned line, bool rising)
{
    vgpio_edge(ctx, line, rising);
}

static void *edges_main(void *arg)
{
    struct gpio_dev *g = arg;

    while (!atomic_load(&g->stop)) {
        if (g->chip->wait_edges(g->chip, WAIT_MS, edge_seen, &g->v) != 0) {
            log_msg("gpio: the chip cannot be waited on: no more interrupts");
            break;
        }
    }
    return NULL;
}

static void *gpio_create(const struct vdev_opts *o, unsigned nvcpus, struct vdev_info *info)
{
    struct gpio_dev *g;

    (void)nvcpus;
    if (!o->path) {
        log_msg("gpio: no chip given (/dev/gpiochipN, or " SIM_NAME ")");
        return NULL;
    }
    g = calloc(1, sizeof(*g));
    if (!g)
        return NULL;
    if (strcmp(o->path, SIM_NAME) == 0) {
        g->sim = true;
        gpio_sim_init(&g->simchip);
        g->chip = &g->simchip.chip;
        log_msg("gpio: simulated chip, %u lines wired in pairs", GPIO_SIM_LINES);
    } else {
        if (gpio_cdev_open(&g->cdev, o->path, "virtio-gpio", NULL) != 0) {
            free(g);
            return NULL;
        }
        g->chip = &g->cdev.chip;
    }
    vgpio_init(&g->v, g->chip, give_back, g);
    memset(info, 0, sizeof(*info));
    info->device_id = VIRTIO_ID_GPIO;
    info->features = vgpio_features();
    info->config = g->v.config;
    info->config_len = VGPIO_CFG_SIZE;
    info->nqueues = 2;
    snprintf(info->what, sizeof(info->what), "gpio on %s (%u lines)", o->path, g->v.nlines);
    return g;
}

static int gpio_start(void *dev, struct vdev *d)
{
    struct gpio_dev *g = dev;

    g->d = d;
    if (pthread_create(&g->thread, NULL, edges_main, g) != 0) {
        log_msg("gpio: cannot start the event thread");
        return -1;
    }
    g->running = true;
    return 0;
}

static uint32_t gpio_request(void *dev, unsigned q, struct guest_mem *gm,
                             const struct vq_chain *chain, bool *failed)
{
    struct gpio_dev *g = dev;
    bool irq = vdev_negotiated(g->d, VIRTIO_GPIO_F_IRQ);
    uint8_t status;
    uint32_t len;

    if (q == EVENT_Q) {
        len = vgpio_event_buffer(&g->v, gm, chain, irq);
        *failed = false;
        return len == VGPIO_HELD ? VDEV_HELD : len;
    }
    len = vgpio_request(&g->v, gm, chain, irq, &status);
    *failed = status != VIRTIO_GPIO_STATUS_OK;
    return len;
}

static void gpio_reset(void *dev)
{
    vgpio_reset(&((struct gpio_dev *)dev)->v);
}

static void gpio_stop(void *dev)
{
    struct gpio_dev *g = dev;

    if (!g->running)
        return;
    atomic_store(&g->stop, true);
    pthread_join(g->thread, NULL);
    g->running = false;
}

static void gpio_destroy(void *dev)
{
    struct gpio_dev *g = dev;

    gpio_stop(g);
    log_msg("gpio: %lu interrupts delivered", g->v.events);
    vgpio_fini(&g->v);
    if (g->sim)
        gpio_sim_fini(&g->simchip);
    else
        gpio_cdev_close(&g->cdev);
    free(g);
}

const struct vdev_type vdev_gpio = {
    .name = "gpio",
    .create = gpio_create,
    .start = gpio_start,
    .request = gpio_request,
    .reset = gpio_reset,
    .stop = gpio_stop,
    .destroy = gpio_destroy,
};
