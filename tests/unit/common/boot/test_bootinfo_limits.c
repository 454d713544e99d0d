/* Boot information from blobs built here: memory nodes, reserved ranges
 * and CPUs, up to the limits of struct boot_info and past them, and the
 * CPU nodes it refuses. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <proxenos/bootinfo.h>
#include <proxenos/errno.h>
#include "bootinfo_scan.h"

/* ---- Memory and CPU limits ---------------------------------------------- */

static void test_memory_nodes(void **state)
{
    struct scanned *s = new_built();
    struct fb *b = s->fb;

    (void)state;
    fb_begin(b, "");
    fb_prop_u32(b, "#address-cells", 1);
    fb_prop_u32(b, "#size-cells", 1);
    fb_begin(b, "memory");                        /* by name, no device_type */
    fb_prop_cells(b, "reg", 4, 0x40000000, 0x1000000, 0x50000000, 0);   /* 2nd is empty */
    fb_end(b);
    fb_begin(b, "dram@60000000");                 /* by device_type */
    fb_prop_str(b, "device_type", "memory");
    fb_prop_cells(b, "reg", 2, 0x60000000, 0x2000000);
    fb_end(b);
    fb_begin(b, "memory@70000000");               /* no reg: no bank */
    fb_prop_str(b, "device_type", "memory");
    fb_end(b);
    fb_begin(b, "memory@61000000");               /* overlaps the one above: kept, */
    fb_prop_cells(b, "reg", 2, 0x61000000, 0x2000000);  /* bootmem merges them */
    fb_end(b);
    fb_begin(b, "memory-controller@1000");        /* neither */
    fb_prop_cells(b, "reg", 2, 0x1000, 0x100);
    fb_end(b);
    fb_begin(b, "soc");
    fb_begin(b, "memory@0");                      /* not at the top level */
    fb_prop_str(b, "device_type", "memory");
    fb_prop_cells(b, "reg", 2, 0x0, 0x100);
    fb_end(b);
    fb_end(b);
    fb_end(b);
    assert_int_equal(scan_built(s), 0);
    assert_int_equal(s->bi.nr_ram, 3);
    assert_range(&s->bi.ram[0], 0x40000000, 0x1000000);
    assert_range(&s->bi.ram[1], 0x60000000, 0x2000000);
    assert_range(&s->bi.ram[2], 0x61000000, 0x2000000);
    free_scanned(s);

    s = new_built();
    begin_root(s->fb);
    fb_begin(s->fb, "memory@0");
    fb_prop_cells(s->fb, "reg", 4, 0xffffffff, 0xfffff000, 0, 0x2000);
    fb_end(s->fb);
    fb_end(s->fb);
    assert_int_equal(scan_built(s), -EINVAL);
    assert_string_equal(s->bi.error, "memory range wraps around");
    free_scanned(s);

    s = new_built();
    fb_begin(s->fb, "");
    fb_begin(s->fb, "memory@0");
    fb_prop_cells(s->fb, "reg", 2, 0, 0x1000);     /* 2+1 cells need 3 */
    fb_end(s->fb);
    fb_end(s->fb);
    assert_int_equal(scan_built(s), -EINVAL);
    assert_string_equal(s->bi.error, "malformed reg");
    free_scanned(s);
}

static void test_too_many_ram_banks(void **state)
{
    struct scanned *s = new_built();
    uint8_t reg[(BOOTINFO_MAX_RAM_BANKS + 1U) * 8U];

    (void)state;
    for (uint32_t i = 0; i <= BOOTINFO_MAX_RAM_BANKS; i++) {
        fb_put32(&reg[8U * i], 0x40000000U + 0x100000U * i);
        fb_put32(&reg[8U * i + 4U], 0x1000);
    }
    fb_begin(s->fb, "");
    fb_prop_u32(s->fb, "#address-cells", 1);
    fb_prop_u32(s->fb, "#size-cells", 1);
    fb_begin(s->fb, "memory");
    fb_prop(s->fb, "reg", reg, sizeof(reg));
    fb_end(s->fb);
    fb_end(s->fb);
    assert_int_equal(scan_built(s), -ENOSPC);
    assert_string_equal(s->bi.error, "too many RAM banks (at most 64)");
    free_scanned(s);
}

