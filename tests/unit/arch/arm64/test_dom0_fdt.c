/* dom0's device tree from QEMU virt's (with a guest-loader module):
 * what is kept, what is written anew, what is hidden, which MMIO ranges
 * are mapped 1:1, its extended regions, its static shared memory's
 * /reserved-memory children and the dom0less virtio devices it serves
 * (/chosen/proxenos-virtio, common/boot/dom0less_virtio_dom0.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <asm/bootinfo_arch.h>

#include <asm/dom0_fdt.h>
#include <asm/domain.h>
#include <asm/p2m.h>
#include <proxenos/bootinfo.h>
#include <proxenos/dom0less_virtio.h>
#include <proxenos/errno.h>
#include <proxenos/fdt.h>
#include <fake_arch.h>

#include "fdt_builder.h"
#include "fake_p2m_hw.h"
#include "heap_env.h"

/* Memory is the hypervisor's own heap on fake RAM (heap_env.h): dom0's I/O
 * capabilities (rangeset.c) and its stage-2 tables (the real p2m.c, on
 * which the devices are mapped) come from it. */
#define RAM0     0x40000000ULL
#define RAM_SIZE (16U << 20)

/* Whether IPA base is mapped in p2m; a device is mapped 1:1, as one. */
static bool was_mapped(struct p2m_domain *p2m, uint64_t base)
{
    mfn_t m;
    enum p2m_type t;

    if (p2m_lookup(p2m, gfn(base >> PAGE_SHIFT), &m, &t, NULL) != 0) {
        return false;
    }
    assert_int_equal(mfn_x(m), base >> PAGE_SHIFT);
    assert_int_equal(t, P2M_MMIO_DEVICE);
    return true;
}

struct ctx {
    uint8_t *host_blob;
    struct fdt host;
    struct boot_info bi;
    struct dom0_fdt_info in;
    paddr_t bank_start[1];
    uint64_t bank_size[1];
    uint8_t out[16384];
    struct fdt dom0;
};

static int setup(void **state)
{
    struct ctx *c = calloc(1, sizeof(*c));
    size_t len;

    fake_reset();
    heap_env_init(RAM0, RAM_SIZE);
    vmid_init(8U);
    assert_int_equal(p2m_configure(PARANGE_44), 0);
    fake_p2m_hw_reset();
    c->host_blob = fb_load_fixture("qemu-virt-guest-loader.dtb", &len);
    assert_int_equal(fdt_check(&c->host, c->host_blob, len), 0);
    assert_int_equal(bootinfo_scan(&c->bi, &c->host), 0);
    c->bank_start[0] = 0x50000000U;
    c->bank_size[0] = 0x08000000U;
    c->in.bi = &c->bi;
    c->in.hidden_uart = fdt_path_offset(&c->host, "/pl011@9000000", 14U);
    assert_true(c->in.hidden_uart >= 0);
    c->in.nr_vcpus = 2U;
    c->in.bank_start = c->bank_start;
    c->in.bank_size = c->bank_size;
    c->in.nr_banks = 1U;
    c->in.rdist_size = 0x40000U;
    c->in.bootargs = "console=hvc0 earlycon=xen";
    c->in.initrd_start = 0x57e00000U;
    c->in.initrd_size = 0x1000U;
    *state = c;
    return 0;
}

static int teardown(void **state)
{
    struct ctx *c = *state;

    free(c->host_blob);
    free(c);
    return 0;
}

static int node(struct ctx *c, const char *path)
{
    return fdt_path_offset(&c->dom0, path, strlen(path));
}

static void build(struct ctx *c)
{
    uint32_t size = 0U;

    assert_int_equal(dom0_fdt_build(&c->in, c->out, sizeof(c->out), &size), 0);
    assert_true((size > 0U) && (size <= sizeof(c->out)));
    assert_int_equal(fdt_check(&c->dom0, c->out, size), 0);
}

