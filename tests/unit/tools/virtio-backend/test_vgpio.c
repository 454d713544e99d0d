/* virtio-gpio of tools/virtio-backend: the config space and GET_NAMES,
 * directions taken from and given back to the chip, values set before and
 * after a line becomes an output, interrupts (edge kept for a buffer,
 * latched before one, level at once, turned off giving the buffer back
 * INVALID), a reset letting every line go, and each malformed request or
 * event buffer (bad lengths, line numbers, directions, values, types, no
 * room to answer, a walk that failed) answered with an error, INVALID or
 * nothing, never reaching the chip. Last, the simulated paired chip: one
 * end driven, the other's interrupt delivered. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>

#include "gpio_sim.h"
#include "vgpio.h"
#include "vq_env.h"
#include "vq_random.h"

#define REQ     G_BUF
#define RESP    (G_BUF + 0x800u)
#define EVT     (G_BUF + 0x1000u)
#define EVST    (G_BUF + 0x1800u)
#define NLINES  4u
#define BUSY    2u      /* a line dom0 uses: the fake chip refuses it */

static struct vgpio dev;
static struct vq vq;
static struct vq_chain chain;

static struct {
    struct gpio_chip chip;
    bool taken[NLINES], out[NLINES];
    int value[NLINES], level[NLINES];
    unsigned edges[NLINES];
    unsigned calls;
} fake;

static struct {
    unsigned n;
    uint16_t head[8];
    uint32_t len[8];
} given;

static void f_name(struct gpio_chip *c, unsigned line, char *buf, size_t size)
{
    static const char *const names[NLINES] = { "led", "", "button", "reset" };

    (void)c;
    snprintf(buf, size, "%s", names[line]);
}

static int f_request(struct gpio_chip *c, unsigned line, bool out, int value)
{
    (void)c;
    fake.calls++;
    if (line == BUSY)
        return -1;
    fake.taken[line] = true;
    fake.out[line] = out;
    if (out)
        fake.value[line] = value;
    return 0;
}

static void f_release(struct gpio_chip *c, unsigned line)
{
    (void)c;
    fake.calls++;
    fake.taken[line] = false;
    fake.edges[line] = 0;
}

static int f_get(struct gpio_chip *c, unsigned line)
{
    (void)c;
    fake.calls++;
    assert_true(fake.taken[line]);
    return fake.out[line] ? fake.value[line] : fake.level[line];
}

static int f_set(struct gpio_chip *c, unsigned line, int value)
{
    (void)c;
    fake.calls++;
    assert_true(fake.taken[line] && fake.out[line]);
    fake.value[line] = value;
    return 0;
}

static int f_edges(struct gpio_chip *c, unsigned line, unsigned edges)
{
    (void)c;
    fake.calls++;
    assert_true(fake.taken[line] && !fake.out[line]);
    fake.edges[line] = edges;
    return 0;
}

static void give_back(void *ctx, uint16_t head, uint32_t len)
{
    (void)ctx;
    assert_true(given.n < 8);
    given.head[given.n] = head;
    given.len[given.n] = len;
    given.n++;
}

static int setup(void **state)
{
    (void)state;
    memset(&fake, 0, sizeof(fake));
    memset(&given, 0, sizeof(given));
    fake.chip.nlines = NLINES;
    fake.chip.name = f_name;
    fake.chip.request = f_request;
    fake.chip.release = f_release;
    fake.chip.get = f_get;
    fake.chip.set = f_set;
    fake.chip.edges = f_edges;
    g_reset(&vq, 1);
    vgpio_init(&dev, &fake.chip, give_back, NULL);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    vgpio_fini(&dev);
    return 0;
}

/* A request of rlen bytes (8 for a sound one) with wlen bytes of room. */
static void chain_of(uint32_t rlen, uint32_t wlen)
{
    unsigned n = 0;

    memset(g_ptr(RESP), 0xee, 0x800);
    if (rlen) {
        g_desc(G_DESC, n, REQ, rlen, wlen ? VIRTQ_DESC_F_NEXT : 0, (uint16_t)(n + 1));
        n++;
    }
    if (wlen)
        g_desc(G_DESC, n, RESP, wlen, VIRTQ_DESC_F_WRITE, 0);
    g_offer(vq.last_avail, 0);
    assert_int_equal(vq_pop(&vq, &chain), 1);
    assert_int_equal(chain.error, 0);
}

