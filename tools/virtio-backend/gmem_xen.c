/* Guest memory reached through foreign mappings of the guest's pages. */
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <xenforeignmemory.h>

#include "gmem_xen.h"
#include "log.h"

/* Xen's page granule, whatever dom0's own page size. */
#define GMX_PAGE_SHIFT 12
#define GMX_PAGE_SIZE  (1u << GMX_PAGE_SHIFT)
/* 16 MiB of the guest mapped at most: each mapping costs dom0 a page of
 * its own address space (ballooned out), so keep the bound modest. */
#define GMX_SLOTS 4096u
/* Pages a get may map outside the cache (their slot pinned by another
 * page) all gets together: 4 MiB more at most. */
#define GMX_SPILL 1024u

struct slot {
    uint64_t gfn;
    uint8_t *va;
    /* Gets not yet put: while any is held, a preadv may be writing through
     * va without the lock, so the slot keeps its page. */
    unsigned pins;
};

struct gmem_xen {
    struct guest_mem gm;    /* first: the guest_mem pointer is this one */
    xenforeignmemory_handle *fm;
    uint16_t domid;
    pthread_mutex_t lock;   /* the workers share the cache */
    unsigned long failures;
    unsigned spilled;       /* mappings gets hold outside the cache */
    struct slot slot[GMX_SLOTS];
};

/* The piece of [gpa, gpa + len) in gpa's page: its length; *gfn the page,
 * *in_page where in it the piece starts. */
static size_t page_piece(uint64_t gpa, size_t len, uint64_t *gfn, uint64_t *in_page)
{
    *in_page = gpa & (GMX_PAGE_SIZE - 1u);
    *gfn = gpa >> GMX_PAGE_SHIFT;
    return GMX_PAGE_SIZE - *in_page < len ? GMX_PAGE_SIZE - *in_page : len;
}

static struct slot *slot_of(struct gmem_xen *g, uint64_t gfn)
{
    return &g->slot[gfn % GMX_SLOTS];
}

static uint8_t *map_one(struct gmem_xen *g, uint64_t gfn)
{
    xen_pfn_t pfn = (xen_pfn_t)gfn;
    int err = 0;
    void *va = xenforeignmemory_map(g->fm, g->domid, PROT_READ | PROT_WRITE, 1, &pfn, &err);

    if (!va || err != 0) {
        if (va)
            xenforeignmemory_unmap(g->fm, va, 1);
        if (g->failures++ < 5)
            log_msg("cannot map guest page %#llx (error %d)", (unsigned long long)gfn, err);
        return NULL;
    }
    return va;
}

/* With the lock held: the page's mapping, mapped now if need be; NULL when
 * it cannot be mapped or its slot is pinned by another page. */
static uint8_t *page_of(struct gmem_xen *g, uint64_t gfn)
{
    struct slot *s = slot_of(g, gfn);
    uint8_t *va;

    if (s->va && s->gfn == gfn)
        return s->va;
    if (s->pins != 0)
        return NULL;
    if (s->va) {
        xenforeignmemory_unmap(g->fm, s->va, 1);
        s->va = NULL;
    }
    va = map_one(g, gfn);
    if (!va)
        return NULL;
    s->gfn = gfn;
    s->va = va;
    return va;
}

static int copy(struct gmem_xen *g, uint64_t gpa, uint8_t *buf, size_t len, bool to_guest)
{
    int rc = 0;

    if (gpa + len < gpa)
        return -1;
    pthread_mutex_lock(&g->lock);
    while (len != 0) {
        uint64_t in_page, gfn;
        size_t n = page_piece(gpa, len, &gfn, &in_page);
        const struct slot *s = slot_of(g, gfn);
        /* Another page's reader holds the slot: borrow a mapping for this
         * copy alone rather than wait for it or fail the guest. */
        uint8_t *tmp = s->pins != 0 && s->gfn != gfn ? map_one(g, gfn) : NULL;
        uint8_t *p = tmp ? tmp : page_of(g, gfn);

        if (!p) {
            rc = -1;
            break;
        }
        if (to_guest)
            memcpy(p + in_page, buf, n);
        else
            memcpy(buf, p + in_page, n);
        if (tmp)
            xenforeignmemory_unmap(g->fm, tmp, 1);
        gpa += n;
        buf += n;
        len -= n;
    }
    pthread_mutex_unlock(&g->lock);
    return rc;
}

