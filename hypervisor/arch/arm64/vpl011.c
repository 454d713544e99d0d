/* An emulated PL011/SBSA UART, as Xen's vpl011, with one of two back ends.
 *
 * The hypervisor console (dom0less domUs): transmit is immediate (the FIFO
 * never fills) and goes through guest_console.c, the same line buffer,
 * filter and per-domain rate limit as the domain's console_io output;
 * receive has a small FIFO fed by the console when the domain has input
 * focus.
 *
 * A console ring (XEN_DOMCTL_vuart_op, xl's vuart = "sbsa_uart"): a page
 * of the domain's RAM holding a struct xencons_interface that xenconsoled
 * in the back-end domain maps, and an event channel port of the domain
 * that the hypervisor consumes. Data register accesses go through the
 * ring (vpl011_ring.c) and notify the back end; its notifications update
 * the flags and interrupts.
 *
 * The interrupt line is level: high while (RIS & IMSC) != 0, as on the
 * real device. */
#include <asm/domain.h>
#include <asm/mmio.h>
#include <asm/vgic.h>
#include <asm/vpl011.h>
#include <asm/vpl011_ring.h>
#include <proxenos/arch/domain.h>
#include <proxenos/console.h>
#include <proxenos/errno.h>
#include <proxenos/evtchn.h>
#include <proxenos/guest_access.h>
#include <proxenos/guest_console.h>
#include <proxenos/xmalloc.h>
#include <public/arch-arm.h>
#include <public/domctl.h>

#define DR      0x000U
#define RSR     0x004U
#define FR      0x018U
#define IBRD    0x024U
#define FBRD    0x028U
#define LCR_H   0x02cU
#define CR      0x030U
#define IFLS    0x034U
#define IMSC    0x038U
#define RIS     0x03cU
#define MIS     0x040U
#define ICR     0x044U
#define DMACR   0x048U
#define ID_BASE 0xfe0U

#define INT_MASK 0x7ffU

#define RX_FIFO  32U

/* PL011 r1p5 peripheral and PrimeCell identification bytes. */
static const uint8_t id_regs[8] = { 0x11U, 0x10U, 0x34U, 0x00U, 0x0dU, 0xf0U, 0x05U, 0xb1U };

struct vpl011 {
    struct domain *d;
    spinlock_t lock;            /* the registers and the back end's state */
    spinlock_t line_lock;       /* taken before lock: the line's level */
    unsigned int intid;
    struct vpl011_status st;    /* FR (ring back end only) and RIS */
    uint32_t imsc, cr, lcr_h, ibrd, fbrd, ifls, dmacr;
    bool line;
    /* Console ring back end (ring != NULL). */
    struct xencons_interface *ring;
    struct guest_page ring_page;
    evtchn_port_t port;
    /* Hypervisor console back end. */
    uint8_t rx[RX_FIFO];
    unsigned int rx_head, rx_count;
    struct guest_console out;
};

/* Hypervisor console back end, with the lock held: transmit is always
 * ready; receive when the FIFO holds data. */
static void update_ris(struct vpl011 *u)
{
    if (u->ring == NULL) {
        u->st.ris |= VPL011_INT_TX;
        if (u->rx_count > 0U) {
            u->st.ris |= VPL011_INT_RX | VPL011_INT_RT;
        } else {
            u->st.ris &= ~(VPL011_INT_RX | VPL011_INT_RT);
        }
    }
}

/* Bring the vGIC's line to (RIS & IMSC) != 0, after the state changed and
 * its lock was dropped (the vGIC's lock is never taken under it). The
 * level is read again under line_lock, so that of two CPUs changing the
 * state (a guest access, a back-end notification) the last to get here
 * applies the latest level instead of one it computed earlier. */
static void sync_line(struct vpl011 *u)
{
    unsigned long flags = spin_lock_irqsave(&u->line_lock);
    bool level;

    spin_lock(&u->lock);
    level = (u->st.ris & u->imsc) != 0U;
    spin_unlock(&u->lock);
    if (level != u->line) {
        u->line = level;
        (void)vgic_inject_irq(u->d, NULL, u->intid, level);
    }
    spin_unlock_irqrestore(&u->line_lock, flags);
}

/* The data register, with the lock held. */
static uint32_t read_dr(struct vpl011 *u)
{
    uint32_t r = 0U;

    if (u->ring != NULL) {
        r = vpl011_ring_rx(u->ring, &u->st);
    } else if (u->rx_count > 0U) {
        r = u->rx[u->rx_head];
        u->rx_head = (u->rx_head + 1U) % RX_FIFO;
        u->rx_count--;
    } else {
        /* empty: reads as zero */
    }
    return r;
}

static uint32_t read_fr(const struct vpl011 *u)
{
    if (u->ring != NULL) {
        return u->st.fr;
    }
    return VPL011_FR_TXFE | ((u->rx_count == 0U) ? VPL011_FR_RXFE : 0U);
}