static void test_chosen_is_dom0s(void **state)
{
    struct ctx *c = *state;
    int chosen;
    uint64_t v;

    build(c);
    chosen = node(c, "/chosen");
    assert_true(chosen >= 0);
    assert_string_equal(fdt_getprop_string(&c->dom0, chosen, "bootargs"),
                        "console=hvc0 earlycon=xen");
    assert_int_equal(fdt_getprop_u64(&c->dom0, chosen, "linux,initrd-start", &v), 0);
    assert_int_equal(v, 0x57e00000U);
    assert_int_equal(fdt_getprop_u64(&c->dom0, chosen, "linux,initrd-end", &v), 0);
    assert_int_equal(v, 0x57e01000U);
    /* The boot modules and the hypervisor's own properties are gone. */
    assert_true(fdt_first_child(&c->dom0, chosen) < 0);
    assert_null(fdt_getprop(&c->dom0, chosen, "stdout-path", NULL));
}

/* As Xen 4.17, dom0 gets the host's other /chosen properties: QEMU's
 * rng-seed and kaslr-seed (without the seed, dom0's kernel starts with an
 * empty random pool and xl create waits seconds in a /dev/urandom read). */
static void assert_u32(const struct fdt *f, int n, const char *name, uint32_t want)
{
    uint32_t v = 0U;

    assert_int_equal(fdt_getprop_u32(f, n, name, &v), 0);
    assert_int_equal(v, want);
}

static void assert_u64(const struct fdt *f, int n, const char *name, uint64_t want)
{
    uint64_t v = 0U;

    assert_int_equal(fdt_getprop_u64(f, n, name, &v), 0);
    assert_int_equal(v, want);
}

/* The layout docs/virtio.md promises a back end: one child per device,
 * named d<domid>-<base>, every number a big-endian cell or two. */
static void test_virtio_devices_listed(void **state)
{
    static const struct dom0less_virtio dev[2] = {
        { "vdisk", "blk", 2U, 0x2000000U, 0x200U, 33U, 0U, "target=/srv/d.img" },
        { "vnet", "net", 1U, 0x2000200U, 0x200U, 34U, 0U, NULL },
    };
    struct ctx *c = *state;
    int list;
    int d;

    dom0less_virtio_dom0_reset();
    assert_int_equal(dom0less_virtio_dom0_add(1U, "domU1", dev, 2U), 0);
    assert_int_equal(dom0less_virtio_dom0_add(2U, "plain", dev, 0U), 0);
    assert_int_equal(dom0less_virtio_dom0_add(12U, "other", &dev[1], 1U), 0);
    build(c);
    list = node(c, "/chosen/proxenos-virtio");
    assert_true(list >= 0);
    assert_true(fdt_node_is_compatible(&c->dom0, list, "proxenos,virtio-backends-v1"));
    d = node(c, "/chosen/proxenos-virtio/d1-2000000");
    assert_true(d >= 0);
    assert_true(fdt_node_is_compatible(&c->dom0, d, "proxenos,virtio-mmio-device-v1"));
    assert_u32(&c->dom0, d, "proxenos,domid", 1U);
    assert_string_equal(fdt_getprop_string(&c->dom0, d, "proxenos,domain"), "domU1");
    assert_string_equal(fdt_getprop_string(&c->dom0, d, "proxenos,device"), "vdisk");
    assert_string_equal(fdt_getprop_string(&c->dom0, d, "proxenos,device-type"), "blk");
    assert_u32(&c->dom0, d, "proxenos,device-id", 2U);
    assert_u64(&c->dom0, d, "proxenos,base", 0x2000000U);
    assert_u64(&c->dom0, d, "proxenos,size", 0x200U);
    assert_u32(&c->dom0, d, "proxenos,irq", 33U);
    assert_string_equal(fdt_getprop_string(&c->dom0, d, "proxenos,backend-args"),
                        "target=/srv/d.img");
    /* Not reg nor interrupts: these are the domU's, not dom0's. */
    assert_null(fdt_getprop(&c->dom0, d, "reg", NULL));
    assert_null(fdt_getprop(&c->dom0, d, "interrupts", NULL));
    d = node(c, "/chosen/proxenos-virtio/d1-2000200");
    assert_true(d >= 0);
    assert_u32(&c->dom0, d, "proxenos,irq", 34U);
    assert_null(fdt_getprop(&c->dom0, d, "proxenos,backend-args", NULL));
    d = node(c, "/chosen/proxenos-virtio/d12-2000200");
    assert_true(d >= 0);
    assert_string_equal(fdt_getprop_string(&c->dom0, d, "proxenos,domain"), "other");
    /* Without devices, no node. */
    dom0less_virtio_dom0_reset();
    build(c);
    assert_true(node(c, "/chosen/proxenos-virtio") < 0);
}

