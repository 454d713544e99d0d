/* Boot information: what bootinfo_scan() reads out of QEMU's virt DTB, a
 * QEMU DTB with guest-loader boot modules and a hand-written dom0less board.
 * Xen's command-line and module rules are in test_bootinfo_modules.c, the
 * memory and CPU limits in test_bootinfo_limits.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <asm/bootinfo_arch.h>

#include <proxenos/bootinfo.h>
#include <proxenos/errno.h>
#include "bootinfo_scan.h"

/* ---- QEMU virt, gic-version=3, virtualization=on, 4 CPUs, 512 MiB ------ */

static void test_qemu_virt(void **state)
{
    struct scanned *s = scan_fixture("qemu-virt.dtb");
    const struct boot_info *bi = &s->bi;

    (void)state;
    assert_int_equal(bi->nr_ram, 1);
    assert_range(&bi->ram[0], 0x40000000, 0x20000000);
    assert_int_equal(bi->nr_reserved, 0);

    assert_int_equal(bi->nr_cpus, 4);
    assert_int_equal(bi->nr_cpus_ignored, 0);
    for (uint32_t i = 0; i < 4; i++) {
        assert_int_equal(bi->cpus[i].hw_id, i);
        assert_string_equal(bi->cpus[i].enable_method, "psci");
    }

    assert_true(bi->arch->gic.present);
    assert_int_equal(bi->arch->gic.dist_base, 0x08000000);
    assert_int_equal(bi->arch->gic.dist_size, 0x10000);
    assert_int_equal(bi->arch->gic.rdist_base, 0x080a0000);
    assert_int_equal(bi->arch->gic.rdist_size, 0xf60000);
    assert_int_equal(bi->arch->gic.nr_rdist_regions, 1);
    assert_true(bi->arch->gic.has_maintenance_irq);
    assert_int_equal(bi->arch->gic.maintenance_intid, 25);

    assert_true(bi->arch->timer.present);
    assert_int_equal(bi->arch->timer.nr_irqs, 4);
    assert_int_equal(bi->arch->timer.intid[BOOT_TIMER_PHYS_SECURE], 29);
    assert_int_equal(bi->arch->timer.intid[BOOT_TIMER_PHYS_NONSECURE], 30);
    assert_int_equal(bi->arch->timer.intid[BOOT_TIMER_VIRT], 27);
    assert_int_equal(bi->arch->timer.intid[BOOT_TIMER_HYP], 26);
    assert_int_equal(bi->arch->timer.clock_frequency, 0);

    assert_true(bi->arch->psci.present);
    assert_int_equal(bi->arch->psci.method, BOOT_PSCI_SMC);
    assert_int_equal(bi->arch->psci.version_major, 1);
    assert_int_equal(bi->arch->psci.version_minor, 0);

    assert_true(bi->chosen >= 0);
    assert_int_equal(bi->nr_modules, 0);
    assert_null(bi->xen_cmdline);
    assert_null(bi->dom0_cmdline);
    assert_int_equal(bi->nr_domain_nodes, 0);
    assert_false(bootinfo_is_dom0less(bi));
    free_scanned(s);
}

/* What the console driver would hand bootinfo_find_uart (the PL011's). */
static const char *const UARTS[] = { "arm,pl011", "arm,sbsa-uart" };

static void test_qemu_virt_uart(void **state)
{
    struct scanned *s = scan_fixture("qemu-virt.dtb");
    struct boot_uart uart;

    (void)state;
    /* No dtuart=: /chosen/stdout-path = "/pl011@9000000". */
    assert_int_equal(bootinfo_find_uart(&s->fdt, "", UARTS, 2U, &uart), 0);
    assert_int_equal(uart.base, 0x09000000);
    assert_int_equal(uart.size, 0x1000);
    assert_true(uart.has_irq);
    assert_int_equal(uart.intid, 33);
    assert_string_equal(uart.compatible, "arm,pl011");
    assert_string_equal(uart.options, "");
    assert_int_equal(uart.path_len, strlen("/pl011@9000000"));
    assert_int_equal(bootinfo_find_uart(&s->fdt, NULL, UARTS, 2U, &uart), 0);
    assert_int_equal(uart.base, 0x09000000);

    assert_int_equal(bootinfo_find_uart(&s->fdt, "/pl011@9000000:115200n8", UARTS, 2U, &uart), 0);
    assert_int_equal(uart.intid, 33);
    assert_string_equal(uart.options, "115200n8");
    assert_int_equal(bootinfo_find_uart(&s->fdt, "/pl011@9000001", UARTS, 2U, &uart), -ENODEV);
    assert_int_equal(bootinfo_find_uart(&s->fdt, "serial0", UARTS, 2U, &uart), -ENODEV);  /* no aliases */
    assert_int_equal(bootinfo_find_uart(&s->fdt, ":115200", UARTS, 2U, &uart), -ENODEV);
    /* A device that is not a UART we drive. */
    assert_int_equal(bootinfo_find_uart(&s->fdt, "/fw-cfg@9020000", UARTS, 2U, &uart), -EOPNOTSUPP);
    assert_string_equal(uart.compatible, "qemu,fw-cfg-mmio");
    free_scanned(s);
}