/* One request; its status, and its value in *value. */
static uint8_t req(uint16_t type, uint16_t line, uint32_t value, bool irq, uint8_t *out)
{
    uint8_t st;

    put_le16(g_ptr(REQ), type);
    put_le16(g_ptr(REQ + 2), line);
    put_le32(g_ptr(REQ + 4), value);
    chain_of(8, 2);
    assert_int_equal(vgpio_request(&dev, &g_mem, &chain, irq, &st), 2);
    assert_int_equal(g_ptr(RESP)[0], st);
    if (out)
        *out = g_ptr(RESP)[1];
    return st;
}

static uint8_t req_ok(uint16_t type, uint16_t line, uint32_t value)
{
    uint8_t v = 0xee;

    assert_int_equal(req(type, line, value, true, &v), VIRTIO_GPIO_STATUS_OK);
    return v;
}

/* The driver queues an event buffer for line, as head. */
static uint32_t event_buffer(uint16_t head, uint16_t line)
{
    put_le16(g_ptr(EVT + 16u * head), line);
    g_ptr(EVST + head)[0] = 0xee;
    g_desc(G_DESC, head, EVT + 16u * head, 2, VIRTQ_DESC_F_NEXT, (uint16_t)(head + 8));
    g_desc(G_DESC, head + 8u, EVST + head, 1, VIRTQ_DESC_F_WRITE, 0);
    g_offer(vq.last_avail, head);
    assert_int_equal(vq_pop(&vq, &chain), 1);
    assert_int_equal(chain.error, 0);
    return vgpio_event_buffer(&dev, &g_mem, &chain, true);
}

static void test_config_and_names(void **state)
{
    uint8_t st;

    (void)state;
    assert_int_equal(le16(dev.config), NLINES);
    assert_int_equal(le32(dev.config + 4), 4 + 1 + 7 + 6);
    assert_true(vgpio_features() & (1ull << VIRTIO_GPIO_F_IRQ));
    put_le16(g_ptr(REQ), VIRTIO_GPIO_MSG_GET_NAMES);
    put_le16(g_ptr(REQ + 2), 0);
    put_le32(g_ptr(REQ + 4), 0);
    chain_of(8, 1 + 18);
    assert_int_equal(vgpio_request(&dev, &g_mem, &chain, true, &st), 1 + 18);
    assert_int_equal(st, VIRTIO_GPIO_STATUS_OK);
    assert_memory_equal(g_ptr(RESP), "\0led\0\0button\0reset\0", 19);
    /* Too little room for them: ERR. */
    chain_of(8, 18);
    assert_int_equal(vgpio_request(&dev, &g_mem, &chain, true, &st), 2);
    assert_int_equal(st, VIRTIO_GPIO_STATUS_ERR);
    assert_int_equal(fake.calls, 0);
}

static void test_output(void **state)
{
    (void)state;
    assert_int_equal(req_ok(VIRTIO_GPIO_MSG_GET_DIRECTION, 0, 0), VIRTIO_GPIO_DIRECTION_NONE);
    assert_false(fake.taken[0]);
    /* The value first, as Linux's driver does, then the direction. */
    req_ok(VIRTIO_GPIO_MSG_SET_VALUE, 0, 1);
    req_ok(VIRTIO_GPIO_MSG_SET_DIRECTION, 0, VIRTIO_GPIO_DIRECTION_OUT);
    assert_true(fake.taken[0] && fake.out[0]);
    assert_int_equal(fake.value[0], 1);
    assert_int_equal(req_ok(VIRTIO_GPIO_MSG_GET_DIRECTION, 0, 0), VIRTIO_GPIO_DIRECTION_OUT);
    assert_int_equal(req_ok(VIRTIO_GPIO_MSG_GET_VALUE, 0, 0), 1);
    req_ok(VIRTIO_GPIO_MSG_SET_VALUE, 0, 0);
    assert_int_equal(fake.value[0], 0);
    assert_int_equal(req_ok(VIRTIO_GPIO_MSG_GET_VALUE, 0, 0), 0);
    req_ok(VIRTIO_GPIO_MSG_SET_DIRECTION, 0, VIRTIO_GPIO_DIRECTION_NONE);
    assert_false(fake.taken[0]);
    assert_int_equal(req_ok(VIRTIO_GPIO_MSG_GET_DIRECTION, 0, 0), VIRTIO_GPIO_DIRECTION_NONE);
}

