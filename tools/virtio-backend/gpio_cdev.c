/* Linux's GPIO character device (uAPI v2) behind the gpio_chip interface. */
#include <errno.h>
#include <fcntl.h>
#include <linux/gpio.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "gpio_cdev.h"
#include "log.h"

/* Edges are queued by the kernel on the line's file from the moment they
 * are asked for, so a line whose edges were just turned on is waited on
 * from the next round at the latest: nothing is lost, only delayed. */
#define ROUND_MS         100
#define EVENTS_PER_ROUND 16u

static int real_open(const char *path, int flags)
{
    return open(path, flags);
}

static int real_ioctl(int fd, unsigned long request, void *arg)
{
    return ioctl(fd, request, arg);
}

static const struct gpio_cdev_sys real_sys = {
    .open = real_open,
    .close = close,
    .ioctl = real_ioctl,
    .read = read,
    .poll = poll,
};

static struct gpio_cdev *of(struct gpio_chip *c)
{
    return (struct gpio_cdev *)c;
}

static void cdev_name(struct gpio_chip *c, unsigned line, char *buf, size_t size)
{
    struct gpio_cdev *g = of(c);
    struct gpio_v2_line_info info;

    memset(&info, 0, sizeof(info));
    info.offset = line;
    buf[0] = '\0';
    if (g->sys->ioctl(g->fd, GPIO_V2_GET_LINEINFO_IOCTL, &info) == 0)
        snprintf(buf, size, "%.*s", (int)sizeof(info.name), info.name);
}

/* With g->lock held: take the line with this configuration, or give a
 * line already taken this one instead. */
static int configure(struct gpio_cdev *g, unsigned line, bool out, int value, unsigned edges)
{
    struct gpio_cdev_line *l = &g->line[line];
    struct gpio_v2_line_config cfg;

    memset(&cfg, 0, sizeof(cfg));
    if (out) {
        cfg.flags = GPIO_V2_LINE_FLAG_OUTPUT;
        cfg.num_attrs = 1;
        cfg.attrs[0].attr.id = GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES;
        cfg.attrs[0].attr.values = value ? 1 : 0;
        cfg.attrs[0].mask = 1;
    } else {
        cfg.flags = GPIO_V2_LINE_FLAG_INPUT;
        if (edges & GPIO_EDGE_RISING)
            cfg.flags |= GPIO_V2_LINE_FLAG_EDGE_RISING;
        if (edges & GPIO_EDGE_FALLING)
            cfg.flags |= GPIO_V2_LINE_FLAG_EDGE_FALLING;
    }
    if (l->fd < 0) {
        struct gpio_v2_line_request req;

        memset(&req, 0, sizeof(req));
        req.offsets[0] = line;
        req.num_lines = 1;
        snprintf(req.consumer, sizeof(req.consumer), "%s", g->consumer);
        req.config = cfg;
        if (g->sys->ioctl(g->fd, GPIO_V2_GET_LINE_IOCTL, &req) != 0 || req.fd < 0) {
            log_msg("gpio: line %u: cannot take it: %s", line, strerror(errno));
            return -1;
        }
        l->fd = req.fd;
        l->gen++;
    } else if (g->sys->ioctl(l->fd, GPIO_V2_LINE_SET_CONFIG_IOCTL, &cfg) != 0) {
        log_msg("gpio: line %u: cannot reconfigure it: %s", line, strerror(errno));
        return -1;
    }
    l->out = out;
    l->edges = out ? 0 : edges;
    return 0;
}

static int cdev_request(struct gpio_chip *c, unsigned line, bool out, int value)
{
    struct gpio_cdev *g = of(c);
    int r;

    pthread_mutex_lock(&g->lock);
    /* An input keeps the edges it reports. */
    r = configure(g, line, out, value, g->line[line].edges);
    pthread_mutex_unlock(&g->lock);
    return r;
}

static void cdev_release(struct gpio_chip *c, unsigned line)
{
    struct gpio_cdev *g = of(c);
    struct gpio_cdev_line *l = &g->line[line];

    pthread_mutex_lock(&g->lock);
    if (l->fd >= 0) {
        g->sys->close(l->fd);
        l->fd = -1;
        l->gen++;
    }
    l->out = false;
    l->edges = 0;
    pthread_mutex_unlock(&g->lock);
}

static int cdev_get(struct gpio_chip *c, unsigned line)
{
    struct gpio_cdev *g = of(c);
    struct gpio_v2_line_values vals = { .bits = 0, .mask = 1 };
    int r = -1;

    pthread_mutex_lock(&g->lock);
    if (g->line[line].fd >= 0 &&
        g->sys->ioctl(g->line[line].fd, GPIO_V2_LINE_GET_VALUES_IOCTL, &vals) == 0)
        r = (int)(vals.bits & 1);
    pthread_mutex_unlock(&g->lock);
    return r;
}

static int cdev_set(struct gpio_chip *c, unsigned line, int value)
{
    struct gpio_cdev *g = of(c);
    struct gpio_v2_line_values vals = { .bits = value ? 1 : 0, .mask = 1 };
    int r = -1;

    pthread_mutex_lock(&g->lock);
    if (g->line[line].fd >= 0 && g->line[line].out &&
        g->sys->ioctl(g->line[line].fd, GPIO_V2_LINE_SET_VALUES_IOCTL, &vals) == 0)
        r = 0;
    pthread_mutex_unlock(&g->lock);
    return r;
}

