/* The Arm devices of the boot device tree (arch/arm64/bootinfo_devices.c)
 * through bootinfo_scan(): the first available GICv3, generic timer and
 * PSCI node, and what makes each of them an error. QEMU's whole virt tree
 * is read by tests/unit/common/boot/test_bootinfo.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <asm/bootinfo_arch.h>
#include <string.h>

#include <proxenos/arch/bootinfo.h>
#include <proxenos/bootinfo.h>
#include <proxenos/errno.h>
#include "fdt_builder.h"

/* A built blob and what was scanned from it. */
struct scanned {
    struct fb *fb;
    struct fdt fdt;
    struct boot_info bi;
};

static struct scanned *new_built(void)
{
    struct scanned *s = calloc(1, sizeof(*s));

    s->fb = fb_new();
    return s;
}

/* Check and scan the built blob; returns bootinfo_scan()'s result. */
static int scan_built(struct scanned *s)
{
    fb_finish(s->fb);
    assert_int_equal(fdt_check(&s->fdt, s->fb->out, s->fb->out_len), 0);
    return bootinfo_scan(&s->bi, &s->fdt);
}

static void free_scanned(struct scanned *s)
{
    free(s->fb);
    free(s);
}

static void test_nothing_found(void **state)
{
    struct scanned *s = new_built();

    (void)state;
    fb_begin(s->fb, "");
    fb_end(s->fb);
    assert_int_equal(scan_built(s), 0);
    assert_false(s->bi.arch->gic.present);
    assert_int_equal(s->bi.arch->gic.node, -1);
    assert_int_equal(s->bi.arch->timer.node, -1);
    assert_int_equal(s->bi.arch->psci.node, -1);
    free_scanned(s);
}

static void test_cpu_ids(void **state)
{
    (void)state;
    assert_null(arch_bootinfo_cpu_id_error(0));
    assert_null(arch_bootinfo_cpu_id_error(0xff00ffffffULL));
    assert_non_null(arch_bootinfo_cpu_id_error(1ULL << 24));
    assert_non_null(arch_bootinfo_cpu_id_error(1ULL << 40));
}

static void test_device_errors(void **state)
{
    struct scanned *s = new_built();

    (void)state;
    fb_begin(s->fb, "");
    fb_begin(s->fb, "psci");
    fb_prop_str(s->fb, "compatible", "arm,psci");
    fb_prop_str(s->fb, "method", "svc");
    fb_end(s->fb);
    fb_end(s->fb);
    assert_int_equal(scan_built(s), -EINVAL);
    assert_non_null(strstr(s->bi.error, "psci method"));
    free_scanned(s);

    s = new_built();
    fb_begin(s->fb, "");
    fb_begin(s->fb, "psci");
    fb_prop_str(s->fb, "compatible", "arm,psci");
    fb_prop_str(s->fb, "method", "hvc");
    fb_end(s->fb);
    fb_begin(s->fb, "gic");
    fb_prop_str(s->fb, "compatible", "arm,gic-v3");
    fb_prop_cells(s->fb, "reg", 3, 0, 0x8000000, 0x10000);  /* 2+1 cells: GICD only */
    fb_end(s->fb);
    fb_end(s->fb);
    assert_int_equal(scan_built(s), -EINVAL);
    assert_string_equal(s->bi.error, "GICv3 node without a usable redistributor reg");
    assert_true(s->bi.arch->psci.present);
    assert_int_equal(s->bi.arch->psci.version_minor, 1);
    free_scanned(s);

    /* A disabled GIC is passed over; a timer with three interrupts. */
    s = new_built();
    fb_begin(s->fb, "");
    fb_prop_u32(s->fb, "interrupt-parent", 1);
    fb_begin(s->fb, "gic-off");
    fb_prop_str(s->fb, "compatible", "arm,gic-v3");
    fb_prop_str(s->fb, "status", "disabled");
    fb_end(s->fb);
    fb_begin(s->fb, "gic");
    fb_prop_str(s->fb, "compatible", "arm,gic-v3");
    fb_prop_u32(s->fb, "phandle", 1);
    fb_prop_empty(s->fb, "interrupt-controller");
    fb_prop_u32(s->fb, "#interrupt-cells", 3);
    fb_prop_cells(s->fb, "reg", 6, 0, 0x8000000, 0x10000, 0, 0x80a0000, 0x100000);
    fb_end(s->fb);
    fb_begin(s->fb, "timer");
    fb_prop_str(s->fb, "compatible", "arm,armv8-timer");
    fb_prop_cells(s->fb, "interrupts", 9, 1, 13, 4, 1, 14, 4, 1, 11, 4);
    fb_end(s->fb);
    fb_end(s->fb);
    assert_int_equal(scan_built(s), 0);
    assert_string_equal(fdt_node_name(&s->fdt, s->bi.arch->gic.node), "gic");
    assert_int_equal(s->bi.arch->gic.rdist_base, 0x80a0000);
    assert_false(s->bi.arch->gic.has_maintenance_irq);
    assert_int_equal(s->bi.arch->timer.nr_irqs, 3);
    assert_int_equal(s->bi.arch->timer.intid[BOOT_TIMER_VIRT], 27);
    assert_int_equal(s->bi.arch->timer.intid[BOOT_TIMER_HYP], 0);
    assert_false(s->bi.arch->psci.present);
    free_scanned(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nothing_found),
        cmocka_unit_test(test_cpu_ids),
        cmocka_unit_test(test_device_errors),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
