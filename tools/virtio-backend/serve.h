/* Serve one VirtIO device (of any type, vdev.h) of one guest until the guest goes, the
 * caller's watch says stop, or a signal asks us to: the part both start-up
 * modes (xenstore and command line) share. */
#ifndef VBE_SERVE_H
#define VBE_SERVE_H

#include <stdbool.h>
#include <stdint.h>

#include "vdev.h"

struct serve_params {
    uint16_t domid;
    uint64_t base;
    unsigned irq;
    const struct vdev_type *type;
    struct vdev_opts opts;
};

struct serve_hooks {
    void *ctx;
    /* Once the device answers the guest (xenstore mode reports InitWait). */
    void (*ready)(void *ctx);
    /* A descriptor to watch besides the event channel, or -1; when it is
     * readable, event() says whether to stop. */
    int fd;
    bool (*event)(void *ctx);
};

/* 0 after a clean stop, -1 when the device could not be set up. */
int serve_device(const struct serve_params *p, const struct serve_hooks *h);

/* SIGTERM and SIGINT end serve_device() cleanly (the window released). */
void serve_catch_signals(void);

#endif
