/* The option words a dom0less device is backed by (devargs.c), as its
 * proxenos,backend-args or a configuration line give them: each type's
 * words read into the options its create() gets, and each malformed word
 * refused with a sentence that names it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "devargs.h"

static struct devargs a;
static char why[192];

static void test_blk_words(void **state)
{
    struct vdev_opts o;

    (void)state;
    assert_int_equal(devargs_parse("target=/srv/d1.img access=ro queues=2", "blk", &a, why,
                                   sizeof(why)), 0);
    assert_string_equal(a.path, "/srv/d1.img");
    assert_true(a.ro);
    assert_int_equal(a.queues, 2);
    devargs_to_opts(&a, &o);
    assert_string_equal(o.path, "/srv/d1.img");
    assert_true(o.ro);
    assert_int_equal(o.queues, 2);
    assert_null(o.tap);
    /* A bare word is the path; blanks around words do not matter. */
    assert_int_equal(devargs_parse("  /dev/vg0/d1\t access=rw ", "blk", &a, why, sizeof(why)),
                     0);
    assert_string_equal(a.path, "/dev/vg0/d1");
    assert_false(a.ro);
    /* A path holding '=' is still a path: it does not start with a name. */
    assert_int_equal(devargs_parse("/srv/a=b.img", "blk", &a, why, sizeof(why)), 0);
    assert_string_equal(a.path, "/srv/a=b.img");
}

static void test_net_words(void **state)
{
    struct vdev_opts o;

    (void)state;
    assert_int_equal(devargs_parse("tap=vtap0 mac=02:50:58:00:00:02 mtu=9000", "net", &a, why,
                                   sizeof(why)), 0);
    devargs_to_opts(&a, &o);
    assert_string_equal(o.tap, "vtap0");
    assert_true(o.have_mac);
    assert_int_equal(o.mac[0], 0x02);
    assert_int_equal(o.mac[5], 0x02);
    assert_int_equal(o.mtu, 9000);
    assert_null(o.path);
    /* No words at all: the kernel names the tap, the MAC is random. */
    assert_int_equal(devargs_parse("", "net", &a, why, sizeof(why)), 0);
    devargs_to_opts(&a, &o);
    assert_null(o.tap);
    assert_false(o.have_mac);
}

static void test_i2c_gpio_words(void **state)
{
    (void)state;
    assert_int_equal(devargs_parse("sim-eeprom:0x50,0x51", "i2c", &a, why, sizeof(why)), 0);
    assert_string_equal(a.path, "sim-eeprom:0x50,0x51");
    assert_int_equal(devargs_parse("target=/dev/gpiochip0", "gpio", &a, why, sizeof(why)), 0);
    assert_string_equal(a.path, "/dev/gpiochip0");
}

struct bad {
    const char *words, *type, *why;
};

static const struct bad bads[] = {
    { "", "blk", "a device of type blk needs a path (PATH or target=PATH)" },
    { "access=ro", "blk", "a device of type blk needs a path (PATH or target=PATH)" },
    { "/a /b", "blk", "two paths (/a and /b)" },
    { "/a target=/b", "blk", "two paths (/a and /b)" },
    { "/a access=yes", "blk", "access=yes: access is ro or rw" },
    { "/a queues=0", "blk", "queues=0: queues is 1 to 16" },
    { "/a queues=17", "blk", "queues=17: queues is 1 to 16" },
    { "/a queues=-1", "blk", "queues=-1: queues is 1 to 16" },
    { "/a queues=2x", "blk", "queues=2x: queues is 1 to 16" },
    { "/a queues=1 queues=2", "blk", "queues=2: queues given twice" },
    { "/a tap=vtap0", "blk", "tap=vtap0: a device of type blk has no option tap" },
    { "/a colour=red", "blk", "colour=red: no option colour" },
    { "/dev/net/tun", "net", "/dev/net/tun: a device of type net takes no path" },
    { "tap=", "net", "tap=: a tap name is 1 to 15 characters" },
    { "tap=a234567890123456", "net", "tap=a234567890123456: a tap name is 1 to 15 characters" },
    { "tap=a/b", "net", "tap=a/b: a tap name is 1 to 15 characters" },
    { "mac=03:00:00:00:00:01", "net", "mac=03:00:00:00:00:01: not a unicast XX:XX:XX:XX:XX:XX" },
    { "mac=02:00:00:00:00", "net", "mac=02:00:00:00:00: not a unicast XX:XX:XX:XX:XX:XX" },
    { "mac=02:00:00:00:00:011", "net",
      "mac=02:00:00:00:00:011: not a unicast XX:XX:XX:XX:XX:XX" },
    { "mtu=67", "net", "mtu=67: mtu is 68 to 65535" },
    { "mtu=65536", "net", "mtu=65536: mtu is 68 to 65535" },
    { "access=ro", "gpio", "access=ro: a device of type gpio has no option access" },
    { "", "i2c", "a device of type i2c needs a path (PATH or target=PATH)" },
    { "/a", "console", "this back end serves no console device" },
    { "target=", NULL, "an empty path" },
};

static void test_malformed(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
        memset(why, 0, sizeof(why));
        assert_int_equal(devargs_parse(bads[i].words, bads[i].type, &a, why, sizeof(why)), -1);
        if (strcmp(why, bads[i].why) != 0)
            fail_msg("\"%s\" as %s: \"%s\", not \"%s\"", bads[i].words,
                     bads[i].type ? bads[i].type : "any type", why, bads[i].why);
    }
}

static void test_long_words(void **state)
{
    char words[600];

    (void)state;
    /* A path of 256 characters does not fit the 255 a path may have. */
    words[0] = '/';
    memset(words + 1, 'p', 255);
    words[256] = '\0';
    assert_int_equal(devargs_parse(words, "blk", &a, why, sizeof(why)), -1);
    assert_string_equal(why, "a path of 256 characters, over 255");
    words[255] = '\0';
    assert_int_equal(devargs_parse(words, "blk", &a, why, sizeof(why)), 0);
    assert_int_equal(strlen(a.path), 255);
    memset(words, 'w', 599);
    words[599] = '\0';
    assert_int_equal(devargs_parse(words, "blk", &a, why, sizeof(why)), -1);
    assert_string_equal(why, "a word of 599 characters");
}

/* Without a type (a configuration line before it is matched) the words
 * are checked against every type's: a key no type has is refused, one
 * another type has is left for the match to judge. */
static void test_any_type(void **state)
{
    (void)state;
    assert_int_equal(devargs_parse("tap=vtap0 /srv/x", NULL, &a, why, sizeof(why)), 0);
    assert_int_equal(devargs_parse("speed=fast", NULL, &a, why, sizeof(why)), -1);
    assert_string_equal(why, "speed=fast: no option speed");
    assert_true(devargs_type_known("blk") && devargs_type_known("net") &&
                devargs_type_known("i2c") && devargs_type_known("gpio"));
    assert_false(devargs_type_known("rng"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_blk_words),  cmocka_unit_test(test_net_words),
        cmocka_unit_test(test_i2c_gpio_words), cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_long_words), cmocka_unit_test(test_any_type),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