static void test_chosen_keeps_hosts_seeds(void **state)
{
    struct ctx *c = *state;
    int host = fdt_path_offset(&c->host, "/chosen", 7U);
    const char *const seeds[] = { "rng-seed", "kaslr-seed" };
    int chosen;

    build(c);
    chosen = node(c, "/chosen");
    assert_true((host >= 0) && (chosen >= 0));
    for (size_t i = 0U; i < 2U; i++) {
        uint32_t hlen = 0U;
        uint32_t dlen = 0U;
        const void *hv = fdt_getprop(&c->host, host, seeds[i], &hlen);
        const void *dv = fdt_getprop(&c->dom0, chosen, seeds[i], &dlen);

        assert_non_null(hv);
        assert_non_null(dv);
        assert_true(hlen > 0U);
        assert_int_equal(dlen, hlen);
        assert_memory_equal(dv, hv, hlen);
    }
    /* The host's bootargs are the hypervisor's, not dom0's. */
    assert_string_equal(fdt_getprop_string(&c->dom0, chosen, "bootargs"),
                        "console=hvc0 earlycon=xen");
}

static void test_chosen_props_xen_drops(void **state)
{
    static const char *const dropped[] = {
        "bootargs", "xen,xen-bootargs", "xen,dom0-bootargs", "linux,initrd-start",
        "linux,initrd-end", "stdout-path", "linux,uefi-system-table",
        "linux,uefi-mmap-start", "linux,uefi-mmap-size", "linux,uefi-mmap-desc-size",
        "linux,uefi-mmap-desc-ver",
    };

    (void)state;
    for (size_t i = 0U; i < sizeof(dropped) / sizeof(dropped[0]); i++) {
        assert_false(dom0_chosen_prop_kept(dropped[i]));
    }
    assert_true(dom0_chosen_prop_kept("rng-seed"));
    assert_true(dom0_chosen_prop_kept("kaslr-seed"));
    assert_true(dom0_chosen_prop_kept("u-boot,version"));
    assert_true(dom0_chosen_prop_kept("bootargs2"));
}

static void test_cpus_psci_memory_written_anew(void **state)
{
    struct ctx *c = *state;
    uint64_t addr;
    uint64_t size;
    int cpus;
    int n = 0;

    build(c);
    cpus = node(c, "/cpus");
    for (int cpu = fdt_first_child(&c->dom0, cpus); cpu >= 0;
         cpu = fdt_next_sibling(&c->dom0, cpu)) {
        uint32_t reg;

        assert_int_equal(fdt_getprop_u32(&c->dom0, cpu, "reg", &reg), 0);
        assert_int_equal(reg, (uint32_t)n);
        assert_string_equal(fdt_getprop_string(&c->dom0, cpu, "enable-method"), "psci");
        n++;
    }
    assert_int_equal(n, 2);     /* dom0's vCPUs, not the host's four CPUs */
    assert_string_equal(fdt_getprop_string(&c->dom0, node(c, "/psci"), "method"), "hvc");
    assert_int_equal(fdt_reg(&c->dom0, node(c, "/memory@50000000"), 0U, &addr, &size), 0);
    assert_int_equal(addr, 0x50000000U);
    assert_int_equal(size, 0x08000000U);
    assert_true(node(c, "/memory@40000000") < 0);     /* the host's RAM node */
}

