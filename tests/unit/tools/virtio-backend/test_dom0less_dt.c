/* dom0's list of dom0less VirtIO devices read by the discovery mode
 * (dom0less_dt.c) from a /proc/device-tree made in a temporary directory:
 * the hypervisor's nodes read whole; each property missing, of the wrong
 * length or form refused with a sentence naming it, that device alone;
 * two nodes for one device both refused. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "d0l_tree.h"
#include "dom0less_dt.h"

static struct d0l_dev devs[D0L_MAX_DEVICES];
static unsigned dropped;

static int setup(void **state)
{
    (void)state;
    tree_make();
    /* The list node's own properties are files beside the devices. */
    tree_prop(".", "compatible", "proxenos,virtio-backends-v1", 28);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tree_remove();
    return 0;
}

static int read_tree(void)
{
    memset(devs, 0x5a, sizeof(devs));
    return d0l_read_dir(tree_dir, devs, D0L_MAX_DEVICES, &dropped);
}

static void test_good_devices(void **state)
{
    (void)state;
    tree_device("d2-2000000", 2, "domU2", "vnet", "net", 0x2000000, 33, "tap=vtap0");
    tree_device("d1-2000200", 1, "domU1", "vgpio", "gpio", 0x2000200, 34, "");
    tree_device("d1-2000000", 1, "domU1", "vdisk", "blk", 0x2000000, 33, NULL);
    assert_int_equal(read_tree(), 3);
    assert_int_equal(dropped, 0);
    /* In name order, whatever order the directory gives. */
    assert_string_equal(devs[0].node, "d1-2000000");
    assert_string_equal(devs[0].error, "");
    assert_int_equal(devs[0].domid, 1);
    assert_string_equal(devs[0].domain, "domU1");
    assert_string_equal(devs[0].device, "vdisk");
    assert_string_equal(devs[0].type, "blk");
    assert_int_equal(devs[0].base, 0x2000000);
    assert_int_equal(devs[0].size, 0x200);
    assert_int_equal(devs[0].irq, 33);
    assert_false(devs[0].has_args);
    /* Present but empty is not absent. */
    assert_string_equal(devs[1].node, "d1-2000200");
    assert_true(devs[1].has_args);
    assert_string_equal(devs[1].args, "");
    assert_string_equal(devs[2].error, "");
    assert_int_equal(devs[2].domid, 2);
    assert_true(devs[2].has_args);
    assert_string_equal(devs[2].args, "tap=vtap0");
}

static void test_no_list(void **state)
{
    (void)state;
    errno = 0;
    assert_int_equal(d0l_read_dir("/nonexistent/proxenos-virtio", devs, 4, &dropped), -1);
    assert_int_equal(errno, ENOENT);
    /* An empty list is a list of nothing. */
    assert_int_equal(read_tree(), 0);
}

struct breakage {
    const char *prop;
    const void *bytes;      /* NULL: the property removed */
    size_t len;
    const char *error;
};

static const uint8_t five[5] = { 0, 0, 0, 1, 0 };
static const uint8_t four[4] = { 0, 0, 0, 1 };
static const uint8_t reserved[4] = { 0, 0, 0x7f, 0xf0 };
static const uint8_t irq_sgi[4] = { 0, 0, 0, 15 };
static const uint8_t irq_big[4] = { 0, 0, 0x03, 0xfc };
static const uint8_t size0[8] = { 0 };
static const uint8_t base_top[8] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00 };

static const struct breakage breakages[] = {
    { "compatible", NULL, 0, "no compatible" },
    { "compatible", "virtio,mmio", 12, "compatible is not \"proxenos,virtio-mmio-device-v1\"" },
    { "compatible", "proxenos,virtio-mmio-device-v1", 30, "compatible is not a list of strings" },
    { "proxenos,domid", NULL, 0, "no proxenos,domid" },
    { "proxenos,domid", five, 5, "proxenos,domid is not 4 bytes" },
    { "proxenos,domid", four, 3, "proxenos,domid is not 4 bytes" },
    { "proxenos,domid", reserved, 4, "proxenos,domid 32752 is not a domain's" },
    { "proxenos,domain", NULL, 0, "no proxenos,domain" },
    { "proxenos,domain", "domU1", 5, "proxenos,domain is not one NUL-terminated string" },
    { "proxenos,domain", "dom\0U1", 7, "proxenos,domain is not one NUL-terminated string" },
    { "proxenos,domain", "", 1, "proxenos,domain is empty" },
    { "proxenos,domain", "", 0, "proxenos,domain is not one NUL-terminated string" },
    { "proxenos,device", NULL, 0, "no proxenos,device" },
    { "proxenos,device-type", NULL, 0, "no proxenos,device-type" },
    { "proxenos,device-type", "a-type-name-longer", 19,
      "proxenos,device-type is longer than 15 bytes" },
    { "proxenos,base", NULL, 0, "no proxenos,base" },
    { "proxenos,base", four, 4, "proxenos,base is not 8 bytes" },
    { "proxenos,size", size0, 8,
      "proxenos,base 0x2000000 and proxenos,size 0 make no window" },
    { "proxenos,base", base_top, 8,
      "proxenos,base 0xffffffffffffff00 and proxenos,size 0x200 make no window" },
    { "proxenos,irq", NULL, 0, "no proxenos,irq" },
    { "proxenos,irq", five, 5, "proxenos,irq is not 4 bytes" },
    { "proxenos,irq", irq_sgi, 4, "proxenos,irq 15 is not an SPI" },
    { "proxenos,irq", irq_big, 4, "proxenos,irq 1020 is not an SPI" },
    { "proxenos,backend-args", "/srv/x", 6,
      "proxenos,backend-args is not one NUL-terminated string" },
};