static int gx_read(struct guest_mem *gm, uint64_t gpa, void *dst, size_t len)
{
    return copy((struct gmem_xen *)gm, gpa, dst, len, false);
}

static int gx_write(struct guest_mem *gm, uint64_t gpa, const void *src, size_t len)
{
    return copy((struct gmem_xen *)gm, gpa, (uint8_t *)src, len, true);
}

/* With the lock held: give back what a get of [gpa, gpa + len) took, one
 * iovec a page; the count of iovecs. A page's own mapping tells which it
 * was: its slot's (pinned), or one of its own (spilled), whatever other
 * gets did with the same page meanwhile. */
static unsigned unpin(struct gmem_xen *g, uint64_t gpa, size_t len, const struct iovec *iov)
{
    unsigned k = 0;

    while (len != 0) {
        uint64_t in_page, gfn;
        size_t n = page_piece(gpa, len, &gfn, &in_page);
        struct slot *s = slot_of(g, gfn);
        uint8_t *va = (uint8_t *)iov[k].iov_base - in_page;

        if (s->va == va && s->gfn == gfn && s->pins != 0) {
            s->pins--;
        } else {
            xenforeignmemory_unmap(g->fm, va, 1);
            g->spilled--;
        }
        k++;
        gpa += n;
        len -= n;
    }
    return k;
}

static int gx_get(struct guest_mem *gm, uint64_t gpa, size_t len, struct iovec *iov, unsigned max)
{
    struct gmem_xen *g = (struct gmem_xen *)gm;
    uint64_t start = gpa;
    unsigned cnt = 0;

    if (gpa + len < gpa)
        return -1;
    if (max > INT_MAX)
        max = INT_MAX;
    pthread_mutex_lock(&g->lock);
    while (len != 0) {
        uint64_t in_page, gfn;
        size_t n = page_piece(gpa, len, &gfn, &in_page);
        struct slot *s = slot_of(g, gfn);
        uint8_t *p;

        if (cnt == max)
            goto undo;
        if (s->pins != 0 && s->gfn != gfn) {
            /* Scattered buffers often share a slot with another page of the
             * same request: map this one apart rather than copy it all. */
            if (g->spilled == GMX_SPILL)
                goto undo;
            p = map_one(g, gfn);
            if (!p)
                goto undo;
            g->spilled++;
        } else {
            if (s->pins == UINT_MAX)
                goto undo;
            p = page_of(g, gfn);
            if (!p)
                goto undo;
            s->pins++;
        }
        iov[cnt].iov_base = p + in_page;
        iov[cnt].iov_len = n;
        cnt++;
        gpa += n;
        len -= n;
    }
    pthread_mutex_unlock(&g->lock);
    return (int)cnt;
undo:
    unpin(g, start, (size_t)(gpa - start), iov);
    pthread_mutex_unlock(&g->lock);
    return -1;
}

static unsigned gx_put(struct guest_mem *gm, uint64_t gpa, size_t len, const struct iovec *iov)
{
    struct gmem_xen *g = (struct gmem_xen *)gm;
    unsigned k;

    pthread_mutex_lock(&g->lock);
    k = unpin(g, gpa, len, iov);
    pthread_mutex_unlock(&g->lock);
    return k;
}

struct guest_mem *gmem_xen_open(uint16_t domid)
{
    struct gmem_xen *g = calloc(1, sizeof(*g));

    if (!g)
        return NULL;
    g->fm = xenforeignmemory_open(NULL, 0);
    if (!g->fm) {
        free(g);
        return NULL;
    }
    g->gm.read = gx_read;
    g->gm.write = gx_write;
    g->gm.get = gx_get;
    g->gm.put = gx_put;
    g->domid = domid;
    pthread_mutex_init(&g->lock, NULL);
    return &g->gm;
}

void gmem_xen_close(struct guest_mem *gm)
{
    struct gmem_xen *g = (struct gmem_xen *)gm;
    unsigned i;

    if (!g)
        return;
    for (i = 0; i < GMX_SLOTS; i++) {
        if (g->slot[i].va)
            xenforeignmemory_unmap(g->fm, g->slot[i].va, 1);
    }
    xenforeignmemory_close(g->fm);
    pthread_mutex_destroy(&g->lock);
    free(g);
}
