/* Split virtqueue, device side (VirtIO 1.2, 2.7). */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include "le.h"
#include "virtio_abi.h"
#include "virtqueue.h"

static bool area_ok(uint64_t addr, uint64_t align, uint64_t size)
{
    return (addr & (align - 1u)) == 0 && addr + size > addr;
}

bool vq_layout_ok(uint32_t num, uint64_t desc, uint64_t avail, uint64_t used)
{
    if (num == 0 || num > VQ_MAX_SIZE || (num & (num - 1u)) != 0)
        return false;
    return area_ok(desc, 16, (uint64_t)VIRTQ_DESC_SIZE * num) &&
           area_ok(avail, 2, 6u + 2u * (uint64_t)num) &&
           area_ok(used, 4, 6u + 8u * (uint64_t)num);
}

void vq_init(struct vq *vq, struct guest_mem *gm, uint16_t num, uint64_t desc, uint64_t avail,
             uint64_t used, bool indirect)
{
    memset(vq, 0, sizeof(*vq));
    vq->gm = gm;
    vq->num = num;
    vq->desc = desc;
    vq->avail = avail;
    vq->used = used;
    vq->indirect = indirect;
}

struct raw_desc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
    uint16_t next;
};

static int read_desc(struct guest_mem *gm, uint64_t table, uint32_t i, struct raw_desc *d)
{
    uint8_t b[VIRTQ_DESC_SIZE];

    if (gm_read(gm, table + (uint64_t)i * VIRTQ_DESC_SIZE, b, sizeof(b)) != 0)
        return -EFAULT;
    d->addr = le64(b);
    d->len = le32(b + 8);
    d->flags = le16(b + 12);
    d->next = le16(b + 14);
    return 0;
}

/* Walk the chain from head into c; the error code of the first thing
 * wrong, or 0. Each table (the ring's, then at most one indirect) is
 * walked at most once per entry, which is what bounds a looping chain. */
static int walk(struct vq *vq, uint16_t head, struct vq_chain *c)
{
    uint64_t table = vq->desc;
    uint32_t size = vq->num, idx = head, steps = 0;
    bool in_indirect = false;
    struct raw_desc d;

    for (;;) {
        if (++steps > size)
            return -ELOOP;
        if (read_desc(vq->gm, table, idx, &d) != 0)
            return -EFAULT;
        if (d.flags & VIRTQ_DESC_F_INDIRECT) {
            /* Only one level, never chained on (2.7.5.3.1). */
            if (!vq->indirect || in_indirect || (d.flags & VIRTQ_DESC_F_NEXT))
                return -EINVAL;
            if (d.len == 0 || d.len % VIRTQ_DESC_SIZE != 0 ||
                d.len / VIRTQ_DESC_SIZE > VQ_MAX_INDIRECT || d.addr + d.len < d.addr)
                return -EINVAL;
            table = d.addr;
            size = d.len / VIRTQ_DESC_SIZE;
            idx = 0;
            steps = 0;
            in_indirect = true;
            continue;
        }
        if (d.addr + d.len < d.addr)
            return -EFAULT;
        if (d.len != 0) {
            bool w = (d.flags & VIRTQ_DESC_F_WRITE) != 0;

            /* The driver puts what the device reads before what it writes
             * (2.7.4.2); a request framed otherwise is not one we can read. */
            if (!w && c->writable != 0)
                return -EINVAL;
            if (c->nseg == VQ_MAX_SEGS)
                return -E2BIG;
            c->seg[c->nseg].gpa = d.addr;
            c->seg[c->nseg].len = d.len;
            c->seg[c->nseg].device_writes = w;
            c->nseg++;
            if (w)
                c->writable += d.len;
            else
                c->readable += d.len;
        }
        if (!(d.flags & VIRTQ_DESC_F_NEXT))
            return 0;
        idx = d.next;
        if (idx >= size)
            return -EINVAL;
    }
}

int vq_pop(struct vq *vq, struct vq_chain *chain)
{
    uint8_t b[2];
    uint16_t avail_idx, head;

    if (gm_read(vq->gm, vq->avail + 2, b, 2) != 0)
        return -1;
    avail_idx = le16(b);
    if (avail_idx == vq->last_avail)
        return 0;
    /* More entries than the ring holds: the index is garbage. */
    if ((uint16_t)(avail_idx - vq->last_avail) > vq->num)
        return -1;
    /* The entries were written before the index was. */
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    if (gm_read(vq->gm, vq->avail + 4 + 2u * (uint64_t)(vq->last_avail & (vq->num - 1u)), b, 2) != 0)
        return -1;
    head = le16(b);
    /* A head we cannot give back cannot be failed either. */
    if (head >= vq->num)
        return -1;
    vq->last_avail++;
    chain->head = head;
    chain->nseg = 0;
    chain->readable = 0;
    chain->writable = 0;
    chain->error = walk(vq, head, chain);
    return 1;
}

