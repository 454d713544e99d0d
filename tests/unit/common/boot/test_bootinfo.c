/* Boot information: what bootinfo_scan() reads out of QEMU's virt DTB, a
 * QEMU DTB with guest-loader boot modules, a hand-written dom0less board,
 * and blobs built here for Xen's command-line and module rules. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <asm/bootinfo_arch.h>

#include <proxenos/bootinfo.h>
#include <proxenos/errno.h>
#include "fdt_builder.h"

/* A loaded or built blob and what was scanned from it. */
struct scanned {
    uint8_t *blob;
    struct fb *fb;
    struct fdt fdt;
    struct boot_info bi;
};

static struct scanned *scan_fixture(const char *name)
{
    struct scanned *s = calloc(1, sizeof(*s));
    size_t len;

    s->blob = fb_load_fixture(name, &len);
    assert_int_equal(fdt_check(&s->fdt, s->blob, len), 0);
    assert_int_equal(bootinfo_scan(&s->bi, &s->fdt), 0);
    return s;
}

/* Check and scan a built blob; returns bootinfo_scan()'s result. */
static int scan_built(struct scanned *s)
{
    fb_finish(s->fb);
    assert_int_equal(fdt_check(&s->fdt, s->fb->out, s->fb->out_len), 0);
    return bootinfo_scan(&s->bi, &s->fdt);
}

/* The root node with 2+2 cells, as QEMU and most boards have. */
static void begin_root(struct fb *b)
{
    fb_begin(b, "");
    fb_prop_u32(b, "#address-cells", 2);
    fb_prop_u32(b, "#size-cells", 2);
}

static struct scanned *new_built(void)
{
    struct scanned *s = calloc(1, sizeof(*s));

    s->fb = fb_new();
    return s;
}

static void free_scanned(struct scanned *s)
{
    free(s->blob);
    free(s->fb);
    free(s);
}

static void assert_range(const struct boot_range *r, paddr_t start, paddr_t size)
{
    assert_int_equal(r->start, start);
    assert_int_equal(r->size, size);
}

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
        assert_int_equal(bi->cpus[i].mpidr, i);
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
    assert_int_equal(bi->cpus[0].mpidr, 0x0);
    assert_string_equal(bi->cpus[0].enable_method, "psci");
    assert_int_equal(bi->cpus[1].mpidr, 0x100);
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

/* ---- Command-line priority (fact sheet section 2) ----------------------- */

struct chosen_args {
    const char *xen;          /* xen,xen-bootargs or NULL */
    const char *dom0;         /* xen,dom0-bootargs or NULL */
    const char *bootargs;     /* bootargs or NULL */
    const char *module;       /* the dom0 kernel module's bootargs or NULL */
    bool has_kernel;
};

static struct scanned *scan_chosen(const struct chosen_args *a)
{
    struct scanned *s = new_built();
    struct fb *b = s->fb;

    begin_root(b);
    fb_begin(b, "chosen");
    if (a->xen != NULL) {
        fb_prop_str(b, "xen,xen-bootargs", a->xen);
    }
    if (a->dom0 != NULL) {
        fb_prop_str(b, "xen,dom0-bootargs", a->dom0);
    }
    if (a->bootargs != NULL) {
        fb_prop_str(b, "bootargs", a->bootargs);
    }
    if (a->has_kernel) {
        fb_begin(b, "module@40000000");
        fb_prop_strs(b, "compatible", "multiboot,kernel", "multiboot,module", NULL);
        fb_prop_cells(b, "reg", 4, 0, 0x40000000, 0, 0x100000);
        if (a->module != NULL) {
            fb_prop_str(b, "bootargs", a->module);
        }
        fb_end(b);
    }
    fb_end(b);
    fb_end(b);
    assert_int_equal(scan_built(s), 0);
    return s;
}

