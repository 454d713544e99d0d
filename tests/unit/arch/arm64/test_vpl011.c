/* The vpl011 with a console-ring back end (arch/arm64/vpl011.c, as
 * XEN_DOMCTL_vuart_op sets it up): INIT's refusals, the guest's writes
 * reaching the ring and notifying dom0, dom0's input raising the
 * interrupt line, reads taking it, and teardown. Domains 0 (the back
 * end), 1 and 2 with real event channels: test_event_channel_env.c. The
 * vGIC, the MMIO table and the hypervisor console are stand-ins here. */
#define EVTCHN_TEST_MAIN
#include "test_event_channel_env.c"

#include <asm/mmio.h>
#include <asm/vgic.h>
#include <asm/vpl011.h>
#include <asm/vpl011_ring.h>
#include <proxenos/arch/domain.h>
#include <proxenos/console.h>
#include <proxenos/guest_console.h>
#include <public/arch-arm.h>
#include <public/io/console.h>

#define RING_PAGE 5U                /* of the domU's fake RAM */
#define DR    0x000U
#define FR    0x018U
#define IMSC  0x038U
#define RIS   0x03cU
#define MIS   0x040U
#define ICR   0x044U

/* ---- Stand-ins ------------------------------------------------------------ */

static struct {
    struct domain *d;
    paddr_t base, size;
    const struct mmio_ops *ops;
    void *priv;
    unsigned int count;
} mmio;
static int mmio_rc;
static unsigned int nr_spis[NR_DOMS];
static bool line[NR_DOMS];
static unsigned int injects[NR_DOMS];
static unsigned int sinks;

int domain_register_mmio(struct domain *d, paddr_t base, paddr_t size,
                         const struct mmio_ops *ops, void *priv)
{
    if (mmio_rc != 0) {
        return mmio_rc;
    }
    mmio.d = d;
    mmio.base = base;
    mmio.size = size;
    mmio.ops = ops;
    mmio.priv = priv;
    mmio.count++;
    return 0;
}

unsigned int vgic_nr_spis(const struct domain *d)
{
    return nr_spis[d->domain_id];
}

int vgic_inject_irq(struct domain *d, struct vcpu *v, unsigned int virq, bool level)
{
    (void)v;
    assert_int_equal(virq, GUEST_VPL011_SPI);
    line[d->domain_id] = level;
    injects[d->domain_id]++;
    return 0;
}

int console_register_input_sink(unsigned int id, const char *name, console_sink_fn fn)
{
    (void)id;
    (void)name;
    (void)fn;
    sinks++;
    return 0;
}

void console_unregister_input_sink(unsigned int id)
{
    (void)id;
}

void guest_console_init(struct guest_console *gc, unsigned int domid)
{
    (void)gc;
    (void)domid;
}

void guest_console_putc(struct guest_console *gc, char c)
{
    (void)gc;
    (void)c;
    fail_msg("the ring back end printed on the hypervisor console");
}

void guest_console_flush(struct guest_console *gc)
{
    (void)gc;
}

/* ---- Helpers ------------------------------------------------------------- */

static struct xencons_interface *ring(void)
{
    return gmem(1U, RING_PAGE, 0U);
}

static uint32_t mmio_read(uint32_t off)
{
    struct mmio_access a = { mmio.base + off, off, 4U, false };
    uint64_t v = 0xdeadU;

    assert_int_equal(mmio.ops->read(V(1U, 0U), &a, &v, mmio.priv), 0);
    return (uint32_t)v;
}

static void mmio_write(uint32_t off, uint32_t val)
{
    struct mmio_access a = { mmio.base + off, off, 4U, true };

    assert_int_equal(mmio.ops->write(V(1U, 0U), &a, val, mmio.priv), 0);
}

static int vsetup(void **state)
{
    memset(&mmio, 0, sizeof(mmio));
    mmio_rc = 0;
    memset(line, 0, sizeof(line));
    memset(injects, 0, sizeof(injects));
    sinks = 0U;
    for (unsigned int i = 0U; i < NR_DOMS; i++) {
        nr_spis[i] = 32U;
    }
    return setup(state);
}

/* Tear the UARTs down as domain_free does (event channels first), then
 * the environment's checks: every pin and reference given back. */
static int vteardown(void **state)
{
    for (unsigned int i = 0U; i < NR_DOMS; i++) {
        kill_domain(i);
        vpl011_destroy(D(i));
        assert_null(D(i)->arch.vpl011);
    }
    return teardown(state);
}

