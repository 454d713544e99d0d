/* virtio-blk requests against a raw image file or a block device.
 *
 * Request framing comes from a checked chain (virtqueue.h) and is read as
 * the specification defines it, whatever the split into buffers: a 16-byte
 * header at the start of the readable part, the status byte at the end of
 * the writable part. A request that does not fit that, or reaches outside
 * the disk, fails with an error status; it never touches memory or sectors
 * outside what the guest named and the disk holds. */
#ifndef VBE_BLK_H
#define VBE_BLK_H

#include <stdbool.h>
#include <stdint.h>

#include "guest_mem.h"
#include "virtio_abi.h"
#include "virtqueue.h"

#define BLK_SECTOR       512u
/* Advertised limits (config space). */
#define BLK_SEG_MAX      126u    /* data buffers per request; 2 more carry header and status */
#define BLK_MAX_DISCARD_SEG 16u
#define BLK_MAX_DISCARD_SECTORS (1u << 22)   /* 2 GiB per segment */
/* The most data one read or write may move: its length must fit the used
 * ring's 32 bits, and no driver sends more than a few MiB. */
#define BLK_MAX_IO       (64u << 20)

struct blk_disk {
    int fd;
    uint64_t sectors;
    bool ro;
    bool is_bdev;
    char id[VIRTIO_BLK_ID_BYTES];   /* GET_ID's answer, not NUL-terminated when full */
};

/* Open path (a regular file or a block device) read-only or read-write:
 * 0, or -1 with errno set. */
int blk_open(struct blk_disk *disk, const char *path, bool ro);
/* Take an already open descriptor of size bytes (the unit tests). */
void blk_attach(struct blk_disk *disk, int fd, uint64_t bytes, bool ro, bool is_bdev);
void blk_close(struct blk_disk *disk);

/* The device's feature bits and its config space (VBLK_CFG_SIZE bytes)
 * for nqueues queues. */
uint64_t blk_features(const struct blk_disk *disk);
void blk_config(const struct blk_disk *disk, uint16_t nqueues, uint8_t *cfg);

/* Carry out one request; the number of bytes written into the chain's
 * writable buffers (what the used ring reports), status byte included.
 * A chain that could not be walked gets 0 and no status: the guest's
 * buffers are not known well enough to write one. *status says what was
 * answered (VIRTIO_BLK_S_*, or 0xff for none). */
uint32_t blk_request(struct blk_disk *disk, struct guest_mem *gm, const struct vq_chain *chain,
                     uint8_t *status);

#endif