static void test_input(void **state)
{
    (void)state;
    req_ok(VIRTIO_GPIO_MSG_SET_DIRECTION, 3, VIRTIO_GPIO_DIRECTION_IN);
    assert_true(fake.taken[3] && !fake.out[3]);
    fake.level[3] = 1;
    assert_int_equal(req_ok(VIRTIO_GPIO_MSG_GET_VALUE, 3, 0), 1);
    fake.level[3] = 0;
    assert_int_equal(req_ok(VIRTIO_GPIO_MSG_GET_VALUE, 3, 0), 0);
}

static void test_bad_requests(void **state)
{
    uint8_t st, v;

    (void)state;
    /* Line out of range, and far out. */
    assert_int_equal(req(VIRTIO_GPIO_MSG_SET_DIRECTION, NLINES, 1, true, &v), 1);
    assert_int_equal(req(VIRTIO_GPIO_MSG_GET_VALUE, 0xffff, 0, true, &v), 1);
    /* A direction, a value and a type that do not exist. */
    assert_int_equal(req(VIRTIO_GPIO_MSG_SET_DIRECTION, 0, 3, true, &v), 1);
    assert_int_equal(req(VIRTIO_GPIO_MSG_SET_VALUE, 0, 2, true, &v), 1);
    assert_int_equal(req(0x0007, 0, 0, true, &v), 1);
    assert_int_equal(req(0x0000, 0, 0, true, &v), 1);
    /* The value of a line not taken. */
    assert_int_equal(req(VIRTIO_GPIO_MSG_GET_VALUE, 1, 0, true, &v), 1);
    /* A line dom0 uses. */
    assert_int_equal(req(VIRTIO_GPIO_MSG_SET_DIRECTION, BUSY, 2, true, &v), 1);
    assert_int_equal(req_ok(VIRTIO_GPIO_MSG_GET_DIRECTION, BUSY, 0), VIRTIO_GPIO_DIRECTION_NONE);
    /* Interrupts not negotiated, or on a line that is not an input. */
    assert_int_equal(req(VIRTIO_GPIO_MSG_IRQ_TYPE, 0, 1, false, &v), 1);
    assert_int_equal(req(VIRTIO_GPIO_MSG_IRQ_TYPE, 0, 1, true, &v), 1);
    assert_int_equal(fake.calls, 1);    /* the busy line's refusal only */
    /* A request of 7 and of 12 bytes. */
    put_le16(g_ptr(REQ), VIRTIO_GPIO_MSG_GET_DIRECTION);
    chain_of(7, 2);
    assert_int_equal(vgpio_request(&dev, &g_mem, &chain, true, &st), 2);
    assert_int_equal(st, VIRTIO_GPIO_STATUS_ERR);
    chain_of(12, 2);
    assert_int_equal(vgpio_request(&dev, &g_mem, &chain, true, &st), 2);
    assert_int_equal(st, VIRTIO_GPIO_STATUS_ERR);
    /* One byte of room: the status alone. */
    chain_of(8, 1);
    assert_int_equal(vgpio_request(&dev, &g_mem, &chain, true, &st), 1);
    assert_int_equal(st, VIRTIO_GPIO_STATUS_ERR);
    assert_int_equal(g_ptr(RESP)[1], 0xee);
    /* No room at all: no answer. */
    chain_of(8, 0);
    assert_int_equal(vgpio_request(&dev, &g_mem, &chain, true, &st), 0);
    assert_int_equal(st, 0xff);
    /* A loop: nothing touched. */
    g_desc(G_DESC, 0, REQ, 8, VIRTQ_DESC_F_NEXT, 1);
    g_desc(G_DESC, 1, RESP, 2, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 0);
    g_ptr(RESP)[0] = 0xee;
    g_offer(vq.last_avail, 0);
    assert_int_equal(vq_pop(&vq, &chain), 1);
    assert_int_not_equal(chain.error, 0);
    assert_int_equal(vgpio_request(&dev, &g_mem, &chain, true, &st), 0);
    assert_int_equal(g_ptr(RESP)[0], 0xee);
    assert_int_equal(fake.calls, 1);
}