int vq_push(struct vq *vq, uint16_t head, uint32_t len)
{
    uint8_t e[8], idx[2];

    put_le32(e, head);
    put_le32(e + 4, len);
    if (gm_write(vq->gm, vq->used + 4 + 8u * (uint64_t)(vq->used_idx & (vq->num - 1u)), e, 8) != 0)
        return -1;
    /* The driver must see the entry before the index that covers it. */
    __atomic_thread_fence(__ATOMIC_RELEASE);
    vq->used_idx++;
    put_le16(idx, vq->used_idx);
    return gm_write(vq->gm, vq->used + 2, idx, 2) != 0 ? -1 : 0;
}

bool vq_wants_irq(struct vq *vq)
{
    uint8_t b[2];

    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    /* Unreadable flags: interrupt anyway, a spare one does no harm. */
    if (gm_read(vq->gm, vq->avail, b, 2) != 0)
        return true;
    return !(le16(b) & VIRTQ_AVAIL_F_NO_INTERRUPT);
}

/* Called for each piece of a chain's part: its guest address and length;
 * 0 to go on. */
typedef int (*piece_fn)(void *ctx, uint64_t gpa, uint64_t n);

/* fn over [off, off + len) of the chain's readable or writable part, a
 * piece per segment it touches, in order: 0 once all of it was walked, -1
 * when it lies beyond the chain or fn refused a piece (*walked: the bytes
 * of the pieces before). */
static int chain_walk(const struct vq_chain *c, bool writable, uint64_t off, uint64_t len,
                      piece_fn fn, void *ctx, uint64_t *walked)
{
    unsigned i;

    *walked = 0;
    if (off + len < off || off + len > (writable ? c->writable : c->readable))
        return -1;
    for (i = 0; i < c->nseg && len != 0; i++) {
        const struct vq_seg *s = &c->seg[i];
        uint64_t n;

        if (s->device_writes != writable)
            continue;
        if (off >= s->len) {
            off -= s->len;
            continue;
        }
        n = s->len - off;
        if (n > len)
            n = len;
        if (fn(ctx, s->gpa + off, n) != 0)
            return -1;
        *walked += n;
        len -= n;
        off = 0;
    }
    return len == 0 ? 0 : -1;
}

struct copy_ctx {
    struct guest_mem *gm;
    uint8_t *p;
    bool to_guest;
};

static int copy_piece(void *ctx, uint64_t gpa, uint64_t n)
{
    struct copy_ctx *k = ctx;
    int rc = k->to_guest ? gm_write(k->gm, gpa, k->p, n) : gm_read(k->gm, gpa, k->p, n);

    k->p += n;
    return rc;
}

/* Copy between the chain's readable part and buf, or buf and its
 * writable part. */
static int chain_copy(struct guest_mem *gm, const struct vq_chain *c, bool writable, uint64_t off,
                      void *buf, uint64_t len)
{
    struct copy_ctx k = { gm, buf, writable };
    uint64_t walked;

    return chain_walk(c, writable, off, len, copy_piece, &k, &walked);
}

int vq_chain_read(struct guest_mem *gm, const struct vq_chain *chain, uint64_t off, void *dst,
                  uint64_t len)
{
    return chain_copy(gm, chain, false, off, dst, len);
}

int vq_chain_write(struct guest_mem *gm, const struct vq_chain *chain, uint64_t off,
                   const void *src, uint64_t len)
{
    return chain_copy(gm, chain, true, off, (void *)src, len);
}

struct iov_ctx {
    struct guest_mem *gm;
    struct iovec *iov;
    unsigned cnt, max;
    bool put;
};

static int iov_piece(void *ctx, uint64_t gpa, uint64_t n)
{
    struct iov_ctx *k = ctx;
    int got;

    if (k->put) {
        k->cnt += gm_put(k->gm, gpa, (size_t)n, k->iov + k->cnt);
        return 0;
    }
    got = gm_get(k->gm, gpa, (size_t)n, k->iov + k->cnt, k->max - k->cnt);
    if (got < 0)
        return -1;
    k->cnt += (unsigned)got;
    return 0;
}

/* get (put false) or put the pieces of len bytes at off, one call per
 * segment they touch; a put must see the same pieces its get did, which
 * the same (off, len) on the same chain gives. A get that fails part way
 * gives back what it took. */
static int chain_iov(struct guest_mem *gm, const struct vq_chain *c, bool writable, uint64_t off,
                     uint64_t len, struct iovec *iov, unsigned max, bool put)
{
    struct iov_ctx k = { gm, iov, 0, max, put };
    uint64_t walked;

    if (chain_walk(c, writable, off, len, iov_piece, &k, &walked) != 0) {
        if (!put && walked != 0)
            chain_iov(gm, c, writable, off, walked, iov, 0, true);
        return -1;
    }
    return (int)k.cnt;
}

int vq_chain_get(struct guest_mem *gm, const struct vq_chain *chain, bool writable, uint64_t off,
                 uint64_t len, struct iovec *iov, unsigned max)
{
    if (!iov || !gm->get || !gm->put)
        return -1;
    if (max > INT_MAX)
        max = INT_MAX;
    return chain_iov(gm, chain, writable, off, len, iov, max, false);
}

void vq_chain_put(struct guest_mem *gm, const struct vq_chain *chain, bool writable, uint64_t off,
                  uint64_t len, const struct iovec *iov)
{
    if (gm->put)
        chain_iov(gm, chain, writable, off, len, (struct iovec *)iov, 0, true);
}
