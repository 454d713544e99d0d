/* One device served: guest memory, IOREQ server, the device and its
 * register file. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>

#include "gmem_xen.h"
#include "log.h"
#include "serve.h"
#include "vdev.h"
#include "virtio_abi.h"
#include "virtio_mmio.h"
#include "xen_glue.h"

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
    stop_signal = sig;
}

void serve_catch_signals(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    /* No SA_RESTART: poll() must return to look at the flag. */
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
}

static uint64_t mmio(void *ctx, uint64_t off, unsigned size, bool write, uint64_t val)
{
    if (write) {
        vdev_write(ctx, off, size, val);
        return 0;
    }
    return vdev_read(ctx, off, size);
}

int serve_device(const struct serve_params *p, const struct serve_hooks *h)
{
    struct guest_mem *gm = NULL;
    struct xen_ioreq *x = NULL;
    struct vdev *dev = NULL;
    int rc = -1;

    gm = gmem_xen_open(p->domid);
    if (!gm) {
        log_msg("cannot open the foreign-memory interface: %s", strerror(errno));
        goto out;
    }
    /* The device is made after the window is claimed because it needs the
     * guest's vCPU count; an access in between waits in the request page
     * until the loop below answers it. */
    x = xen_ioreq_open(p->domid, p->base, VMMIO_WINDOW, p->irq);
    if (!x)
        goto out;
    dev = vdev_open(p->type, &p->opts, xen_ioreq_vcpus(x), gm, xen_ioreq_irq, x);
    if (!dev)
        goto out;
    {
        const struct vdev_info *info = vdev_get_info(dev);

        log_msg("serving %s at %#llx, SPI %u: %u vCPU(s), %u queue(s)",
                info->what[0] ? info->what : p->type->name, (unsigned long long)p->base, p->irq,
                xen_ioreq_vcpus(x), info->nqueues);
    }
    if (h && h->ready)
        h->ready(h->ctx);
    rc = 0;
    while (!stop_signal) {
        struct pollfd pfd[2] = {
            { .fd = xen_ioreq_fd(x), .events = POLLIN },
            { .fd = h ? h->fd : -1, .events = POLLIN },
        };
        int n = poll(pfd, 2, 1000);

        if (n < 0 && errno != EINTR) {
            log_msg("poll: %s", strerror(errno));
            break;
        }
        if (n == 0) {
            /* Quiet for a second: is there still a guest to serve? */
            if (!xen_ioreq_guest_alive(x)) {
                log_msg("the guest is gone");
                break;
            }
            continue;
        }
        if (n > 0 && (pfd[0].revents & POLLIN) && xen_ioreq_handle(x, mmio, dev) != 0) {
            log_msg("event channel closed");
            break;
        }
        if (n > 0 && (pfd[1].revents & POLLIN) && h->event(h->ctx))
            break;
    }
    if (stop_signal)
        log_msg("stopped by signal %d", (int)stop_signal);
out:
    /* Workers first (they use guest memory), then the server (so the
     * guest's accesses stop reaching us), then the mappings. */
    if (dev)
        vdev_destroy(dev);
    xen_ioreq_close(x);
    gmem_xen_close(gm);
    log_msg("disconnected");
    return rc;
}
