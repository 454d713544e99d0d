/* The real-adapter path of our virtio-i2c back end (i2c_adapter.c) against
 * a fake i2c-dev: what it asks of the adapter when it opens it (I2C_FUNCS,
 * and a refusal of an SMBus-only controller), each message as one
 * I2C_RDWR of one message with the address, direction, length and buffer
 * the device gave, a NACK (the ioctl failing) reported as a failure, and
 * the node closed. */
#include <errno.h>
#include <fcntl.h>
#include <linux/i2c-dev.h>
#include <linux/i2c.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "i2c_adapter.h"

#define FD 7

static struct {
    unsigned long funcs;
    int opens, closes, rdwr;
    struct i2c_msg last;
    uint8_t seen[16];
    uint16_t present;       /* the only address that answers */
} fake;

static int fake_open(const char *path, int flags)
{
    (void)flags;
    if (strcmp(path, "/dev/i2c-1") != 0) {
        errno = ENOENT;
        return -1;
    }
    fake.opens++;
    return FD;
}

static int fake_ioctl(int fd, unsigned long request, void *arg)
{
    assert_int_equal(fd, FD);
    if (request == I2C_FUNCS) {
        *(unsigned long *)arg = fake.funcs;
        return 0;
    }
    if (request == I2C_RDWR) {
        struct i2c_rdwr_ioctl_data *d = arg;

        fake.rdwr++;
        assert_int_equal(d->nmsgs, 1);
        fake.last = d->msgs[0];
        if (d->msgs[0].addr != fake.present) {
            errno = ENXIO;
            return -1;
        }
        if (d->msgs[0].flags & I2C_M_RD)
            memset(d->msgs[0].buf, 0x3c, d->msgs[0].len);
        else if (d->msgs[0].len <= sizeof(fake.seen))
            memcpy(fake.seen, d->msgs[0].buf, d->msgs[0].len);
        return 1;
    }
    errno = ENOTTY;
    return -1;
}

static int fake_close(int fd)
{
    assert_int_equal(fd, FD);
    fake.closes++;
    return 0;
}

static const struct i2c_adapter_sys sys = {
    .open = fake_open,
    .ioctl = fake_ioctl,
    .close = fake_close,
};

static int setup(void **state)
{
    (void)state;
    memset(&fake, 0, sizeof(fake));
    fake.funcs = I2C_FUNC_I2C | I2C_FUNC_SMBUS_EMUL;
    fake.present = 0x50;
    return 0;
}

static void test_open_and_close(void **state)
{
    struct i2c_adapter a;

    (void)state;
    assert_int_equal(i2c_adapter_open(&a, "/dev/i2c-1", &sys), 0);
    assert_int_equal(fake.opens, 1);
    i2c_adapter_close(&a);
    assert_int_equal(fake.closes, 1);
    i2c_adapter_close(&a);
    assert_int_equal(fake.closes, 1);
}

static void test_missing_node(void **state)
{
    struct i2c_adapter a;

    (void)state;
    assert_int_equal(i2c_adapter_open(&a, "/dev/i2c-9", &sys), -1);
    assert_int_equal(fake.closes, 0);
}

static void test_smbus_only_refused(void **state)
{
    struct i2c_adapter a;

    (void)state;
    fake.funcs = I2C_FUNC_SMBUS_EMUL;
    assert_int_equal(i2c_adapter_open(&a, "/dev/i2c-1", &sys), -1);
    assert_int_equal(fake.closes, 1);
}

static void test_messages(void **state)
{
    struct i2c_adapter a;
    uint8_t buf[4] = { 9, 8, 7, 6 };

    (void)state;
    assert_int_equal(i2c_adapter_open(&a, "/dev/i2c-1", &sys), 0);
    assert_int_equal(a.bus.xfer(&a.bus, 0x50, false, buf, 4), 0);
    assert_int_equal(fake.last.addr, 0x50);
    assert_int_equal(fake.last.flags, 0);
    assert_int_equal(fake.last.len, 4);
    assert_memory_equal(fake.seen, "\x09\x08\x07\x06", 4);
    assert_int_equal(a.bus.xfer(&a.bus, 0x50, true, buf, 3), 0);
    assert_int_equal(fake.last.flags, I2C_M_RD);
    assert_int_equal(fake.last.len, 3);
    assert_memory_equal(buf, "\x3c\x3c\x3c\x06", 4);
    /* An address-only message goes through as one of length 0. */
    assert_int_equal(a.bus.xfer(&a.bus, 0x50, false, buf, 0), 0);
    assert_int_equal(fake.last.len, 0);
    /* Nobody at 0x51: the adapter's ENXIO is a failure. */
    assert_int_equal(a.bus.xfer(&a.bus, 0x51, true, buf, 1), -1);
    assert_int_equal(fake.rdwr, 4);
    i2c_adapter_close(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_open_and_close, setup),
        cmocka_unit_test_setup(test_missing_node, setup),
        cmocka_unit_test_setup(test_smbus_only_refused, setup),
        cmocka_unit_test_setup(test_messages, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