static void test_gic_keeps_phandle_with_dom0s_redistributors(void **state)
{
    struct ctx *c = *state;
    uint32_t host_phandle;
    uint32_t phandle;
    uint64_t addr;
    uint64_t size;
    int gic;

    build(c);
    gic = node(c, "/intc@8000000");
    assert_true(gic >= 0);
    assert_int_equal(fdt_getprop_u32(&c->host, c->bi.arch->gic.node, "phandle", &host_phandle), 0);
    assert_int_equal(fdt_getprop_u32(&c->dom0, gic, "phandle", &phandle), 0);
    assert_int_equal(phandle, host_phandle);
    assert_int_equal(fdt_reg(&c->dom0, gic, 0U, &addr, &size), 0);
    assert_int_equal(addr, 0x08000000U);
    assert_int_equal(size, 0x10000U);
    assert_int_equal(fdt_reg(&c->dom0, gic, 1U, &addr, &size), 0);
    assert_int_equal(addr, 0x080a0000U);
    assert_int_equal(size, 0x40000U);
    assert_true(fdt_first_child(&c->dom0, gic) < 0);  /* no ITS */
    assert_true(fdt_node_is_compatible(&c->dom0, gic, "arm,gic-v3"));
}

static void test_hypervisor_uart_hidden_devices_kept(void **state)
{
    struct ctx *c = *state;

    build(c);
    assert_true(node(c, "/pl011@9000000") < 0);
    assert_true(node(c, "/pl031@9010000") >= 0);
    assert_true(node(c, "/timer") >= 0);
    /* Xen keeps the PMU from dom0: it has no virtual PMU to offer. */
    assert_true(node(c, "/pmu") < 0);
}

static void test_devices_mapped_one_to_one(void **state)
{
    struct ctx *c = *state;
    struct domain *d = calloc(1, sizeof(*d));
    struct arch_domain arch = { 0 };    /* arch_domain_create's, given here */

    d->arch = &arch;
    assert_int_equal(p2m_init(&arch.p2m, 64U), 0);
    assert_true(dom0_map_devices(d, &c->in) > 0);
    /* dom0 may hand on what it was given (XEN_DOMCTL_iomem_permission),
     * and only that. */
    assert_true(rangeset_contains(&d->iomem_caps, 0x09010U, 0x09010U));
    assert_false(rangeset_contains(&d->iomem_caps, 0x09000U, 0x09000U));
    assert_false(rangeset_contains(&d->iomem_caps, 0x08000U, 0x08000U));
    assert_true(was_mapped(&arch.p2m, 0x09010000U));        /* RTC: dom0's */
    assert_false(was_mapped(&arch.p2m, 0x09000000U));       /* the hypervisor's UART */
    assert_false(was_mapped(&arch.p2m, 0x08000000U));       /* the GIC is emulated */
    assert_false(was_mapped(&arch.p2m, 0x40000000U));       /* host RAM is not a device */
    rangeset_destroy(&d->iomem_caps);
    p2m_destroy(&arch.p2m);
    free(d);
    assert_int_equal(heap_env_objs_live(), 0U);
}

static void test_too_small_buffer_fails_cleanly(void **state)
{
    struct ctx *c = *state;
    uint32_t size = 0U;

    assert_int_equal(dom0_fdt_build(&c->in, c->out, 512U, &size), -ENOSPC);
    assert_int_equal(size, 0U);
}

/* ---- The /hypervisor node (Xen 4.17's make_hypervisor_node for dom0) --- */

static void set_xen_interface(struct ctx *c, struct boot_range *ext, unsigned int nr_ext)
{
    c->in.gnttab.start = 0x40200000U;       /* the hypervisor's text */
    c->in.gnttab.size = 0x40000U;           /* 64 frames */
    c->in.ext_regions = ext;
    c->in.nr_ext_regions = nr_ext;
    c->in.evtchn_intid = 16U;
}

