/* /dev/i2c-N behind the i2c_bus interface. */
#include <errno.h>
#include <fcntl.h>
#include <linux/i2c-dev.h>
#include <linux/i2c.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "i2c_adapter.h"
#include "log.h"

static int real_ioctl(int fd, unsigned long request, void *arg)
{
    return ioctl(fd, request, arg);
}

static int real_open(const char *path, int flags)
{
    return open(path, flags);
}

static const struct i2c_adapter_sys real_sys = {
    .open = real_open,
    .ioctl = real_ioctl,
    .close = close,
};

static int adapter_xfer(struct i2c_bus *bus, uint16_t addr, bool read, uint8_t *buf,
                        uint16_t len)
{
    struct i2c_adapter *a = (struct i2c_adapter *)bus;
    struct i2c_msg m = {
        .addr = addr,
        .flags = read ? I2C_M_RD : 0,
        .len = len,
        .buf = buf,
    };
    struct i2c_rdwr_ioctl_data data = { .msgs = &m, .nmsgs = 1 };

    /* The answer is the number of messages carried out. */
    return a->sys->ioctl(a->fd, I2C_RDWR, &data) == 1 ? 0 : -1;
}

int i2c_adapter_open(struct i2c_adapter *a, const char *path, const struct i2c_adapter_sys *sys)
{
    unsigned long funcs = 0;

    a->sys = sys ? sys : &real_sys;
    a->bus.xfer = adapter_xfer;
    a->fd = a->sys->open(path, O_RDWR | O_CLOEXEC);
    if (a->fd < 0) {
        log_msg("i2c: cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    if (a->sys->ioctl(a->fd, I2C_FUNCS, &funcs) != 0 || !(funcs & I2C_FUNC_I2C)) {
        log_msg("i2c: %s cannot carry plain I2C messages (functionality %#lx)", path, funcs);
        a->sys->close(a->fd);
        a->fd = -1;
        return -1;
    }
    return 0;
}

void i2c_adapter_close(struct i2c_adapter *a)
{
    if (a->fd >= 0)
        a->sys->close(a->fd);
    a->fd = -1;
}
