/* A simulated GPIO chip for testing the virtio-gpio device's interrupts
 * where dom0's real chip cannot deliver them (on Proxenos today dom0's
 * devices' physical interrupts are not routed to it: docs/dom0.md).
 *
 * GPIO_SIM_LINES lines wired in pairs: line 2k ("pairk-a") and line 2k+1
 * ("pairk-b") are one wire. A line's level is its own value when it is an
 * output, else its partner's value when the partner is an output, else 0
 * (a pull-down). Any change of a line's level is an edge on that line,
 * reported when its edges were asked for: the guest drives one end and
 * sees interrupts on the other. */
#ifndef VBE_GPIO_SIM_H
#define VBE_GPIO_SIM_H

#include <pthread.h>
#include <stdbool.h>

#include "gpio_chip.h"

#define GPIO_SIM_LINES   8u
#define GPIO_SIM_QUEUE   32u

struct gpio_sim {
    struct gpio_chip chip;
    pthread_mutex_t lock;
    pthread_cond_t edge;
    bool taken[GPIO_SIM_LINES], out[GPIO_SIM_LINES];
    int value[GPIO_SIM_LINES];
    unsigned edges[GPIO_SIM_LINES];
    /* Edges not yet handed to wait_edges(); the oldest dropped on overflow. */
    unsigned nqueued;
    unsigned qline[GPIO_SIM_QUEUE];
    bool qrising[GPIO_SIM_QUEUE];
};

void gpio_sim_init(struct gpio_sim *s);
void gpio_sim_fini(struct gpio_sim *s);

#endif
