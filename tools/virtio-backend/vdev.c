/* A VirtIO device: register file, per-queue workers, the type's device. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "log.h"
#include "vdev.h"
#include "virtio_abi.h"
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
    struct vq_chain fill_chain;     /* vdev_queue_fill()'s, under lock */
};

struct vdev {
    struct vmmio mmio;
    const struct vdev_type *type;
    void *dev;
    struct vdev_info info;
    struct guest_mem *gm;
    unsigned nqueues;       /* workers started */
    bool started;           /* type->start() succeeded */
    void (*irq)(void *ctx, int level);
    void *irq_ctx;
    struct worker w[VMMIO_MAX_QUEUES];
};

static void queue_broken(struct worker *w)
{
    if (w->broken)
        return;
    w->broken = true;
    log_msg("queue %u: ring unreadable or inconsistent; device needs reset", w->index);
    vmmio_set_needs_reset(&w->dev->mmio);
}

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
        bool failed = false;
        uint32_t len = d->type->request(d->dev, w->index, d->gm, chain, &failed);

        w->requests++;
        if (chain->error != 0) {
            if (w->malformed++ < 5)
                log_msg("queue %u: malformed chain at head %u (error %d), failed",
                        w->index, chain->head, chain->error);
        } else if (failed) {
            w->failed++;
        }
        /* Kept by the type: it goes on the used ring later. */
        if (len == VDEV_HELD) {
            if (chain->error == 0)
                continue;
            len = 0;
        }
        if (vq_push(&w->vq, chain->head, len) != 0) {
            r = -1;
            break;
        }
        done++;
    }
    free(chain);
    if (r < 0)
        queue_broken(w);
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
        if (!w->ready || (w->dev->info.device_filled & (1u << w->index)))
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
    struct vdev *d = opaque;

    /* The register file stopped every queue before calling this. */
    if (d->type->reset)
        d->type->reset(d->dev);
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

struct vdev *vdev_open(const struct vdev_type *t, const struct vdev_opts *o, unsigned nvcpus,
                       struct guest_mem *gm, void (*irq)(void *ctx, int level), void *irq_ctx)
{
    struct vdev *d = calloc(1, sizeof(*d));
    unsigned i;

    if (!d)
        return NULL;
    d->type = t;
    d->gm = gm;
    d->irq = irq;
    d->irq_ctx = irq_ctx;
    d->dev = t->create(o, nvcpus, &d->info);
    if (!d->dev) {
        free(d);
        return NULL;
    }
    /* The type's word is checked like any other input: a bad count would
     * index past the register file's queues. */
    if (d->info.nqueues == 0 || d->info.nqueues > VMMIO_MAX_QUEUES) {
        log_msg("%s: %u queues asked for; 1 to %u possible", t->name, d->info.nqueues,
                VMMIO_MAX_QUEUES);
        t->destroy(d->dev);
        free(d);
        return NULL;
    }
    vmmio_init(&d->mmio, d->info.device_id, d->info.features, d->info.nqueues, VQ_MAX_SIZE,
               d->info.config, d->info.config_len, &vdev_ops, d);
    for (i = 0; i < d->info.nqueues; i++) {
        struct worker *w = &d->w[i];

        w->dev = d;
        w->index = i;
        pthread_mutex_init(&w->lock, NULL);
        pthread_cond_init(&w->wake, NULL);
        pthread_cond_init(&w->idle, NULL);
        if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
            log_msg("cannot start the worker of queue %u", i);
            pthread_mutex_destroy(&w->lock);
            pthread_cond_destroy(&w->wake);
            pthread_cond_destroy(&w->idle);
            vdev_destroy(d);
            return NULL;
        }
        d->nqueues = i + 1;
    }
    if (t->start) {
        if (t->start(d->dev, d) != 0) {
            vdev_destroy(d);
            return NULL;
        }
        d->started = true;
    }
    return d;
}

const struct vdev_info *vdev_get_info(const struct vdev *d)
{
    return &d->info;
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

    if (d->started && d->type->stop)
        d->type->stop(d->dev);
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
    d->type->destroy(d->dev);
    free(d);
}

int vdev_queue_fill(struct vdev *d, unsigned q,
                    uint32_t (*fill)(void *ctx, struct guest_mem *gm, const struct vq_chain *chain),
                    void *ctx)
{
    struct vq_chain *chain;
    struct worker *w;
    uint32_t len = 0;
    int r, ret;

    if (q >= d->nqueues || !(d->info.device_filled & (1u << q)))
        return 0;
    w = &d->w[q];
    chain = &w->fill_chain;
    /* Held throughout: a queue being reset or re-laid out waits for us
     * (on_queue_ready takes the same lock). */
    pthread_mutex_lock(&w->lock);
    if (!w->ready || w->broken) {
        pthread_mutex_unlock(&w->lock);
        return 0;
    }
    r = vq_pop(&w->vq, chain);
    if (r <= 0) {
        if (r < 0)
            queue_broken(w);
        pthread_mutex_unlock(&w->lock);
        return 0;
    }
    w->requests++;
    if (chain->error != 0) {
        if (w->malformed++ < 5)
            log_msg("queue %u: malformed chain at head %u (error %d), failed", q, chain->head,
                    chain->error);
        ret = -1;
    } else {
        len = fill(ctx, d->gm, chain);
        ret = 1;
    }
    if (vq_push(&w->vq, chain->head, len) != 0)
        queue_broken(w);
    else if (vq_wants_irq(&w->vq))
        vmmio_raise(&d->mmio, VMMIO_INT_VRING);
    pthread_mutex_unlock(&w->lock);
    return ret;
}

bool vdev_negotiated(struct vdev *d, unsigned bit)
{
    return vmmio_negotiated(&d->mmio, bit);
}

int vdev_queue_return(struct vdev *d, unsigned q, uint16_t head, uint32_t len)
{
    struct worker *w;
    int r = -1;

    if (q >= d->nqueues)
        return -1;
    w = &d->w[q];
    pthread_mutex_lock(&w->lock);
    /* The worker has the ring to itself while it drains. */
    wait_idle(w);
    if (w->ready && !w->broken) {
        if (vq_push(&w->vq, head, len) != 0) {
            queue_broken(w);
        } else {
            r = 0;
            if (vq_wants_irq(&w->vq))
                vmmio_raise(&d->mmio, VMMIO_INT_VRING);
        }
    }
    pthread_mutex_unlock(&w->lock);
    return r;
}
