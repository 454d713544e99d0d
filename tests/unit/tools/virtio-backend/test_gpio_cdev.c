/* The GPIO character device path of our virtio-gpio back end
 * (gpio_cdev.c) against a fake chip: the chip's size and line names, a
 * line taken as an output with its first value (one GPIO_V2_GET_LINE_IOCTL
 * with the output-values attribute and our consumer label), values set
 * and read, an input's edges turned on by reconfiguring it and kept when
 * it is made an input again, a line dom0 uses refused, edges read from
 * the line's file and reported, a released line's file closed and no
 * longer read, and a node that is not a chip refused. */
#include <errno.h>
#include <fcntl.h>
#include <linux/gpio.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "gpio_cdev.h"

#define CHIP_FD  5
#define LINE_FD  100        /* + the line */
#define LINES    4u
#define USED     3u         /* dom0 holds it */

static struct {
    bool open[LINES];
    uint64_t flags[LINES];
    uint64_t out_bits[LINES];
    int level[LINES];
    char consumer[GPIO_MAX_NAME_SIZE];
    unsigned pending[LINES];    /* events waiting on the line's file */
    bool pending_rising[LINES][4];
    int closes, reads, set_config;
} k;

static int k_open(const char *path, int flags)
{
    (void)flags;
    if (strcmp(path, "/dev/gpiochip0") == 0)
        return CHIP_FD;
    if (strcmp(path, "/dev/null") == 0)
        return 9;
    errno = ENOENT;
    return -1;
}

static int k_close(int fd)
{
    k.closes++;
    if (fd >= LINE_FD && fd < LINE_FD + (int)LINES)
        k.open[fd - LINE_FD] = false;
    return 0;
}

static int line_ioctl(unsigned line, unsigned long request, void *arg)
{
    if (request == GPIO_V2_LINE_SET_CONFIG_IOCTL) {
        k.flags[line] = ((struct gpio_v2_line_config *)arg)->flags;
        k.set_config++;
        return 0;
    }
    if (request == GPIO_V2_LINE_GET_VALUES_IOCTL) {
        struct gpio_v2_line_values *v = arg;

        assert_int_equal(v->mask, 1);
        v->bits = (k.flags[line] & GPIO_V2_LINE_FLAG_OUTPUT) ? k.out_bits[line]
                                                            : (uint64_t)k.level[line];
        return 0;
    }
    if (request == GPIO_V2_LINE_SET_VALUES_IOCTL) {
        struct gpio_v2_line_values *v = arg;

        assert_int_equal(v->mask, 1);
        if (!(k.flags[line] & GPIO_V2_LINE_FLAG_OUTPUT)) {
            errno = EPERM;
            return -1;
        }
        k.out_bits[line] = v->bits;
        return 0;
    }
    errno = ENOTTY;
    return -1;
}

static int k_ioctl(int fd, unsigned long request, void *arg)
{
    if (fd >= LINE_FD && fd < LINE_FD + (int)LINES) {
        assert_true(k.open[fd - LINE_FD]);
        return line_ioctl((unsigned)(fd - LINE_FD), request, arg);
    }
    if (fd != CHIP_FD) {
        errno = ENOTTY;
        return -1;
    }
    if (request == GPIO_GET_CHIPINFO_IOCTL) {
        struct gpiochip_info *ci = arg;

        strcpy(ci->name, "gpiochip0");
        strcpy(ci->label, "9030000.pl061");
        ci->lines = LINES;
        return 0;
    }
    if (request == GPIO_V2_GET_LINEINFO_IOCTL) {
        struct gpio_v2_line_info *li = arg;

        if (li->offset >= LINES) {
            errno = EINVAL;
            return -1;
        }
        if (li->offset == 1)
            strcpy(li->name, "LED");
        return 0;
    }
    if (request == GPIO_V2_GET_LINE_IOCTL) {
        struct gpio_v2_line_request *r = arg;
        unsigned line = r->offsets[0];

        assert_int_equal(r->num_lines, 1);
        if (line >= LINES || line == USED || k.open[line]) {
            errno = EBUSY;
            return -1;
        }
        k.open[line] = true;
        k.flags[line] = r->config.flags;
        if (r->config.num_attrs == 1 &&
            r->config.attrs[0].attr.id == GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES)
            k.out_bits[line] = r->config.attrs[0].attr.values & r->config.attrs[0].mask;
        memcpy(k.consumer, r->consumer, sizeof(k.consumer));
        r->fd = LINE_FD + (int)line;
        return 0;
    }
    errno = ENOTTY;
    return -1;
}

