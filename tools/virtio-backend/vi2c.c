/* virtio-i2c request handling (VirtIO 1.2, 5.18.6). */
#include "le.h"
#include "virtio_abi.h"
#include "vi2c.h"

/* One worker thread per queue and virtio-i2c has one queue, but keep the
 * buffer per thread anyway: it costs nothing and needs no argument. */
static _Thread_local uint8_t msg[VI2C_MAX_LEN];

void vi2c_init(struct vi2c *v, struct i2c_bus *bus)
{
    v->bus = bus;
    v->failing = false;
}

uint64_t vi2c_features(void)
{
    /* Linux's driver refuses a device without zero-length requests. */
    return (1ull << VIRTIO_F_VERSION_1) | (1ull << VIRTIO_F_INDIRECT_DESC) |
           (1ull << VIRTIO_I2C_F_ZERO_LENGTH_REQUEST);
}

void vi2c_reset(struct vi2c *v)
{
    v->failing = false;
}

/* The message a sound header and chain ask for, then the bus: OK, ERR. */
static uint8_t carry_out(struct vi2c *v, struct guest_mem *gm, const struct vq_chain *c,
                         uint16_t addr, uint32_t flags, uint64_t *data_in)
{
    bool rd = (flags & VIRTIO_I2C_FLAGS_M_RD) != 0;
    uint64_t len;

    if (flags & ~(VIRTIO_I2C_FLAGS_FAIL_NEXT | VIRTIO_I2C_FLAGS_M_RD))
        return VIRTIO_I2C_MSG_ERR;
    /* A 7-bit address in bits 7:1; ten-bit addressing is not offered. */
    if (addr & ~0xfeu)
        return VIRTIO_I2C_MSG_ERR;
    if (rd) {
        if (c->readable != VIRTIO_I2C_HDR_LEN)
            return VIRTIO_I2C_MSG_ERR;
        len = c->writable - 1;
    } else {
        if (c->writable != 1)
            return VIRTIO_I2C_MSG_ERR;
        len = c->readable - VIRTIO_I2C_HDR_LEN;
    }
    if (len > VI2C_MAX_LEN)
        return VIRTIO_I2C_MSG_ERR;
    if (!rd && len != 0 && vq_chain_read(gm, c, VIRTIO_I2C_HDR_LEN, msg, len) != 0)
        return VIRTIO_I2C_MSG_ERR;
    if (v->bus->xfer(v->bus, (uint16_t)(addr >> 1), rd, msg, (uint16_t)len) != 0)
        return VIRTIO_I2C_MSG_ERR;
    if (rd && len != 0) {
        if (vq_chain_write(gm, c, 0, msg, len) != 0)
            return VIRTIO_I2C_MSG_ERR;
        *data_in = len;
    }
    return VIRTIO_I2C_MSG_OK;
}

uint32_t vi2c_request(struct vi2c *v, struct guest_mem *gm, const struct vq_chain *c,
                      uint8_t *status)
{
    uint8_t hdr[VIRTIO_I2C_HDR_LEN], st;
    uint64_t data_in = 0;
    uint32_t flags;

    *status = 0xff;
    if (c->error != 0 || c->writable == 0) {
        /* Its flags cannot be trusted to say whether a group goes on. */
        v->failing = false;
        return 0;
    }
    if (c->readable < VIRTIO_I2C_HDR_LEN || vq_chain_read(gm, c, 0, hdr, sizeof(hdr)) != 0) {
        v->failing = false;
        st = VIRTIO_I2C_MSG_ERR;
    } else {
        flags = le32(hdr + 4);
        st = v->failing ? VIRTIO_I2C_MSG_ERR
                        : carry_out(v, gm, c, le16(hdr), flags, &data_in);
        v->failing = st != VIRTIO_I2C_MSG_OK && (flags & VIRTIO_I2C_FLAGS_FAIL_NEXT) != 0;
    }
    if (st != VIRTIO_I2C_MSG_OK)
        data_in = 0;
    if (vq_chain_write(gm, c, c->writable - 1, &st, 1) != 0)
        return 0;
    *status = st;
    return (uint32_t)(data_in + 1);
}
