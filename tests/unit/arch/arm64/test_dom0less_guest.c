/* The Arm parts of a dom0less domain (arch/arm64/dom0less_guest.c): the
 * vpl011 and nr_spis properties of a xen,domain node, the vGIC's SPI count
 * with and without a vpl011, the device tree fields, and the note on the
 * "built" line. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <asm/bootinfo_arch.h>
#include <asm/dom0less_guest.h>
#include <asm/domain_fdt_devices.h>
#include <string.h>

#include "fdt_builder.h"
#include <proxenos/arch/dom0less.h>
#include <proxenos/dom0less.h>
#include <proxenos/domain_create.h>
#include <proxenos/fdt.h>
#include <public/arch-arm.h>
#include <fake_arch.h>
#include <fake_domain.h>
#include "../../drivers/fake_dt_uart.h"

/* The host's SPI count (arch_default_nr_spis, which arch/arm64/domain.c
 * reads from the GIC) is the fake arch's, set per test. */
static int setup(void **state)
{
    (void)state;
    fake_reset();
    fake_dt_uart_reset();
    fake_set_default_nr_spis(64U);
    return 0;
}

/* ---- Reading the node ------------------------------------------------------ */

static struct fb *b;
static struct fdt fdt;

/* One xen,domain node per case under the root, in this order. */
enum node_case {
    NODE_PLAIN,         /* neither property */
    NODE_VPL011,        /* vpl011; nr_spis = 3 */
    NODE_SPIS_MAX,      /* nr_spis = 988, the vGIC's most */
    NODE_SPIS_TOO_MANY, /* nr_spis = 989 */
    NODE_SPIS_TWO,      /* nr_spis of two cells */
    NODE_SPIS_EMPTY,    /* nr_spis with no value */
    NR_NODE_CASES,
};

static int build_nodes(int nodes[NR_NODE_CASES])
{
    static const uint8_t empty[1] = { 0 };
    int node;
    int i = 0;

    b = fb_new();
    fb_begin(b, "");
    fb_begin(b, "plain");
    fb_end(b);
    fb_begin(b, "vpl011");
    fb_prop_empty(b, "vpl011");
    fb_prop_u32(b, "nr_spis", 3U);
    fb_end(b);
    fb_begin(b, "spis-max");
    fb_prop_u32(b, "nr_spis", 988U);
    fb_end(b);
    fb_begin(b, "spis-too-many");
    fb_prop_u32(b, "nr_spis", 989U);
    fb_end(b);
    fb_begin(b, "spis-two");
    fb_prop_cells(b, "nr_spis", 2U, 0U, 3U);
    fb_end(b);
    fb_begin(b, "spis-empty");
    fb_prop(b, "nr_spis", empty, 0U);
    fb_end(b);
    fb_end(b);
    fb_finish(b);
    assert_int_equal(fdt_check(&fdt, b->out, b->out_len), 0);
    for (node = fdt_first_child(&fdt, fdt_root(&fdt)); node >= 0;
         node = fdt_next_sibling(&fdt, node)) {
        assert_true(i < (int)NR_NODE_CASES);
        nodes[i] = node;
        i++;
    }
    return i;
}

