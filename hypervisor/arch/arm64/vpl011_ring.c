/* The vpl011's console-ring back end: see <asm/vpl011_ring.h>.
 *
 * The flags follow what the SBSA UART driver expects of a 32-byte FIFO
 * whose far side is the ring: TXFF only when out[] is full (so a driver
 * may write as fast as it likes until then), TX raised while out[] has
 * room for half a FIFO, RT while in[] holds anything, RX once in[] is
 * within half a FIFO of full. Xen 4.17's vpl011 behaves the same way. */
#include <asm/vpl011_ring.h>

_Static_assert((XENCONS_IN_SIZE & (XENCONS_IN_SIZE - 1U)) == 0U, "masking needs a power of 2");
_Static_assert((XENCONS_OUT_SIZE & (XENCONS_OUT_SIZE - 1U)) == 0U, "masking needs a power of 2");

/* Bytes queued between the two indices. The far side may have written
 * anything: a distance larger than the ring counts as a full ring. */
static uint32_t queued(XENCONS_RING_IDX prod, XENCONS_RING_IDX cons, uint32_t size)
{
    uint32_t n = prod - cons;   /* unsigned: wraps as the indices do */

    return (n > size) ? size : n;
}

static void tx_level(struct vpl011_status *s, uint32_t level)
{
    if (level <= (XENCONS_OUT_SIZE - VPL011_FIFO_LEVEL)) {
        s->ris |= VPL011_INT_TX;
    } else {
        s->ris &= ~VPL011_INT_TX;
    }
}

void vpl011_ring_reset(struct vpl011_status *s)
{
    s->fr = VPL011_FR_TXFE | VPL011_FR_RXFE;
    s->ris = 0U;
}

void vpl011_ring_tx(struct xencons_interface *r, struct vpl011_status *s, uint8_t c)
{
    /* Acquire: the back end's reads of the bytes it consumed are done
     * before we write over them. */
    XENCONS_RING_IDX cons = __atomic_load_n(&r->out_cons, __ATOMIC_ACQUIRE);
    XENCONS_RING_IDX prod = __atomic_load_n(&r->out_prod, __ATOMIC_RELAXED);
    uint32_t level = queued(prod, cons, XENCONS_OUT_SIZE);

    if (level < XENCONS_OUT_SIZE) {
        r->out[prod & (XENCONS_OUT_SIZE - 1U)] = (char)c;
        /* Release: the byte is in the ring before the back end sees it. */
        __atomic_store_n(&r->out_prod, prod + 1U, __ATOMIC_RELEASE);
        level++;
        if (level == XENCONS_OUT_SIZE) {
            /* BUSY with TXFF: a driver that waits for !BUSY per byte
             * (early consoles) is held back only when the ring is full. */
            s->fr |= VPL011_FR_TXFF | VPL011_FR_BUSY;
        }
        tx_level(s, level);
    }
    s->fr &= ~VPL011_FR_TXFE;
}

uint8_t vpl011_ring_rx(struct xencons_interface *r, struct vpl011_status *s)
{
    /* Acquire: the back end's bytes are there before we read them. */
    XENCONS_RING_IDX prod = __atomic_load_n(&r->in_prod, __ATOMIC_ACQUIRE);
    XENCONS_RING_IDX cons = __atomic_load_n(&r->in_cons, __ATOMIC_RELAXED);
    uint32_t level = queued(prod, cons, XENCONS_IN_SIZE);
    uint8_t c = 0U;

    if (level > 0U) {
        c = (uint8_t)r->in[cons & (XENCONS_IN_SIZE - 1U)];
        /* Release: the byte is read before the back end may reuse it. */
        __atomic_store_n(&r->in_cons, cons + 1U, __ATOMIC_RELEASE);
        level--;
        if (level == 0U) {
            s->fr |= VPL011_FR_RXFE;
            s->ris &= ~VPL011_INT_RT;
        }
        if (level < (XENCONS_IN_SIZE - VPL011_FIFO_LEVEL)) {
            s->ris &= ~VPL011_INT_RX;
        }
    }
    /* A byte left, or none was there: the FIFO is not full now. */
    s->fr &= ~VPL011_FR_RXFF;
    return c;
}

void vpl011_ring_notified(const struct xencons_interface *r, struct vpl011_status *s)
{
    uint32_t in = queued(__atomic_load_n(&r->in_prod, __ATOMIC_ACQUIRE),
                         __atomic_load_n(&r->in_cons, __ATOMIC_RELAXED), XENCONS_IN_SIZE);
    uint32_t out = queued(__atomic_load_n(&r->out_prod, __ATOMIC_RELAXED),
                          __atomic_load_n(&r->out_cons, __ATOMIC_ACQUIRE), XENCONS_OUT_SIZE);

    if (in > 0U) {
        /* No receive timing is modelled: input waiting is a timeout. */
        s->fr &= ~VPL011_FR_RXFE;
        s->ris |= VPL011_INT_RT;
    }
    if (in == XENCONS_IN_SIZE) {
        s->fr |= VPL011_FR_RXFF;
    }
    if (in >= (XENCONS_IN_SIZE - VPL011_FIFO_LEVEL)) {
        s->ris |= VPL011_INT_RX;
    }
    if (out != XENCONS_OUT_SIZE) {
        s->fr &= ~(VPL011_FR_TXFF | VPL011_FR_BUSY);
        tx_level(s, out);
    }
    if (out == 0U) {
        s->fr |= VPL011_FR_TXFE;
    }
}
