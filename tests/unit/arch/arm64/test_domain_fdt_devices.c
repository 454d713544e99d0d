/* A dom0less domU's device tree on arm64: node for node what Xen 4.17's
 * prepare_dtb_domU() makes, read back through our reader (and dtc). The
 * common writer (common/boot/domain_fdt.c) runs here with the real Arm node
 * writers (arch/arm64/domain_fdt_devices.c), so the whole tree is pinned
 * byte for byte; tests/unit/common/boot/test_domain_fdt.c tests the common part
 * alone. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <asm/domain_fdt_devices.h>
#include <proxenos/arch/domain_fdt.h>
#include <proxenos/domain_fdt.h>
#include <proxenos/errno.h>
#include <proxenos/fdt.h>
#include <proxenos/lib.h>
#include <public/arch-arm.h>
#include <public/device_tree_defs.h>

#define GUARD_SIZE 64U
#define GUARD_BYTE 0x5aU

#define BOOTARGS "console=ttyAMA0 earlycon=pl011,mmio32,0x22000000 root=/dev/ram0"
#define INITRD_START 0x48000000ULL
#define INITRD_SIZE  0x00123456ULL

static uint8_t blob[DOMAIN_FDT_DOMU_SIZE];

static const struct domain_fdt_region two_banks[] = {
    { GUEST_RAM0_BASE, GiB(1) },
    { GUEST_RAM1_BASE, GiB(2) },
};

static const struct domain_fdt_region one_bank[] = {
    { GUEST_RAM0_BASE, MiB(256) },
};

/* The extended regions Xen would find for two_banks with a 40-bit IPA. */
static struct domain_fdt_region ext[GUEST_RAM_MAX_BANKS];
static unsigned int nr_ext;

/* A configuration and its Arm part, which travel (and are copied) together;
 * linked() points the common part at the Arm part just before a build. */
struct arm_cfg {
    struct domain_fdt_config c;
    struct arch_domain_fdt_config a;
};

static const struct domain_fdt_config *linked(struct arm_cfg *t)
{
    t->c.arch = &t->a;
    return &t->c;
}

/* The 4-vCPU, everything-on configuration. */
static struct arm_cfg full_config(unsigned int vcpus)
{
    static const uint64_t ram[GUEST_RAM_MAX_BANKS] = { GiB(1), GiB(2) };
    struct arm_cfg cfg;

    nr_ext = arch_domu_ext_regions(ram, 40U, ext);
    memset(&cfg, 0, sizeof(cfg));
    cfg.c.nr_vcpus = vcpus;
    cfg.c.mem = two_banks;
    cfg.c.nr_mem = 2U;
    cfg.c.bootargs = BOOTARGS;
    cfg.c.initrd_start = INITRD_START;
    cfg.c.initrd_size = INITRD_SIZE;
    cfg.a.vpl011 = true;
    cfg.c.enhanced = true;
    cfg.c.ext_regions = ext;
    cfg.c.nr_ext_regions = nr_ext;
    return cfg;
}

static struct arm_cfg plain_config(void)
{
    struct arm_cfg cfg;

    memset(&cfg, 0, sizeof(cfg));
    cfg.c.nr_vcpus = 1U;
    cfg.c.mem = one_bank;
    cfg.c.nr_mem = 1U;
    return cfg;
}

static uint32_t build_ok(struct arm_cfg *cfg, struct fdt *fdt)
{
    uint32_t size = 0;
    int rc = domain_fdt_build_domu(linked(cfg), blob, sizeof(blob), &size);

    assert_int_equal(rc, 0);
    assert_true(size > 0U);
    rc = fdt_check(fdt, blob, size);
    if (rc != 0) {
        fail_msg("fdt_check: %s at %u", fdt->error, fdt->error_offset);
    }
    assert_int_equal(fdt->total_size, size);
    return size;
}

static int node_at(const struct fdt *fdt, const char *path)
{
    int node = fdt_path_offset(fdt, path, strlen(path));

    if (node < 0) {
        fail_msg("no node %s", path);
    }
    return node;
}

/* Property bytes must be exactly 'expect' (len bytes). */
static void expect_prop(const struct fdt *fdt, const char *path, const char *name,
                        const void *expect, uint32_t len)
{
    uint32_t got_len = 0;
    const void *got = fdt_getprop(fdt, node_at(fdt, path), name, &got_len);

    if (got == NULL) {
        fail_msg("%s has no %s", path, name);
    }
    assert_int_equal(got_len, len);
    assert_memory_equal(got, expect, len);
}

/* Property made of the given cells. */
static void expect_cells(const struct fdt *fdt, const char *path, const char *name,
                         unsigned int n, ...)
{
    uint8_t buf[4 * 32];
    va_list ap;
    unsigned int i;

    assert_true(n <= 32U);
    va_start(ap, n);
    for (i = 0; i < n; i++) {
        uint32_t v = va_arg(ap, uint32_t);

        buf[4 * i] = (uint8_t)(v >> 24);
        buf[4 * i + 1] = (uint8_t)(v >> 16);
        buf[4 * i + 2] = (uint8_t)(v >> 8);
        buf[4 * i + 3] = (uint8_t)v;
    }
    va_end(ap);
    expect_prop(fdt, path, name, buf, 4U * n);
}