static void expect_cmdlines(const struct chosen_args *a, const char *xen, const char *dom0)
{
    struct scanned *s = scan_chosen(a);

    if (xen == NULL) {
        assert_null(s->bi.xen_cmdline);
    } else {
        assert_non_null(s->bi.xen_cmdline);
        assert_string_equal(s->bi.xen_cmdline, xen);
    }
    if (dom0 == NULL) {
        assert_null(s->bi.dom0_cmdline);
    } else {
        assert_non_null(s->bi.dom0_cmdline);
        assert_string_equal(s->bi.dom0_cmdline, dom0);
    }
    free_scanned(s);
}

static void test_cmdline_priority(void **state)
{
    (void)state;
    /* Only bootargs: dom0's; Xen gets nothing. */
    expect_cmdlines(&(struct chosen_args){ .bootargs = "B" }, NULL, "B");
    expect_cmdlines(&(struct chosen_args){ .bootargs = "B", .has_kernel = true }, NULL, "B");
    /* Only xen,xen-bootargs besides bootargs: bootargs stays dom0's. */
    expect_cmdlines(&(struct chosen_args){ .xen = "X", .bootargs = "B" }, "X", "B");
    /* xen,dom0-bootargs without xen,xen-bootargs: bootargs becomes Xen's. */
    expect_cmdlines(&(struct chosen_args){ .dom0 = "D", .bootargs = "B" }, "B", "D");
    expect_cmdlines(&(struct chosen_args){ .dom0 = "D" }, NULL, "D");
    /* The kernel module's own bootargs: likewise. */
    expect_cmdlines(&(struct chosen_args){ .bootargs = "B", .module = "M", .has_kernel = true },
                    "B", "M");
    /* ... but only if non-empty. */
    expect_cmdlines(&(struct chosen_args){ .bootargs = "B", .module = "", .has_kernel = true },
                    NULL, "B");
    /* xen,dom0-bootargs wins over the module's bootargs for dom0. */
    expect_cmdlines(&(struct chosen_args){ .dom0 = "D", .bootargs = "B", .module = "M",
                                           .has_kernel = true }, "B", "D");
    /* Everything: each takes its own, bootargs is unused. */
    expect_cmdlines(&(struct chosen_args){ .xen = "X", .dom0 = "D", .bootargs = "B",
                                           .module = "M", .has_kernel = true }, "X", "D");
    expect_cmdlines(&(struct chosen_args){ .xen = "X", .module = "M", .has_kernel = true },
                    "X", "M");
    expect_cmdlines(&(struct chosen_args){ 0 }, NULL, NULL);
}

static void test_domu_module_bootargs_are_not_dom0s(void **state)
{
    struct scanned *s = new_built();
    struct fb *b = s->fb;

    (void)state;
    fb_begin(b, "");
    fb_begin(b, "chosen");
    fb_prop_u32(b, "#address-cells", 1);
    fb_prop_u32(b, "#size-cells", 1);
    fb_prop_str(b, "bootargs", "B");
    fb_begin(b, "domU");
    fb_prop_str(b, "compatible", "xen,domain");
    fb_begin(b, "k");
    fb_prop_strs(b, "compatible", "multiboot,kernel", "multiboot,module", NULL);
    fb_prop_cells(b, "reg", 2, 0x50000000, 0x1000);
    fb_prop_str(b, "bootargs", "U");
    fb_end(b);
    fb_end(b);
    fb_end(b);
    fb_end(b);
    assert_int_equal(scan_built(s), 0);
    assert_null(s->bi.xen_cmdline);
    assert_string_equal(s->bi.dom0_cmdline, "B");
    assert_true(bootinfo_is_dom0less(&s->bi));
    assert_string_equal(s->bi.modules[0].cmdline, "U");
    free_scanned(s);
}

/* ---- Module kinds, legacy names, guessing, placement -------------------- */

