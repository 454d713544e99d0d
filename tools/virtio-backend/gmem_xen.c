/* Guest memory reached through foreign mappings of the guest's pages. */
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

struct slot {
    uint64_t gfn;
    uint8_t *va;
};

struct gmem_xen {
    struct guest_mem gm;    /* first: the guest_mem pointer is this one */
    xenforeignmemory_handle *fm;
    uint16_t domid;
    pthread_mutex_t lock;   /* the workers share the cache */
    unsigned long failures;
    struct slot slot[GMX_SLOTS];
};

/* With the lock held: the page's mapping, mapped now if need be. */
static uint8_t *page_of(struct gmem_xen *g, uint64_t gfn)
{
    struct slot *s = &g->slot[gfn % GMX_SLOTS];
    xen_pfn_t pfn = (xen_pfn_t)gfn;
    int err = 0;
    void *va;

    if (s->va && s->gfn == gfn)
        return s->va;
    if (s->va) {
        xenforeignmemory_unmap(g->fm, s->va, 1);
        s->va = NULL;
    }
    va = xenforeignmemory_map(g->fm, g->domid, PROT_READ | PROT_WRITE, 1, &pfn, &err);
    if (!va || err != 0) {
        if (va)
            xenforeignmemory_unmap(g->fm, va, 1);
        if (g->failures++ < 5)
            log_msg("cannot map guest page %#llx (error %d)", (unsigned long long)gfn, err);
        return NULL;
    }
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
        uint64_t in_page = gpa & (GMX_PAGE_SIZE - 1u);
        size_t n = GMX_PAGE_SIZE - in_page < len ? GMX_PAGE_SIZE - in_page : len;
        uint8_t *p = page_of(g, gpa >> GMX_PAGE_SHIFT);

        if (!p) {
            rc = -1;
            break;
        }
        if (to_guest)
            memcpy(p + in_page, buf, n);
        else
            memcpy(buf, p + in_page, n);
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