static void test_reserved_limits(void **state)
{
    struct scanned *s = new_built();

    (void)state;
    for (uint32_t i = 0; i <= BOOTINFO_MAX_RESERVED; i++) {
        fb_rsv(s->fb, 0x1000ULL * (i + 1U), 0x1000);
    }
    fb_rsv(s->fb, 0x5000, 0);         /* would be skipped: empty */
    fb_begin(s->fb, "");
    fb_end(s->fb);
    assert_int_equal(scan_built(s), -ENOSPC);
    assert_non_null(strstr(s->bi.error, "too many reserved"));
    free_scanned(s);

    s = new_built();
    fb_rsv(s->fb, 0xfffffffffffff000ULL, 0x2000);
    fb_begin(s->fb, "");
    fb_end(s->fb);
    assert_int_equal(scan_built(s), -EINVAL);
    assert_string_equal(s->bi.error, "reserved range wraps around");
    free_scanned(s);
}

static void build_cpus(struct fb *b, uint32_t n, uint32_t first_mpidr)
{
    char name[16];

    fb_begin(b, "cpus");
    fb_prop_u32(b, "#address-cells", 1);
    fb_prop_u32(b, "#size-cells", 0);
    for (uint32_t i = 0; i < n; i++) {
        snprintf(name, sizeof(name), "cpu@%x", i);
        fb_begin(b, name);
        fb_prop_str(b, "device_type", "cpu");
        fb_prop_u32(b, "reg", first_mpidr + i);
        fb_end(b);
    }
    fb_begin(b, "cpu-map");
    fb_end(b);
    fb_end(b);
}

static void test_cpu_limit(void **state)
{
    struct scanned *s = new_built();

    (void)state;
    fb_begin(s->fb, "");
    build_cpus(s->fb, CONFIG_NR_CPUS + 3U, 0);
    fb_end(s->fb);
    assert_int_equal(scan_built(s), 0);
    assert_int_equal(s->bi.nr_cpus, CONFIG_NR_CPUS);
    assert_int_equal(s->bi.nr_cpus_ignored, 3);
    assert_int_equal(s->bi.cpus[CONFIG_NR_CPUS - 1].hw_id, CONFIG_NR_CPUS - 1);
    assert_null(s->bi.cpus[0].enable_method);
    free_scanned(s);
}

static void test_cpu_errors(void **state)
{
    struct scanned *s = new_built();

    (void)state;
    fb_begin(s->fb, "");
    fb_begin(s->fb, "cpus");
    fb_prop_u32(s->fb, "#address-cells", 1);
    fb_prop_u32(s->fb, "#size-cells", 0);
    fb_begin(s->fb, "cpu@0");
    fb_prop_str(s->fb, "device_type", "cpu");
    fb_prop_u32(s->fb, "reg", 0);
    fb_end(s->fb);
    fb_begin(s->fb, "cpu@0-again");
    fb_prop_str(s->fb, "device_type", "cpu");
    fb_prop_u32(s->fb, "reg", 0);
    fb_end(s->fb);
    fb_end(s->fb);
    fb_end(s->fb);
    assert_int_equal(scan_built(s), -EINVAL);
    assert_string_equal(s->bi.error, "two cpu nodes with the same reg");
    free_scanned(s);

    s = new_built();
    fb_begin(s->fb, "");
    fb_begin(s->fb, "cpus");
    fb_prop_u32(s->fb, "#address-cells", 2);
    fb_prop_u32(s->fb, "#size-cells", 0);
    fb_begin(s->fb, "cpu@0");
    fb_prop_str(s->fb, "device_type", "cpu");
    fb_prop_cells(s->fb, "reg", 2, 0x0, 0x01000000);   /* bit 24: not affinity */
    fb_end(s->fb);
    fb_end(s->fb);
    fb_end(s->fb);
    assert_int_equal(scan_built(s), -EINVAL);
    assert_non_null(strstr(s->bi.error, "affinity"));
    free_scanned(s);

    s = new_built();
    fb_begin(s->fb, "");
    fb_begin(s->fb, "cpus");
    fb_begin(s->fb, "cpu@0");
    fb_prop_str(s->fb, "device_type", "cpu");
    fb_end(s->fb);
    fb_end(s->fb);
    fb_end(s->fb);
    assert_int_equal(scan_built(s), -EINVAL);
    assert_string_equal(s->bi.error, "cpu node without a usable reg");
    free_scanned(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_memory_nodes),
        cmocka_unit_test(test_too_many_ram_banks),
        cmocka_unit_test(test_reserved_limits),
        cmocka_unit_test(test_cpu_limit),
        cmocka_unit_test(test_cpu_errors),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