static ssize_t k_read(int fd, void *buf, size_t len)
{
    unsigned line = (unsigned)(fd - LINE_FD);
    struct gpio_v2_line_event ev;

    k.reads++;
    assert_true(line < LINES && k.open[line] && k.pending[line] != 0);
    assert_true(len >= sizeof(ev));
    memset(&ev, 0, sizeof(ev));
    ev.offset = line;
    ev.id = k.pending_rising[line][0] ? GPIO_V2_LINE_EVENT_RISING_EDGE
                                      : GPIO_V2_LINE_EVENT_FALLING_EDGE;
    memmove(k.pending_rising[line], k.pending_rising[line] + 1, 3);
    k.pending[line]--;
    memcpy(buf, &ev, sizeof(ev));
    return (ssize_t)sizeof(ev);
}

static int k_poll(struct pollfd *fds, nfds_t n, int timeout)
{
    nfds_t i;
    int ready = 0;

    assert_true(timeout >= 0 && timeout <= 100);
    for (i = 0; i < n; i++) {
        unsigned line = (unsigned)(fds[i].fd - LINE_FD);

        assert_true(line < LINES && k.open[line]);
        fds[i].revents = k.pending[line] ? POLLIN : 0;
        ready += k.pending[line] != 0;
    }
    return ready;
}

static const struct gpio_cdev_sys sys = {
    .open = k_open,
    .close = k_close,
    .ioctl = k_ioctl,
    .read = k_read,
    .poll = k_poll,
};

static struct gpio_cdev g;

