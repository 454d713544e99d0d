/* A GPIO chip of dom0's through Linux's GPIO character device, uAPI v2
 * (/dev/gpiochipN): each line the guest uses is one line request of ours,
 * taken with GPIO_V2_GET_LINE_IOCTL, reconfigured with
 * GPIO_V2_LINE_SET_CONFIG_IOCTL, and its edges read from the request's
 * file as struct gpio_v2_line_event. The system calls go through
 * gpio_cdev_sys so that the host unit tests can stand a fake chip behind
 * them. */
#ifndef VBE_GPIO_CDEV_H
#define VBE_GPIO_CDEV_H

#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <sys/types.h>

#include "gpio_chip.h"
#include "vgpio.h"

struct gpio_cdev_sys {
    int (*open)(const char *path, int flags);
    int (*close)(int fd);
    int (*ioctl)(int fd, unsigned long request, void *arg);
    ssize_t (*read)(int fd, void *buf, size_t len);
    int (*poll)(struct pollfd *fds, nfds_t n, int timeout);
};

struct gpio_cdev_line {
    int fd;                 /* the line request, -1 when not taken */
    bool out;
    unsigned edges;
    unsigned gen;           /* changes whenever fd does */
};

struct gpio_cdev {
    struct gpio_chip chip;
    const struct gpio_cdev_sys *sys;
    int fd;
    char consumer[32];
    pthread_mutex_t lock;
    struct gpio_cdev_line line[VGPIO_MAX_LINES];
};

/* Open the chip at path; consumer labels our line requests (what dom0's
 * gpioinfo shows); sys NULL for the real calls. 0, or -1 with a log line. */
int gpio_cdev_open(struct gpio_cdev *g, const char *path, const char *consumer,
                   const struct gpio_cdev_sys *sys);
/* Every line request let go, the chip closed. */
void gpio_cdev_close(struct gpio_cdev *g);

#endif