static void expect_str_prop(const struct fdt *fdt, const char *path, const char *name,
                          const char *value)
{
    expect_prop(fdt, path, name, value, (uint32_t)strlen(value) + 1U);
}

/* The node's property names, in order, joined by spaces. */
static void expect_prop_names(const struct fdt *fdt, const char *path, const char *names)
{
    char got[512] = "";
    struct fdt_property p;
    int off;

    for (off = fdt_first_prop(fdt, node_at(fdt, path)); off >= 0;
         off = fdt_next_prop(fdt, off)) {
        assert_int_equal(fdt_prop_at(fdt, off, &p), 0);
        if (got[0] != '\0') {
            strcat(got, " ");
        }
        strcat(got, p.name);
    }
    assert_string_equal(got, names);
}

/* Every node path in document order, joined by spaces. */
static void expect_nodes(const struct fdt *fdt, const char *paths)
{
    char got[4096] = "";
    char path[128];
    int depth = 0;
    int node;

    for (node = fdt_root(fdt); node >= 0; node = fdt_next_node(fdt, node, &depth)) {
        assert_true(fdt_node_path(fdt, node, path, sizeof(path)) > 0);
        if (got[0] != '\0') {
            strcat(got, " ");
        }
        strcat(got, path);
    }
    assert_string_equal(got, paths);
}

static void expect_reg(const struct fdt *fdt, const char *path, uint32_t index,
                       uint64_t addr, uint64_t size)
{
    uint64_t a = 0;
    uint64_t s = 0;

    assert_int_equal(fdt_reg(fdt, node_at(fdt, path), index, &a, &s), 0);
    assert_int_equal(a, addr);
    assert_int_equal(s, size);
}

static void expect_irq(const struct fdt *fdt, const char *path, uint32_t index,
                       uint32_t intid, uint32_t flags)
{
    uint32_t i = 0;
    uint32_t f = 0;

    assert_int_equal(fdt_irq(fdt, node_at(fdt, path), index, &i, &f), 0);
    assert_int_equal(i, intid);
    assert_int_equal(f, flags);
}

/* ---- The trees ------------------------------------------------------------------------------ */

/* A configuration without an Arm part (arch NULL) is built as one whose Arm
 * part is all defaults: byte for byte the same tree. */
static void test_no_arch_part(void **state)
{
    static uint8_t with[DOMAIN_FDT_XEN417_SIZE];
    struct arm_cfg cfg = full_config(2);
    uint32_t with_size = 0U;
    uint32_t size = 0U;

    (void)state;
    cfg.a.vpl011 = false;   /* every Arm field at its default */
    assert_int_equal(domain_fdt_build_domu(linked(&cfg), with, sizeof(with), &with_size), 0);
    cfg.c.arch = NULL;
    assert_int_equal(domain_fdt_build_domu(&cfg.c, blob, sizeof(blob), &size), 0);
    assert_int_equal(size, with_size);
    assert_memory_equal(blob, with, size);
    /* And the Arm part counts: with a vpl011 in it the tree differs. */
    cfg.a.vpl011 = true;
    assert_int_equal(domain_fdt_build_domu(linked(&cfg), with, sizeof(with), &with_size), 0);
    assert_true(with_size > size);
}

static void test_plain_domu(void **state)
{
    struct arm_cfg cfg = plain_config();
    struct fdt fdt;

    (void)state;
    build_ok(&cfg, &fdt);
    expect_nodes(&fdt, "/ /chosen /psci /cpus /cpus/cpu@0 /memory@40000000 "
                       "/interrupt-controller@3001000 /timer");
    /* Xen's domU root has only the cells: no compatible, no model, no
     * interrupt-parent (libxl guests differ). */
    expect_prop_names(&fdt, "/", "#address-cells #size-cells");
    expect_cells(&fdt, "/", "#address-cells", 1, 2);
    expect_cells(&fdt, "/", "#size-cells", 1, 2);
    /* No bootargs and no ramdisk: an empty /chosen. */
    expect_prop_names(&fdt, "/chosen", "");
    expect_prop_names(&fdt, "/cpus/cpu@0", "compatible device_type reg enable-method");
    expect_str_prop(&fdt, "/cpus/cpu@0", "compatible", "arm,armv8");
    expect_prop_names(&fdt, "/memory@40000000", "device_type reg");
    expect_cells(&fdt, "/memory@40000000", "reg", 4, 0, 0x40000000, 0, 0x10000000);
    expect_prop_names(&fdt, "/timer", "compatible interrupts interrupt-parent");
    assert_int_equal(fdt.rsv_count, 0);
}