static int setup(void **state)
{
    (void)state;
    memset(&k, 0, sizeof(k));
    assert_int_equal(gpio_cdev_open(&g, "/dev/gpiochip0", "vgpio dom7", &sys), 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    gpio_cdev_close(&g);
    return 0;
}

static struct {
    unsigned n, line[8];
    bool rising[8];
} seen_log;

static void seen(void *ctx, unsigned line, bool rising)
{
    (void)ctx;
    seen_log.line[seen_log.n] = line;
    seen_log.rising[seen_log.n] = rising;
    seen_log.n++;
}

static void test_chip_and_names(void **state)
{
    char name[32];

    (void)state;
    assert_int_equal(g.chip.nlines, LINES);
    g.chip.name(&g.chip, 1, name, sizeof(name));
    assert_string_equal(name, "LED");
    g.chip.name(&g.chip, 0, name, sizeof(name));
    assert_string_equal(name, "");
}

static void test_output(void **state)
{
    (void)state;
    assert_int_equal(g.chip.request(&g.chip, 1, true, 1), 0);
    assert_true(k.open[1]);
    assert_int_equal(k.flags[1], GPIO_V2_LINE_FLAG_OUTPUT);
    assert_int_equal(k.out_bits[1], 1);
    assert_string_equal(k.consumer, "vgpio dom7");
    assert_int_equal(g.chip.get(&g.chip, 1), 1);
    assert_int_equal(g.chip.set(&g.chip, 1, 0), 0);
    assert_int_equal(k.out_bits[1], 0);
    assert_int_equal(g.chip.get(&g.chip, 1), 0);
    /* An output has no edges. */
    assert_int_equal(g.chip.edges(&g.chip, 1, GPIO_EDGE_RISING), -1);
    g.chip.release(&g.chip, 1);
    assert_false(k.open[1]);
    assert_int_equal(g.chip.get(&g.chip, 1), -1);
    assert_int_equal(g.chip.set(&g.chip, 1, 1), -1);
}

static void test_input_and_edges(void **state)
{
    (void)state;
    assert_int_equal(g.chip.request(&g.chip, 2, false, 0), 0);
    assert_int_equal(k.flags[2], GPIO_V2_LINE_FLAG_INPUT);
    k.level[2] = 1;
    assert_int_equal(g.chip.get(&g.chip, 2), 1);
    assert_int_equal(g.chip.set(&g.chip, 2, 0), -1);
    assert_int_equal(g.chip.edges(&g.chip, 2, GPIO_EDGE_RISING | GPIO_EDGE_FALLING), 0);
    assert_int_equal(k.flags[2], GPIO_V2_LINE_FLAG_INPUT | GPIO_V2_LINE_FLAG_EDGE_RISING |
                                     GPIO_V2_LINE_FLAG_EDGE_FALLING);
    /* Made an input again (the driver's SET_DIRECTION IN): edges stay. */
    assert_int_equal(g.chip.request(&g.chip, 2, false, 0), 0);
    assert_int_equal(k.flags[2] & GPIO_V2_LINE_FLAG_EDGE_RISING, GPIO_V2_LINE_FLAG_EDGE_RISING);
    /* Two edges wait on the line's file: both reported, in order. */
    k.pending[2] = 2;
    k.pending_rising[2][0] = true;
    k.pending_rising[2][1] = false;
    memset(&seen_log, 0, sizeof(seen_log));
    assert_int_equal(g.chip.wait_edges(&g.chip, 1000, seen, NULL), 0);
    assert_int_equal(g.chip.wait_edges(&g.chip, 50, seen, NULL), 0);
    assert_int_equal(seen_log.n, 2);
    assert_int_equal(seen_log.line[0], 2);
    assert_true(seen_log.rising[0]);
    assert_false(seen_log.rising[1]);
    /* Edges off: the file is no longer waited on. */
    assert_int_equal(g.chip.edges(&g.chip, 2, 0), 0);
    assert_int_equal(k.flags[2], GPIO_V2_LINE_FLAG_INPUT);
    k.pending[2] = 1;
    assert_int_equal(g.chip.wait_edges(&g.chip, 10, seen, NULL), 0);
    assert_int_equal(seen_log.n, 2);
    assert_int_equal(k.reads, 2);
}

static void test_released_line_not_read(void **state)
{
    (void)state;
    assert_int_equal(g.chip.request(&g.chip, 0, false, 0), 0);
    assert_int_equal(g.chip.edges(&g.chip, 0, GPIO_EDGE_RISING), 0);
    g.chip.release(&g.chip, 0);
    assert_false(k.open[0]);
    memset(&seen_log, 0, sizeof(seen_log));
    assert_int_equal(g.chip.wait_edges(&g.chip, 10, seen, NULL), 0);
    assert_int_equal(seen_log.n, 0);
    assert_int_equal(k.reads, 0);
    /* Taken again, it starts with no edges. */
    assert_int_equal(g.chip.request(&g.chip, 0, false, 0), 0);
    assert_int_equal(k.flags[0], GPIO_V2_LINE_FLAG_INPUT);
}

static void test_line_dom0_uses(void **state)
{
    (void)state;
    assert_int_equal(g.chip.request(&g.chip, USED, true, 0), -1);
    assert_int_equal(g.chip.get(&g.chip, USED), -1);
    assert_int_equal(g.chip.edges(&g.chip, USED, GPIO_EDGE_RISING), -1);
}

static void test_close_lets_lines_go(void **state)
{
    (void)state;
    assert_int_equal(g.chip.request(&g.chip, 0, true, 0), 0);
    assert_int_equal(g.chip.request(&g.chip, 2, false, 0), 0);
    gpio_cdev_close(&g);
    assert_false(k.open[0]);
    assert_false(k.open[2]);
    assert_int_equal(k.closes, 3);
    /* Opened again for the teardown. */
    assert_int_equal(gpio_cdev_open(&g, "/dev/gpiochip0", "vgpio dom7", &sys), 0);
}

static void test_not_a_chip(void **state)
{
    struct gpio_cdev other;

    (void)state;
    assert_int_equal(gpio_cdev_open(&other, "/dev/null", "x", &sys), -1);
    assert_int_equal(gpio_cdev_open(&other, "/dev/gpiochip9", "x", &sys), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_chip_and_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_output, setup, teardown),
        cmocka_unit_test_setup_teardown(test_input_and_edges, setup, teardown),
        cmocka_unit_test_setup_teardown(test_released_line_not_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_line_dom0_uses, setup, teardown),
        cmocka_unit_test_setup_teardown(test_close_lets_lines_go, setup, teardown),
        cmocka_unit_test_setup_teardown(test_not_a_chip, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
