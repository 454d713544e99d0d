/* The simulated EEPROM bus (a test target for virtio-i2c). */
#include <string.h>

#include "i2c_eeprom.h"

static struct i2c_eeprom *find(struct i2c_sim_bus *s, uint16_t addr)
{
    unsigned i;

    for (i = 0; i < s->n; i++) {
        if (s->dev[i].addr == addr)
            return &s->dev[i];
    }
    return NULL;
}

static int sim_xfer(struct i2c_bus *bus, uint16_t addr, bool read, uint8_t *buf, uint16_t len)
{
    struct i2c_sim_bus *s = (struct i2c_sim_bus *)bus;
    struct i2c_eeprom *e = find(s, addr);
    uint16_t i;

    if (!e)
        return -1;
    if (read) {
        for (i = 0; i < len; i++)
            buf[i] = e->mem[e->ptr++];
        return 0;
    }
    if (len == 0)
        return 0;
    e->ptr = buf[0];
    for (i = 1; i < len; i++) {
        e->mem[e->ptr] = buf[i];
        /* The part's address counter rolls over inside its page. */
        e->ptr = (uint8_t)((e->ptr & ~(I2C_EEPROM_PAGE - 1)) |
                           ((e->ptr + 1) & (I2C_EEPROM_PAGE - 1)));
    }
    return 0;
}

void i2c_sim_init(struct i2c_sim_bus *s)
{
    memset(s, 0, sizeof(*s));
    s->bus.xfer = sim_xfer;
}

int i2c_sim_add_eeprom(struct i2c_sim_bus *s, uint16_t addr)
{
    struct i2c_eeprom *e;

    /* 0x00-0x07 and 0x78-0x7f are the bus's own (general call, 10-bit). */
    if (addr < 0x08 || addr > 0x77 || find(s, addr) || s->n == I2C_EEPROM_MAX)
        return -1;
    e = &s->dev[s->n++];
    e->addr = addr;
    e->ptr = 0;
    memset(e->mem, 0xff, sizeof(e->mem));
    return 0;
}
