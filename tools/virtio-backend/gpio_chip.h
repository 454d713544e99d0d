/* A GPIO chip in dom0 as the virtio-gpio device drives it. Behind it is
 * either a real chip (gpio_cdev.c, Linux's /dev/gpiochipN) or the
 * simulated one (gpio_sim.c), so that vgpio.c never knows which.
 *
 * Calls come from two threads: the request queue's worker (directions,
 * values, edges) and the device's event thread (wait_edges); an
 * implementation serialises what it must. */
#ifndef VBE_GPIO_CHIP_H
#define VBE_GPIO_CHIP_H

#include <stdbool.h>
#include <stddef.h>

#define GPIO_EDGE_RISING   1u
#define GPIO_EDGE_FALLING  2u

struct gpio_chip {
    unsigned nlines;
    /* The line's name into buf (NUL-terminated; "" when it has none). */
    void (*name)(struct gpio_chip *c, unsigned line, char *buf, size_t size);
    /* Take the line as an input (out false) or an output driving value,
     * or change it from one to the other; 0, or -1 (dom0 uses the line, a
     * chip that cannot). */
    int (*request)(struct gpio_chip *c, unsigned line, bool out, int value);
    /* Let the line go back to dom0. */
    void (*release)(struct gpio_chip *c, unsigned line);
    /* On a taken line: its level (0 or 1), or -1. */
    int (*get)(struct gpio_chip *c, unsigned line);
    /* On an output: drive value; 0, or -1. */
    int (*set)(struct gpio_chip *c, unsigned line, int value);
    /* On an input: report these GPIO_EDGE_* (0: none) to wait_edges();
     * 0, or -1. */
    int (*edges)(struct gpio_chip *c, unsigned line, unsigned edges);
    /* Wait up to timeout_ms for edges and hand each to seen(ctx, line,
     * rising), with no lock of the chip's held. 0 (edges seen or not), or
     * -1 when the chip cannot be waited on any more. */
    int (*wait_edges)(struct gpio_chip *c, int timeout_ms,
                      void (*seen)(void *ctx, unsigned line, bool rising), void *ctx);
};

#endif
