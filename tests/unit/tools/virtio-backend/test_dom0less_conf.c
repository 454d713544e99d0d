/* The discovery mode's configuration file (dom0less_conf.c) and the
 * decision it leads to per device (dom0less_plan.c): every kind of key,
 * comments, lines refused with a sentence naming them, a line matching
 * two ways; then which devices are served with what, and that a device
 * with a bad node, bad words, two lines, an unknown type or nothing said
 * about it is not served. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "dom0less_plan.h"

static struct d0l_conf conf;

static void read_text(const char *text)
{
    FILE *f = fmemopen((void *)text, strlen(text), "r");

    assert_non_null(f);
    d0l_conf_read(f, &conf);
    fclose(f);
}

static struct d0l_dev dev(uint16_t domid, const char *domain, const char *device,
                          const char *type, uint64_t base, const char *args)
{
    struct d0l_dev d;

    memset(&d, 0, sizeof(d));
    snprintf(d.node, sizeof(d.node), "d%u-%llx", domid, (unsigned long long)base);
    d.domid = domid;
    snprintf(d.domain, sizeof(d.domain), "%s", domain);
    snprintf(d.device, sizeof(d.device), "%s", device);
    snprintf(d.type, sizeof(d.type), "%s", type);
    d.base = base;
    d.size = 0x200;
    d.irq = 33;
    if (args) {
        d.has_args = true;
        snprintf(d.args, sizeof(d.args), "%s", args);
    }
    return d;
}

static void test_keys(void **state)
{
    struct d0l_dev disk = dev(1, "domU1", "vdisk", "blk", 0x2000000, NULL);
    struct d0l_dev other = dev(2, "domU2", "vdisk", "blk", 0x2000200, NULL);

    (void)state;
    read_text("# what backs each dom0less device\n"
              "\n"
              "   # an indented comment\n"
              "domU1/vdisk   target=/srv/1.img access=ro\n"
              "domU1@0x2000000 /srv/1.img\n"
              "\t1@33554432\t/srv/1.img  \r\n"
              "1/vdisk -\n"
              "domU2/vnet\n");
    assert_int_equal(conf.n, 5);
    assert_int_equal(conf.e[0].line, 4);
    assert_true(conf.e[0].key_ok);
    assert_false(conf.e[0].by_domid || conf.e[0].by_base);
    assert_string_equal(conf.e[0].domain, "domU1");
    assert_string_equal(conf.e[0].device, "vdisk");
    assert_string_equal(conf.e[0].words, "target=/srv/1.img access=ro");
    assert_true(conf.e[1].by_base && !conf.e[1].by_domid);
    assert_int_equal(conf.e[1].base, 0x2000000);
    assert_true(conf.e[2].by_base && conf.e[2].by_domid);
    assert_int_equal(conf.e[2].domid, 1);
    assert_int_equal(conf.e[2].line, 6);
    assert_string_equal(conf.e[2].words, "/srv/1.img");
    assert_true(conf.e[3].by_domid && !conf.e[3].by_base && conf.e[3].elsewhere);
    /* No words: a net device's defaults. */
    assert_string_equal(conf.e[4].words, "");
    for (unsigned i = 0; i < 5; i++) {
        assert_string_equal(conf.e[i].error, "");
        assert_int_equal(d0l_conf_matches(&conf.e[i], &disk), i < 4);
        assert_false(d0l_conf_matches(&conf.e[i], &other));
    }
}

struct bad_line {
    const char *text, *error;
    bool key_ok;
};

static const struct bad_line bad_lines[] = {
    { "domU1 /srv/1.img", "\"domU1\" is not DOMAIN/DEVICE, DOMAIN@BASE or DOMID@BASE", false },
    { "/vdisk /srv/1.img", "\"/vdisk\" is not DOMAIN/DEVICE, DOMAIN@BASE or DOMID@BASE", false },
    { "domU1/ /srv/1.img", "\"domU1/\":  is not a device's name", false },
    { "dom*1/vdisk /x", "\"dom*1/vdisk\": dom*1 is not a domain's name", false },
    { "1x@0x2000000 /x", "\"1x@0x2000000\": 1x is not a domid", false },
    { "32752@0x2000000 /x", "\"32752@0x2000000\": 32752 is not a domid", false },
    { "domU1@base /x", "\"domU1@base\": base is not a base address", false },
    { "domU1@0x2000000/x /x", "\"domU1@0x2000000/x\": 0x2000000/x is not a base address",
      false },
    { "domU1/vdisk colour=red", "colour=red: no option colour", true },
    { "domU1/vdisk queues=99", "queues=99: queues is 1 to 16", true },
    { "domU1/vdisk /a /b", "two paths (/a and /b)", true },
};

static void test_bad_lines(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(bad_lines) / sizeof(bad_lines[0]); i++) {
        read_text(bad_lines[i].text);
        assert_int_equal(conf.n, 1);
        if (strcmp(conf.e[0].error, bad_lines[i].error) != 0)
            fail_msg("\"%s\": \"%s\", not \"%s\"", bad_lines[i].text, conf.e[0].error,
                     bad_lines[i].error);
        assert_int_equal(conf.e[0].key_ok, bad_lines[i].key_ok);
    }
}

