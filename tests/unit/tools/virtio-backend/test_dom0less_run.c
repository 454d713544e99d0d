/* The discovery mode whole (dom0less.c) on a /proc/device-tree and a
 * configuration file made in a temporary directory: one serving process
 * per device that is to be served, with the options it is to be served
 * with, and none for a device that is not; the mode ends when its
 * processes have, with a status saying whether all went well. The
 * serving itself is a fake serve_device(), run in the forked child, that
 * appends what it was asked to a record file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "d0l_tree.h"
#include "dom0less.h"
#include "serve.h"
#include "vdev.h"

static char record[64];
static char conf_path[64];

/* The types by name, without linking every device type's backing. */
static const struct vdev_type fake_types[] = {
    { .name = "blk" }, { .name = "net" }, { .name = "i2c" }, { .name = "gpio" },
};

const struct vdev_type *vdev_type_find(const char *name)
{
    size_t i;

    for (i = 0; i < sizeof(fake_types) / sizeof(fake_types[0]); i++) {
        if (strcmp(fake_types[i].name, name) == 0)
            return &fake_types[i];
    }
    return NULL;
}

void serve_catch_signals(void)
{
}

/* In the child: one line per device served; a path of /fail fails as a
 * missing image would. */
int serve_device(const struct serve_params *p, const struct serve_hooks *h)
{
    FILE *f = fopen(record, "a");

    assert_null(h);
    fprintf(f, "%s dom%u %#llx spi %u path=%s ro=%d queues=%u tap=%s mtu=%u\n", p->type->name,
            p->domid, (unsigned long long)p->base, p->irq, p->opts.path ? p->opts.path : "-",
            p->opts.ro, p->opts.queues, p->opts.tap ? p->opts.tap : "-", p->opts.mtu);
    fclose(f);
    return p->opts.path && strcmp(p->opts.path, "/fail") == 0 ? -1 : 0;
}

static int setup(void **state)
{
    (void)state;
    tree_make();
    snprintf(record, sizeof(record), "%s/record", tree_dir);
    snprintf(conf_path, sizeof(conf_path), "%s/conf", tree_dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tree_remove();
    return 0;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* The record's lines, sorted (the children run in any order). */
static void recorded(char *out, size_t len)
{
    char cmd[160];
    FILE *p;
    size_t n;

    snprintf(cmd, sizeof(cmd), "sort %s 2>/dev/null", record);
    p = popen(cmd, "r");
    assert_non_null(p);
    n = fread(out, 1, len - 1, p);
    out[n] = '\0';
    pclose(p);
}

static void test_serves_each_good_device(void **state)
{
    char got[2048];

    (void)state;
    /* The record and configuration files beside the devices are not
     * directories, so not devices. */
    tree_device("d1-2000000", 1, "domU1", "vdisk", "blk", 0x2000000, 33, "target=/boot.img");
    tree_device("d1-2000200", 1, "domU1", "vnet", "net", 0x2000200, 34, "tap=vtap0 mtu=9000");
    tree_device("d1-2000400", 1, "domU1", "vgpio", "gpio", 0x2000400, 35, NULL);
    tree_device("d2-2000000", 2, "domU2", "vi2c", "i2c", 0x2000000, 33, "sim-eeprom:0x50");
    tree_device("d2-2000200", 2, "domU2", "vdisk", "blk", 0x2000200, 34, "tap=x");
    tree_device("d3-2000000", 3, "domU3", "vrng", "rng", 0x2000000, 33, "/dev/hwrng");
    tree_device("d4-2000000", 4, "domU4", "vdisk", "blk", 0x2000000, 33, "/srv/4");
    tree_u32("d4-2000000", "proxenos,irq", 12);
    tree_device("d5-2000000", 5, "domU5", "vdisk", "blk", 0x2000000, 33, "/srv/5");
    tree_device("d5-2000200", 5, "domU5", "vdisk", "blk", 0x2000200, 34, "/srv/5b");
    write_file(conf_path, "# dom0's disks\n"
                          "domU1/vdisk target=/dev/vg0/d1 access=ro queues=2\n"
                          "domU2/vdisk /srv/2.img\n"
                          "2@0x2000200 /srv/2b.img\n");
    /* Served: domU1's disk (its configuration line) and card, domU2's
     * i2c. Not: domU1's gpio (nothing said), domU2's disk (two lines),
     * domU3's rng (no such type), domU4's disk (a bad irq), domU5's disks
     * (one name twice). */
    assert_int_equal(dom0less_run(tree_dir, conf_path), 1);
    recorded(got, sizeof(got));
    assert_string_equal(got,
                        "blk dom1 0x2000000 spi 33 path=/dev/vg0/d1 ro=1 queues=2 tap=- mtu=0\n"
                        "i2c dom2 0x2000000 spi 33 path=sim-eeprom:0x50 ro=0 queues=0 tap=- "
                        "mtu=0\n"
                        "net dom1 0x2000200 spi 34 path=- ro=0 queues=0 tap=vtap0 mtu=9000\n");
}

static void test_all_well(void **state)
{
    char got[512];

    (void)state;
    tree_device("d1-2000000", 1, "domU1", "vdisk", "blk", 0x2000000, 33, "/srv/1");
    tree_device("d2-2000000", 2, "domU2", "vnet", "net", 0x2000000, 33, "");
    /* No configuration file given, none at the default path: the
     * boot tree's words alone. */
    assert_int_equal(dom0less_run(tree_dir, NULL), 0);
    recorded(got, sizeof(got));
    assert_string_equal(got, "blk dom1 0x2000000 spi 33 path=/srv/1 ro=0 queues=0 tap=- mtu=0\n"
                             "net dom2 0x2000000 spi 33 path=- ro=0 queues=0 tap=- mtu=0\n");
}

static void test_a_child_fails(void **state)
{
    char got[512];

    (void)state;
    tree_device("d1-2000000", 1, "domU1", "vdisk", "blk", 0x2000000, 33, "/fail");
    tree_device("d2-2000000", 2, "domU2", "vdisk", "blk", 0x2000000, 33, "/srv/2");
    assert_int_equal(dom0less_run(tree_dir, NULL), 1);
    recorded(got, sizeof(got));
    assert_non_null(strstr(got, "path=/fail"));
    assert_non_null(strstr(got, "path=/srv/2"));
}

static void test_nothing_to_serve(void **state)
{
    char path[128], got[64];

    (void)state;
    /* No list: the hypervisor gave dom0 no devices. */
    snprintf(path, sizeof(path), "%s/none", tree_dir);
    assert_int_equal(dom0less_run(path, NULL), 0);
    /* A configuration file asked for and missing stops everything. */
    tree_device("d1-2000000", 1, "domU1", "vdisk", "blk", 0x2000000, 33, "/srv/1");
    assert_int_equal(dom0less_run(tree_dir, path), 2);
    /* Devices, none servable. */
    tree_unprop("d1-2000000", "proxenos,backend-args");
    assert_int_equal(dom0less_run(tree_dir, NULL), 1);
    recorded(got, sizeof(got));
    assert_string_equal(got, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_serves_each_good_device, setup, teardown),
        cmocka_unit_test_setup_teardown(test_all_well, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_child_fails, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nothing_to_serve, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
