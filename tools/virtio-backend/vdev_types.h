/* Every device type's description, one per file (blk_dev.c, net_dev.c). */
#ifndef VBE_VDEV_TYPES_H
#define VBE_VDEV_TYPES_H

#include "vdev.h"

extern const struct vdev_type vdev_blk;
extern const struct vdev_type vdev_i2c;
extern const struct vdev_type vdev_gpio;
extern const struct vdev_type vdev_net;

#endif
