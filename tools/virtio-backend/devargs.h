/* What backs one device, written as option words: the same words in a
 * dom0less device's proxenos,backend-args and in a line of the discovery
 * mode's configuration file (docs/virtio.md, "Finding dom0less devices"):
 *   PATH | target=PATH, access=ro|rw, queues=N     (blk)
 *   tap=NAME, mac=XX:XX:XX:XX:XX:XX, mtu=N         (net)
 *   PATH | target=PATH                             (i2c, gpio)
 * Words are separated by blanks; there is no quoting, so a PATH holds no
 * blank. */
#ifndef VBE_DEVARGS_H
#define VBE_DEVARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vdev.h"

struct devargs {
    char path[256];         /* "" when none was given */
    bool ro;
    unsigned queues;        /* 0 = the type's default */
    char tap[16];           /* "" = the kernel names it */
    bool have_mac;
    uint8_t mac[6];
    unsigned mtu;           /* 0 = not offered */
};

/* Parse words for a device of type (NULL: check only what holds for every
 * type). 0, or -1 with why (a sentence naming the word) filled. */
int devargs_parse(const char *words, const char *type, struct devargs *a, char *why,
                  size_t why_len);

/* The vdev_opts the device type reads; its strings point into a, which
 * must outlive them. */
void devargs_to_opts(const struct devargs *a, struct vdev_opts *o);

/* Whether the option words of this type are known here. */
bool devargs_type_known(const char *type);

/* A whole decimal or 0x-prefixed number of at most max. */
bool devargs_number(const char *s, unsigned long long max, unsigned long long *v);
/* A unicast MAC address written XX:XX:XX:XX:XX:XX. */
bool devargs_mac(const char *s, uint8_t mac[6]);

#endif
