/* The test guests' virtio-mmio driver (vdrv.h). */
#include "mmio.h"
#include "string.h"
#include "timer.h"
#include "vdrv.h"

#define ST_ACK      1U
#define ST_DRIVER   2U
#define ST_DRV_OK   4U
#define ST_FEAT_OK  8U

#define R_DRVFEAT   0x020U
#define R_DRVSEL    0x024U
#define R_QSEL      0x030U
#define R_QNUM      0x038U
#define R_QREADY    0x044U
#define R_NOTIFY    0x050U
#define R_DESC      0x080U
#define R_DRIVER    0x090U
#define R_DEVICE    0x0a0U

static void barrier(void)
{
    __asm__ volatile("dmb ish" ::: "memory");
}

uint32_t vdrv_rd(const struct vdrv *d, uint32_t off)
{
    return mmio_read32(d->base + off);
}

void vdrv_wr(const struct vdrv *d, uint32_t off, uint32_t v)
{
    mmio_write32(d->base + off, v);
}

bool vdrv_probe(struct vdrv *d, uintptr_t base, uint32_t device_id)
{
    d->base = base;
    return vdrv_rd(d, VDRV_MAGIC) == 0x74726976U && vdrv_rd(d, VDRV_VERSION) == 2U &&
           vdrv_rd(d, VDRV_DEVICE_ID) == device_id;
}

uint64_t vdrv_device_features(const struct vdrv *d)
{
    uint64_t f;

    vdrv_wr(d, VDRV_DEVFEATSEL, 0);
    f = vdrv_rd(d, VDRV_DEVFEAT);
    vdrv_wr(d, VDRV_DEVFEATSEL, 1);
    return f | ((uint64_t)vdrv_rd(d, VDRV_DEVFEAT) << 32);
}

static void wr64(const struct vdrv *d, uint32_t off, uint64_t v)
{
    vdrv_wr(d, off, (uint32_t)v);
    vdrv_wr(d, off + 4U, (uint32_t)(v >> 32));
}

bool vdrv_init(struct vdrv *d, uint64_t features, unsigned nq)
{
    unsigned i;

    if (nq > VDRV_MAXQ) {
        return false;
    }
    vdrv_wr(d, VDRV_STATUS, 0);
    vdrv_wr(d, VDRV_STATUS, ST_ACK | ST_DRIVER);
    vdrv_wr(d, R_DRVSEL, 0);
    vdrv_wr(d, R_DRVFEAT, (uint32_t)features);
    vdrv_wr(d, R_DRVSEL, 1);
    vdrv_wr(d, R_DRVFEAT, (uint32_t)(features >> 32));
    vdrv_wr(d, VDRV_STATUS, ST_ACK | ST_DRIVER | ST_FEAT_OK);
    if ((vdrv_rd(d, VDRV_STATUS) & ST_FEAT_OK) == 0U) {
        return false;
    }
    d->nq = nq;
    for (i = 0; i < nq; i++) {
        struct vdrv_queue *q = &d->q[i];

        memset((void *)(uintptr_t)q->avail, 0, sizeof(q->avail));
        memset((void *)(uintptr_t)q->used, 0, sizeof(q->used));
        q->next_avail = 0U;
        q->seen_used = 0U;
        vdrv_wr(d, R_QSEL, i);
        vdrv_wr(d, R_QNUM, VDRV_QSZ);
        wr64(d, R_DESC, vdrv_pa(q->desc));
        wr64(d, R_DRIVER, vdrv_pa(q->avail));
        wr64(d, R_DEVICE, vdrv_pa(q->used));
        vdrv_wr(d, R_QREADY, 1);
        if (vdrv_rd(d, R_QREADY) != 1U) {
            return false;
        }
    }
    vdrv_wr(d, VDRV_STATUS, ST_ACK | ST_DRIVER | ST_FEAT_OK | ST_DRV_OK);
    return true;
}

void vdrv_desc(struct vdrv *d, unsigned q, unsigned i, uint64_t addr, uint32_t len,
               uint16_t flags, uint16_t next)
{
    struct vdrv_desc *t = &d->q[q].desc[i % VDRV_QSZ];

    t->addr = addr;
    t->len = len;
    t->flags = flags;
    t->next = next;
}

void vdrv_offer(struct vdrv *d, unsigned q, uint16_t head)
{
    struct vdrv_queue *vq = &d->q[q];

    vq->avail[2U + (vq->next_avail % VDRV_QSZ)] = head;
    barrier();
    vq->next_avail++;
    vq->avail[1] = vq->next_avail;
    barrier();
    vdrv_wr(d, R_NOTIFY, q);
}

bool vdrv_take(struct vdrv *d, unsigned q, uint16_t *head, uint32_t *len)
{
    struct vdrv_queue *vq = &d->q[q];
    unsigned slot;

    /* used[0]: the ring's flags (low half) and index (high half). */
    if ((uint16_t)(vq->used[0] >> 16) == vq->seen_used) {
        return false;
    }
    barrier();
    slot = vq->seen_used % VDRV_QSZ;
    *head = (uint16_t)vq->used[1U + 2U * slot];
    *len = vq->used[2U + 2U * slot];
    vq->seen_used++;
    return true;
}

int64_t vdrv_wait(struct vdrv *d, unsigned q, uint16_t *head, uint64_t timeout_ms)
{
    uint64_t end = timer_now() + timer_us_to_ticks(timeout_ms * 1000U);
    uint32_t len;

    while (!vdrv_take(d, q, head, &len)) {
        if (timer_now() > end) {
            return -1;
        }
    }
    return len;
}