static void add_module(struct fb *b, const char *name, uint32_t addr, const char *compat1,
                       const char *compat2)
{
    fb_begin(b, name);
    if (compat2 != NULL) {
        fb_prop_strs(b, "compatible", compat1, compat2, NULL);
    } else {
        fb_prop_str(b, "compatible", compat1);
    }
    fb_prop_cells(b, "reg", 2, addr, 0x1000);
    fb_end(b);
}

static void test_module_kinds(void **state)
{
    struct scanned *s = new_built();
    struct fb *b = s->fb;
    const struct boot_info *bi = &s->bi;

    (void)state;
    fb_begin(b, "");
    fb_begin(b, "chosen");
    fb_prop_u32(b, "#address-cells", 1);
    fb_prop_u32(b, "#size-cells", 1);
    add_module(b, "m0", 0x1000000, "xen,multiboot-module", "xen,linux-zimage");
    add_module(b, "m1", 0x2000000, "xen,linux-initrd", "xen,multiboot-module");
    add_module(b, "m2", 0x3000000, "multiboot,module", NULL);        /* 1st untyped */
    add_module(b, "m3", 0x4000000, "multiboot,module", NULL);        /* 2nd untyped */
    add_module(b, "m4", 0x5000000, "xen,multiboot-module", NULL);    /* 3rd untyped */
    add_module(b, "m5", 0x6000000, "multiboot,module", "xen,xsm-policy");
    add_module(b, "m6", 0x7000000, "multiboot,device-tree", "multiboot,module");
    add_module(b, "notmod", 0x8000000, "multiboot,kernel", NULL);   /* lacks multiboot,module */
    fb_end(b);
    add_module(b, "outside", 0x9000000, "multiboot,module", "multiboot,kernel");
    fb_end(b);
    assert_int_equal(scan_built(s), 0);

    assert_int_equal(bi->nr_modules, 7);
    assert_int_equal(bi->modules[0].kind, BOOTMOD_KERNEL);
    assert_false(bi->modules[0].kind_guessed);
    assert_int_equal(bi->modules[1].kind, BOOTMOD_RAMDISK);
    assert_int_equal(bi->modules[2].kind, BOOTMOD_KERNEL);
    assert_true(bi->modules[2].kind_guessed);
    assert_int_equal(bi->modules[3].kind, BOOTMOD_RAMDISK);
    assert_true(bi->modules[3].kind_guessed);
    assert_int_equal(bi->modules[4].kind, BOOTMOD_UNKNOWN);
    assert_true(bi->modules[4].kind_guessed);
    assert_int_equal(bi->modules[5].kind, BOOTMOD_XSM);
    assert_int_equal(bi->modules[6].kind, BOOTMOD_GUEST_DTB);
    assert_int_equal(bi->modules[6].start, 0x7000000);
    /* The first kernel found is dom0's. */
    assert_ptr_equal(bootinfo_find_module(bi, BOOTMOD_KERNEL, -1), &bi->modules[0]);

    assert_string_equal(boot_module_kind_name(BOOTMOD_KERNEL), "kernel");
    assert_string_equal(boot_module_kind_name(BOOTMOD_RAMDISK), "ramdisk");
    assert_string_equal(boot_module_kind_name(BOOTMOD_XSM), "xsm");
    assert_string_equal(boot_module_kind_name(BOOTMOD_GUEST_DTB), "device-tree");
    assert_string_equal(boot_module_kind_name(BOOTMOD_UNKNOWN), "unknown");
    free_scanned(s);
}

