/* virtio-i2c requests (VirtIO 1.2, 5.18) carried out on a dom0 I2C bus.
 *
 * A request is three parts, whatever the split into buffers: an 8-byte
 * header the device reads (address, padding, flags), then either data the
 * device reads (a write) or room it writes (a read, VIRTIO_I2C_FLAGS_M_RD),
 * absent for a zero-length transfer, and one status byte, the last
 * writable one. Each request is one bus message; FAIL_NEXT groups them
 * only in that a failed request carrying it fails the rest of its group
 * without touching the bus (they are not joined into one transfer with
 * repeated starts: the device sees one chain at a time). */
#ifndef VBE_VI2C_H
#define VBE_VI2C_H

#include <stdbool.h>
#include <stdint.h>

#include "guest_mem.h"
#include "i2c_bus.h"
#include "virtqueue.h"

#define VIRTIO_ID_I2C                    34
#define VIRTIO_I2C_F_ZERO_LENGTH_REQUEST 0
#define VIRTIO_I2C_FLAGS_FAIL_NEXT       1u
#define VIRTIO_I2C_FLAGS_M_RD            2u
#define VIRTIO_I2C_MSG_OK                0u
#define VIRTIO_I2C_MSG_ERR               1u
#define VIRTIO_I2C_HDR_LEN               8u

/* The longest message carried: I2C_RDWR takes 16-bit lengths, and no
 * target a guest reaches this way needs more than a few pages. */
#define VI2C_MAX_LEN                     4096u

struct vi2c {
    struct i2c_bus *bus;
    bool failing;           /* the last request failed and said FAIL_NEXT */
};

void vi2c_init(struct vi2c *v, struct i2c_bus *bus);
uint64_t vi2c_features(void);
/* The driver reset the device: no group is in progress any more. */
void vi2c_reset(struct vi2c *v);

/* Carry out one request; the bytes written into the chain's writable part
 * (read data and the status byte), as the used ring reports them. A chain
 * that could not be walked, or has no writable byte, gets 0 and no status.
 * *status says what was answered (VIRTIO_I2C_MSG_*, or 0xff for none). */
uint32_t vi2c_request(struct vi2c *v, struct guest_mem *gm, const struct vq_chain *chain,
                      uint8_t *status);

#endif
