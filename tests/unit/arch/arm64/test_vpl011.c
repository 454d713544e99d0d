/* The vpl011 with a console-ring back end (arch/arm64/vpl011.c, as
 * XEN_DOMCTL_vuart_op sets it up): INIT's refusals, the guest's writes
 * reaching the ring and notifying dom0, dom0's input raising the
 * interrupt line, reads taking it, and teardown. Domains 0 (the back
 * end), 1 and 2 with real event channels: evtchn_env.c. The
 * vGIC and the hypervisor console are shared fakes, the MMIO table the
 * real one. */
#define EVTCHN_TEST_MAIN
#include "evtchn_env.c"

#include <asm/domain.h>
#include <asm/mmio.h>
#include <asm/vgic.h>
#include <asm/vpl011.h>
#include <asm/vpl011_ring.h>
#include <proxenos/arch/domain.h>
#include <proxenos/console.h>
#include <proxenos/guest_console.h>
#include <public/arch-arm.h>
#include <public/domctl.h>
#include <public/io/console.h>
#include "fake_console_api.h"
#include "fake_vgic_irq.h"

/* The vuart_op type of the SBSA UART, the only one there is. */
#define SBSA XEN_DOMCTL_VUART_TYPE_VPL011

#define RING_PAGE 5U                /* of the domU's fake RAM */
#define DR    0x000U
#define FR    0x018U
#define IMSC  0x038U
#define RIS   0x03cU
#define MIS   0x040U
#define ICR   0x044U

/* ---- Around the device ------------------------------------------------------
 * The MMIO table is the real mmio.c; the vGIC is fake_vgic_irq.c, the
 * hypervisor console's input sinks fake_console_api.c, and the console
 * output of the vpl011 that serves it the real guest_console.c on that
 * fake (nothing may reach it: the ring back end owns the output). */

/* The vpl011's registered range on d (NULL when none). */
static const struct mmio_region *uart(struct domain *d)
{
    return domain_find_mmio(d, GUEST_PL011_BASE);
}

/* Any device: the test only needs its range to be taken. */
static const struct mmio_ops other_device;

/* ---- Helpers ------------------------------------------------------------- */

static struct xencons_interface *ring(void)
{
    return gmem(1U, RING_PAGE, 0U);
}

static uint32_t mmio_read(uint32_t off)
{
    const struct mmio_region *r = uart(D(1U));
    struct mmio_access a = { r->base + off, off, 4U, false };
    uint64_t v = 0xdeadU;

    assert_int_equal(r->ops->read(V(1U, 0U), &a, &v, r->priv), 0);
    return (uint32_t)v;
}

static void mmio_write(uint32_t off, uint32_t val)
{
    const struct mmio_region *r = uart(D(1U));
    struct mmio_access a = { r->base + off, off, 4U, true };

    assert_int_equal(r->ops->write(V(1U, 0U), &a, val, r->priv), 0);
}

/* The arm64 part of each domain, which arch_domain_create would allocate:
 * evtchn_env.c builds architecture-free domains. */
static struct arch_domain arch_doms[NR_DOMS];

static int vsetup(void **state)
{
    int rc;

    fake_vgic_irq_reset();
    fake_console_api_reset();
    rc = setup(state);
    for (unsigned int i = 0U; i < NR_DOMS; i++) {
        memset(&arch_doms[i], 0, sizeof(arch_doms[i]));
        D(i)->arch = &arch_doms[i];
    }
    return rc;
}

/* Tear the UARTs down as domain_free does (event channels first), then
 * the environment's checks: every pin and reference given back. */
static int vteardown(void **state)
{
    for (unsigned int i = 0U; i < NR_DOMS; i++) {
        kill_domain(i);
        vpl011_destroy(D(i));
        assert_null(D(i)->arch->vpl011);
    }
    /* The ring back end never prints on the hypervisor console. */
    assert_string_equal(fake_console_lines(NULL), "");
    return teardown(state);
}

/* domU 1's vpl011 with dom0 as the back end, dom0 bound: dom0's port. */
static uint32_t connected(void)
{
    evtchn_port_t p = 0U;
    uint32_t dp;

    assert_int_equal(arch_vuart_init(D(1U), SBSA, gfn(GFN(RING_PAGE)), 0U, &p), 0);
    assert_int_equal(bind_interdomain(0U, 1U, p, &dp), 0);
    l2_clear_all(0U);
    return dp;
}

/* ---- Tests ----------------------------------------------------------------- */