static void test_module_depth(void **state)
{
    struct scanned *s = new_built();
    struct fb *b = s->fb;
    const struct boot_info *bi = &s->bi;

    (void)state;
    fb_begin(b, "");
    fb_begin(b, "chosen");
    fb_begin(b, "group");                                  /* not a xen,domain */
    fb_prop_u32(b, "#address-cells", 1);
    fb_prop_u32(b, "#size-cells", 1);
    add_module(b, "depth3", 0x1000000, "multiboot,module", "multiboot,kernel");
    fb_begin(b, "deeper");
    fb_prop_u32(b, "#address-cells", 1);
    fb_prop_u32(b, "#size-cells", 1);
    add_module(b, "depth4", 0x2000000, "multiboot,module", "multiboot,kernel");
    fb_end(b);
    fb_end(b);
    fb_end(b);
    fb_end(b);
    assert_int_equal(scan_built(s), 0);
    /* Depth 3 counts and belongs to dom0; depth 4 is too deep. */
    assert_int_equal(bi->nr_modules, 1);
    assert_int_equal(bi->modules[0].start, 0x1000000);
    assert_int_equal(bi->modules[0].domain, -1);
    assert_int_equal(bi->nr_domain_nodes, 0);
    assert_false(bootinfo_is_dom0less(bi));
    free_scanned(s);
}

static void test_module_errors(void **state)
{
    struct scanned *s = new_built();

    (void)state;
    fb_begin(s->fb, "");
    fb_begin(s->fb, "chosen");
    fb_begin(s->fb, "noreg");
    fb_prop_str(s->fb, "compatible", "multiboot,module");
    fb_end(s->fb);
    fb_end(s->fb);
    fb_end(s->fb);
    assert_int_equal(scan_built(s), -EINVAL);
    assert_string_equal(s->bi.error, "boot module without reg");
    assert_string_equal(fdt_node_name(&s->fdt, s->bi.error_node), "noreg");
    free_scanned(s);

    s = new_built();
    begin_root(s->fb);
    fb_begin(s->fb, "chosen");
    fb_begin(s->fb, "m");
    fb_prop_str(s->fb, "compatible", "multiboot,module");
    fb_prop_cells(s->fb, "reg", 4, 0, 0x1000, 0, 0x1000);
    fb_prop(s->fb, "bootargs", "abc", 3);                  /* no NUL */
    fb_end(s->fb);
    fb_end(s->fb);
    fb_end(s->fb);
    assert_int_equal(scan_built(s), -EINVAL);
    assert_non_null(strstr(s->bi.error, "bootargs"));
    free_scanned(s);

    s = new_built();
    begin_root(s->fb);
    fb_begin(s->fb, "chosen");
    fb_begin(s->fb, "m");
    fb_prop_str(s->fb, "compatible", "multiboot,module");
    fb_prop_cells(s->fb, "reg", 4, 0xffffffff, 0xfffff000, 0, 0x2000); /* wraps */
    fb_end(s->fb);
    fb_end(s->fb);
    fb_end(s->fb);
    assert_int_equal(scan_built(s), -EINVAL);
    assert_non_null(strstr(s->bi.error, "malformed reg"));
    free_scanned(s);
}

static void test_too_many_modules(void **state)
{
    struct scanned *s = new_built();
    char name[16];

    (void)state;
    begin_root(s->fb);
    fb_begin(s->fb, "chosen");
    for (uint32_t i = 0; i <= BOOTINFO_MAX_MODULES; i++) {
        snprintf(name, sizeof(name), "m%u", i);
        fb_begin(s->fb, name);
        fb_prop_strs(s->fb, "compatible", "multiboot,module", "multiboot,ramdisk", NULL);
        fb_prop_cells(s->fb, "reg", 4, 0, 0x1000 * (i + 1), 0, 0x1000);
        fb_end(s->fb);
    }
    fb_end(s->fb);
    fb_end(s->fb);
    assert_int_equal(scan_built(s), -ENOSPC);
    assert_string_equal(s->bi.error, "too many boot modules (at most 32)");
    assert_int_equal(s->bi.nr_modules, BOOTINFO_MAX_MODULES);
    free_scanned(s);
}

/* ---- linux,initrd-start / -end ------------------------------------------ */

