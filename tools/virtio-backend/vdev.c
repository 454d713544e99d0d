/* virtio-blk device: register file, per-queue workers, disk. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "log.h"
#include "vdev.h"
#include "virtio_mmio.h"
#include "virtqueue.h"

struct worker {
    struct vdev *dev;
    unsigned index;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;    /* kick or stop set */
    pthread_cond_t idle;    /* busy cleared */
    bool kick, busy, stop, ready;
    struct vq vq;           /* the worker's alone while busy */
    /* Counted by the worker, read after it is joined. */
    unsigned long requests, failed, malformed;
    bool broken;
};

struct vdev {
    struct vmmio mmio;
    struct blk_disk *disk;
    struct guest_mem *gm;
    unsigned nqueues;
    void (*irq)(void *ctx, int level);
    void *irq_ctx;
    uint8_t config[VBLK_CFG_SIZE];
    struct worker w[VMMIO_MAX_QUEUES];
};

/* Take and answer every request on the ring; the interrupt once for the
 * lot. A broken ring stops the queue until the driver resets the device. */
static void drain(struct worker *w)
{
    struct vdev *d = w->dev;
    struct vq_chain *chain = malloc(sizeof(*chain));
    unsigned done = 0;
    int r = 0;

    if (!chain) {
        log_msg("queue %u: out of memory", w->index);
        return;
    }
    while (!w->broken && (r = vq_pop(&w->vq, chain)) > 0) {
        uint8_t status;
        uint32_t len = blk_request(d->disk, d->gm, chain, &status);

        w->requests++;
        if (chain->error != 0) {
            if (w->malformed++ < 5)
                log_msg("queue %u: malformed chain at head %u (error %d), failed",
                        w->index, chain->head, chain->error);
        } else if (status != VIRTIO_BLK_S_OK) {
            w->failed++;
        }
        if (vq_push(&w->vq, chain->head, len) != 0) {
            r = -1;
            break;
        }
        done++;
    }
    free(chain);
    if (r < 0 && !w->broken) {
        w->broken = true;
        log_msg("queue %u: ring unreadable or inconsistent; device needs reset", w->index);
        vmmio_set_needs_reset(&d->mmio);
    }
    if (done != 0 && vq_wants_irq(&w->vq))
        vmmio_raise(&d->mmio, VMMIO_INT_VRING);
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;

    pthread_mutex_lock(&w->lock);
    for (;;) {
        while (!w->kick && !w->stop)
            pthread_cond_wait(&w->wake, &w->lock);
        if (w->stop)
            break;
        w->kick = false;
        if (!w->ready)
            continue;
        w->busy = true;
        pthread_mutex_unlock(&w->lock);
        drain(w);
        pthread_mutex_lock(&w->lock);
        w->busy = false;
        pthread_cond_broadcast(&w->idle);
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

/* With w->lock held: until the worker is between two rounds. */
static void wait_idle(struct worker *w)
{
    while (w->busy)
        pthread_cond_wait(&w->idle, &w->lock);
}

static bool on_queue_ready(void *opaque, unsigned q, bool ready)
{
    struct vdev *d = opaque;
    struct worker *w = &d->w[q];
    const struct vmmio_queue *regs = &d->mmio.q[q];

    if (ready && !vq_layout_ok(regs->num, regs->desc, regs->driver, regs->device)) {
        log_msg("queue %u: unusable layout (size %u, desc %#llx, driver %#llx, device %#llx)", q,
                regs->num, (unsigned long long)regs->desc, (unsigned long long)regs->driver,
                (unsigned long long)regs->device);
        return false;
    }
    pthread_mutex_lock(&w->lock);
    wait_idle(w);
    if (ready)
        vq_init(&w->vq, d->gm, (uint16_t)regs->num, regs->desc, regs->driver, regs->device,
                vmmio_negotiated(&d->mmio, VIRTIO_F_INDIRECT_DESC));
    w->ready = ready;
    w->broken = false;
    w->kick = false;
    pthread_mutex_unlock(&w->lock);
    return true;
}

static void on_notify(void *opaque, unsigned q)
{
    struct worker *w = &((struct vdev *)opaque)->w[q];

    pthread_mutex_lock(&w->lock);
    w->kick = true;
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
}

static void on_reset(void *opaque)
{
    (void)opaque;
    /* The register file stopped every queue before calling this. */
}

static void on_irq(void *opaque, int level)
{
    struct vdev *d = opaque;

    d->irq(d->irq_ctx, level);
}

static const struct vmmio_ops vdev_ops = {
    .queue_ready = on_queue_ready,
    .notify = on_notify,
    .reset = on_reset,
    .irq = on_irq,
};

struct vdev *vdev_create(struct blk_disk *disk, struct guest_mem *gm, unsigned nqueues,
                         void (*irq)(void *ctx, int level), void *irq_ctx)
{
    struct vdev *d = calloc(1, sizeof(*d));
    unsigned i;

    if (!d)
        return NULL;
    if (nqueues == 0)
        nqueues = 1;
    if (nqueues > VMMIO_MAX_QUEUES)
        nqueues = VMMIO_MAX_QUEUES;
    d->disk = disk;
    d->gm = gm;
    d->nqueues = nqueues;
    d->irq = irq;
    d->irq_ctx = irq_ctx;
    blk_config(disk, (uint16_t)nqueues, d->config);
    vmmio_init(&d->mmio, VIRTIO_ID_BLOCK, blk_features(disk), nqueues, VQ_MAX_SIZE, d->config,
               VBLK_CFG_SIZE, &vdev_ops, d);
    for (i = 0; i < nqueues; i++) {
        struct worker *w = &d->w[i];

        w->dev = d;
        w->index = i;
        pthread_mutex_init(&w->lock, NULL);
        pthread_cond_init(&w->wake, NULL);
        pthread_cond_init(&w->idle, NULL);
        if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
            log_msg("cannot start the worker of queue %u", i);
            d->nqueues = i;
            vdev_destroy(d);
            return NULL;
        }
    }
    return d;
}

uint64_t vdev_read(struct vdev *d, uint64_t off, unsigned size)
{
    return vmmio_read(&d->mmio, off, size);
}

void vdev_write(struct vdev *d, uint64_t off, unsigned size, uint64_t val)
{
    vmmio_write(&d->mmio, off, size, val);
}

void vdev_destroy(struct vdev *d)
{
    unsigned i;

    for (i = 0; i < d->nqueues; i++) {
        struct worker *w = &d->w[i];

        pthread_mutex_lock(&w->lock);
        w->stop = true;
        pthread_cond_signal(&w->wake);
        pthread_mutex_unlock(&w->lock);
        pthread_join(w->thread, NULL);
        log_msg("queue %u: %lu requests, %lu failed, %lu malformed", i, w->requests, w->failed,
                w->malformed);
        pthread_mutex_destroy(&w->lock);
        pthread_cond_destroy(&w->wake);
        pthread_cond_destroy(&w->idle);
    }
    free(d);
}