static void check_full_tree(const struct fdt *fdt, unsigned int vcpus)
{
    static const char psci_compat[] = "arm,psci-1.0\0arm,psci-0.2\0arm,psci";
    static const char xen_compat[] = "xen,xen-4.17\0xen,xen";
    const char *gic = "/interrupt-controller@3001000";
    uint64_t v64;
    unsigned int cpu;

    expect_prop_names(fdt, "/chosen", "bootargs linux,initrd-start linux,initrd-end");
    expect_str_prop(fdt, "/chosen", "bootargs", BOOTARGS);
    assert_int_equal(fdt_getprop_u64(fdt, node_at(fdt, "/chosen"), "linux,initrd-start", &v64),
                     0);
    assert_int_equal(v64, INITRD_START);
    assert_int_equal(fdt_getprop_u64(fdt, node_at(fdt, "/chosen"), "linux,initrd-end", &v64), 0);
    assert_int_equal(v64, INITRD_START + INITRD_SIZE);

    expect_prop_names(fdt, "/psci", "compatible method cpu_off cpu_on");
    expect_prop(fdt, "/psci", "compatible", psci_compat, sizeof(psci_compat));
    expect_str_prop(fdt, "/psci", "method", "hvc");
    expect_cells(fdt, "/psci", "cpu_off", 1, 1);
    expect_cells(fdt, "/psci", "cpu_on", 1, 2);

    expect_prop_names(fdt, "/cpus", "#address-cells #size-cells");
    expect_cells(fdt, "/cpus", "#address-cells", 1, 1);
    expect_cells(fdt, "/cpus", "#size-cells", 1, 0);
    for (cpu = 0; cpu < vcpus; cpu++) {
        char path[32];

        snprintf(path, sizeof(path), "/cpus/cpu@%x", domain_fdt_vcpu_affinity(cpu));
        expect_prop_names(fdt, path, "compatible device_type reg enable-method");
        expect_str_prop(fdt, path, "device_type", "cpu");
        expect_cells(fdt, path, "reg", 1, domain_fdt_vcpu_affinity(cpu));
        expect_str_prop(fdt, path, "enable-method", "psci");
    }

    /* One memory node for both banks, named after the first. */
    expect_cells(fdt, "/memory@40000000", "reg", 8, 0, 0x40000000, 0, 0x40000000, 0x2, 0, 0,
                 0x80000000);
    expect_reg(fdt, "/memory@40000000", 1, GUEST_RAM1_BASE, GiB(2));

    expect_prop_names(fdt, gic, "#address-cells #interrupt-cells interrupt-controller "
                                "compatible reg linux,phandle phandle");
    expect_cells(fdt, gic, "#address-cells", 1, 0);
    expect_cells(fdt, gic, "#interrupt-cells", 1, 3);
    expect_prop(fdt, gic, "interrupt-controller", "", 0);
    expect_str_prop(fdt, gic, "compatible", "arm,gic-v3");
    /* Distributor, then the whole redistributor window whatever the count. */
    expect_cells(fdt, gic, "reg", 8, 0, 0x03001000, 0, 0x00010000, 0, 0x03020000, 0,
                 0x01000000);
    expect_cells(fdt, gic, "phandle", 1, 65000);
    expect_cells(fdt, gic, "linux,phandle", 1, 65000);
    assert_int_equal(fdt_node_by_phandle(fdt, GUEST_PHANDLE_GIC), node_at(fdt, gic));

    /* Secure, non-secure physical, virtual: PPI 13, 14, 11, active-low
     * level, CPU mask 0xf. */
    expect_prop_names(fdt, "/timer", "compatible interrupts interrupt-parent");
    expect_str_prop(fdt, "/timer", "compatible", "arm,armv8-timer");
    expect_cells(fdt, "/timer", "interrupts", 9, 1, 13, 0xf08, 1, 14, 0xf08, 1, 11, 0xf08);
    expect_cells(fdt, "/timer", "interrupt-parent", 1, 65000);
    expect_irq(fdt, "/timer", 0, GUEST_TIMER_PHYS_S_PPI, 0xf08);
    expect_irq(fdt, "/timer", 1, GUEST_TIMER_PHYS_NS_PPI, 0xf08);
    expect_irq(fdt, "/timer", 2, GUEST_TIMER_VIRT_PPI, 0xf08);

    expect_prop_names(fdt, "/sbsa-uart@22000000",
                      "compatible reg interrupts interrupt-parent current-speed");
    expect_str_prop(fdt, "/sbsa-uart@22000000", "compatible", "arm,sbsa-uart");
    expect_cells(fdt, "/sbsa-uart@22000000", "reg", 4, 0, 0x22000000, 0, 0x1000);
    expect_cells(fdt, "/sbsa-uart@22000000", "interrupts", 3, 0, 0, 0xf04);
    expect_irq(fdt, "/sbsa-uart@22000000", 0, GUEST_VPL011_SPI, 0xf04);
    expect_cells(fdt, "/sbsa-uart@22000000", "current-speed", 1, 115200);

    expect_prop_names(fdt, "/hypervisor", "compatible reg interrupts interrupt-parent");
    expect_prop(fdt, "/hypervisor", "compatible", xen_compat, sizeof(xen_compat));
    expect_reg(fdt, "/hypervisor", 0, GUEST_GNTTAB_BASE, GUEST_GNTTAB_SIZE);
    assert_int_equal(fdt_reg_count(fdt, node_at(fdt, "/hypervisor")), 3);
    expect_reg(fdt, "/hypervisor", 1, 0x80000000ULL, 0x80000000ULL);
    expect_reg(fdt, "/hypervisor", 2, 0x280000000ULL, 0x10000000000ULL - 0x280000000ULL);
    expect_cells(fdt, "/hypervisor", "interrupts", 3, 1, 15, 0xf08);
    expect_irq(fdt, "/hypervisor", 0, GUEST_EVTCHN_PPI, 0xf08);
}

