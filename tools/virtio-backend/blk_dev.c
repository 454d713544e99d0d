/* virtio-blk as a device type of the back end: the disk behind blk.c's
 * requests, one request queue per guest vCPU unless told otherwise. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blk.h"
#include "log.h"
#include "vdev_types.h"
#include "virtio_mmio.h"

struct blk_dev {
    struct blk_disk disk;
    uint8_t config[VBLK_CFG_SIZE];
};

static void *blk_create(const struct vdev_opts *o, unsigned nvcpus, struct vdev_info *info)
{
    struct blk_dev *b;
    unsigned queues = o->queues ? o->queues : nvcpus;

    if (!o->path) {
        log_msg("blk: no image given");
        return NULL;
    }
    b = calloc(1, sizeof(*b));
    if (!b)
        return NULL;
    if (blk_open(&b->disk, o->path, o->ro) != 0) {
        log_msg("cannot open %s: %s", o->path, strerror(errno));
        free(b);
        return NULL;
    }
    if (queues == 0)
        queues = 1;
    if (queues > VMMIO_MAX_QUEUES)
        queues = VMMIO_MAX_QUEUES;
    blk_config(&b->disk, (uint16_t)queues, b->config);
    memset(info, 0, sizeof(*info));
    info->device_id = VIRTIO_ID_BLOCK;
    info->features = blk_features(&b->disk);
    info->config = b->config;
    info->config_len = VBLK_CFG_SIZE;
    info->nqueues = queues;
    snprintf(info->what, sizeof(info->what), "%s (%llu sectors, %s)", o->path,
             (unsigned long long)b->disk.sectors, b->disk.ro ? "ro" : "rw");
    return b;
}

static uint32_t blk_dev_request(void *dev, unsigned q, struct guest_mem *gm,
                                const struct vq_chain *chain, bool *failed)
{
    struct blk_dev *b = dev;
    uint8_t status;
    uint32_t len = blk_request(&b->disk, gm, chain, &status);

    (void)q;
    *failed = status != VIRTIO_BLK_S_OK;
    return len;
}

static void blk_destroy(void *dev)
{
    struct blk_dev *b = dev;

    blk_close(&b->disk);
    free(b);
}

const struct vdev_type vdev_blk = {
    .name = "blk",
    .create = blk_create,
    .request = blk_dev_request,
    .destroy = blk_destroy,
};
