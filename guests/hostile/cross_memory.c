/*
 * The sibling-aimed calls that would change or read its memory, stop it
 * or read its parameters: memory_op with the sibling's domid (as Xen
 * 4.17 says, only a domain with rights over it may: -EPERM for us), a
 * foreign mapping of its frames, acquire_resource of its grant table,
 * SCHEDOP_remote_shutdown, hvm_op get/set_param.
 */
#include "hostile.h"

/* Xen 4.17's struct xen_memory_exchange. */
struct cross_exchange {
    struct xen_memory_reservation in;
    struct xen_memory_reservation out;
    uint64_t nr_exchanged;
};
_Static_assert(sizeof(struct cross_exchange) <= CROSS_BUF_SIZE, "fuzz_cross's buffer holds an exchange");

static uint64_t sibling_gfn(struct hctx *c)
{
    return (henv.ram_base >> XEN_PAGE_SHIFT) + rnd_below(c, 0x4000U);
}

/* An extent list of one of the sibling's frames, in our build pages. */
static uint64_t one_extent(struct hctx *c)
{
    uint64_t *l = build_slot(c, 8U);

    l[0] = sibling_gfn(c);
    return hc_ptr(l);
}

static void reservation(struct hctx *c, struct xen_memory_reservation *r)
{
    r->extent_start = one_extent(c);
    r->nr_extents = 1U;
    r->extent_order = 0U;
    r->mem_flags = 0U;
    r->domid = henv.sibling;
}

static void physmap(struct hctx *c, void *b, uint64_t a)
{
    if (rnd_chance(c, 2U)) {
        struct xen_add_to_physmap *x = b;

        x->domid = henv.sibling;
        x->size = 0U;
        x->space = rnd_chance(c, 2U) ? XENMAPSPACE_gmfn : XENMAPSPACE_shared_info;
        x->idx = (x->space == XENMAPSPACE_gmfn) ? sibling_gfn(c) : 0U;
        x->gpfn = (henv.ext_base >> XEN_PAGE_SHIFT) + 120U + rnd_below(c, 8U);
        cross_count(c, CROSS_ADD_TO_PHYSMAP, hyp_memory_op(XENMEM_add_to_physmap, (void *)(uintptr_t)a) == 0);
    } else {
        /* map one of its frames into our free GPAs, as only a privileged domain may */
        struct xen_add_to_physmap_batch *x = b;
        uint64_t *idx = build_slot(c, 3U * 8U);
        int32_t *err = (int32_t *)(void *)&idx[2];
        long rc;

        idx[0] = sibling_gfn(c);
        idx[1] = (henv.ext_base >> XEN_PAGE_SHIFT) + 130U + rnd_below(c, 8U);
        err[0] = 0x5a5a;
        x->domid = XEN_DOMID_SELF;
        x->space = XENMAPSPACE_gmfn_foreign;
        x->size = 1U;
        x->u.foreign_domid = henv.sibling;
        x->idxs = hc_ptr(&idx[0]);
        x->gpfns = hc_ptr(&idx[1]);
        x->errs = hc_ptr(err);
        rc = hyp_memory_op(XENMEM_add_to_physmap_batch, (void *)(uintptr_t)a);
        cross_count(c, CROSS_FOREIGN_MAP, (rc == 0) && (err[0] == 0));
    }
}

void cross_memory(struct hctx *c, void *b, uint64_t a)
{
    uint32_t cmd;
    long rc;

    switch (rnd_below(c, 6U)) {
    case 0U:
        cmd = (rnd_chance(c, 2U)) ? XENMEM_decrease_reservation
            : (rnd_chance(c, 2U) ? XENMEM_populate_physmap : XENMEM_increase_reservation);
        reservation(c, b);
        cross_count(c, CROSS_RESERVATION, hyp_memory_op(cmd, (void *)(uintptr_t)a) > 0);
        break;
    case 1U:
        /* how much it has is the sibling's business */
        cmd = XENMEM_current_reservation + rnd_below(c, 2U);
        *(uint16_t *)b = henv.sibling;
        rc = hyp_memory_op(cmd, (void *)(uintptr_t)a);
        cross_count(c, CROSS_RESERVATION_READ, rc >= 0);
        break;
    case 2U:
        physmap(c, b, a);
        break;
    case 3U: {
        struct xen_remove_from_physmap *r = b;

        r->domid = henv.sibling;
        r->gpfn = sibling_gfn(c);
        cross_count(c, CROSS_REMOVE_FROM_PHYSMAP,
                    hyp_memory_op(XENMEM_remove_from_physmap, (void *)(uintptr_t)a) == 0);
        break;
    }
    case 4U: {
        struct xen_mem_acquire_resource *r = b;

        r->domid = henv.sibling;
        r->type = XENMEM_resource_grant_table;
        r->id = XENMEM_resource_grant_table_id_shared;
        r->nr_frames = 1U;
        r->pad = 0U;
        r->frame = 0U;
        r->frame_list = one_extent(c);
        cross_count(c, CROSS_ACQUIRE_RESOURCE,
                    hyp_memory_op(XENMEM_acquire_resource, (void *)(uintptr_t)a) == 0);
        break;
    }
    default: {
        struct cross_exchange *e = b;

        reservation(c, &e->in);
        reservation(c, &e->out);
        e->out.extent_start = hc_ptr(build_slot(c, 8U));
        e->nr_exchanged = 0U;
        cross_count(c, CROSS_EXCHANGE, (hyp_memory_op(XENMEM_exchange, (void *)(uintptr_t)a) == 0) &&
                                       (e->nr_exchanged != 0U));
        break;
    }
    }
}

void cross_control(struct hctx *c, void *b, uint64_t a)
{
    if (rnd_chance(c, 2U)) {
        struct sched_remote_shutdown *rs = b;

        rs->domain_id = henv.sibling;
        rs->pad = 0U;
        rs->reason = (uint32_t)rnd_below(c, 4U);
        cross_count(c, CROSS_REMOTE_SHUTDOWN, hyp_sched_op(SCHEDOP_remote_shutdown, (void *)(uintptr_t)a) == 0);
    } else {
        struct xen_hvm_param *p = b;
        uint32_t cmd = rnd_below(c, 2U);

        p->domid = henv.sibling;
        p->pad = 0U;
        p->index = rnd_below(c, 40U);
        p->value = rnd_below(c, 16U);
        cross_count(c, CROSS_HVM_PARAM, hyp_hvm_op(cmd, (void *)(uintptr_t)a) == 0);
    }
}