static int vpl011_read(struct vcpu *v, const struct mmio_access *a, uint64_t *val, void *priv)
{
    struct vpl011 *u = priv;
    unsigned long flags;
    uint32_t r = 0U;
    bool stale;

    (void)v;
    if ((a->offset >= ID_BASE) && (a->offset < (ID_BASE + 0x20U))) {
        *val = id_regs[(a->offset - ID_BASE) / 4U];
        return 0;
    }
    flags = spin_lock_irqsave(&u->lock);
    switch (a->offset) {
    case DR: r = read_dr(u); break;
    case RSR: r = 0U; break;
    case FR: r = read_fr(u); break;
    case IBRD: r = u->ibrd; break;
    case FBRD: r = u->fbrd; break;
    case LCR_H: r = u->lcr_h; break;
    case CR: r = u->cr; break;
    case IFLS: r = u->ifls; break;
    case IMSC: r = u->imsc; break;
    case RIS: r = u->st.ris; break;
    case MIS: r = u->st.ris & u->imsc; break;
    case DMACR: r = u->dmacr; break;
    default: break;     /* reserved: reads as zero */
    }
    update_ris(u);
    /* A read changes the line only through DR or update_ris; a line left
     * stale by another CPU's change is that CPU's to sync, so a polled
     * status register costs no second lock. */
    stale = (((u->st.ris & u->imsc) != 0U) != READ_ONCE(u->line));
    spin_unlock_irqrestore(&u->lock, flags);
    /* The back end may add input now that there is room (Xen tells it
     * after every read of DR, empty or not). */
    if ((a->offset == DR) && (u->ring != NULL)) {
        evtchn_send_xen(u->d, u->port);
    } else if (a->offset == DR) {
        console_input_drained();    /* bytes typed ahead may come now */
    } else {
        /* no room made */
    }
    if (stale || (a->offset == DR)) {
        sync_line(u);
    }
    *val = r;
    return 0;
}

static int vpl011_write(struct vcpu *v, const struct mmio_access *a, uint64_t val, void *priv)
{
    struct vpl011 *u = priv;
    uint32_t w = (uint32_t)val;
    unsigned long flags = spin_lock_irqsave(&u->lock);

    (void)v;
    switch (a->offset) {
    case DR:
        if (u->ring != NULL) {
            vpl011_ring_tx(u->ring, &u->st, (uint8_t)(w & 0xffU));
        } else {
            guest_console_putc(&u->out, (char)(w & 0xffU));
        }
        break;
    case IBRD: u->ibrd = w & 0xffffU; break;
    case FBRD: u->fbrd = w & 0x3fU; break;
    case LCR_H: u->lcr_h = w & 0xffU; break;
    case CR: u->cr = w & 0xffffU; break;
    case IFLS: u->ifls = w & 0x3fU; break;
    case IMSC: u->imsc = w & INT_MASK; break;
    case ICR: u->st.ris &= ~(w & INT_MASK); break;
    case DMACR: u->dmacr = w & 7U; break;
    default: break;     /* RSR/ECR clears nothing we model; reserved: ignored */
    }
    update_ris(u);
    spin_unlock_irqrestore(&u->lock, flags);
    if ((a->offset == DR) && (u->ring != NULL)) {
        evtchn_send_xen(u->d, u->port);     /* output to take */
    }
    sync_line(u);
    return 0;
}

static const struct mmio_ops vpl011_ops = { vpl011_read, vpl011_write };

/* The receive FIFO's free bytes, for the console's flow control. */
static unsigned int vpl011_room(unsigned int domid)
{
    struct domain *d = domain_get_by_id((domid_t)domid);
    struct vpl011 *u = (d != NULL) ? d->arch->vpl011 : NULL;
    unsigned int room = RX_FIFO;
    unsigned long flags;

    if ((u != NULL) && (u->ring == NULL)) {
        flags = spin_lock_irqsave(&u->lock);
        room = RX_FIFO - u->rx_count;
        spin_unlock_irqrestore(&u->lock, flags);
    }
    if (d != NULL) {
        domain_put(d);
    }
    return room;
}

static void vpl011_receive(unsigned int domid, char c)
{
    struct domain *d = domain_get_by_id((domid_t)domid);
    struct vpl011 *u;
    unsigned long flags;

    if (d == NULL) {
        return;
    }
    u = d->arch->vpl011;
    if ((u == NULL) || (u->ring != NULL)) {
        domain_put(d);
        return;
    }
    flags = spin_lock_irqsave(&u->lock);
    if (u->rx_count < RX_FIFO) {
        u->rx[(u->rx_head + u->rx_count) % RX_FIFO] = (uint8_t)c;
        u->rx_count++;
    }
    update_ris(u);
    spin_unlock_irqrestore(&u->lock, flags);
    sync_line(u);
    domain_put(d);
}