static void test_init(void **state)
{
    evtchn_port_t p = 0U;
    struct evtchn_status s;

    (void)state;
    assert_int_equal(arch_vuart_init(D(1U), SBSA, gfn(GFN(RING_PAGE)), 0U, &p), 0);
    assert_int_not_equal(p, 0U);
    assert_non_null(D(1U)->arch->vpl011);
    assert_non_null(uart(D(1U)));
    assert_int_equal(uart(D(1U))->base, GUEST_PL011_BASE);
    assert_int_equal(uart(D(1U))->size, GUEST_PL011_SIZE);
    /* The ring page is pinned; no console input sink (xenconsoled has it). */
    assert_int_equal(mfn_to_page(paddr_to_mfn(RAM_BASE + (DOM_PAGES + RING_PAGE) * 4096U))
                         ->u.guest.pins, 1U);
    assert_int_equal(fake_sinks_registered(), 0U);
    /* The port is the hypervisor's: the domU cannot use it. */
    assert_int_equal(evstatus(1U, DOMID_SELF, p, &s), -EACCES);
    assert_int_equal(evclose(1U, p), -EINVAL);
    /* Empty FIFOs, nothing raised. */
    assert_int_equal(mmio_read(FR), VPL011_FR_TXFE | VPL011_FR_RXFE);
    assert_int_equal(mmio_read(RIS), 0U);
    /* A second INIT: -EINVAL, nothing more registered or allocated. */
    assert_int_equal(arch_vuart_init(D(1U), SBSA, gfn(GFN(RING_PAGE + 1U)), 0U, &p), -EINVAL);
    assert_int_equal(D(1U)->arch->mmio.count, 1U);
    assert_int_equal(D(1U)->evtchn->xen_ports, 1U);
}

static void test_init_refusals(void **state)
{
    evtchn_port_t p = 77U;

    (void)state;
    /* Only the SBSA UART exists (type 0), refused before anything else is
     * looked at: here the ring page would be fine. */
    assert_int_equal(arch_vuart_init(D(1U), 1U, gfn(GFN(RING_PAGE)), 0U, &p), -EOPNOTSUPP);
    assert_null(D(1U)->arch->vpl011);
    assert_int_equal(p, 77U);
    /* Not the domain's RAM: past its fake RAM, or unmapped. */
    assert_int_equal(arch_vuart_init(D(1U), SBSA, gfn(GFN(DOM_PAGES)), 0U, &p), -EINVAL);
    assert_int_equal(arch_vuart_init(D(1U), SBSA, gfn(0x10U), 0U, &p), -EINVAL);
    assert_int_equal(arch_vuart_init(D(1U), SBSA, gfn(UINT64_MAX), 0U, &p), -EINVAL);
    /* No SPI for it; the MMIO range taken: undone, port and pin too. */
    fake_vgic_set_nr_spis(D(1U), 0U);
    assert_int_equal(arch_vuart_init(D(1U), SBSA, gfn(GFN(RING_PAGE)), 0U, &p), -EINVAL);
    fake_vgic_set_nr_spis(D(1U), 32U);
    assert_int_equal(domain_register_mmio(D(1U), GUEST_PL011_BASE, 0x1000U, &other_device, NULL),
                     0);
    assert_int_equal(arch_vuart_init(D(1U), SBSA, gfn(GFN(RING_PAGE)), 0U, &p), -EEXIST);
    assert_int_equal(p, 77U);
    assert_null(D(1U)->arch->vpl011);
    assert_int_equal(D(1U)->evtchn->active, 0U);
    assert_int_equal(D(1U)->arch->mmio.count, 1U);      /* the other device's only */
    /* The hypervisor-console vpl011 counts as one too. */
    assert_int_equal(vpl011_create(D(2U), GUEST_PL011_BASE, GUEST_VPL011_SPI), 0);
    assert_int_equal(arch_vuart_init(D(2U), SBSA, gfn(GFN(RING_PAGE)), 0U, &p), -EINVAL);
}

static void test_tx_reaches_dom0(void **state)
{
    uint32_t dp;

    (void)state;
    dp = connected();
    mmio_write(DR, 0x100U | 'h');      /* only the low byte is data */
    assert_int_equal(ring()->out_prod, 1U);
    assert_int_equal(ring()->out[0], 'h');
    assert_true(l2_pending(0U, dp));
    assert_int_equal(mmio_read(FR) & VPL011_FR_TXFE, 0U);
    /* TX raised; the line follows IMSC. */
    assert_int_equal(mmio_read(RIS) & VPL011_INT_TX, VPL011_INT_TX);
    assert_false(fake_vgic_line(D(1U), GUEST_VPL011_SPI));
    mmio_write(IMSC, VPL011_INT_TX);
    assert_true(fake_vgic_line(D(1U), GUEST_VPL011_SPI));
    assert_int_equal(mmio_read(MIS), VPL011_INT_TX);
    /* xenconsoled takes it and notifies: TXFE again. */
    ring()->out_cons = 1U;
    assert_int_equal(evsend(0U, dp), 0);
    assert_int_equal(mmio_read(FR) & VPL011_FR_TXFE, VPL011_FR_TXFE);
    mmio_write(ICR, VPL011_INT_TX);
    assert_false(fake_vgic_line(D(1U), GUEST_VPL011_SPI));
    /* The domU got no upcall from any of this. */
    assert_int_equal(fake_upcalls(V(1U, 0U)), 0U);
}