static void test_full_domu_1_vcpu(void **state)
{
    struct arm_cfg cfg = full_config(1);
    struct fdt fdt;
    uint32_t size;

    (void)state;
    size = build_ok(&cfg, &fdt);
    expect_nodes(&fdt, "/ /chosen /psci /cpus /cpus/cpu@0 /memory@40000000 "
                       "/interrupt-controller@3001000 /timer /sbsa-uart@22000000 /hypervisor");
    check_full_tree(&fdt, 1);
    /* The size domain_fdt.h documents. */
    assert_int_equal(size, 1393);
    assert_true(size <= DOMAIN_FDT_XEN417_SIZE);
}

static void test_full_domu_4_vcpus(void **state)
{
    struct arm_cfg cfg = full_config(4);
    struct fdt fdt;
    uint32_t size;

    (void)state;
    size = build_ok(&cfg, &fdt);
    expect_nodes(&fdt, "/ /chosen /psci /cpus /cpus/cpu@0 /cpus/cpu@1 /cpus/cpu@2 "
                       "/cpus/cpu@3 /memory@40000000 /interrupt-controller@3001000 /timer "
                       "/sbsa-uart@22000000 /hypervisor");
    check_full_tree(&fdt, 4);
    assert_int_equal(size, 1393 + 3 * 92);
}

/* Aff0 counts 0..15, then Aff1 moves on. */
static void test_vcpu_affinity(void **state)
{
    struct arm_cfg cfg = plain_config();
    struct fdt fdt;

    (void)state;
    assert_int_equal(domain_fdt_vcpu_affinity(0), 0x000);
    assert_int_equal(domain_fdt_vcpu_affinity(15), 0x00f);
    assert_int_equal(domain_fdt_vcpu_affinity(16), 0x100);
    assert_int_equal(domain_fdt_vcpu_affinity(17), 0x101);
    assert_int_equal(domain_fdt_vcpu_affinity(127), 0x70f);
    cfg.c.nr_vcpus = 18;
    build_ok(&cfg, &fdt);
    expect_cells(&fdt, "/cpus/cpu@f", "reg", 1, 0xf);
    expect_cells(&fdt, "/cpus/cpu@100", "reg", 1, 0x100);
    expect_cells(&fdt, "/cpus/cpu@101", "reg", 1, 0x101);
    assert_int_equal(fdt_path_offset(&fdt, "/cpus/cpu@10", 12), -ENOENT);
    assert_int_equal(fdt_path_offset(&fdt, "/cpus/cpu@102", 13), -ENOENT);
}

/* What Xen copies from the host: the first CPU node's compatible and
 * clock-frequency, the timer's clock-frequency. */
static void test_host_values(void **state)
{
    static const char compat[] = "arm,cortex-a57\0arm,armv8";
    struct arm_cfg cfg = plain_config();
    struct fdt fdt;

    (void)state;
    cfg.c.nr_vcpus = 2;
    cfg.a.cpu_compatible = compat;
    cfg.a.cpu_compatible_len = sizeof(compat);
    cfg.a.cpu_clock_frequency = 1000000000U;
    cfg.a.timer_clock_frequency = 62500000U;
    build_ok(&cfg, &fdt);
    expect_prop(&fdt, "/cpus/cpu@1", "compatible", compat, sizeof(compat));
    expect_prop_names(&fdt, "/cpus/cpu@1",
                      "compatible device_type reg clock-frequency enable-method");
    expect_cells(&fdt, "/cpus/cpu@1", "clock-frequency", 1, 1000000000U);
    expect_prop_names(&fdt, "/timer", "compatible interrupts interrupt-parent clock-frequency");
    expect_cells(&fdt, "/timer", "clock-frequency", 1, 62500000U);
}

static void test_aarch32_domu(void **state)
{
    struct arm_cfg cfg = full_config(2);
    struct fdt fdt;

    (void)state;
    cfg.a.aarch32 = true;
    build_ok(&cfg, &fdt);
    expect_str_prop(&fdt, "/timer", "compatible", "arm,armv7-timer");
    expect_prop_names(&fdt, "/cpus/cpu@1", "compatible device_type reg");
    /* Only the grant table window: no extended regions for 32-bit guests. */
    assert_int_equal(fdt_reg_count(&fdt, node_at(&fdt, "/hypervisor")), 1);
}

