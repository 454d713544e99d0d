/*
 * Grant table calls on our own table: refs around the table's end, frame
 * counts around the maximum, maps of our own grants to addresses that are
 * taken or not ours, unmaps of handles never issued, copies whose offset
 * plus length runs just past a page, version switches back and forth.
 */
#include "hostile.h"

#include <public/grant_table.h>

#define REFS_PER_FRAME (XEN_PAGE_SIZE / 8U)

static uint32_t any_ref(struct hctx *c)
{
    switch (rnd_below(c, 4U)) {
    case 0U: return (uint32_t)rnd_near(c, REFS_PER_FRAME);
    case 1U: return (uint32_t)rnd_near(c, 64U * REFS_PER_FRAME);
    default: return rnd_below(c, 16U);
    }
}

static void copy_ptr(struct hctx *c, struct gnttab_copy_ptr *p, bool by_ref)
{
    p->u.gmfn = by_ref ? any_ref(c) : wild_gfn(c);
    p->domid = any_domid(c);
    p->offset = (uint16_t)rnd_near(c, XEN_PAGE_SIZE - 16U);
}

/* A batch of n entries of size sz; count is sometimes more than were built. */
static uint32_t batch(struct hctx *c, uint64_t *a, void **b, uint32_t sz)
{
    uint32_t n = 1U + rnd_below(c, 4U);

    *a = arg_addr(c, b, n * sz);
    return rnd_chance(c, 8U) ? (uint32_t)rnd_near(c, n) : n;
}

long fuzz_gnttab(struct hctx *c)
{
    uint32_t cmd = rnd_below(c, 14U);
    uint32_t count = 1U;
    uint32_t i;
    uint64_t a;
    void *b;

    switch (cmd) {
    case GNTTABOP_map_grant_ref: {
        struct gnttab_map_grant_ref *m;

        count = batch(c, &a, &b, sizeof(*m));
        m = b;
        for (i = 0U; i < 4U; i++) {
            if ((uint8_t *)&m[i + 1U] > c->build + HOSTILE_BUILD_PAGES * XEN_PAGE_SIZE) {
                break;
            }
            m[i].host_addr = wild_gfn(c) << XEN_PAGE_SHIFT;
            m[i].flags = GNTMAP_host_map | (rnd_chance(c, 2U) ? GNTMAP_readonly : 0U) |
                         (rnd_chance(c, 8U) ? (uint32_t)rnd(c) : 0U);
            m[i].ref = any_ref(c);
            m[i].dom = rnd_chance(c, 2U) ? henv.self : any_domid(c);
        }
        break;
    }
    case GNTTABOP_unmap_grant_ref: {
        struct gnttab_unmap_grant_ref *u;

        count = batch(c, &a, &b, sizeof(*u));
        u = b;
        u->host_addr = rnd_chance(c, 4U) ? 0U : (wild_gfn(c) << XEN_PAGE_SHIFT);
        u->handle = (uint32_t)rnd_near(c, 1024U);
        break;
    }
    case GNTTABOP_setup_table:
    case GNTTABOP_get_status_frames: {
        uint32_t *w;

        a = arg_addr(c, &b, 24U);
        w = b;
        if (cmd == GNTTABOP_setup_table) {
            struct gnttab_setup_table *s = b;

            s->dom = any_domid(c);
            s->nr_frames = (uint32_t)rnd_near(c, 32U);
            /* the frame list is written: into our build pages or nowhere of ours */
            s->frame_list = rnd_chance(c, 2U) ? hc_ptr(c->build + rnd_below(c, XEN_PAGE_SIZE))
                                              : wild_addr(c, 8U * 4U);
        } else {
            w[0] = (uint32_t)rnd_near(c, 4U);
            ((struct gnttab_get_status_frames *)(void *)w)->dom = any_domid(c);
            ((struct gnttab_get_status_frames *)(void *)w)->frame_list = wild_addr(c, 32U);
        }
        break;
    }
    case GNTTABOP_copy: {
        struct gnttab_copy *cp;

        count = batch(c, &a, &b, sizeof(*cp));
        cp = b;
        cp->flags = (uint16_t)rnd_below(c, 4U);
        copy_ptr(c, &cp->source, (cp->flags & GNTCOPY_source_gref) != 0U);
        copy_ptr(c, &cp->dest, (cp->flags & GNTCOPY_dest_gref) != 0U);
        cp->len = (uint16_t)rnd_near(c, XEN_PAGE_SIZE - cp->source.offset);
        break;
    }
    case GNTTABOP_set_version:
        a = arg_addr(c, &b, 4U);
        *(uint32_t *)b = (uint32_t)rnd_near(c, 2U);
        break;
    default:    /* query_size, get_version, swap, cache_flush, transfer, the rest */
        a = arg_addr(c, &b, 24U);
        ((uint16_t *)b)[0] = any_domid(c);
        ((uint32_t *)b)[1] = any_ref(c);
        if (rnd_chance(c, 4U)) {
            count = (uint32_t)rnd_near(c, 4U);
        }
        break;
    }
    /* the upper bits of the command are a continuation index on Xen */
    if (rnd_chance(c, 16U)) {
        cmd |= (uint32_t)rnd(c) & ~GNTTABOP_CMD_MASK;
    }
    return hyp_gnttab_op(cmd, (void *)(uintptr_t)a, count);
}
