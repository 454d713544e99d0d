/* dom0's device tree from QEMU virt's (with a guest-loader module):
 * what is kept, what is written anew, what is hidden, and which MMIO
 * ranges are mapped 1:1. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <asm/dom0_fdt.h>
#include <asm/p2m.h>
#include <proxenos/bootinfo.h>
#include <proxenos/errno.h>
#include <proxenos/fdt.h>
#include <fake_arch.h>

#include "fdt_builder.h"

/* Stage-2 is not under test: record what would be mapped. */
#define MAX_MAPS 64
static uint64_t mapped_base[MAX_MAPS];
static unsigned int nr_mapped;

int p2m_map(struct p2m_domain *p2m, gfn_t g, mfn_t m, uint64_t nr, enum p2m_type t)
{
    (void)p2m;
    (void)nr;
    assert_int_equal(gfn_x(g), mfn_x(m));       /* 1:1 */
    assert_int_equal(t, P2M_MMIO_DEVICE);
    if (nr_mapped < MAX_MAPS) {
        mapped_base[nr_mapped] = gfn_x(g) << PAGE_SHIFT;
        nr_mapped++;
    }
    return 0;
}

static bool was_mapped(uint64_t base)
{
    for (unsigned int i = 0U; i < nr_mapped; i++) {
        if (mapped_base[i] == base) {
            return true;
        }
    }
    return false;
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
    nr_mapped = 0U;
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
    assert_int_equal(fdt_getprop_u32(&c->host, c->bi.gic.node, "phandle", &host_phandle), 0);
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
}

static void test_devices_mapped_one_to_one(void **state)
{
    struct ctx *c = *state;
    struct domain *d = calloc(1, sizeof(*d));

    assert_true(dom0_map_devices(d, &c->in) > 0);
    free(d);
    assert_true(was_mapped(0x09010000U));       /* RTC: dom0's */
    assert_false(was_mapped(0x09000000U));      /* the hypervisor's UART */
    assert_false(was_mapped(0x08000000U));      /* the GIC is emulated */
    assert_false(was_mapped(0x40000000U));      /* host RAM is not a device */
}

static void test_too_small_buffer_fails_cleanly(void **state)
{
    struct ctx *c = *state;
    uint32_t size = 0U;

    assert_int_equal(dom0_fdt_build(&c->in, c->out, 512U, &size), -ENOSPC);
    assert_int_equal(size, 0U);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_chosen_is_dom0s, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cpus_psci_memory_written_anew, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gic_keeps_phandle_with_dom0s_redistributors, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_hypervisor_uart_hidden_devices_kept, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_devices_mapped_one_to_one, setup, teardown),
        cmocka_unit_test_setup_teardown(test_too_small_buffer_fails_cleanly, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