static void test_tx_full_then_space(void **state)
{
    uint32_t dp;

    (void)state;
    dp = connected();
    mmio_write(IMSC, VPL011_INT_TX);
    while ((mmio_read(FR) & VPL011_FR_TXFF) == 0U) {
        mmio_write(DR, 'x');
    }
    assert_int_equal(ring()->out_prod, XENCONS_OUT_SIZE);
    assert_false(fake_vgic_line(D(1U), GUEST_VPL011_SPI));
    /* dom0 drains half the ring: TX comes back, the line rises. */
    ring()->out_cons = XENCONS_OUT_SIZE / 2U;
    assert_int_equal(evsend(0U, dp), 0);
    assert_int_equal(mmio_read(FR) & VPL011_FR_TXFF, 0U);
    assert_true(fake_vgic_line(D(1U), GUEST_VPL011_SPI));
}

static void test_rx_from_dom0(void **state)
{
    uint32_t dp;

    (void)state;
    dp = connected();
    mmio_write(IMSC, VPL011_INT_RX | VPL011_INT_RT);
    /* dom0 writes input and notifies: RT raised, the line high. */
    ring()->in[0] = 'l';
    ring()->in[1] = 's';
    ring()->in_prod = 2U;
    assert_int_equal(evsend(0U, dp), 0);
    assert_true(fake_vgic_line(D(1U), GUEST_VPL011_SPI));
    assert_int_equal(mmio_read(FR) & VPL011_FR_RXFE, 0U);
    assert_int_equal(mmio_read(MIS), VPL011_INT_RT);
    assert_int_equal(mmio_read(DR), 'l');
    /* Each read tells dom0 there is room again. */
    assert_true(l2_pending(0U, dp));
    assert_true(fake_vgic_line(D(1U), GUEST_VPL011_SPI));
    assert_int_equal(mmio_read(DR), 's');
    assert_int_equal(ring()->in_cons, 2U);
    assert_false(fake_vgic_line(D(1U), GUEST_VPL011_SPI));
    assert_int_equal(mmio_read(FR) & VPL011_FR_RXFE, VPL011_FR_RXFE);
    /* Reading an empty FIFO: 0. */
    assert_int_equal(mmio_read(DR), 0U);
}

static void test_unbound_and_rebound(void **state)
{
    evtchn_port_t p = 0U;
    uint32_t dp;

    (void)state;
    /* Before xenconsoled binds, output still goes into the ring. */
    assert_int_equal(arch_vuart_init(D(1U), SBSA, gfn(GFN(RING_PAGE)), 0U, &p), 0);
    mmio_write(DR, 'a');
    assert_int_equal(ring()->out_prod, 1U);
    assert_int_equal(bind_interdomain(0U, 1U, p, &dp), 0);
    /* xenconsoled restarts: it closes and binds again. */
    assert_int_equal(evclose(0U, dp), 0);
    mmio_write(DR, 'b');
    assert_int_equal(bind_interdomain(0U, 1U, p, &dp), 0);
    l2_clear_all(0U);
    mmio_write(DR, 'c');
    assert_true(l2_pending(0U, dp));
    assert_int_equal(ring()->out_prod, 3U);
}

static void test_destroy(void **state)
{
    uint32_t dp;
    struct evtchn_status s;

    (void)state;
    dp = connected();
    /* As domain_free: event channels, then the UART (which unpins the
     * page: the teardown checks). dom0's end is left unbound. */
    kill_domain(1U);
    vpl011_destroy(D(1U));
    assert_null(D(1U)->arch->vpl011);
    assert_int_equal(evstatus(0U, DOMID_SELF, dp, &s), 0);
    assert_int_equal(s.status, EVTCHNSTAT_unbound);
    assert_int_equal(evsend(0U, dp), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_init, vsetup, vteardown),
        cmocka_unit_test_setup_teardown(test_init_refusals, vsetup, vteardown),
        cmocka_unit_test_setup_teardown(test_tx_reaches_dom0, vsetup, vteardown),
        cmocka_unit_test_setup_teardown(test_tx_full_then_space, vsetup, vteardown),
        cmocka_unit_test_setup_teardown(test_rx_from_dom0, vsetup, vteardown),
        cmocka_unit_test_setup_teardown(test_unbound_and_rebound, vsetup, vteardown),
        cmocka_unit_test_setup_teardown(test_destroy, vsetup, vteardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
