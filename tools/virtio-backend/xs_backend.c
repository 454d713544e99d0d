/* Device discovery and lifetime through xenstore, as libxl 4.17 lays it
 * out for a disk with backendtype=standalone, specification=virtio:
 *   /local/domain/<be>/backend/virtio_disk/<domid>/<devid>/
 *       params (the image), mode ("w" or "r"), base and irq (decimal),
 *       frontend, online, state
 * libxl waits for state 2 (InitWait) before it lets the guest run, asks
 * for teardown with state 5 (Closing) or online 0, waits for 6 (Closed)
 * and then removes the entries. */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xenstore.h>

#include "log.h"
#include "serve.h"
#include "vdev_types.h"
#include "xs_backend.h"

#define KIND "virtio_disk"
#define XB_INITIALISING 1
#define XB_INITWAIT     2
#define XB_CLOSING      5
#define XB_CLOSED       6
#define MAX_CHILDREN    64

static volatile sig_atomic_t quit;

static void on_quit(int sig)
{
    quit = sig;
}

/* The value at path, NUL-terminated, to free; NULL if absent. */
static char *xs_get(struct xs_handle *xs, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static char *xs_get(struct xs_handle *xs, const char *fmt, ...)
{
    char path[256];
    unsigned len;
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(path, sizeof(path), fmt, ap);
    va_end(ap);
    return xs_read(xs, XBT_NULL, path, &len);
}

/* A whole decimal or 0x-prefixed number, or -1 in *ok. */
static unsigned long long parse_num(const char *s, bool *ok)
{
    char *end;
    unsigned long long v;

    errno = 0;
    v = s ? strtoull(s, &end, 0) : 0;
    *ok = s && *s && *end == '\0' && errno == 0;
    return v;
}

static unsigned backend_domid(struct xs_handle *xs)
{
    char *s = xs_read(xs, XBT_NULL, "domid", NULL);
    bool ok;
    unsigned long long v = parse_num(s, &ok);

    free(s);
    /* A dom0 whose entry is not written yet is dom0. */
    return ok && v < 0x7ff0 ? (unsigned)v : 0;
}

/* ---- one device (a --serve-xs process) ---- */

struct xs_dev {
    struct xs_handle *xs;
    uint16_t domid;
    char be[128];
};

static int be_state(struct xs_dev *d)
{
    char *s = xs_get(d->xs, "%s/state", d->be);
    bool ok;
    unsigned long long v = parse_num(s, &ok);

    free(s);
    return ok && v < 16 ? (int)v : -1;
}

static void set_state(struct xs_dev *d, int state)
{
    char path[160], val[4];

    snprintf(path, sizeof(path), "%s/state", d->be);
    snprintf(val, sizeof(val), "%d", state);
    if (!xs_write(d->xs, XBT_NULL, path, val, strlen(val)))
        log_msg("cannot write %s: %s", path, strerror(errno));
}

static void dev_ready(void *ctx)
{
    set_state(ctx, XB_INITWAIT);
}

/* Something we watch changed: whether the device is to go. */
static bool dev_event(void *ctx)
{
    struct xs_dev *d = ctx;
    unsigned n;
    char **w = xs_read_watch(d->xs, &n);
    char *online;
    int state;
    bool go;

    free(w);
    state = be_state(d);
    online = xs_get(d->xs, "%s/online", d->be);
    go = state < 0 || state >= XB_CLOSING || (online && strcmp(online, "0") == 0) ||
         !xs_is_domain_introduced(d->xs, d->domid);
    free(online);
    if (go)
        log_msg("asked to go (backend state %d)", state);
    return go;
}

int xs_backend_serve(uint16_t domid, unsigned devid, unsigned queues)
{
    struct xs_dev d = { .domid = domid };
    struct serve_params p = { .domid = domid, .type = &vdev_blk, .opts = { .queues = queues } };
    struct serve_hooks h = { .ctx = &d, .ready = dev_ready, .event = dev_event };
    char *params = NULL, *mode = NULL, *base = NULL, *irq = NULL, *fe = NULL;
    bool ok1, ok2;
    int rc = -1;

    log_set_prefix("virtio-blk dom%u", domid);
    d.xs = xs_open(0);
    if (!d.xs) {
        log_msg("cannot connect to xenstore: %s", strerror(errno));
        return 1;
    }
    snprintf(d.be, sizeof(d.be), "/local/domain/%u/backend/" KIND "/%u/%u",
             backend_domid(d.xs), domid, devid);
    params = xs_get(d.xs, "%s/params", d.be);
    mode = xs_get(d.xs, "%s/mode", d.be);
    base = xs_get(d.xs, "%s/base", d.be);
    irq = xs_get(d.xs, "%s/irq", d.be);
    fe = xs_get(d.xs, "%s/frontend", d.be);
    p.base = parse_num(base, &ok1);
    p.irq = (unsigned)parse_num(irq, &ok2);
    if (!params || !*params || !ok1 || !ok2 || !fe) {
        log_msg("%s lacks params, base, irq or frontend", d.be);
        goto out;
    }
    if (be_state(&d) != XB_INITIALISING) {
        log_msg("%s is not in state %d; left alone", d.be, XB_INITIALISING);
        goto out;
    }
    /* libxl writes "format:path" for qdisk only; a standalone back end
     * gets the target as it was written. */
    p.opts.path = params;
    p.opts.ro = !mode || strcmp(mode, "w") != 0;
    log_msg("device %u: %s", devid, d.be);
    if (!xs_watch(d.xs, d.be, "be") || !xs_watch(d.xs, fe, "fe") ||
        !xs_watch(d.xs, "@releaseDomain", "release")) {
        log_msg("cannot watch %s: %s", d.be, strerror(errno));
        goto out;
    }
    h.fd = xs_fileno(d.xs);
    serve_catch_signals();
    rc = serve_device(&p, &h);
out:
    /* Tell libxl we are done, unless it already removed the device. */
    if (be_state(&d) >= 0)
        set_state(&d, XB_CLOSED);
    free(params);
    free(mode);
    free(base);
    free(irq);
    free(fe);
    xs_close(d.xs);
    return rc == 0 ? 0 : 1;
}

/* ---- the watcher ---- */

struct child {
    pid_t pid;
    unsigned domid, devid;
};

static struct child children[MAX_CHILDREN];

static bool served(unsigned domid, unsigned devid)
{
    unsigned i;

    for (i = 0; i < MAX_CHILDREN; i++) {
        if (children[i].pid > 0 && children[i].domid == domid && children[i].devid == devid)
            return true;
    }
    return false;
}

static void start_child(const char *self, unsigned domid, unsigned devid, unsigned queues)
{
    char a_dom[16], a_dev[16], a_q[16];
    unsigned i;
    pid_t pid;

    for (i = 0; i < MAX_CHILDREN && children[i].pid > 0; i++)
        ;
    if (i == MAX_CHILDREN) {
        log_msg("too many devices; dom%u device %u not served", domid, devid);
        return;
    }
    snprintf(a_dom, sizeof(a_dom), "%u", domid);
    snprintf(a_dev, sizeof(a_dev), "%u", devid);
    snprintf(a_q, sizeof(a_q), "%u", queues);
    fflush(stderr);
    pid = fork();
    if (pid < 0) {
        log_msg("fork: %s", strerror(errno));
        return;
    }
    if (pid == 0) {
        /* A fresh program: nothing of this process's threads or xenstore
         * connection is carried over. */
        execl(self, self, "--queues", a_q, "--serve-xs", a_dom, a_dev, (char *)NULL);
        log_msg("cannot run %s: %s", self, strerror(errno));
        _exit(127);
    }
    children[i].pid = pid;
    children[i].domid = domid;
    children[i].devid = devid;
    log_msg("dom%u device %u: served by process %d", domid, devid, (int)pid);
}

static void reap(void)
{
    int status;
    pid_t pid;
    unsigned i;

    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        for (i = 0; i < MAX_CHILDREN; i++) {
            if (children[i].pid == pid) {
                log_msg("dom%u device %u: process %d ended (status %d)", children[i].domid,
                        children[i].devid, (int)pid,
                        WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
                children[i].pid = 0;
            }
        }
    }
}

/* Every device in state Initialising that no process serves yet. */
static void scan(struct xs_handle *xs, const char *root, const char *self, unsigned queues)
{
    unsigned nd, i, j;
    char **doms = xs_directory(xs, XBT_NULL, root, &nd);

    for (i = 0; doms && i < nd; i++) {
        char path[192];
        unsigned nv;
        char **devs;
        bool ok;
        unsigned long long domid = parse_num(doms[i], &ok);

        if (!ok || domid >= 0x7ff0)
            continue;
        snprintf(path, sizeof(path), "%s/%s", root, doms[i]);
        devs = xs_directory(xs, XBT_NULL, path, &nv);
        for (j = 0; devs && j < nv; j++) {
            unsigned long long devid = parse_num(devs[j], &ok);
            char *state;

            if (!ok || devid > 0xffffffffull || served((unsigned)domid, (unsigned)devid))
                continue;
            state = xs_get(xs, "%s/%s/state", path, devs[j]);
            if (state && strcmp(state, "1") == 0)
                start_child(self, (unsigned)domid, (unsigned)devid, queues);
            free(state);
        }
        free(devs);
    }
    free(doms);
}

int xs_backend_watch(const char *self, unsigned queues)
{
    struct xs_handle *xs = xs_open(0);
    struct sigaction sa;
    char root[96];
    unsigned be;

    if (!xs) {
        log_msg("cannot connect to xenstore: %s", strerror(errno));
        return 1;
    }
    be = backend_domid(xs);
    log_msg("backend domain %u; waiting for %s devices", be, KIND);
    snprintf(root, sizeof(root), "/local/domain/%u/backend/" KIND, be);
    if (!xs_watch(xs, root, "devices")) {
        log_msg("cannot watch %s: %s", root, strerror(errno));
        xs_close(xs);
        return 1;
    }
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_quit;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    while (!quit) {
        struct pollfd pfd = { .fd = xs_fileno(xs), .events = POLLIN };
        int n = poll(&pfd, 1, 1000);

        if (n > 0 && (pfd.revents & POLLIN)) {
            unsigned num;

            free(xs_read_watch(xs, &num));
            scan(xs, root, self, queues);
        }
        reap();
    }
    log_msg("stopping (signal %d); devices being served stop with their own", (int)quit);
    xs_close(xs);
    return 0;
}