static void test_parse(void **state)
{
    int nodes[NR_NODE_CASES];
    const struct arch_dom0less_config *a = NULL;
    const struct arch_dom0less_config *a2 = NULL;

    (void)state;
    assert_int_equal(build_nodes(nodes), NR_NODE_CASES);

    assert_null(arch_dom0less_parse(&fdt, nodes[NODE_PLAIN], 0U, &a));
    assert_non_null(a);
    assert_false(a->vpl011);
    assert_int_equal(a->nr_spis, 0U);

    /* Another slot, another record: the first keeps what it read. */
    assert_null(arch_dom0less_parse(&fdt, nodes[NODE_VPL011], 1U, &a2));
    assert_non_null(a2);
    assert_ptr_not_equal(a, a2);
    assert_true(a2->vpl011);
    assert_int_equal(a2->nr_spis, 3U);
    assert_false(a->vpl011);

    assert_null(arch_dom0less_parse(&fdt, nodes[NODE_SPIS_MAX], 2U, &a));
    assert_int_equal(a->nr_spis, 988U);

    /* Refused, with the reason common code prints, and no record. */
    assert_string_equal(arch_dom0less_parse(&fdt, nodes[NODE_SPIS_TOO_MANY], 3U, &a),
                        "\"nr_spis\" is more than the vGIC's 988");
    assert_null(a);
    a = a2;
    assert_string_equal(arch_dom0less_parse(&fdt, nodes[NODE_SPIS_TWO], 3U, &a),
                        "\"nr_spis\" must be one cell");
    assert_null(a);
    a = a2;
    assert_string_equal(arch_dom0less_parse(&fdt, nodes[NODE_SPIS_EMPTY], 3U, &a),
                        "\"nr_spis\" must be one cell");
    assert_null(a);

    /* The last slot common code has is kept; one past it is not. */
    assert_null(arch_dom0less_parse(&fdt, nodes[NODE_PLAIN], DOM0LESS_MAX_DOMAINS - 1U, &a));
    assert_non_null(a);
    assert_non_null(arch_dom0less_parse(&fdt, nodes[NODE_PLAIN], DOM0LESS_MAX_DOMAINS, &a));
    assert_null(a);
    free(b);
}

/* ---- Creating and describing the domain --------------------------------------- */

static void test_spis(void **state)
{
    struct arch_dom0less_config arm;
    struct dom0less_config c;
    struct domain_create_args a;

    (void)state;
    memset(&arm, 0, sizeof(arm));
    memset(&c, 0, sizeof(c));
    memset(&a, 0, sizeof(a));
    c.arch = &arm;
    arch_dom0less_create_args(&c, &a);
    assert_int_equal(a.arch.nr_spis, 64);
    assert_int_equal(a.arch.gic_version, XEN_DOMCTL_CONFIG_GIC_V3);
    assert_false(a.emulated_uart);

    arm.nr_spis = 3U;
    arch_dom0less_create_args(&c, &a);
    assert_int_equal(a.arch.nr_spis, 3);

    /* A vpl011 needs its SPI (INTID GUEST_VPL011_SPI) to exist: more
     * SPIs are kept, none become enough for it. */
    arm.vpl011 = true;
    arch_dom0less_create_args(&c, &a);
    assert_true(a.emulated_uart);
    assert_int_equal(a.arch.nr_spis, 3);
    arm.nr_spis = 0U;
    fake_set_default_nr_spis(0U);
    arch_dom0less_create_args(&c, &a);
    assert_int_equal(a.arch.nr_spis, GUEST_VPL011_SPI - 32U + 1U);
    arm.vpl011 = false;
    arch_dom0less_create_args(&c, &a);
    assert_int_equal(a.arch.nr_spis, 0);

    /* Virtio lines too, as libxl: the highest one's SPI must exist. */
    c.nr_virtio = 2U;
    c.virtio[0].intid = 40U;
    c.virtio[1].intid = 33U;
    arch_dom0less_create_args(&c, &a);
    assert_int_equal(a.arch.nr_spis, 40U - 32U + 1U);
    arm.nr_spis = 100U;
    arch_dom0less_create_args(&c, &a);
    assert_int_equal(a.arch.nr_spis, 100);
}

/* The window Xen 4.17 keeps for virtio-mmio, and libxl's SPIs. */
static void test_virtio_window(void **state)
{
    struct dom0less_virtio_window win;

    (void)state;
    arch_dom0less_virtio_window(&win);
    assert_int_equal(win.base, 0x2000000U);
    assert_int_equal(win.size, 0x100000U);
    assert_int_equal(win.first_intid, 33U);
    assert_int_equal(win.last_intid, 43U);
}