/* The consumer of the ring's port: the back end added input or took
 * output. d cannot finish dying while this runs (see evtchn_free_xen_port). */
static void vpl011_ring_event(struct domain *d, evtchn_port_t port)
{
    struct vpl011 *u = __atomic_load_n(&d->arch->vpl011, __ATOMIC_ACQUIRE);
    unsigned long flags;

    (void)port;
    if ((u == NULL) || (u->ring == NULL)) {
        return;     /* not set up yet: the state starts from the ring */
    }
    flags = spin_lock_irqsave(&u->lock);
    vpl011_ring_notified(u->ring, &u->st);
    spin_unlock_irqrestore(&u->lock, flags);
    sync_line(u);
}

static struct vpl011 *vpl011_alloc(struct domain *d, unsigned int intid)
{
    struct vpl011 *u = xzalloc_obj(struct vpl011);

    if (u != NULL) {
        u->d = d;
        u->intid = intid;
        spin_lock_init(&u->lock);
        spin_lock_init(&u->line_lock);
    }
    return u;
}

int vpl011_create(struct domain *d, paddr_t base, unsigned int intid)
{
    struct vpl011 *u = vpl011_alloc(d, intid);
    int rc;

    if (u == NULL) {
        return -ENOMEM;
    }
    guest_console_init(&u->out, d->domain_id);
    rc = domain_register_mmio(d, base, GUEST_PL011_SIZE, &vpl011_ops, u);
    if (rc != 0) {
        xfree(u);
        return rc;
    }
    d->arch->vpl011 = u;
    (void)console_register_input_sink(d->domain_id, d->name, vpl011_receive, vpl011_room);
    return 0;
}

/* Undo vpl011_create_ring's steps so far (nothing is registered yet). */
static void ring_undo(struct vpl011 *u)
{
    if (u->port != 0U) {
        evtchn_free_xen_port(u->d, u->port);
    }
    guest_page_put(&u->ring_page);
    xfree(u);
}

int vpl011_create_ring(struct domain *d, paddr_t base, unsigned int intid, gfn_t ring,
                       domid_t backend, evtchn_port_t *port)
{
    struct vpl011 *u;
    int rc;

    /* One UART per domain, whichever back end it has (Xen: -EINVAL). */
    if (d->arch->vpl011 != NULL) {
        return -EINVAL;
    }
    u = vpl011_alloc(d, intid);
    if (u == NULL) {
        return -ENOMEM;
    }
    /* Xen's order: the page (not d's RAM: -EINVAL), the port, the SPI. */
    rc = guest_page_get(d, ring, &u->ring_page);
    if (rc == 0) {
        u->ring = u->ring_page.va;
        vpl011_ring_reset(&u->st);
        rc = evtchn_alloc_xen_unbound(d, backend, vpl011_ring_event, &u->port);
    }
    if ((rc == 0) && ((intid < 32U) || ((intid - 32U) >= vgic_nr_spis(d)))) {
        rc = -EINVAL;
    }
    if (rc == 0) {
        rc = domain_register_mmio(d, base, GUEST_PL011_SIZE, &vpl011_ops, u);
    }
    if (rc != 0) {
        ring_undo(u);
        return rc;
    }
    /* Published last: the port's consumer ignores events until then. */
    __atomic_store_n(&d->arch->vpl011, u, __ATOMIC_RELEASE);
    *port = u->port;
    return 0;
}

int arch_vuart_init(struct domain *d, uint32_t type, gfn_t ring, domid_t backend,
                    evtchn_port_t *port)
{
    /* The SBSA UART is the only one Xen 4.17 emulates for Arm guests. */
    if (type != XEN_DOMCTL_VUART_TYPE_VPL011) {
        return -EOPNOTSUPP;
    }
    return vpl011_create_ring(d, GUEST_PL011_BASE, GUEST_VPL011_SPI, ring, backend, port);
}

unsigned int vpl011_intid(const struct domain *d)
{
    const struct vpl011 *u = __atomic_load_n(&d->arch->vpl011, __ATOMIC_ACQUIRE);

    return (u != NULL) ? u->intid : 0U;
}

void vpl011_flush(struct domain *d)
{
    if ((d->arch->vpl011 != NULL) && (d->arch->vpl011->ring == NULL)) {
        guest_console_flush(&d->arch->vpl011->out);
    }
}

void vpl011_destroy(struct domain *d)
{
    struct vpl011 *u = d->arch->vpl011;

    if (u == NULL) {
        return;
    }
    if (u->ring != NULL) {
        /* The port normally went with d's event channels already. */
        evtchn_free_xen_port(d, u->port);
        guest_page_put(&u->ring_page);
    } else {
        console_unregister_input_sink(d->domain_id);
        guest_console_flush(&u->out);
    }
    xfree(u);
    d->arch->vpl011 = NULL;
}
