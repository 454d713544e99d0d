/* The virtio-net device type on a descriptor already open: what net_dev.c's
 * create does after opening the tap, and what the unit tests use with a
 * socket in its place. The device owns fd from then on (closed on
 * destroy, or by the caller when NULL comes back). */
#ifndef VBE_NET_DEV_H
#define VBE_NET_DEV_H

#include "vdev.h"

void *net_dev_create_on(int fd, const char *ifname, const struct vdev_opts *o,
                        struct vdev_info *info);

#endif