static void test_hypervisor_node_for_dom0(void **state)
{
    struct ctx *c = *state;
    struct boot_range ext[2] = { { 0x40400000U, 0x0fc00000U }, { 0x58000000U, 0x08000000U } };
    const uint8_t *irq;
    uint32_t len = 0U;
    uint32_t parent;
    uint32_t gic_phandle;
    uint64_t addr;
    uint64_t size;
    int hyp;

    set_xen_interface(c, ext, 2U);
    build(c);
    hyp = node(c, "/hypervisor");
    assert_true(hyp >= 0);
    assert_true(fdt_node_is_compatible(&c->dom0, hyp, "xen,xen-4.17"));
    assert_true(fdt_node_is_compatible(&c->dom0, hyp, "xen,xen"));
    /* Both strings, in Xen's order: the first is the versioned one. */
    assert_string_equal(fdt_getprop_string(&c->dom0, hyp, "compatible"), "xen,xen-4.17");
    assert_int_equal(fdt_reg_count(&c->dom0, hyp), 3);
    assert_int_equal(fdt_reg(&c->dom0, hyp, 0U, &addr, &size), 0);
    assert_int_equal(addr, 0x40200000U);
    assert_int_equal(size, 0x40000U);
    assert_int_equal(fdt_reg(&c->dom0, hyp, 1U, &addr, &size), 0);
    assert_int_equal(addr, 0x40400000U);
    assert_int_equal(size, 0x0fc00000U);
    assert_int_equal(fdt_reg(&c->dom0, hyp, 2U, &addr, &size), 0);
    assert_int_equal(addr, 0x58000000U);
    assert_int_equal(size, 0x08000000U);
    /* <PPI 0 (INTID 16), all CPUs | level active-low>, to the host GIC. */
    irq = fdt_getprop(&c->dom0, hyp, "interrupts", &len);
    assert_non_null(irq);
    assert_int_equal(len, 12U);
    assert_int_equal(fdt_be32(irq), 1U);
    assert_int_equal(fdt_be32(irq + 4), 0U);
    assert_int_equal(fdt_be32(irq + 8), 0xf08U);
    assert_int_equal(fdt_getprop_u32(&c->dom0, hyp, "interrupt-parent", &parent), 0);
    assert_int_equal(fdt_getprop_u32(&c->host, c->bi.arch->gic.node, "phandle", &gic_phandle), 0);
    assert_int_equal(parent, gic_phandle);
}

static void test_no_hypervisor_node_without_event_channel(void **state)
{
    struct ctx *c = *state;

    build(c);
    assert_true(node(c, "/hypervisor") < 0);
}

static void test_evtchn_ppi_is_first_free(void **state)
{
    struct ctx *c = *state;

    /* QEMU virt: timer PPIs 29, 30, 27 (and the hypervisor's 26), the PMU
     * on 23, the GIC's maintenance 25: PPI 16 is free, as Xen finds. */
    assert_int_equal(dom0_evtchn_ppi(&c->in), 16U);
    c->bi.arch->timer.intid[BOOT_TIMER_VIRT] = 16U;
    assert_int_equal(dom0_evtchn_ppi(&c->in), 17U);
    c->bi.arch->timer.intid[BOOT_TIMER_PHYS_SECURE] = 17U;
    assert_int_equal(dom0_evtchn_ppi(&c->in), 18U);
    /* The hypervisor timer's PPI is Xen's own, not reserved for dom0. */
    c->bi.arch->timer.intid[BOOT_TIMER_VIRT] = 27U;
    c->bi.arch->timer.intid[BOOT_TIMER_PHYS_SECURE] = 29U;
    c->bi.arch->timer.intid[BOOT_TIMER_HYP] = 16U;
    assert_int_equal(dom0_evtchn_ppi(&c->in), 16U);
}

static void test_ext_regions_are_unused_host_ram(void **state)
{
    struct ctx *c = *state;
    struct boot_range out[8];

    /* Host RAM 0x40000000-0x5fffffff; dom0 0x50000000-0x57ffffff; grant
     * window 0x40200000+256 KiB. Below the window is < 64 MiB; above it
     * starts at the next 2 MiB boundary. */
    set_xen_interface(c, NULL, 0U);
    assert_int_equal(dom0_ext_regions(&c->in, 40U, out, 8U), 2U);
    assert_int_equal(out[0].start, 0x40400000U);
    assert_int_equal(out[0].size, 0x0fc00000U);
    assert_int_equal(out[1].start, 0x58000000U);
    assert_int_equal(out[1].size, 0x08000000U);
    /* At most max are written. */
    assert_int_equal(dom0_ext_regions(&c->in, 40U, out, 1U), 1U);
    assert_int_equal(out[0].start, 0x40400000U);
    /* All host RAM lies above a 1 GiB IPA space; ipa_bits 0: none. */
    assert_int_equal(dom0_ext_regions(&c->in, 30U, out, 8U), 0U);
    assert_int_equal(dom0_ext_regions(&c->in, 0U, out, 8U), 0U);
}

