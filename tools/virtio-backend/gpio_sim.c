/* The simulated, pairwise-wired GPIO chip. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "gpio_sim.h"

static struct gpio_sim *of(struct gpio_chip *c)
{
    return (struct gpio_sim *)c;
}

/* With s->lock held. */
static int level(const struct gpio_sim *s, unsigned line)
{
    unsigned other = line ^ 1u;

    if (s->taken[line] && s->out[line])
        return s->value[line];
    if (s->taken[other] && s->out[other])
        return s->value[other];
    return 0;
}

/* With s->lock held: queue the edges a change to the pair of line made,
 * before[] being both lines' levels ahead of it. */
static void queue_edges(struct gpio_sim *s, unsigned line, const int before[2])
{
    unsigned base = line & ~1u, i;

    for (i = 0; i < 2; i++) {
        unsigned l = base + i;
        int now = level(s, l);
        unsigned want = now ? GPIO_EDGE_RISING : GPIO_EDGE_FALLING;

        if (now == before[i] || !s->taken[l] || s->out[l] || !(s->edges[l] & want))
            continue;
        if (s->nqueued == GPIO_SIM_QUEUE) {
            memmove(s->qline, s->qline + 1, sizeof(s->qline[0]) * (GPIO_SIM_QUEUE - 1));
            memmove(s->qrising, s->qrising + 1, sizeof(s->qrising[0]) * (GPIO_SIM_QUEUE - 1));
            s->nqueued--;
        }
        s->qline[s->nqueued] = l;
        s->qrising[s->nqueued] = now != 0;
        s->nqueued++;
        pthread_cond_signal(&s->edge);
    }
}

static void snapshot(const struct gpio_sim *s, unsigned line, int before[2])
{
    before[0] = level(s, line & ~1u);
    before[1] = level(s, (line & ~1u) + 1);
}

static void sim_name(struct gpio_chip *c, unsigned line, char *buf, size_t size)
{
    (void)c;
    snprintf(buf, size, "pair%u-%c", line / 2, (line & 1u) ? 'b' : 'a');
}

static int sim_request(struct gpio_chip *c, unsigned line, bool out, int value)
{
    struct gpio_sim *s = of(c);
    int before[2];

    pthread_mutex_lock(&s->lock);
    snapshot(s, line, before);
    s->taken[line] = true;
    s->out[line] = out;
    if (out) {
        s->value[line] = value != 0;
        s->edges[line] = 0;
    }
    queue_edges(s, line, before);
    pthread_mutex_unlock(&s->lock);
    return 0;
}

static void sim_release(struct gpio_chip *c, unsigned line)
{
    struct gpio_sim *s = of(c);
    int before[2];

    pthread_mutex_lock(&s->lock);
    snapshot(s, line, before);
    s->taken[line] = false;
    s->out[line] = false;
    s->edges[line] = 0;
    queue_edges(s, line, before);
    pthread_mutex_unlock(&s->lock);
}

static int sim_get(struct gpio_chip *c, unsigned line)
{
    struct gpio_sim *s = of(c);
    int r;

    pthread_mutex_lock(&s->lock);
    r = s->taken[line] ? level(s, line) : -1;
    pthread_mutex_unlock(&s->lock);
    return r;
}

static int sim_set(struct gpio_chip *c, unsigned line, int value)
{
    struct gpio_sim *s = of(c);
    int before[2], r = -1;

    pthread_mutex_lock(&s->lock);
    if (s->taken[line] && s->out[line]) {
        snapshot(s, line, before);
        s->value[line] = value != 0;
        queue_edges(s, line, before);
        r = 0;
    }
    pthread_mutex_unlock(&s->lock);
    return r;
}

static int sim_edges(struct gpio_chip *c, unsigned line, unsigned edges)
{
    struct gpio_sim *s = of(c);
    int r = -1;

    pthread_mutex_lock(&s->lock);
    if (s->taken[line] && !s->out[line]) {
        s->edges[line] = edges;
        r = 0;
    }
    pthread_mutex_unlock(&s->lock);
    return r;
}

static int sim_wait_edges(struct gpio_chip *c, int timeout_ms,
                          void (*seen)(void *ctx, unsigned line, bool rising), void *ctx)
{
    struct gpio_sim *s = of(c);
    unsigned qline[GPIO_SIM_QUEUE], i, n;
    bool qrising[GPIO_SIM_QUEUE];
    struct timespec until;

    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += timeout_ms / 1000;
    until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&s->lock);
    while (s->nqueued == 0) {
        if (pthread_cond_timedwait(&s->edge, &s->lock, &until) == ETIMEDOUT)
            break;
    }
    n = s->nqueued;
    memcpy(qline, s->qline, sizeof(qline[0]) * n);
    memcpy(qrising, s->qrising, sizeof(qrising[0]) * n);
    s->nqueued = 0;
    pthread_mutex_unlock(&s->lock);
    for (i = 0; i < n; i++)
        seen(ctx, qline[i], qrising[i]);
    return 0;
}

void gpio_sim_init(struct gpio_sim *s)
{
    memset(s, 0, sizeof(*s));
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->edge, NULL);
    s->chip.nlines = GPIO_SIM_LINES;
    s->chip.name = sim_name;
    s->chip.request = sim_request;
    s->chip.release = sim_release;
    s->chip.get = sim_get;
    s->chip.set = sim_set;
    s->chip.edges = sim_edges;
    s->chip.wait_edges = sim_wait_edges;
}

void gpio_sim_fini(struct gpio_sim *s)
{
    pthread_mutex_destroy(&s->lock);
    pthread_cond_destroy(&s->edge);
}