static void test_gicv2_domu(void **state)
{
    struct arm_cfg cfg = plain_config();
    struct fdt fdt;

    (void)state;
    cfg.a.gic = DOMAIN_FDT_GIC_V2;
    build_ok(&cfg, &fdt);
    expect_str_prop(&fdt, "/interrupt-controller@3001000", "compatible", "arm,gic-400");
    expect_cells(&fdt, "/interrupt-controller@3001000", "reg", 8, 0, 0x03001000, 0, 0x1000, 0,
                 0x03002000, 0, 0x2000);
    expect_irq(&fdt, "/timer", 2, GUEST_TIMER_VIRT_PPI, 0xf08);
}

/* Addresses other than the defaults (e.g. a direct-mapped domain). */
static void test_overrides(void **state)
{
    static const struct domain_fdt_region gicr[] = {
        { 0x080a0000U, 0x00f60000U },
        { 0x10000000U, 0x00040000U },
    };
    struct arm_cfg cfg = plain_config();
    struct fdt fdt;

    (void)state;
    cfg.a.gicd = (struct domain_fdt_region){ 0x08000000U, 0x10000U };
    cfg.a.gicr = gicr;
    cfg.a.nr_gicr = 2;
    cfg.a.vpl011 = true;
    cfg.a.vpl011_base = 0x09000000U;
    cfg.a.vpl011_intid = 33U;
    cfg.c.enhanced = true;
    cfg.c.gnttab = (struct domain_fdt_region){ 0x7f000000U, 0x100000U };
    cfg.a.evtchn_intid = 20U;
    build_ok(&cfg, &fdt);
    expect_cells(&fdt, "/interrupt-controller@8000000", "reg", 12, 0, 0x08000000, 0, 0x10000,
                 0, 0x080a0000, 0, 0x00f60000, 0, 0x10000000, 0, 0x00040000);
    expect_irq(&fdt, "/sbsa-uart@9000000", 0, 33, 0xf04);
    expect_reg(&fdt, "/sbsa-uart@9000000", 0, 0x09000000U, 0x1000U);
    expect_reg(&fdt, "/hypervisor", 0, 0x7f000000U, 0x100000U);
    expect_irq(&fdt, "/hypervisor", 0, 20, 0xf08);
    assert_int_equal(fdt_reg_count(&fdt, node_at(&fdt, "/hypervisor")), 1);
}

/* ---- Sizes ----------------------------------------------------------------------------------- */

static void test_enospc_at_every_size(void **state)
{
    struct arm_cfg cfg = full_config(4);
    static uint8_t ref[DOMAIN_FDT_XEN417_SIZE];
    uint32_t need = 0;
    uint32_t s;

    (void)state;
    assert_int_equal(domain_fdt_build_domu(linked(&cfg), ref, sizeof(ref), &need), 0);
    for (s = 0; s <= need; s++) {
        uint8_t *buf = malloc((size_t)s + GUARD_SIZE);
        uint32_t got = 0;
        int rc;
        uint32_t i;

        assert_non_null(buf);
        memset(buf, GUARD_BYTE, (size_t)s + GUARD_SIZE);
        rc = domain_fdt_build_domu(linked(&cfg), buf, s, &got);
        for (i = 0; i < GUARD_SIZE; i++) {
            if (buf[s + i] != GUARD_BYTE) {
                fail_msg("size %u: wrote past the buffer at +%u", s, i);
            }
        }
        if (s < need) {
            if (rc != -ENOSPC) {
                fail_msg("size %u of %u: got %d", s, need, rc);
            }
            assert_int_equal(got, 0);
        } else {
            assert_int_equal(rc, 0);
            assert_int_equal(got, need);
            assert_memory_equal(buf, ref, need);
        }
        free(buf);
    }
}

/* Xen 4.17's 4 KiB buffer holds this many vCPUs of the full tree; the
 * larger buffer holds the maximum. */
static void test_vcpu_limits(void **state)
{
    struct arm_cfg cfg;
    uint32_t size = 0;
    unsigned int fit = 0;
    unsigned int n;

    (void)state;
    for (n = 1; n <= (unsigned int)GUEST_MAX_VCPUS; n++) {
        cfg = full_config(n);
        if (domain_fdt_build_domu(linked(&cfg), blob, DOMAIN_FDT_XEN417_SIZE, &size) != 0) {
            break;
        }
        fit = n;
    }
    assert_int_equal(fit, 30);
    cfg = full_config(fit + 1U);
    assert_int_equal(domain_fdt_build_domu(linked(&cfg), blob, DOMAIN_FDT_XEN417_SIZE, &size), -ENOSPC);

    cfg = full_config(GUEST_MAX_VCPUS);
    assert_int_equal(domain_fdt_build_domu(linked(&cfg), blob, DOMAIN_FDT_DOMU_SIZE, &size), 0);
    assert_int_equal(size, 1393 + 127 * 92);
}

/* ---- Bad configurations ------------------------------------------------------------------- */