static void test_ext_regions_skip_reserved_memory_nodes(void **state)
{
    struct ctx *c = *state;
    struct boot_range out[8];
    uint32_t n = c->bi.nr_reserved;

    set_xen_interface(c, NULL, 0U);
    /* A /reserved-memory child splits the first region; the rest below it
     * is under 64 MiB once aligned. A /memreserve/ entry is not removed. */
    c->bi.reserved[n] = (struct boot_reserved){ 0x44000000U, 0x1000U, BOOT_RESERVED_NODE, -1 };
    c->bi.reserved[n + 1U] =
        (struct boot_reserved){ 0x58000000U, 0x1000U, BOOT_RESERVED_MEMRESERVE, -1 };
    c->bi.nr_reserved = n + 2U;
    assert_int_equal(dom0_ext_regions(&c->in, 40U, out, 8U), 2U);
    assert_int_equal(out[0].start, 0x44200000U);
    assert_int_equal(out[0].size, 0x0be00000U);
    assert_int_equal(out[1].start, 0x58000000U);
    assert_int_equal(out[1].size, 0x08000000U);
}

static void test_ext_regions_leave_out_the_given_cuts(void **state)
{
    struct ctx *c = *state;
    struct boot_range out[8];
    static struct boot_range cuts[DOM0_EXT_MAX_CUTS + 1U];

    set_xen_interface(c, NULL, 0U);
    /* A static bank and where a shared region is mapped, as dom0_build
     * gives them: cut like a /reserved-memory child. */
    cuts[0] = (struct boot_range){ 0x44000000U, 0x1000U };
    cuts[1] = (struct boot_range){ 0x5c000000U, 0x200000U };
    c->in.ext_cuts = cuts;
    c->in.nr_ext_cuts = 2U;
    assert_int_equal(dom0_ext_regions(&c->in, 40U, out, 8U), 2U);
    assert_int_equal(out[0].start, 0x44200000U);
    assert_int_equal(out[0].size, 0x0be00000U);
    /* Up to the shared region: 64 MiB exactly; above it, too little. */
    assert_int_equal(out[1].start, 0x58000000U);
    assert_int_equal(out[1].size, 0x04000000U);
    /* More than it can take: none, rather than one over a cut. */
    c->in.nr_ext_cuts = DOM0_EXT_MAX_CUTS + 1U;
    assert_int_equal(dom0_ext_regions(&c->in, 40U, out, 8U), 0U);
}

/* dom0's shared regions: a /reserved-memory node of their own, with the
 * root's cells, when the host has none (QEMU virt). */
static void test_shared_memory_in_a_new_reserved_memory_node(void **state)
{
    struct ctx *c = *state;
    static const struct domain_fdt_shm shm[] = { { 0x5a000000U, 0x200000U, "d0" },
                                                 { 0x5c000000U, 0x1000U, "other" } };
    uint64_t addr;
    uint64_t size;
    uint32_t len = 0U;
    const void *off;
    int rm;
    int n;

    assert_true(fdt_path_offset(&c->host, "/reserved-memory", 16U) < 0);
    c->in.shm = shm;
    c->in.nr_shm = 2U;
    build(c);
    rm = node(c, "/reserved-memory");
    assert_true(rm >= 0);
    assert_non_null(fdt_getprop(&c->dom0, rm, "ranges", &len));
    assert_int_equal(len, 0U);
    assert_int_equal(fdt_address_cells(&c->dom0, rm), 2U);
    assert_int_equal(fdt_size_cells(&c->dom0, rm), 2U);
    n = node(c, "/reserved-memory/xen-shmem@5a000000");
    assert_true(n >= 0);
    assert_true(fdt_node_is_compatible(&c->dom0, n, "xen,shared-memory-v1"));
    assert_int_equal(fdt_reg(&c->dom0, n, 0U, &addr, &size), 0);
    assert_int_equal(addr, 0x5a000000U);
    assert_int_equal(size, 0x200000U);
    assert_string_equal(fdt_getprop_string(&c->dom0, n, "xen,id"), "d0");
    off = fdt_getprop(&c->dom0, n, "xen,offset", &len);
    assert_non_null(off);
    assert_int_equal(len, 8U);
    assert_int_equal(fdt_be64(off), 0U);
    assert_true(node(c, "/reserved-memory/xen-shmem@5c000000") >= 0);
    /* None: no node. */
    c->in.nr_shm = 0U;
    build(c);
    assert_true(node(c, "/reserved-memory") < 0);
}