static int cdev_edges(struct gpio_chip *c, unsigned line, unsigned edges)
{
    struct gpio_cdev *g = of(c);
    int r = -1;

    pthread_mutex_lock(&g->lock);
    if (g->line[line].fd >= 0 && !g->line[line].out)
        r = configure(g, line, false, 0, edges);
    pthread_mutex_unlock(&g->lock);
    return r;
}

struct edge {
    unsigned line;
    bool rising;
};

static int cdev_wait_edges(struct gpio_chip *c, int timeout_ms,
                           void (*seen)(void *ctx, unsigned line, bool rising), void *ctx)
{
    struct gpio_cdev *g = of(c);
    struct pollfd pfd[VGPIO_MAX_LINES];
    unsigned line_of[VGPIO_MAX_LINES], gen_of[VGPIO_MAX_LINES];
    struct edge found[EVENTS_PER_ROUND];
    unsigned i, n = 0, nfound = 0;
    int r;

    if (timeout_ms > ROUND_MS || timeout_ms < 0)
        timeout_ms = ROUND_MS;
    pthread_mutex_lock(&g->lock);
    for (i = 0; i < c->nlines; i++) {
        if (g->line[i].fd >= 0 && g->line[i].edges != 0) {
            pfd[n].fd = g->line[i].fd;
            pfd[n].events = POLLIN;
            pfd[n].revents = 0;
            line_of[n] = i;
            gen_of[n] = g->line[i].gen;
            n++;
        }
    }
    pthread_mutex_unlock(&g->lock);
    if (n == 0) {
        /* Nothing to wait on: just the round's time. */
        r = g->sys->poll(NULL, 0, timeout_ms);
        return r < 0 && errno != EINTR ? -1 : 0;
    }
    r = g->sys->poll(pfd, n, timeout_ms);
    if (r < 0)
        return errno == EINTR ? 0 : -1;
    pthread_mutex_lock(&g->lock);
    for (i = 0; i < n && nfound < EVENTS_PER_ROUND; i++) {
        struct gpio_cdev_line *l = &g->line[line_of[i]];
        struct gpio_v2_line_event ev;

        /* The line let go (or taken anew) while we waited: its file
         * number may be another line's now. */
        if (!(pfd[i].revents & POLLIN) || l->gen != gen_of[i] || l->fd != pfd[i].fd)
            continue;
        if (g->sys->read(l->fd, &ev, sizeof(ev)) != (ssize_t)sizeof(ev))
            continue;
        if (ev.id != GPIO_V2_LINE_EVENT_RISING_EDGE && ev.id != GPIO_V2_LINE_EVENT_FALLING_EDGE)
            continue;
        found[nfound].line = line_of[i];
        found[nfound].rising = ev.id == GPIO_V2_LINE_EVENT_RISING_EDGE;
        nfound++;
    }
    pthread_mutex_unlock(&g->lock);
    for (i = 0; i < nfound; i++)
        seen(ctx, found[i].line, found[i].rising);
    return 0;
}

int gpio_cdev_open(struct gpio_cdev *g, const char *path, const char *consumer,
                   const struct gpio_cdev_sys *sys)
{
    struct gpiochip_info info;
    unsigned i;

    memset(g, 0, sizeof(*g));
    g->sys = sys ? sys : &real_sys;
    snprintf(g->consumer, sizeof(g->consumer), "%s", consumer);
    for (i = 0; i < VGPIO_MAX_LINES; i++)
        g->line[i].fd = -1;
    g->fd = g->sys->open(path, O_RDWR | O_CLOEXEC);
    if (g->fd < 0) {
        log_msg("gpio: cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    memset(&info, 0, sizeof(info));
    if (g->sys->ioctl(g->fd, GPIO_GET_CHIPINFO_IOCTL, &info) != 0 || info.lines == 0) {
        log_msg("gpio: %s is not a GPIO chip with lines", path);
        g->sys->close(g->fd);
        g->fd = -1;
        return -1;
    }
    pthread_mutex_init(&g->lock, NULL);
    g->chip.nlines = info.lines < VGPIO_MAX_LINES ? info.lines : VGPIO_MAX_LINES;
    if (info.lines > VGPIO_MAX_LINES)
        log_msg("gpio: %s has %u lines; the first %u are offered", path, info.lines,
                VGPIO_MAX_LINES);
    g->chip.name = cdev_name;
    g->chip.request = cdev_request;
    g->chip.release = cdev_release;
    g->chip.get = cdev_get;
    g->chip.set = cdev_set;
    g->chip.edges = cdev_edges;
    g->chip.wait_edges = cdev_wait_edges;
    log_msg("gpio: %s: chip %.*s (%.*s), %u lines", path, (int)sizeof(info.name), info.name,
            (int)sizeof(info.label), info.label, info.lines);
    return 0;
}

void gpio_cdev_close(struct gpio_cdev *g)
{
    unsigned i;

    if (g->fd < 0)
        return;
    for (i = 0; i < g->chip.nlines; i++)
        cdev_release(&g->chip, i);
    g->sys->close(g->fd);
    g->fd = -1;
    pthread_mutex_destroy(&g->lock);
}