static struct scanned *scan_initrd(const void *start, size_t slen, const void *end,
                                   size_t elen)
{
    struct scanned *s = new_built();

    fb_begin(s->fb, "");
    fb_begin(s->fb, "chosen");
    if (start != NULL) {
        fb_prop(s->fb, "linux,initrd-start", start, slen);
    }
    if (end != NULL) {
        fb_prop(s->fb, "linux,initrd-end", end, elen);
    }
    fb_end(s->fb);
    fb_end(s->fb);
    return s;
}

static void test_initrd_properties(void **state)
{
    static const uint8_t s32[] = { 0x48, 0x00, 0x00, 0x00 };
    static const uint8_t e32[] = { 0x48, 0x10, 0x00, 0x00 };
    static const uint8_t s64[] = { 0, 0, 0, 1, 0x00, 0x00, 0x00, 0x00 };
    static const uint8_t e64[] = { 0, 0, 0, 1, 0x00, 0x20, 0x00, 0x00 };
    static const uint8_t bad[] = { 1, 2, 3 };
    struct scanned *s;

    (void)state;
    s = scan_initrd(s32, 4, e32, 4);
    assert_int_equal(scan_built(s), 0);
    assert_int_equal(s->bi.nr_modules, 1);
    assert_int_equal(s->bi.modules[0].kind, BOOTMOD_RAMDISK);
    assert_int_equal(s->bi.modules[0].start, 0x48000000);
    assert_int_equal(s->bi.modules[0].size, 0x100000);
    assert_int_equal(s->bi.modules[0].domain, -1);
    assert_ptr_equal(bootinfo_find_module(&s->bi, BOOTMOD_RAMDISK, -1), &s->bi.modules[0]);
    free_scanned(s);

    s = scan_initrd(s64, 8, e32, 4);        /* mixed sizes are fine, but 4G > end */
    assert_int_equal(scan_built(s), -EINVAL);
    assert_non_null(strstr(s->bi.error, "not below"));
    free_scanned(s);

    s = scan_initrd(s64, 8, e64, 8);
    assert_int_equal(scan_built(s), 0);
    assert_int_equal(s->bi.modules[0].start, 0x100000000ULL);
    assert_int_equal(s->bi.modules[0].size, 0x200000);
    free_scanned(s);

    s = scan_initrd(s32, 4, NULL, 0);
    assert_int_equal(scan_built(s), -EINVAL);
    assert_non_null(strstr(s->bi.error, "without linux,initrd-end"));
    free_scanned(s);

    s = scan_initrd(bad, 3, e32, 4);
    assert_int_equal(scan_built(s), -EINVAL);
    assert_non_null(strstr(s->bi.error, "4 or 8 bytes"));
    free_scanned(s);

    s = scan_initrd(NULL, 0, e32, 4);       /* end alone: no initrd */
    assert_int_equal(scan_built(s), 0);
    assert_int_equal(s->bi.nr_modules, 0);
    free_scanned(s);
}

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
    assert_int_equal(s->bi.nr_ram, 2);
    assert_range(&s->bi.ram[0], 0x40000000, 0x1000000);
    assert_range(&s->bi.ram[1], 0x60000000, 0x2000000);
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
    assert_int_equal(s->bi.cpus[CONFIG_NR_CPUS - 1].mpidr, CONFIG_NR_CPUS - 1);
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

/* ---- Devices ------------------------------------------------------------ */

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
        cmocka_unit_test(test_cmdline_priority),
        cmocka_unit_test(test_domu_module_bootargs_are_not_dom0s),
        cmocka_unit_test(test_module_kinds),
        cmocka_unit_test(test_module_depth),
        cmocka_unit_test(test_module_errors),
        cmocka_unit_test(test_too_many_modules),
        cmocka_unit_test(test_initrd_properties),
        cmocka_unit_test(test_memory_nodes),
        cmocka_unit_test(test_too_many_ram_banks),
        cmocka_unit_test(test_reserved_limits),
        cmocka_unit_test(test_cpu_limit),
        cmocka_unit_test(test_cpu_errors),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