static void test_duplicate_and_long_lines(void **state)
{
    static char text[3000];

    (void)state;
    read_text("domU1/vdisk /a\n"
              "domU1/vdisk /b\n"
              "1@0x2000000 /c\n"
              "1@33554432 /d\n");
    assert_int_equal(conf.n, 4);
    assert_string_equal(conf.e[1].error, "domU1/vdisk is on line 1 too");
    assert_string_equal(conf.e[3].error, "1@33554432 is on line 3 too");
    /* A line over the buffer is one refused line; the next is read. */
    memset(text, 'x', 2000);
    memcpy(text, "domU1/vdisk ", 12);
    strcpy(text + 2000, "\ndomU2/vnet tap=t2\n");
    read_text(text);
    assert_int_equal(conf.n, 2);
    assert_string_equal(conf.e[0].error, "a line over 1022 characters");
    assert_false(conf.e[0].key_ok);
    assert_int_equal(conf.e[1].line, 2);
    assert_string_equal(conf.e[1].error, "");
    assert_string_equal(conf.e[1].words, "tap=t2");
}

static void test_plan(void **state)
{
    struct d0l_dev devs[] = {
        dev(1, "domU1", "vdisk", "blk", 0x2000000, "target=/boot/tree.img"),   /* conf wins */
        dev(1, "domU1", "vnet", "net", 0x2000200, "tap=vtap0 mac=02:00:00:00:00:01"),
        dev(1, "domU1", "vgpio", "gpio", 0x2000400, NULL),                      /* nothing */
        dev(2, "domU2", "vdisk", "blk", 0x2000000, NULL),                       /* two lines */
        dev(2, "domU2", "vi2c", "i2c", 0x2000200, "sim-eeprom:0x50"),           /* bad line */
        dev(2, "domU2", "vrng", "rng", 0x2000400, "/dev/hwrng"),                /* no type */
        dev(3, "domU3", "vdisk", "blk", 0x2000000, "tap=x"),                    /* bad args */
        dev(3, "domU3", "vnet", "net", 0x2000200, NULL),                        /* elsewhere */
        dev(3, "domU3", "vgpio", "gpio", 0x2000400, "sim-pairs"),               /* bad node */
        dev(4, "domU4", "vdisk", "blk", 0x2000000, "/srv/4.img"),               /* big window */
        dev(4, "domU4", "vnet", "net", 0x2000400, ""),                          /* empty args */
    };
    enum { N = sizeof(devs) / sizeof(devs[0]) };
    struct d0l_plan plans[N];
    static const struct {
        enum d0l_action action;
        unsigned line;
        const char *why;
    } want[N] = {
        { D0L_SERVE, 1, "" },
        { D0L_SERVE, 0, "" },
        { D0L_UNCONFIGURED, 0, "no configuration line and no proxenos,backend-args" },
        { D0L_REFUSED, 0, "configuration lines 2 and 3 both name it" },
        { D0L_REFUSED, 0,
          "configuration line 4: tap=t: a device of type i2c has no option tap" },
        { D0L_REFUSED, 0, "this back end serves no rng device" },
        { D0L_REFUSED, 0,
          "proxenos,backend-args \"tap=x\": tap=x: a device of type blk has no option tap" },
        { D0L_ELSEWHERE, 0, "configuration line 5 leaves it to another back end" },
        { D0L_REFUSED, 0, "proxenos,irq is not 4 bytes" },
        { D0L_REFUSED, 0, "a window of 0x1000 bytes; this back end serves 0x200" },
        { D0L_SERVE, 0, "" },
    };
    unsigned i;

    (void)state;
    snprintf(devs[8].error, sizeof(devs[8].error), "proxenos,irq is not 4 bytes");
    devs[9].size = 0x1000;
    read_text("domU1/vdisk target=/srv/1.img queues=4\n"
              "domU2/vdisk /srv/2a.img\n"
              "2@0x2000000 /srv/2b.img\n"
              "domU2/vi2c /dev/i2c-1 tap=t\n"
              "domU3@0x2000200 -\n"
              "domU9/vdisk /srv/9.img\n");
    /* Line 4's words are each right for some type, so only the match
     * with its device's type refuses them. */
    assert_string_equal(conf.e[3].error, "");
    d0l_plan(devs, N, &conf, plans);
    for (i = 0; i < N; i++) {
        if (plans[i].action != want[i].action || strcmp(plans[i].why, want[i].why) != 0)
            fail_msg("%s/%s: action %d \"%s\", not %d \"%s\"", devs[i].domain, devs[i].device,
                     plans[i].action, plans[i].why, want[i].action, want[i].why);
        if (want[i].action == D0L_SERVE)
            assert_int_equal(plans[i].conf_line, want[i].line);
    }
    assert_string_equal(plans[0].args.path, "/srv/1.img");
    assert_int_equal(plans[0].args.queues, 4);
    assert_string_equal(plans[1].args.tap, "vtap0");
    assert_true(plans[1].args.have_mac);
    assert_string_equal(plans[10].args.tap, "");
    /* The line for a domain that is not listed matched nothing. */
    for (i = 0; i < 5; i++)
        assert_true(conf.e[i].used);
    assert_false(conf.e[5].used);
}

/* Without a configuration file, backend-args alone decide. */
static void test_plan_without_configuration(void **state)
{
    struct d0l_dev d[2] = {
        dev(1, "domU1", "vdisk", "blk", 0x2000000, "target=/tmp/vblk.img"),
        dev(1, "domU1", "vgpio", "gpio", 0x2000200, NULL),
    };
    struct d0l_plan p[2];

    (void)state;
    d0l_plan(d, 2, NULL, p);
    assert_int_equal(p[0].action, D0L_SERVE);
    assert_string_equal(p[0].args.path, "/tmp/vblk.img");
    assert_int_equal(p[1].action, D0L_UNCONFIGURED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keys),
        cmocka_unit_test(test_bad_lines),
        cmocka_unit_test(test_duplicate_and_long_lines),
        cmocka_unit_test(test_plan),
        cmocka_unit_test(test_plan_without_configuration),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