static void expect_einval(struct arm_cfg *cfg)
{
    uint32_t size = 7;

    assert_int_equal(domain_fdt_build_domu(linked(cfg), blob, sizeof(blob), &size), -EINVAL);
    assert_int_equal(size, 7);
}

static void test_bad_configs(void **state)
{
    static const char unterminated[] = { 'a', 'r', 'm' };
    static const struct domain_fdt_region empty_bank[] = { { GUEST_RAM0_BASE, 0 } };
    static const struct domain_fdt_region wrapping[] = { { UINT64_MAX - 0xfff, 0x1000 } };
    struct arm_cfg good = full_config(2);
    struct arm_cfg cfg;
    uint32_t size;

    (void)state;
    assert_int_equal(domain_fdt_build_domu(NULL, blob, sizeof(blob), &size), -EINVAL);
    assert_int_equal(domain_fdt_build_domu(linked(&good), NULL, sizeof(blob), &size), -EINVAL);

    cfg = good; cfg.c.nr_vcpus = 0; expect_einval(&cfg);
    cfg = good; cfg.c.nr_vcpus = GUEST_MAX_VCPUS + 1; expect_einval(&cfg);
    cfg = good; cfg.c.nr_mem = 0; expect_einval(&cfg);
    cfg = good; cfg.c.mem = NULL; expect_einval(&cfg);
    cfg = good; cfg.c.mem = empty_bank; cfg.c.nr_mem = 1; expect_einval(&cfg);
    cfg = good; cfg.c.mem = wrapping; cfg.c.nr_mem = 1; expect_einval(&cfg);
    cfg = good; cfg.a.cpu_compatible = unterminated; cfg.a.cpu_compatible_len = 3; expect_einval(&cfg);
    cfg = good; cfg.a.cpu_compatible = "x"; cfg.a.cpu_compatible_len = 0; expect_einval(&cfg);
    cfg = good; cfg.c.initrd_start = UINT64_MAX; expect_einval(&cfg);
    cfg = good; cfg.a.gic = (enum domain_fdt_gic)7; expect_einval(&cfg);
    cfg = good; cfg.a.gicd = wrapping[0]; expect_einval(&cfg);
    cfg = good; cfg.a.gicr = NULL; cfg.a.nr_gicr = 1; expect_einval(&cfg);
    cfg = good; cfg.a.gicr = empty_bank; cfg.a.nr_gicr = 1; expect_einval(&cfg);
    cfg = good; cfg.a.vpl011_intid = 31; expect_einval(&cfg);
    cfg = good; cfg.a.vpl011_intid = 1020; expect_einval(&cfg);
    cfg = good; cfg.a.evtchn_intid = 15; expect_einval(&cfg);
    cfg = good; cfg.a.evtchn_intid = 32; expect_einval(&cfg);
    cfg = good; cfg.c.ext_regions = NULL; expect_einval(&cfg);
    cfg = good; cfg.c.ext_regions = empty_bank; cfg.c.nr_ext_regions = 1; expect_einval(&cfg);
    cfg = good; cfg.c.gnttab = wrapping[0]; expect_einval(&cfg);

    /* Unused parts are not looked at. */
    cfg = good; cfg.a.vpl011 = false; cfg.a.vpl011_intid = 5; cfg.c.enhanced = false;
    cfg.a.evtchn_intid = 99; cfg.c.ext_regions = NULL;
    assert_int_equal(domain_fdt_build_domu(linked(&cfg), blob, sizeof(blob), &size), 0);
}

/* dom0less virtio devices: libxl's virtio@<base> nodes, after the vpl011
 * and before /hypervisor, as xl's domUs have them. */
static void test_virtio_devices(void **state)
{
    static const struct domain_fdt_virtio dev[2] = {
        { 0x2000000U, 0x200U, 33U },
        { 0x2000400U, 0x1000U, 43U },
    };
    static const struct domain_fdt_virtio bad_line[1] = { { 0x2000000U, 0x200U, 31U } };
    static const struct domain_fdt_virtio empty[1] = { { 0x2000000U, 0U, 33U } };
    struct arm_cfg cfg = full_config(1U);
    struct arm_cfg bad;
    struct fdt fdt;
    int n;

    (void)state;
    cfg.c.virtio = dev;
    cfg.c.nr_virtio = 2U;
    (void)build_ok(&cfg, &fdt);
    expect_prop_names(&fdt, "/virtio@2000000",
                      "compatible reg interrupts interrupt-parent dma-coherent");
    expect_str_prop(&fdt, "/virtio@2000000", "compatible", "virtio,mmio");
    expect_reg(&fdt, "/virtio@2000000", 0U, 0x2000000U, 0x200U);
    /* SPI 1, rising edge, CPUs 0-3 as Xen writes every guest line. */
    expect_irq(&fdt, "/virtio@2000000", 0U, 33U, 0xf01U);
    expect_reg(&fdt, "/virtio@2000400", 0U, 0x2000400U, 0x1000U);
    expect_irq(&fdt, "/virtio@2000400", 0U, 43U, 0xf01U);
    n = node_at(&fdt, "/virtio@2000400");
    assert_true(n > node_at(&fdt, "/sbsa-uart@22000000"));
    assert_true(n < node_at(&fdt, "/hypervisor"));
    bad = cfg; bad.c.virtio = NULL; expect_einval(&bad);
    bad = cfg; bad.c.virtio = bad_line; bad.c.nr_virtio = 1U; expect_einval(&bad);
    bad = cfg; bad.c.virtio = empty; bad.c.nr_virtio = 1U; expect_einval(&bad);
}