/* QEMU with -append "dom0_mem=512M console=dtuart dtuart=/pl011@9000000",
 * a guest-loader kernel at 0x49000000 with bootargs "console=hvc0" and a
 * guest-loader initrd at 0x4a000000. */
static void test_qemu_guest_loader(void **state)
{
    struct scanned *s = scan_fixture("qemu-virt-guest-loader.dtb");
    const struct boot_info *bi = &s->bi;
    const struct boot_module *kernel;
    const struct boot_module *ramdisk;
    struct boot_uart uart;

    (void)state;
    assert_int_equal(bi->nr_modules, 2);
    /* QEMU writes the initrd node first; order is the tree's. */
    ramdisk = &bi->modules[0];
    kernel = &bi->modules[1];
    assert_int_equal(ramdisk->kind, BOOTMOD_RAMDISK);
    assert_int_equal(ramdisk->start, 0x4a000000);
    assert_int_equal(ramdisk->size, 0x2000);
    assert_null(ramdisk->cmdline);
    assert_false(ramdisk->kind_guessed);
    assert_int_equal(kernel->kind, BOOTMOD_KERNEL);
    assert_int_equal(kernel->start, 0x49000000);
    assert_int_equal(kernel->size, 0x1000);
    assert_string_equal(kernel->cmdline, "console=hvc0");
    assert_string_equal(kernel->name, "module@0x49000000");
    assert_int_equal(kernel->domain, -1);
    assert_null(kernel->domain_name);
    assert_ptr_equal(bootinfo_find_module(bi, BOOTMOD_KERNEL, -1), kernel);
    assert_ptr_equal(bootinfo_find_module(bi, BOOTMOD_RAMDISK, -1), ramdisk);
    assert_null(bootinfo_find_module(bi, BOOTMOD_XSM, -1));

    /* The kernel module has bootargs, so /chosen/bootargs is Xen's. */
    assert_string_equal(bi->xen_cmdline, "dom0_mem=512M console=dtuart dtuart=/pl011@9000000");
    assert_string_equal(bi->dom0_cmdline, "console=hvc0");
    assert_false(bootinfo_is_dom0less(bi));

    assert_int_equal(bootinfo_find_uart(&s->fdt, "/pl011@9000000", UARTS, 2U, &uart), 0);
    assert_int_equal(uart.base, 0x09000000);
    free_scanned(s);
}

/* ---- The hand-written dom0less board (data/dom0less.dts) --------------- */

static void test_dom0less_memory(void **state)
{
    struct scanned *s = scan_fixture("dom0less.dtb");
    const struct boot_info *bi = &s->bi;

    (void)state;
    /* Two nodes, one with two entries; the disabled node is skipped. */
    assert_int_equal(bi->nr_ram, 3);
    assert_range(&bi->ram[0], 0x40000000, 0x40000000);
    assert_range(&bi->ram[1], 0x880000000ULL, 0x80000000);
    assert_range(&bi->ram[2], 0x900000000ULL, 0x10000000);

    /* Two /memreserve/, then the reserved-memory child with a reg; the
     * dynamic pool (size only) has nothing to reserve yet. */
    assert_int_equal(bi->nr_reserved, 3);
    assert_int_equal(bi->reserved[0].start, 0x48000000);
    assert_int_equal(bi->reserved[0].size, 0x100000);
    assert_int_equal(bi->reserved[0].source, BOOT_RESERVED_MEMRESERVE);
    assert_int_equal(bi->reserved[0].node, -1);
    assert_int_equal(bi->reserved[1].start, 0x4f000000);
    assert_int_equal(bi->reserved[2].start, 0x4e000000);
    assert_int_equal(bi->reserved[2].size, 0x200000);
    assert_int_equal(bi->reserved[2].source, BOOT_RESERVED_NODE);
    assert_string_equal(fdt_node_name(&s->fdt, bi->reserved[2].node), "optee@4e000000");
    free_scanned(s);
}

