/* A simulated I2C bus with 24c02-style EEPROMs on it, for testing the
 * virtio-i2c device where dom0 has no adapter (QEMU's virt machine has no
 * I2C bus at all). Each EEPROM is 256 bytes behind one 7-bit address: a
 * write's first byte sets the address pointer and the bytes after it are
 * stored from there, wrapping within the 8-byte page as a 24c02 does; a
 * read returns bytes from the pointer on, wrapping at 256; an address-only
 * transfer is acknowledged. Any other address does not answer (a NACK).
 * The contents start as 0xff, as an erased part's, and live as long as the
 * process: nothing is written to a file. */
#ifndef VBE_I2C_EEPROM_H
#define VBE_I2C_EEPROM_H

#include <stdint.h>

#include "i2c_bus.h"

#define I2C_EEPROM_SIZE   256u
#define I2C_EEPROM_PAGE   8u
#define I2C_EEPROM_MAX    4u

struct i2c_eeprom {
    uint16_t addr;
    uint8_t ptr;
    uint8_t mem[I2C_EEPROM_SIZE];
};

struct i2c_sim_bus {
    struct i2c_bus bus;
    unsigned n;
    struct i2c_eeprom dev[I2C_EEPROM_MAX];
};

void i2c_sim_init(struct i2c_sim_bus *s);
/* Put an EEPROM at addr (0x08..0x77): 0, or -1 when the address is
 * reserved or taken or the bus is full. */
int i2c_sim_add_eeprom(struct i2c_sim_bus *s, uint16_t addr);

#endif