/* ---- Ramdisk placement after the fact ------------------------------------------------------- */

static void test_set_initrd(void **state)
{
    static uint8_t ref[DOMAIN_FDT_XEN417_SIZE];
    struct arm_cfg cfg = full_config(1);
    struct fdt fdt;
    uint32_t ref_size = 0;
    uint32_t size;
    uint64_t v;

    (void)state;
    /* What the tree looks like when the ramdisk's place is known up front. */
    cfg.c.initrd_start = 0x4c000000U;
    assert_int_equal(domain_fdt_build_domu(linked(&cfg), ref, sizeof(ref), &ref_size), 0);

    /* Built before the place is known, then fixed up: the same bytes. */
    cfg.c.initrd_start = 0;
    size = build_ok(&cfg, &fdt);
    assert_int_equal(fdt_getprop_u64(&fdt, node_at(&fdt, "/chosen"), "linux,initrd-end", &v), 0);
    assert_int_equal(v, INITRD_SIZE);
    assert_int_equal(domain_fdt_set_initrd(blob, size, 0x4c000000U, 0x4c000000U + INITRD_SIZE), 0);
    assert_int_equal(size, ref_size);
    assert_memory_equal(blob, ref, size);

    assert_int_equal(domain_fdt_set_initrd(blob, size, 2, 1), -EINVAL);
    assert_int_equal(domain_fdt_set_initrd(blob, size - 1U, 1, 2), -EINVAL);
    assert_memory_equal(blob, ref, size);

    cfg.c.initrd_size = 0;
    size = build_ok(&cfg, &fdt);
    assert_int_equal(domain_fdt_set_initrd(blob, size, 1, 2), -ENOENT);
}

/* ---- The guest ABI numbers (Xen 4.17.0 public/arch-arm.h) ------------------------------- */

static void test_abi_constants(void **state)
{
    static const uint64_t bases[GUEST_RAM_BANKS] = GUEST_RAM_BANK_BASES;
    static const uint64_t sizes[GUEST_RAM_BANKS] = GUEST_RAM_BANK_SIZES;

    (void)state;
    assert_int_equal(XEN_HYPERCALL_TAG, 0xea1);
    assert_int_equal(GUEST_GICV3_GICD_BASE, 0x03001000U);
    assert_int_equal(GUEST_GICV3_GICD_SIZE, 0x10000U);
    assert_int_equal(GUEST_GICV3_GICR0_BASE, 0x03020000U);
    assert_int_equal(GUEST_GICV3_GICR0_SIZE, 0x01000000U);
    /* One redistributor region holds every possible vCPU. */
    assert_true(GUEST_GICV3_GICR0_SIZE / GUEST_GICV3_RDIST_STRIDE >= GUEST_MAX_VCPUS);
    assert_int_equal(GUEST_GICD_BASE + GUEST_GICD_SIZE, GUEST_GICC_BASE);
    assert_int_equal(GUEST_PL011_BASE, 0x22000000U);
    assert_int_equal(GUEST_GNTTAB_BASE, 0x38000000U);
    assert_int_equal(GUEST_GNTTAB_SIZE >> 12, 4096);
    assert_int_equal(GUEST_MAGIC_BASE, 0x39000000U);
    assert_int_equal(bases[0], 0x40000000U);
    assert_int_equal(sizes[0], GiB(3));
    assert_int_equal(bases[1], GiB(8));
    assert_int_equal(sizes[1], GiB(1016));
    assert_int_equal(GUEST_RAM_MAX, GiB(1019));
    assert_int_equal(GUEST_VPCI_ADDR_TYPE_PREFETCH_MEM, 0x42000000U);
    assert_int_equal(GUEST_TIMER_VIRT_PPI, 27);
    assert_int_equal(GUEST_TIMER_PHYS_S_PPI, 29);
    assert_int_equal(GUEST_TIMER_PHYS_NS_PPI, 30);
    assert_int_equal(GUEST_EVTCHN_PPI, 31);
    assert_int_equal(GUEST_VPL011_SPI, 32);
    assert_int_equal(GUEST_VIRTIO_MMIO_SPI_FIRST, 33);
    assert_int_equal(GUEST_VIRTIO_MMIO_SPI_LAST, 43);
    assert_int_equal(GUEST_PHANDLE_GIC, 65000);
    assert_int_equal(PSCI_cpu_off, 1);
    assert_int_equal(PSCI_cpu_on, 2);
    /* Windows do not overlap each other or RAM. */
    assert_true(GUEST_VIRTIO_MMIO_BASE + GUEST_VIRTIO_MMIO_SIZE <= GUEST_GICV3_GICD_BASE);
    assert_true(GUEST_GICV3_GICD_BASE + GUEST_GICV3_GICD_SIZE <= GUEST_GICV3_GICR0_BASE);
    assert_true(GUEST_GICV3_GICR0_BASE + GUEST_GICV3_GICR0_SIZE <= GUEST_VPCI_ECAM_BASE);
    assert_true(GUEST_VPCI_ECAM_BASE + GUEST_VPCI_ECAM_SIZE <= GUEST_ACPI_BASE);
    assert_true(GUEST_ACPI_BASE + GUEST_ACPI_SIZE <= GUEST_PL011_BASE);
    assert_true(GUEST_PL011_BASE + GUEST_PL011_SIZE <= GUEST_VPCI_MEM_ADDR);
    assert_true(GUEST_VPCI_MEM_ADDR + GUEST_VPCI_MEM_SIZE <= GUEST_GNTTAB_BASE);
    assert_true(GUEST_GNTTAB_BASE + GUEST_GNTTAB_SIZE <= GUEST_MAGIC_BASE);
    assert_true(GUEST_MAGIC_BASE + GUEST_MAGIC_SIZE <= GUEST_RAM0_BASE);
    assert_true(GUEST_RAM0_BASE + GUEST_RAM0_SIZE <= GUEST_VPCI_PREFETCH_MEM_ADDR);
    assert_true(GUEST_VPCI_PREFETCH_MEM_ADDR + GUEST_VPCI_PREFETCH_MEM_SIZE <= GUEST_RAM1_BASE);
}