static void test_dom0less_cpus_and_devices(void **state)
{
    struct scanned *s = scan_fixture("dom0less.dtb");
    const struct boot_info *bi = &s->bi;

    (void)state;
    assert_int_equal(bi->nr_cpus, 2);
    assert_int_equal(bi->cpus[0].hw_id, 0x0);
    assert_string_equal(bi->cpus[0].enable_method, "psci");
    assert_int_equal(bi->cpus[1].hw_id, 0x100);
    assert_string_equal(bi->cpus[1].enable_method, "spin-table");

    assert_true(bi->arch->gic.present);
    assert_int_equal(bi->arch->gic.dist_base, 0x2f000000);
    assert_int_equal(bi->arch->gic.rdist_base, 0x2f100000);
    assert_int_equal(bi->arch->gic.rdist_size, 0x200000);
    assert_int_equal(bi->arch->gic.nr_rdist_regions, 2);
    assert_int_equal(bi->arch->gic.maintenance_intid, 25);

    assert_int_equal(bi->arch->timer.clock_frequency, 100000000);
    assert_int_equal(bi->arch->timer.intid[BOOT_TIMER_VIRT], 27);
    assert_int_equal(bi->arch->psci.method, BOOT_PSCI_HVC);
    assert_int_equal(bi->arch->psci.version_major, 0);
    assert_int_equal(bi->arch->psci.version_minor, 2);
    free_scanned(s);
}

static void test_dom0less_modules(void **state)
{
    struct scanned *s = scan_fixture("dom0less.dtb");
    const struct boot_info *bi = &s->bi;
    const struct boot_module *m;
    int domu1 = fdt_path_offset(&s->fdt, "/chosen/domU1", 13);
    int domu2 = fdt_path_offset(&s->fdt, "/chosen/domU2", 13);

    (void)state;
    assert_int_equal(bi->nr_domain_nodes, 2);
    assert_int_equal(bi->nr_modules, 5);
    assert_true(bootinfo_is_dom0less(bi));

    m = bootinfo_find_module(bi, BOOTMOD_KERNEL, domu1);
    assert_non_null(m);
    assert_int_equal(m->start, 0x60000000);
    assert_int_equal(m->size, 0x800000);
    assert_string_equal(m->cmdline, "console=ttyAMA0 root=/dev/ram0");
    assert_string_equal(m->domain_name, "domU1");
    m = bootinfo_find_module(bi, BOOTMOD_RAMDISK, domu1);
    assert_non_null(m);
    assert_int_equal(m->start, 0x61000000);

    /* domU2 has 2+2 cells of its own. */
    m = bootinfo_find_module(bi, BOOTMOD_KERNEL, domu2);
    assert_non_null(m);
    assert_int_equal(m->start, 0x62000000);
    assert_int_equal(m->size, 0x400000);
    assert_string_equal(m->cmdline, "console=hvc0");
    m = bootinfo_find_module(bi, BOOTMOD_GUEST_DTB, domu2);
    assert_non_null(m);
    assert_int_equal(m->start, 0x63000000);
    assert_null(bootinfo_find_module(bi, BOOTMOD_RAMDISK, domu2));

    /* The XSM policy directly under /chosen is Xen's (dom0 side). */
    m = bootinfo_find_module(bi, BOOTMOD_XSM, -1);
    assert_non_null(m);
    assert_int_equal(m->start, 0x64000000);
    assert_null(bootinfo_find_module(bi, BOOTMOD_KERNEL, -1));

    assert_string_equal(bi->xen_cmdline, "console=dtuart dtuart=serial0:115200n8 sched=null");
    assert_null(bi->dom0_cmdline);
    free_scanned(s);
}

static void test_dom0less_uart(void **state)
{
    struct scanned *s = scan_fixture("dom0less.dtb");
    struct boot_uart uart;

    (void)state;
    /* stdout-path "serial0:115200n8" -> alias -> behind soc's ranges. */
    assert_int_equal(bootinfo_find_uart(&s->fdt, "", UARTS, 2U, &uart), 0);
    assert_int_equal(uart.base, 0x1c090000);
    assert_int_equal(uart.size, 0x1000);
    assert_int_equal(uart.intid, 37);
    assert_string_equal(uart.options, "115200n8");
    assert_int_equal(uart.path_len, 7);
    assert_memory_equal(uart.path, "serial0", 7);

    assert_int_equal(bootinfo_find_uart(&s->fdt, "/soc/uart@90000", UARTS, 2U, &uart), 0);
    assert_int_equal(uart.base, 0x1c090000);
    assert_int_equal(bootinfo_find_uart(&s->fdt, "serial1", UARTS, 2U, &uart), -EOPNOTSUPP);
    assert_string_equal(uart.compatible, "ns16550a");
    assert_int_equal(bootinfo_find_uart(&s->fdt, "/soc/uart@b0000", UARTS, 2U, &uart), -ENODEV);
    assert_int_equal(bootinfo_find_uart(&s->fdt, "bad", UARTS, 2U, &uart), -ENODEV);
    assert_int_equal(bootinfo_find_uart(&s->fdt, "/nonexistent:9600", UARTS, 2U, &uart), -ENODEV);
    free_scanned(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_qemu_virt),
        cmocka_unit_test(test_qemu_virt_uart),
        cmocka_unit_test(test_qemu_guest_loader),
        cmocka_unit_test(test_dom0less_memory),
        cmocka_unit_test(test_dom0less_cpus_and_devices),
        cmocka_unit_test(test_dom0less_modules),
        cmocka_unit_test(test_dom0less_uart),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