static void test_edge_interrupt(void **state)
{
    (void)state;
    req_ok(VIRTIO_GPIO_MSG_SET_DIRECTION, 1, VIRTIO_GPIO_DIRECTION_IN);
    req_ok(VIRTIO_GPIO_MSG_IRQ_TYPE, 1, VIRTIO_GPIO_IRQ_TYPE_EDGE_RISING);
    assert_int_equal(fake.edges[1], GPIO_EDGE_RISING);
    /* Out of the input while its interrupt is on: refused. */
    assert_int_equal(req(VIRTIO_GPIO_MSG_SET_DIRECTION, 1, VIRTIO_GPIO_DIRECTION_OUT, true, NULL),
                     VIRTIO_GPIO_STATUS_ERR);
    assert_int_equal(event_buffer(5, 1), VGPIO_HELD);
    vgpio_edge(&dev, 1, false);         /* not the edge asked for */
    vgpio_edge(&dev, 0, true);          /* not the line */
    vgpio_edge(&dev, 77, true);         /* no such line */
    assert_int_equal(given.n, 0);
    vgpio_edge(&dev, 1, true);
    assert_int_equal(given.n, 1);
    assert_int_equal(given.head[0], 5);
    assert_int_equal(given.len[0], 1);
    assert_int_equal(g_ptr(EVST + 5)[0], VIRTIO_GPIO_IRQ_STATUS_VALID);
    /* The next edge waits for the next buffer. */
    assert_int_equal(event_buffer(6, 1), VGPIO_HELD);
    vgpio_edge(&dev, 1, true);
    assert_int_equal(given.n, 2);
    assert_int_equal(given.head[1], 6);
    assert_int_equal(dev.events, 2);
}

static void test_edge_latched_before_buffer(void **state)
{
    (void)state;
    req_ok(VIRTIO_GPIO_MSG_SET_DIRECTION, 1, VIRTIO_GPIO_DIRECTION_IN);
    req_ok(VIRTIO_GPIO_MSG_IRQ_TYPE, 1, VIRTIO_GPIO_IRQ_TYPE_EDGE_BOTH);
    vgpio_edge(&dev, 1, false);
    assert_int_equal(event_buffer(3, 1), 1);
    assert_int_equal(g_ptr(EVST + 3)[0], VIRTIO_GPIO_IRQ_STATUS_VALID);
    assert_int_equal(event_buffer(4, 1), VGPIO_HELD);
    assert_int_equal(given.n, 0);
}

static void test_level_interrupt(void **state)
{
    (void)state;
    req_ok(VIRTIO_GPIO_MSG_SET_DIRECTION, 3, VIRTIO_GPIO_DIRECTION_IN);
    req_ok(VIRTIO_GPIO_MSG_IRQ_TYPE, 3, VIRTIO_GPIO_IRQ_TYPE_LEVEL_HIGH);
    /* High already: the buffer comes back at once, as often as queued. */
    fake.level[3] = 1;
    assert_int_equal(event_buffer(1, 3), 1);
    assert_int_equal(g_ptr(EVST + 1)[0], VIRTIO_GPIO_IRQ_STATUS_VALID);
    assert_int_equal(event_buffer(2, 3), 1);
    /* Low: kept until it rises. */
    fake.level[3] = 0;
    assert_int_equal(event_buffer(3, 3), VGPIO_HELD);
    fake.level[3] = 1;
    vgpio_edge(&dev, 3, true);
    assert_int_equal(given.n, 1);
    assert_int_equal(given.head[0], 3);
    /* Level low, set while a buffer is kept and the line is low: at once. */
    fake.level[3] = 1;
    assert_int_equal(event_buffer(4, 3), 1);
    req_ok(VIRTIO_GPIO_MSG_IRQ_TYPE, 3, VIRTIO_GPIO_IRQ_TYPE_LEVEL_LOW);
    assert_int_equal(event_buffer(5, 3), VGPIO_HELD);
    fake.level[3] = 0;
    req_ok(VIRTIO_GPIO_MSG_IRQ_TYPE, 3, VIRTIO_GPIO_IRQ_TYPE_LEVEL_LOW);
    assert_int_equal(given.n, 2);
    assert_int_equal(given.head[1], 5);
    assert_int_equal(g_ptr(EVST + 5)[0], VIRTIO_GPIO_IRQ_STATUS_VALID);
}