/* A host tree with /reserved-memory: dom0's regions join its children,
 * with that node's cells, and no second node of the name is written. */
static void test_shared_memory_joins_the_hosts_reserved_memory(void **state)
{
    struct ctx *c = *state;
    static const struct domain_fdt_shm shm[] = { { 0x5a000000U, 0x200000U, "d0" } };
    struct fb *b = fb_new();
    struct fdt host;
    uint64_t addr;
    uint64_t size;
    int count = 0;
    int depth = 0;

    fb_begin(b, "");
    fb_prop_u32(b, "#address-cells", 2U);
    fb_prop_u32(b, "#size-cells", 2U);
    fb_begin(b, "memory@40000000");
    fb_prop_str(b, "device_type", "memory");
    fb_prop_cells(b, "reg", 4U, 0U, 0x40000000U, 0U, 0x20000000U);
    fb_end(b);
    fb_begin(b, "reserved-memory");
    fb_prop_u32(b, "#address-cells", 1U);
    fb_prop_u32(b, "#size-cells", 1U);
    fb_prop_empty(b, "ranges");
    fb_begin(b, "fw@4f000000");
    fb_prop_cells(b, "reg", 2U, 0x4f000000U, 0x1000U);
    fb_end(b);
    fb_end(b);
    fb_begin(b, "chosen");
    fb_end(b);
    fb_end(b);
    fb_finish(b);
    assert_int_equal(fdt_check(&host, b->out, b->out_len), 0);
    assert_int_equal(bootinfo_scan(&c->bi, &host), 0);
    c->in.hidden_uart = -1;
    c->in.shm = shm;
    c->in.nr_shm = 1U;
    build(c);
    assert_true(node(c, "/reserved-memory/fw@4f000000") >= 0);
    assert_true(node(c, "/reserved-memory/xen-shmem@5a000000") >= 0);
    /* In the host node's 1 + 1 cells. */
    assert_int_equal(fdt_reg(&c->dom0, node(c, "/reserved-memory/xen-shmem@5a000000"), 0U,
                             &addr, &size), 0);
    assert_int_equal(addr, 0x5a000000U);
    assert_int_equal(size, 0x200000U);
    for (int n = fdt_root(&c->dom0); n >= 0; n = fdt_next_node(&c->dom0, n, &depth)) {
        const char *name = fdt_node_name(&c->dom0, n);

        if ((depth == 1) && (name != NULL) && (strcmp(name, "reserved-memory") == 0)) {
            count++;
        }
    }
    assert_int_equal(count, 1);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_chosen_is_dom0s, setup, teardown),
        cmocka_unit_test_setup_teardown(test_chosen_keeps_hosts_seeds, setup, teardown),
        cmocka_unit_test(test_chosen_props_xen_drops),
        cmocka_unit_test_setup_teardown(test_cpus_psci_memory_written_anew, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gic_keeps_phandle_with_dom0s_redistributors, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_hypervisor_uart_hidden_devices_kept, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_devices_mapped_one_to_one, setup, teardown),
        cmocka_unit_test_setup_teardown(test_too_small_buffer_fails_cleanly, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hypervisor_node_for_dom0, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_hypervisor_node_without_event_channel, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_evtchn_ppi_is_first_free, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ext_regions_are_unused_host_ram, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ext_regions_leave_out_the_given_cuts, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_shared_memory_in_a_new_reserved_memory_node, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_shared_memory_joins_the_hosts_reserved_memory,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_virtio_devices_listed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ext_regions_skip_reserved_memory_nodes, setup,
                                        teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