static void test_fdt_config(void **state)
{
    static struct boot_info bi;
    static struct arch_boot_info arm_bi;
    static struct domain d;
    struct arch_dom0less_config arm;
    struct dom0less_config c;
    const struct arch_domain_fdt_config *fc;

    (void)state;
    memset(&arm, 0, sizeof(arm));
    memset(&c, 0, sizeof(c));
    c.arch = &arm;
    bi.arch = &arm_bi;
    bi.arch->timer.clock_frequency = 62500000U;
    d.evtchn_irq = 20U;
    arm.vpl011 = true;
    fc = arch_dom0less_fdt_config(&bi, &c, &d);
    assert_non_null(fc);
    assert_int_equal(fc->gic, DOMAIN_FDT_GIC_V3);
    assert_int_equal(fc->timer_clock_frequency, 62500000U);
    assert_true(fc->vpl011);
    assert_int_equal(fc->evtchn_intid, 20U);
    /* The rest at Xen's defaults. */
    assert_false(fc->aarch32);
    assert_null(fc->cpu_compatible);
    assert_int_equal(fc->gicd.size, 0U);
    assert_null(fc->gicr);
    assert_int_equal(fc->vpl011_base, 0U);
    assert_int_equal(fc->vpl011_intid, 0U);

    /* The next domain's starts afresh. */
    arm.vpl011 = false;
    bi.arch->timer.clock_frequency = 0U;
    fc = arch_dom0less_fdt_config(&bi, &c, &d);
    assert_false(fc->vpl011);
    assert_int_equal(fc->timer_clock_frequency, 0U);
}

/* direct-map (Xen 4.17): the vpl011 is the host console UART's address
 * and interrupt, enough SPIs for it, and the tree gives the host's GIC. */
static void test_direct_map(void **state)
{
    static struct boot_info bi;
    static struct arch_boot_info arm_bi;
    static struct domain d;
    struct arch_dom0less_config arm;
    struct dom0less_config c;
    struct domain_create_args a;
    const struct arch_domain_fdt_config *fc;

    (void)state;
    memset(&arm, 0, sizeof(arm));
    memset(&c, 0, sizeof(c));
    memset(&a, 0, sizeof(a));
    c.arch = &arm;
    arm.vpl011 = true;
    fake_set_default_nr_spis(0U);
    fake_dt_uart_set(0x9000000U, 0x1000U, 33U, 7);
    a.direct_map = true;
    arch_dom0less_create_args(&c, &a);
    assert_int_equal(a.arch.nr_spis, 2U);      /* INTID 33 is the second SPI */
    /* Not direct-mapped: Xen's own SPI, whatever the host UART. */
    a.direct_map = false;
    arch_dom0less_create_args(&c, &a);
    assert_int_equal(a.arch.nr_spis, GUEST_VPL011_SPI - 32U + 1U);

    bi.arch = &arm_bi;
    arm_bi.gic.dist_base = 0x8000000U;
    arm_bi.gic.rdist_base = 0x80a0000U;
    d.max_vcpus = 2U;
    d.direct_map = true;
    fc = arch_dom0less_fdt_config(&bi, &c, &d);
    assert_int_equal(fc->gicd.base, 0x8000000U);
    assert_int_equal(fc->gicd.size, 0x10000U);
    assert_int_equal(fc->nr_gicr, 1U);
    assert_int_equal(fc->gicr[0].base, 0x80a0000U);
    assert_int_equal(fc->gicr[0].size, 2U * 0x20000U);
    assert_int_equal(fc->vpl011_base, 0x9000000U);
    assert_int_equal(fc->vpl011_intid, 33U);

    /* No console UART to copy: Xen's defaults stay in the tree (the
     * domain's creation refuses the vpl011, arch/arm64/domain.c). */
    fake_dt_uart_reset();
    fc = arch_dom0less_fdt_config(&bi, &c, &d);
    assert_int_equal(fc->vpl011_base, 0U);
}

/* The end of "Domain N (name): ..., device tree at 0x...", which the
 * system tests read. */
static void test_built_note(void **state)
{
    struct arch_dom0less_config arm;
    struct dom0less_config c;

    (void)state;
    memset(&arm, 0, sizeof(arm));
    memset(&c, 0, sizeof(c));
    c.arch = &arm;
    assert_string_equal(arch_dom0less_built_note(&c), "");
    arm.vpl011 = true;
    assert_string_equal(arch_dom0less_built_note(&c), ", vpl011");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_parse, setup),
        cmocka_unit_test_setup(test_spis, setup),
        cmocka_unit_test_setup(test_fdt_config, setup),
        cmocka_unit_test_setup(test_direct_map, setup),
        cmocka_unit_test_setup(test_built_note, setup),
        cmocka_unit_test_setup(test_virtio_window, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