static void test_irq_off_gives_buffer_back(void **state)
{
    (void)state;
    req_ok(VIRTIO_GPIO_MSG_SET_DIRECTION, 0, VIRTIO_GPIO_DIRECTION_IN);
    req_ok(VIRTIO_GPIO_MSG_IRQ_TYPE, 0, VIRTIO_GPIO_IRQ_TYPE_EDGE_FALLING);
    assert_int_equal(event_buffer(7, 0), VGPIO_HELD);
    req_ok(VIRTIO_GPIO_MSG_IRQ_TYPE, 0, VIRTIO_GPIO_IRQ_TYPE_NONE);
    assert_int_equal(fake.edges[0], 0);
    assert_int_equal(given.n, 1);
    assert_int_equal(given.head[0], 7);
    assert_int_equal(g_ptr(EVST + 7)[0], VIRTIO_GPIO_IRQ_STATUS_INVALID);
    vgpio_edge(&dev, 0, false);
    assert_int_equal(given.n, 1);
    /* Now the line may become an output. */
    req_ok(VIRTIO_GPIO_MSG_SET_DIRECTION, 0, VIRTIO_GPIO_DIRECTION_OUT);
}

static void test_bad_event_buffers(void **state)
{
    (void)state;
    /* No interrupt enabled on the line, no such line. */
    assert_int_equal(event_buffer(1, 0), 1);
    assert_int_equal(g_ptr(EVST + 1)[0], VIRTIO_GPIO_IRQ_STATUS_INVALID);
    assert_int_equal(event_buffer(2, NLINES), 1);
    assert_int_equal(g_ptr(EVST + 2)[0], VIRTIO_GPIO_IRQ_STATUS_INVALID);
    /* A second buffer for a line that has one. */
    req_ok(VIRTIO_GPIO_MSG_SET_DIRECTION, 1, VIRTIO_GPIO_DIRECTION_IN);
    req_ok(VIRTIO_GPIO_MSG_IRQ_TYPE, 1, VIRTIO_GPIO_IRQ_TYPE_EDGE_RISING);
    assert_int_equal(event_buffer(3, 1), VGPIO_HELD);
    assert_int_equal(event_buffer(4, 1), 1);
    assert_int_equal(g_ptr(EVST + 4)[0], VIRTIO_GPIO_IRQ_STATUS_INVALID);
    /* Interrupts not negotiated. */
    put_le16(g_ptr(EVT), 1);
    g_desc(G_DESC, 0, EVT, 2, VIRTQ_DESC_F_NEXT, 1);
    g_desc(G_DESC, 1, EVST, 1, VIRTQ_DESC_F_WRITE, 0);
    g_offer(vq.last_avail, 0);
    assert_int_equal(vq_pop(&vq, &chain), 1);
    assert_int_equal(vgpio_event_buffer(&dev, &g_mem, &chain, false), 1);
    assert_int_equal(g_ptr(EVST)[0], VIRTIO_GPIO_IRQ_STATUS_INVALID);
    /* A 4-byte request, and one with no room to answer. */
    g_desc(G_DESC, 0, EVT, 4, VIRTQ_DESC_F_NEXT, 1);
    g_offer(vq.last_avail, 0);
    assert_int_equal(vq_pop(&vq, &chain), 1);
    assert_int_equal(vgpio_event_buffer(&dev, &g_mem, &chain, true), 1);
    g_desc(G_DESC, 0, EVT, 2, 0, 0);
    g_offer(vq.last_avail, 0);
    assert_int_equal(vq_pop(&vq, &chain), 1);
    assert_int_equal(vgpio_event_buffer(&dev, &g_mem, &chain, true), 0);
    /* The kept one is still answered by its edge. */
    vgpio_edge(&dev, 1, true);
    assert_int_equal(given.n, 1);
    assert_int_equal(given.head[0], 3);
}

