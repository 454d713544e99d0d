/*
 * The register file of ioreq_device.h, served from the synchronous ioreq
 * page: Xen writes a vCPU's request into its slot, sets the state to
 * STATE_IOREQ_READY and signals that vCPU's port; we emulate the access,
 * put a read's value in data, set STATE_IORESP_READY and signal back.
 * Xen then completes the vCPU's instruction and sets the slot to
 * STATE_IOREQ_NONE itself.
 */
#include "backend.h"

#include "evtchn.h"
#include "printf.h"
#include "string.h"

static uint64_t size_mask(uint32_t size)
{
    return (size >= 8U) ? UINT64_MAX : ((UINT64_C(1) << (size * 8U)) - 1U);
}

static uint64_t load_le(const uint8_t *p, uint32_t size)
{
    uint64_t v = 0U;
    uint32_t i;

    for (i = size; i > 0U; i--) {
        v = (v << 8) | p[i - 1U];
    }
    return v;
}

static void store_le(uint8_t *p, uint32_t size, uint64_t v)
{
    uint32_t i;

    for (i = 0U; i < size; i++) {
        p[i] = (uint8_t)(v >> (i * 8U));
    }
}

void regfile_init(struct regfile *r)
{
    memset(r, 0, sizeof(*r));
    store_le(&r->bytes[IOREQ_REG_MAGIC], 4U, IOREQ_DEV_MAGIC);
}

/* An MMIO access of the contract: one naturally aligned 1/2/4/8-byte copy inside the window. */
static bool well_formed(const volatile struct ioreq *rq)
{
    uint64_t size = rq->size;
    uint64_t addr = rq->addr;

    return (rq->type == IOREQ_TYPE_COPY) && (rq->count == 1U) &&
           ((rq->flags & IOREQ_FLAGS_DATA_IS_PTR) == 0U) &&
           ((size == 1U) || (size == 2U) || (size == 4U) || (size == 8U)) &&
           ((addr & (size - 1U)) == 0U) && (addr >= IOREQ_DEV_BASE) &&
           ((addr - IOREQ_DEV_BASE) + size <= IOREQ_DEV_SIZE);
}

/*
 * The line's level follows the doorbell and its acknowledgement; a
 * failure is counted (main.c reports it) rather than stopping the device.
 */
static void set_line(struct backend *b, uint8_t level)
{
    if (dmop_set_irq_level(b->target, IOREQ_DEV_INTID, level) != 0) {
        b->dev.irq_errors++;
    }
}

static void write_effects(struct backend *b, uint64_t off)
{
    if (off == IOREQ_REG_DOORBELL) {
        b->dev.doorbells++;
        set_line(b, 1U);
    } else if (off == IOREQ_REG_ACK) {
        b->dev.acks++;
        set_line(b, 0U);
    } else if (off == IOREQ_REG_DONE) {
        b->dev.done = true;
    } else {
        /* a plain register */
    }
}

/*
 * Returns what a read yields. Xen puts it in the register as it is: only
 * the access's bytes may be set.
 */
static uint64_t emulate(struct backend *b, const volatile struct ioreq *rq)
{
    uint64_t off = rq->addr - IOREQ_DEV_BASE;
    uint32_t size = rq->size;

    if ((rq->flags & IOREQ_FLAGS_DIR_READ) != 0U) {
        b->reads++;
        return load_le(&b->dev.bytes[off], size);
    }
    b->writes++;
    /* Xen passes the whole source register: a byte store brings its other bytes too */
    if (off >= IOREQ_REG_ID_BYTES) {
        store_le(&b->dev.bytes[off], size, rq->data & size_mask(size));
    }
    write_effects(b, off);
    return 0U;
}

static void trace(struct backend *b, uint32_t vcpu, const volatile struct ioreq *rq)
{
    if (b->trace == 0U) {
        return;
    }
    b->trace--;
    printf("ioreq_backend: vCPU %u %s 0x%lx size %u data 0x%lx type %u count %u port %u\n", vcpu,
           ((rq->flags & IOREQ_FLAGS_DIR_READ) != 0U) ? "read" : "write", rq->addr, rq->size,
           rq->data, rq->type, rq->count, rq->vp_eport);
}

static void serve_one(struct backend *b, uint32_t vcpu, volatile struct ioreq *rq)
{
    uint8_t bits;

    trace(b, vcpu, rq);

    if (well_formed(rq)) {
        uint64_t v = emulate(b, rq);

        if ((rq->flags & IOREQ_FLAGS_DIR_READ) != 0U) {
            rq->data = v;
        }
    } else {
        b->malformed++;
        rq->data = UINT64_MAX;
    }
    b->served[vcpu]++;
    /* The data must be visible before the state says it is there. */
    bits = (uint8_t)((rq->flags & ~IOREQ_FLAGS_STATE_MASK) | STATE_IORESP_READY);
    __atomic_store_n(&rq->flags, bits, __ATOMIC_RELEASE);
    (void)evtchn_send(b->local_port[vcpu]);
}

uint32_t serve_ready(struct backend *b)
{
    uint32_t n = 0U;
    uint32_t v;

    for (v = 0U; v < b->vcpus; v++) {
        volatile struct ioreq *rq = &b->page[v];
        uint8_t state = __atomic_load_n(&rq->flags, __ATOMIC_ACQUIRE) & IOREQ_FLAGS_STATE_MASK;

        if (state == STATE_IOREQ_READY) {
            serve_one(b, v, rq);
            n++;
        }
    }
    return n;
}
