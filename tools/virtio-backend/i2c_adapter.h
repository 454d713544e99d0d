/* A real I2C adapter of dom0's, /dev/i2c-N (Linux's i2c-dev), as an
 * i2c_bus: each message is one I2C_RDWR of one message, so the adapter
 * ends it with a STOP. The system calls go through i2c_adapter_sys so
 * that the host unit tests can stand a fake adapter behind them; QEMU's
 * virt machine gives dom0 no adapter to test against. */
#ifndef VBE_I2C_ADAPTER_H
#define VBE_I2C_ADAPTER_H

#include "i2c_bus.h"

struct i2c_adapter_sys {
    int (*open)(const char *path, int flags);
    int (*ioctl)(int fd, unsigned long request, void *arg);
    int (*close)(int fd);
};

struct i2c_adapter {
    struct i2c_bus bus;
    int fd;
    const struct i2c_adapter_sys *sys;
};

/* Open path; sys NULL for the real calls. 0, or -1 with a log line: the
 * node cannot be opened, or the adapter cannot do plain I2C messages
 * (an SMBus-only controller). */
int i2c_adapter_open(struct i2c_adapter *a, const char *path, const struct i2c_adapter_sys *sys);
void i2c_adapter_close(struct i2c_adapter *a);

#endif