static void test_reset_lets_lines_go(void **state)
{
    (void)state;
    req_ok(VIRTIO_GPIO_MSG_SET_DIRECTION, 0, VIRTIO_GPIO_DIRECTION_OUT);
    req_ok(VIRTIO_GPIO_MSG_SET_DIRECTION, 1, VIRTIO_GPIO_DIRECTION_IN);
    req_ok(VIRTIO_GPIO_MSG_IRQ_TYPE, 1, VIRTIO_GPIO_IRQ_TYPE_EDGE_RISING);
    assert_int_equal(event_buffer(3, 1), VGPIO_HELD);
    vgpio_reset(&dev);
    assert_false(fake.taken[0]);
    assert_false(fake.taken[1]);
    assert_int_equal(fake.edges[1], 0);
    /* The kept buffer belonged to the ring the reset threw away. */
    vgpio_edge(&dev, 1, true);
    assert_int_equal(given.n, 0);
    assert_int_equal(req_ok(VIRTIO_GPIO_MSG_GET_DIRECTION, 0, 0), VIRTIO_GPIO_DIRECTION_NONE);
}

struct seen_log {
    unsigned n, line[8];
    bool rising[8];
};

static void seen(void *ctx, unsigned line, bool rising)
{
    struct seen_log *s = ctx;

    if (s->n < 8) {
        s->line[s->n] = line;
        s->rising[s->n] = rising;
        s->n++;
    }
}

static void to_device(void *ctx, unsigned line, bool rising)
{
    vgpio_edge(ctx, line, rising);
}

static void test_sim_chip_pairs(void **state)
{
    struct gpio_sim sim;
    struct seen_log log = { 0 };
    char name[16];

    (void)state;
    gpio_sim_init(&sim);
    sim.chip.name(&sim.chip, 5, name, sizeof(name));
    assert_string_equal(name, "pair2-b");
    assert_int_equal(sim.chip.request(&sim.chip, 1, false, 0), 0);
    assert_int_equal(sim.chip.get(&sim.chip, 1), 0);
    assert_int_equal(sim.chip.edges(&sim.chip, 1, GPIO_EDGE_RISING | GPIO_EDGE_FALLING), 0);
    /* Driving 0 high is a rising edge on 1, low again a falling one. */
    assert_int_equal(sim.chip.request(&sim.chip, 0, true, 1), 0);
    assert_int_equal(sim.chip.get(&sim.chip, 1), 1);
    assert_int_equal(sim.chip.set(&sim.chip, 0, 0), 0);
    assert_int_equal(sim.chip.wait_edges(&sim.chip, 10, seen, &log), 0);
    assert_int_equal(log.n, 2);
    assert_int_equal(log.line[0], 1);
    assert_true(log.rising[0]);
    assert_false(log.rising[1]);
    /* Nothing more: the wait times out empty. */
    assert_int_equal(sim.chip.wait_edges(&sim.chip, 10, seen, &log), 0);
    assert_int_equal(log.n, 2);
    /* An input cannot be set, an output has no edges. */
    assert_int_equal(sim.chip.set(&sim.chip, 1, 1), -1);
    assert_int_equal(sim.chip.edges(&sim.chip, 0, GPIO_EDGE_RISING), -1);
    /* Through the device: the interrupt on 3 from driving 2. */
    vgpio_fini(&dev);
    vgpio_init(&dev, &sim.chip, give_back, NULL);
    req_ok(VIRTIO_GPIO_MSG_SET_DIRECTION, 3, VIRTIO_GPIO_DIRECTION_IN);
    req_ok(VIRTIO_GPIO_MSG_IRQ_TYPE, 3, VIRTIO_GPIO_IRQ_TYPE_EDGE_RISING);
    assert_int_equal(event_buffer(2, 3), VGPIO_HELD);
    req_ok(VIRTIO_GPIO_MSG_SET_DIRECTION, 2, VIRTIO_GPIO_DIRECTION_OUT);
    req_ok(VIRTIO_GPIO_MSG_SET_VALUE, 2, 1);
    assert_int_equal(req_ok(VIRTIO_GPIO_MSG_GET_VALUE, 3, 0), 1);
    assert_int_equal(sim.chip.wait_edges(&sim.chip, 10, to_device, &dev), 0);
    assert_int_equal(given.n, 1);
    assert_int_equal(given.head[0], 2);
    assert_int_equal(g_ptr(EVST + 2)[0], VIRTIO_GPIO_IRQ_STATUS_VALID);
    vgpio_fini(&dev);
    gpio_sim_fini(&sim);
    vgpio_init(&dev, &fake.chip, give_back, NULL);
}