/* Each breakage on its own: that device refused, its neighbour read. */
static void test_malformed(void **state)
{
    char args[300];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(breakages) / sizeof(breakages[0]); i++) {
        const struct breakage *b = &breakages[i];

        tree_remove();
        tree_make();
        tree_device("d1-2000000", 1, "domU1", "vdisk", "blk", 0x2000000, 33, "/srv/1");
        tree_device("d2-2000000", 2, "domU2", "vdisk", "blk", 0x2000000, 33, "/srv/2");
        if (b->bytes)
            tree_prop("d1-2000000", b->prop, b->bytes, b->len);
        else
            tree_unprop("d1-2000000", b->prop);
        assert_int_equal(read_tree(), 2);
        if (strcmp(devs[0].error, b->error) != 0)
            fail_msg("%s: \"%s\", not \"%s\"", b->prop, devs[0].error, b->error);
        assert_string_equal(devs[1].error, "");
        assert_string_equal(devs[1].args, "/srv/2");
    }
    /* backend-args may be 255 characters, not 256. */
    memset(args, 'a', sizeof(args));
    args[255] = '\0';
    tree_prop("d1-2000000", "proxenos,backend-args", args, 256);
    assert_int_equal(read_tree(), 2);
    assert_string_equal(devs[0].error, "");
    assert_int_equal(strlen(devs[0].args), 255);
    args[256] = '\0';
    tree_prop("d1-2000000", "proxenos,backend-args", args, 257);
    assert_int_equal(read_tree(), 2);
    assert_string_equal(devs[0].error, "proxenos,backend-args is longer than 255 bytes");
}

struct clash {
    uint32_t domid;
    const char *domain, *device;
    uint64_t base, size;
    const char *error;      /* on both */
};

static const struct clash clashes[] = {
    { 1, "domU1", "vdisk", 0x2000400, 0x200, "the same device as d" },
    { 1, "domU1", "vnet", 0x2000000, 0x200, "an overlapping window as d" },
    { 1, "domU1", "vnet", 0x20001fc, 0x200, "an overlapping window as d" },
    { 1, "domU9", "vnet", 0x2000400, 0x200, "the same domid under another domain name as d" },
    { 7, "domU1", "vnet", 0x2000400, 0x200, "the same domain name on another domid as d" },
};

static void test_duplicates(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(clashes) / sizeof(clashes[0]); i++) {
        const struct clash *c = &clashes[i];

        tree_remove();
        tree_make();
        tree_device("d1-2000000", 1, "domU1", "vdisk", "blk", 0x2000000, 33, "/srv/1");
        tree_device("dX", c->domid, c->domain, c->device, "net", c->base, 34, "");
        tree_u64("dX", "proxenos,size", c->size);
        tree_device("d2-2000000", 2, "domU2", "vdisk", "blk", 0x2000000, 33, "/srv/2");
        assert_int_equal(read_tree(), 3);
        /* d1-2000000, d2-2000000, dX: each of the pair names the other. */
        if (strncmp(devs[0].error, c->error, strlen(c->error)) != 0 ||
            strncmp(devs[2].error, c->error, strlen(c->error)) != 0)
            fail_msg("clash %zu: \"%s\" and \"%s\"", i, devs[0].error, devs[2].error);
        assert_non_null(strstr(devs[0].error, "as dX: both refused"));
        assert_non_null(strstr(devs[2].error, "as d1-2000000: both refused"));
        assert_string_equal(devs[1].error, "");
    }
    /* Touching windows are not overlapping ones. */
    tree_u64("dX", "proxenos,base", 0x2000200);
    tree_str("dX", "proxenos,domain", "domU1");
    tree_u32("dX", "proxenos,domid", 1);
    assert_int_equal(read_tree(), 3);
    assert_string_equal(devs[0].error, "");
    assert_string_equal(devs[2].error, "");
}

static void test_too_many(void **state)
{
    char name[16];
    unsigned i;

    (void)state;
    for (i = 0; i < 6; i++) {
        snprintf(name, sizeof(name), "d%u-2000000", i + 1);
        tree_device(name, i + 1, name, "vdisk", "blk", 0x2000000, 33, "/srv/x");
    }
    assert_int_equal(d0l_read_dir(tree_dir, devs, 4, &dropped), 4);
    assert_int_equal(dropped, 2);
    for (i = 0; i < 4; i++)
        assert_string_equal(devs[i].error, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_good_devices, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_list, setup, teardown),
        cmocka_unit_test_setup_teardown(test_malformed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_duplicates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_too_many, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