/* domU 1's vpl011 with dom0 as the back end, dom0 bound: dom0's port. */
static uint32_t connected(void)
{
    evtchn_port_t p = 0U;
    uint32_t dp;

    assert_int_equal(arch_vuart_init(D(1U), gfn(GFN(RING_PAGE)), 0U, &p), 0);
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
    assert_int_equal(arch_vuart_init(D(1U), gfn(GFN(RING_PAGE)), 0U, &p), 0);
    assert_int_not_equal(p, 0U);
    assert_non_null(D(1U)->arch.vpl011);
    assert_ptr_equal(mmio.d, D(1U));
    assert_int_equal(mmio.base, GUEST_PL011_BASE);
    assert_int_equal(mmio.size, GUEST_PL011_SIZE);
    /* The ring page is pinned; no console input sink (xenconsoled has it). */
    assert_int_equal(mfn_to_page(paddr_to_mfn(RAM_BASE + (DOM_PAGES + RING_PAGE) * 4096U))
                         ->u.guest.pins, 1U);
    assert_int_equal(sinks, 0U);
    /* The port is the hypervisor's: the domU cannot use it. */
    assert_int_equal(evstatus(1U, DOMID_SELF, p, &s), -EACCES);
    assert_int_equal(evclose(1U, p), -EINVAL);
    /* Empty FIFOs, nothing raised. */
    assert_int_equal(mmio_read(FR), VPL011_FR_TXFE | VPL011_FR_RXFE);
    assert_int_equal(mmio_read(RIS), 0U);
    /* A second INIT: -EINVAL, nothing more registered or allocated. */
    assert_int_equal(arch_vuart_init(D(1U), gfn(GFN(RING_PAGE + 1U)), 0U, &p), -EINVAL);
    assert_int_equal(mmio.count, 1U);
    assert_int_equal(D(1U)->evtchn->xen_ports, 1U);
}

static void test_init_refusals(void **state)
{
    evtchn_port_t p = 77U;

    (void)state;
    /* Not the domain's RAM: past its fake RAM, or unmapped. */
    assert_int_equal(arch_vuart_init(D(1U), gfn(GFN(DOM_PAGES)), 0U, &p), -EINVAL);
    assert_int_equal(arch_vuart_init(D(1U), gfn(0x10U), 0U, &p), -EINVAL);
    assert_int_equal(arch_vuart_init(D(1U), gfn(UINT64_MAX), 0U, &p), -EINVAL);
    /* No SPI for it; the MMIO range taken: undone, port and pin too. */
    nr_spis[1] = 0U;
    assert_int_equal(arch_vuart_init(D(1U), gfn(GFN(RING_PAGE)), 0U, &p), -EINVAL);
    nr_spis[1] = 32U;
    mmio_rc = -EEXIST;
    assert_int_equal(arch_vuart_init(D(1U), gfn(GFN(RING_PAGE)), 0U, &p), -EEXIST);
    assert_int_equal(p, 77U);
    assert_null(D(1U)->arch.vpl011);
    assert_int_equal(D(1U)->evtchn->active, 0U);
    assert_int_equal(mmio.count, 0U);
    /* The hypervisor-console vpl011 counts as one too. */
    mmio_rc = 0;
    assert_int_equal(vpl011_create(D(2U), GUEST_PL011_BASE, GUEST_VPL011_SPI), 0);
    assert_int_equal(arch_vuart_init(D(2U), gfn(GFN(RING_PAGE)), 0U, &p), -EINVAL);
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
    assert_false(line[1]);
    mmio_write(IMSC, VPL011_INT_TX);
    assert_true(line[1]);
    assert_int_equal(mmio_read(MIS), VPL011_INT_TX);
    /* xenconsoled takes it and notifies: TXFE again. */
    ring()->out_cons = 1U;
    assert_int_equal(evsend(0U, dp), 0);
    assert_int_equal(mmio_read(FR) & VPL011_FR_TXFE, VPL011_FR_TXFE);
    mmio_write(ICR, VPL011_INT_TX);
    assert_false(line[1]);
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
    assert_false(line[1]);
    /* dom0 drains half the ring: TX comes back, the line rises. */
    ring()->out_cons = XENCONS_OUT_SIZE / 2U;
    assert_int_equal(evsend(0U, dp), 0);
    assert_int_equal(mmio_read(FR) & VPL011_FR_TXFF, 0U);
    assert_true(line[1]);
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
    assert_true(line[1]);
    assert_int_equal(mmio_read(FR) & VPL011_FR_RXFE, 0U);
    assert_int_equal(mmio_read(MIS), VPL011_INT_RT);
    assert_int_equal(mmio_read(DR), 'l');
    /* Each read tells dom0 there is room again. */
    assert_true(l2_pending(0U, dp));
    assert_true(line[1]);
    assert_int_equal(mmio_read(DR), 's');
    assert_int_equal(ring()->in_cons, 2U);
    assert_false(line[1]);
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
    assert_int_equal(arch_vuart_init(D(1U), gfn(GFN(RING_PAGE)), 0U, &p), 0);
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
    assert_null(D(1U)->arch.vpl011);
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