/* Any bytes, but mostly a known request type, a line near the chip's and
 * a small value, so that some requests are carried out. */
static void random_request(uint8_t *p, uint32_t len)
{
    uint32_t i;

    for (i = 0; i < len; i++)
        p[i] = (uint8_t)rand();
    if (len >= 8 && rand() % 4) {
        put_le16(p, (uint16_t)(rand() % 8));
        put_le16(p + 2, (uint16_t)(rand() % (NLINES + 2)));
        put_le32(p + 4, (uint32_t)(rand() % 10));
    } else if (len >= 2 && rand() % 2) {
        put_le16(p, (uint16_t)(rand() % (NLINES + 2)));
    }
}

/* 300 seeds of random requests and event buffers, with edges between
 * them: each answered within its writable part or kept, under ASan/UBSan,
 * and every chip call on a line of the chip (the fake's arrays are that
 * long, so ASan would see any other). */
static void test_random_requests(void **state)
{
    unsigned seed, n, ok = 0, err = 0, none = 0, kept = 0;

    (void)state;
    for (seed = 1; seed <= 300; seed++) {
        /* One line ready for interrupts, so that event buffers are kept. */
        req_ok(VIRTIO_GPIO_MSG_SET_DIRECTION, 1, VIRTIO_GPIO_DIRECTION_IN);
        req_ok(VIRTIO_GPIO_MSG_IRQ_TYPE, 1, VIRTIO_GPIO_IRQ_TYPE_EDGE_BOTH);
        srand(seed);
        for (n = 0; n < 12; n++) {
            uint8_t st;
            uint32_t len;

            g_random_chain(&vq, &chain, random_request);
            if (rand() % 3 == 0) {
                len = vgpio_event_buffer(&dev, &g_mem, &chain, rand() % 4 != 0);
                if (len == VGPIO_HELD) {
                    kept++;
                    continue;
                }
                assert_true(len <= 1 && len <= chain.writable);
            } else {
                len = vgpio_request(&dev, &g_mem, &chain, rand() % 4 != 0, &st);
                assert_true(len <= chain.writable);
                assert_true((st == 0xff) == (len == 0));
                ok += st == VIRTIO_GPIO_STATUS_OK;
                err += st == VIRTIO_GPIO_STATUS_ERR;
                none += st == 0xff;
            }
            if (rand() % 4 == 0)
                vgpio_edge(&dev, (unsigned)rand() % (NLINES + 1), rand() % 2);
            given.n = 0;    /* give_back() records 8 at most */
        }
        vgpio_reset(&dev);
    }
    print_message("%u OK, %u ERR, %u unanswered, %u event buffers kept\n", ok, err, none, kept);
    assert_true(ok > 50 && err > 100 && none > 20 && kept > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_config_and_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_output, setup, teardown),
        cmocka_unit_test_setup_teardown(test_input, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_requests, setup, teardown),
        cmocka_unit_test_setup_teardown(test_edge_interrupt, setup, teardown),
        cmocka_unit_test_setup_teardown(test_edge_latched_before_buffer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_level_interrupt, setup, teardown),
        cmocka_unit_test_setup_teardown(test_irq_off_gives_buffer_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_event_buffers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reset_lets_lines_go, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sim_chip_pairs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_random_requests, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