/* ---- dtc agrees ------------------------------------------------------------------------------- */

static void test_dtc_reads_it(void **state)
{
    static const char *const lines[] = {
        "#address-cells = <0x02>;\n\t#size-cells = <0x02>;\n\n\tchosen {",
        "bootargs = \"" BOOTARGS "\";",
        "linux,initrd-start = <0x00 0x48000000>;",
        "linux,initrd-end = <0x00 0x48123456>;",
        "compatible = \"arm,psci-1.0\\0arm,psci-0.2\\0arm,psci\";",
        "method = \"hvc\";",
        "cpu@3 {",
        "enable-method = \"psci\";",
        "memory@40000000 {",
        "reg = <0x00 0x40000000 0x00 0x40000000 0x02 0x00 0x00 0x80000000>;",
        "interrupt-controller@3001000 {",
        "reg = <0x00 0x3001000 0x00 0x10000 0x00 0x3020000 0x00 0x1000000>;",
        "phandle = <0xfde8>;",
        "compatible = \"arm,armv8-timer\";",
        "interrupts = <0x01 0x0d 0xf08 0x01 0x0e 0xf08 0x01 0x0b 0xf08>;",
        "interrupt-parent = <0xfde8>;",
        "sbsa-uart@22000000 {",
        "interrupts = <0x00 0x00 0xf04>;",
        "current-speed = <0x1c200>;",
        "compatible = \"xen,xen-4.17\\0xen,xen\";",
        "interrupts = <0x01 0x0f 0xf08>;",
    };
    static char out[16384];
    struct arm_cfg cfg = full_config(4);
    char path[] = "/tmp/pxn-domain-fdt-XXXXXX";
    char cmd[128];
    uint32_t size;
    FILE *f;
    size_t n;
    size_t i;
    int fd;

    (void)state;
    if (access("/usr/bin/dtc", X_OK) != 0) {
        skip();
    }
    assert_int_equal(domain_fdt_build_domu(linked(&cfg), blob, sizeof(blob), &size), 0);
    fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, blob, size), (ssize_t)size);
    close(fd);
    snprintf(cmd, sizeof(cmd), "/usr/bin/dtc -q -I dtb -O dts %s 2>&1", path);
    f = popen(cmd, "r");
    assert_non_null(f);
    n = fread(out, 1, sizeof(out) - 1U, f);
    out[n] = '\0';
    assert_int_equal(pclose(f), 0);
    unlink(path);
    for (i = 0; i < ARRAY_SIZE(lines); i++) {
        if (strstr(out, lines[i]) == NULL) {
            fail_msg("dtc output lacks '%s'", lines[i]);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_domu),
        cmocka_unit_test(test_no_arch_part),
        cmocka_unit_test(test_full_domu_1_vcpu),
        cmocka_unit_test(test_full_domu_4_vcpus),
        cmocka_unit_test(test_vcpu_affinity),
        cmocka_unit_test(test_host_values),
        cmocka_unit_test(test_aarch32_domu),
        cmocka_unit_test(test_gicv2_domu),
        cmocka_unit_test(test_overrides),
        cmocka_unit_test(test_enospc_at_every_size),
        cmocka_unit_test(test_vcpu_limits),
        cmocka_unit_test(test_bad_configs),
        cmocka_unit_test(test_virtio_devices),
        cmocka_unit_test(test_set_initrd),
        cmocka_unit_test(test_abi_constants),
        cmocka_unit_test(test_dtc_reads_it),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
