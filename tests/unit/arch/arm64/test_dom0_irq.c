/* Which physical interrupts dom0 gets (dom0_irq.c) from QEMU virt's device
 * tree: each SPI of a device node dom0's tree keeps, its trigger from the
 * specifier's flags, never the hypervisor's own (its UART, the GIC's,
 * the timer's and the PMU's PPIs, a line it has registered), each routed
 * once, over a fake host GIC into a real vGIC. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include <asm/bootinfo_arch.h>
#include <asm/dom0_fdt.h>
#include <asm/dom0_irq.h>
#include <asm/irq_route.h>
#include <proxenos/bootinfo.h>
#include <proxenos/fdt.h>
#include <fake_arch.h>
#include "fake_gic_spi.h"
#include "fdt_builder.h"
#include "vgic_env.h"

#define VIRT_UART_SPI   33U     /* pl011@9000000: SPI 1 */
#define VIRT_RTC_SPI    34U     /* pl031@9010000: SPI 2, level */
#define VIRT_GPIO_SPI   39U     /* pl061@9030000: SPI 7, level */
#define VIRT_MMIO_FIRST 48U     /* virtio_mmio@a000000..a003e00: SPIs 16..47, edge */
#define VIRT_MMIO_LAST  79U

struct world {
    uint8_t *blob;
    struct fdt host;
    struct boot_info bi;
    struct dom0_fdt_info in;
};

static struct world *load(void)
{
    struct world *w = calloc(1, sizeof(*w));
    size_t len;

    assert_non_null(w);
    w->blob = fb_load_fixture("qemu-virt-guest-loader.dtb", &len);
    assert_int_equal(fdt_check(&w->host, w->blob, len), 0);
    assert_int_equal(bootinfo_scan(&w->bi, &w->host), 0);
    w->in.bi = &w->bi;
    /* The hypervisor's console, which dom0's tree leaves out. */
    w->in.hidden_uart = fdt_path_offset(&w->host, "/pl011@9000000", 14U);
    assert_true(w->in.hidden_uart >= 0);
    return w;
}

static void unload(struct world *w)
{
    free(w->blob);
    free(w);
}

static int irq_setup(void **state)
{
    fake_gic_reset();
    return setup(state);
}

static void test_decide(void **state)
{
    static const struct {
        uint32_t intid, flags;
        enum dom0_irq_verdict verdict;
        bool edge;
    } rows[] = {
        { 39U, 4U, DOM0_IRQ_ROUTE, false },     /* level high */
        { 39U, 8U, DOM0_IRQ_ROUTE, false },     /* level low: still a level */
        { 48U, 1U, DOM0_IRQ_ROUTE, true },      /* rising edge */
        { 48U, 2U, DOM0_IRQ_ROUTE, true },      /* falling edge */
        { 48U, 0U, DOM0_IRQ_ROUTE, false },     /* no trigger said: level */
        { 287U, 4U, DOM0_IRQ_ROUTE, false },    /* the GIC's last line */
        { 288U, 4U, DOM0_IRQ_NO_LINE, false },  /* beyond it */
        { 4096U, 1U, DOM0_IRQ_NO_LINE, true },  /* an extended SPI */
        { 27U, 4U, DOM0_IRQ_PRIVATE, false },   /* a PPI */
        { 7U, 1U, DOM0_IRQ_PRIVATE, true },     /* an SGI */
    };

    (void)state;
    for (size_t i = 0U; i < sizeof(rows) / sizeof(rows[0]); i++) {
        bool edge = !rows[i].edge;

        assert_int_equal(dom0_irq_decide(rows[i].intid, rows[i].flags, FAKE_GIC_LINES, &edge),
                         rows[i].verdict);
        assert_int_equal(edge, rows[i].edge);
    }
}

struct seen {
    unsigned int n;
    uint32_t intid[64];
    uint32_t flags[64];
};

static void collect(void *p, int node, uint32_t intid, uint32_t flags)
{
    struct seen *s = p;

    (void)node;
    assert_true(s->n < 64U);
    s->intid[s->n] = intid;
    s->flags[s->n] = flags;
    s->n++;
}

static void test_interrupts_of_dom0s_devices(void **state)
{
    struct world *w = load();
    struct seen s = { 0 };
    bool mmio[VIRT_MMIO_LAST + 1U] = { false };

    (void)state;
    dom0_for_each_irq(&w->in, collect, &s);
    /* 32 virtio-mmio transports, the RTC and the GPIO controller: not the
     * hypervisor's UART, nor the timer's, the PMU's or the GIC's PPIs. */
    assert_int_equal(s.n, 34U);
    for (unsigned int i = 0U; i < s.n; i++) {
        assert_true(s.intid[i] >= 32U);
        assert_int_not_equal(s.intid[i], VIRT_UART_SPI);
        if ((s.intid[i] >= VIRT_MMIO_FIRST) && (s.intid[i] <= VIRT_MMIO_LAST)) {
            assert_int_equal(s.flags[i], 1U);
            mmio[s.intid[i]] = true;
        } else if (s.intid[i] == VIRT_RTC_SPI || s.intid[i] == VIRT_GPIO_SPI) {
            assert_int_equal(s.flags[i], 4U);
        } else {
            fail_msg("unexpected interrupt %u", s.intid[i]);
        }
    }
    for (unsigned int i = VIRT_MMIO_FIRST; i <= VIRT_MMIO_LAST; i++) {
        assert_true(mmio[i]);
    }
    unload(w);
}

static void test_dom0_gets_them_but_the_hypervisors(void **state)
{
    struct world *w = load();
    struct domain *d = new_domain(1U, NR_SPIS);

    (void)state;
    fake_gic_take(VIRT_RTC_SPI);    /* as if the hypervisor had registered it */
    assert_int_equal(dom0_route_irqs(d, &w->in), 33U);
    assert_non_null(strstr(fake_log(), "dom0: 33 device interrupts routed, some refused"));
    assert_non_null(strstr(fake_log(), "dom0: pl031@9010000: interrupt 34 not routed "
                                       "(the hypervisor's)"));
    assert_null(fake_gic[VIRT_RTC_SPI].data);
    assert_null(fake_gic[VIRT_UART_SPI].data);
    assert_ptr_equal(fake_gic[VIRT_GPIO_SPI].data, d);
    assert_false(fake_gic[VIRT_GPIO_SPI].edge);
    for (unsigned int i = VIRT_MMIO_FIRST; i <= VIRT_MMIO_LAST; i++) {
        assert_ptr_equal(fake_gic[i].data, d);
        assert_true(fake_gic[i].edge);
        assert_false(fake_gic[i].enabled);  /* until dom0's driver enables it */
    }
    /* In dom0's vGIC: the GPIO line level, a virtio-mmio one edge. */
    assert_int_equal(rd(d, GICD(0x0c08U), 4U) & (3U << 14), 0U);        /* 39 */
    assert_int_equal(rd(d, GICD(0x0c0cU), 4U) & 3U, 2U);                 /* 48 */
    irq_route_release_domain(d);
    for (unsigned int i = 32U; i <= VIRT_MMIO_LAST; i++) {
        assert_null(fake_gic[i].data);
    }
    free_domain(d);
    unload(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_decide, irq_setup, teardown),
        cmocka_unit_test_setup_teardown(test_interrupts_of_dom0s_devices, irq_setup, teardown),
        cmocka_unit_test_setup_teardown(test_dom0_gets_them_but_the_hypervisors, irq_setup,
                                        teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
