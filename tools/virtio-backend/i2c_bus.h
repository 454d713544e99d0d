/* An I2C bus in dom0 as the virtio-i2c device drives it: one message per
 * call, to a 7-bit address. Behind it is either a real adapter
 * (i2c_adapter.c, /dev/i2c-N) or the simulated EEPROM (i2c_eeprom.c), so
 * that vi2c.c never knows which. */
#ifndef VBE_I2C_BUS_H
#define VBE_I2C_BUS_H

#include <stdbool.h>
#include <stdint.h>

struct i2c_bus {
    /* Read len bytes from, or write len bytes to, the target at addr
     * (len 0: the address alone, as SMBus's quick command). 0 when the
     * target acknowledged and the transfer completed, -1 otherwise: no
     * target there, a NACK, an adapter that refuses such a transfer. */
    int (*xfer)(struct i2c_bus *bus, uint16_t addr, bool read, uint8_t *buf, uint16_t len);
};

#endif
