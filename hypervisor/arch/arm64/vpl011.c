/* An emulated PL011/SBSA UART, as Xen gives dom0less guests with vpl011.
 * Transmit is immediate (the FIFO never fills); receive has a small FIFO
 * fed by the console when the domain has input focus. The interrupt line
 * is level: high while (RIS & IMSC) != 0, as on the real device. */
#include <asm/mmio.h>
#include <asm/vgic.h>
#include <asm/vpl011.h>
#include <proxenos/console.h>
#include <proxenos/errno.h>
#include <proxenos/guest_console.h>
#include <proxenos/xmalloc.h>

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

#define FR_RXFE  (1U << 4)
#define FR_TXFE  (1U << 7)
#define INT_RX   (1U << 4)
#define INT_TX   (1U << 5)
#define INT_RT   (1U << 6)
#define INT_MASK 0x7ffU

#define RX_FIFO  32U

/* PL011 r1p5 peripheral and PrimeCell identification bytes. */
static const uint8_t id_regs[8] = { 0x11U, 0x10U, 0x34U, 0x00U, 0x0dU, 0xf0U, 0x05U, 0xb1U };

struct vpl011 {
    struct domain *d;
    spinlock_t lock;
    unsigned int intid;
    uint32_t imsc, ris, cr, lcr_h, ibrd, fbrd, ifls, dmacr;
    uint8_t rx[RX_FIFO];
    unsigned int rx_head, rx_count;
    bool line;
    struct guest_console out;
};

/* Called with the lock held; injects outside it would race the vGIC's own
 * lock order, so the new level is returned and applied by the caller. */
static bool update_ris(struct vpl011 *u)
{
    /* Transmit is always ready; receive when the FIFO holds data. */
    u->ris |= INT_TX;
    if (u->rx_count > 0U) {
        u->ris |= INT_RX | INT_RT;
    } else {
        u->ris &= ~(INT_RX | INT_RT);
    }
    return (u->ris & u->imsc) != 0U;
}

static void set_line(struct vpl011 *u, bool level)
{
    if (level != u->line) {
        u->line = level;
        (void)vgic_inject_irq(u->d, NULL, u->intid, level);
    }
}

static int vpl011_read(struct vcpu *v, const struct mmio_access *a, uint64_t *val, void *priv)
{
    struct vpl011 *u = priv;
    unsigned long flags;
    uint32_t r = 0U;
    bool level;

    (void)v;
    if ((a->offset >= ID_BASE) && (a->offset < (ID_BASE + 0x20U))) {
        *val = id_regs[(a->offset - ID_BASE) / 4U];
        return 0;
    }
    flags = spin_lock_irqsave(&u->lock);
    switch (a->offset) {
    case DR:
        if (u->rx_count > 0U) {
            r = u->rx[u->rx_head];
            u->rx_head = (u->rx_head + 1U) % RX_FIFO;
            u->rx_count--;
        }
        break;
    case RSR: r = 0U; break;
    case FR: r = FR_TXFE | ((u->rx_count == 0U) ? FR_RXFE : 0U); break;
    case IBRD: r = u->ibrd; break;
    case FBRD: r = u->fbrd; break;
    case LCR_H: r = u->lcr_h; break;
    case CR: r = u->cr; break;
    case IFLS: r = u->ifls; break;
    case IMSC: r = u->imsc; break;
    case RIS: r = u->ris; break;
    case MIS: r = u->ris & u->imsc; break;
    case DMACR: r = u->dmacr; break;
    default: break;     /* reserved: reads as zero */
    }
    level = update_ris(u);
    spin_unlock_irqrestore(&u->lock, flags);
    set_line(u, level);
    *val = r;
    return 0;
}

static int vpl011_write(struct vcpu *v, const struct mmio_access *a, uint64_t val, void *priv)
{
    struct vpl011 *u = priv;
    uint32_t w = (uint32_t)val;
    unsigned long flags = spin_lock_irqsave(&u->lock);
    bool level;

    (void)v;
    switch (a->offset) {
    case DR: guest_console_putc(&u->out, (char)(w & 0xffU)); break;
    case IBRD: u->ibrd = w & 0xffffU; break;
    case FBRD: u->fbrd = w & 0x3fU; break;
    case LCR_H: u->lcr_h = w & 0xffU; break;
    case CR: u->cr = w & 0xffffU; break;
    case IFLS: u->ifls = w & 0x3fU; break;
    case IMSC: u->imsc = w & INT_MASK; break;
    case ICR: u->ris &= ~(w & INT_MASK); break;
    case DMACR: u->dmacr = w & 7U; break;
    default: break;     /* RSR/ECR clears nothing we model; reserved: ignored */
    }
    level = update_ris(u);
    spin_unlock_irqrestore(&u->lock, flags);
    set_line(u, level);
    return 0;
}

static const struct mmio_ops vpl011_ops = { vpl011_read, vpl011_write };

static void vpl011_receive(unsigned int domid, char c)
{
    struct domain *d = domain_get_by_id((domid_t)domid);
    struct vpl011 *u;
    unsigned long flags;
    bool level;

    if (d == NULL) {
        return;
    }
    if (d->arch.vpl011 == NULL) {
        domain_put(d);
        return;
    }
    u = d->arch.vpl011;
    flags = spin_lock_irqsave(&u->lock);
    if (u->rx_count < RX_FIFO) {
        u->rx[(u->rx_head + u->rx_count) % RX_FIFO] = (uint8_t)c;
        u->rx_count++;
    }
    level = update_ris(u);
    spin_unlock_irqrestore(&u->lock, flags);
    set_line(u, level);
    domain_put(d);
}

int vpl011_create(struct domain *d, paddr_t base, unsigned int intid)
{
    struct vpl011 *u = xzalloc_obj(struct vpl011);
    int rc;

    if (u == NULL) {
        return -ENOMEM;
    }
    u->d = d;
    u->intid = intid;
    spin_lock_init(&u->lock);
    guest_console_init(&u->out, d->domain_id);
    rc = domain_register_mmio(d, base, 0x1000U, &vpl011_ops, u);
    if (rc != 0) {
        xfree(u);
        return rc;
    }
    d->arch.vpl011 = u;
    (void)console_register_input_sink(d->domain_id, d->name, vpl011_receive);
    return 0;
}

void vpl011_flush(struct domain *d)
{
    if (d->arch.vpl011 != NULL) {
        guest_console_flush(&d->arch.vpl011->out);
    }
}

void vpl011_destroy(struct domain *d)
{
    if (d->arch.vpl011 != NULL) {
        console_unregister_input_sink(d->domain_id);
        guest_console_flush(&d->arch.vpl011->out);
        xfree(d->arch.vpl011);
        d->arch.vpl011 = NULL;
    }
}
