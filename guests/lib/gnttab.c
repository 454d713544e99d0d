#include "gnttab.h"

volatile struct grant_entry_v1 *gnttab_entries;

long gnttab_setup(const struct platform *p)
{
    struct xen_add_to_physmap x = { XEN_DOMID_SELF, 0U, XENMAPSPACE_grant_table, 0U, 0U };
    long rc;

    if (!p->has_hypervisor || (p->gnttab_size < XEN_PAGE_SIZE)) {
        return -XEN_ENODEV;
    }
    x.gpfn = p->gnttab_base >> XEN_PAGE_SHIFT;
    rc = hyp_memory_op(XENMEM_add_to_physmap, &x);
    if (rc == 0) {
        gnttab_entries = (volatile struct grant_entry_v1 *)(uintptr_t)p->gnttab_base;
    }
    return rc;
}

uint64_t gnttab_free_region(const struct platform *p, uint32_t index, uint64_t *size)
{
    int hyp = fdt_path(&p->fdt, "/hypervisor");
    uint64_t base = 0U;

    *size = 0U;
    if ((hyp < 0) || !fdt_reg(&p->fdt, hyp, index, &base, size)) {
        *size = 0U;
        return 0U;
    }
    return base;
}

void gnttab_grant(uint32_t ref, uint16_t domid, uint64_t gfn, bool readonly)
{
    volatile struct grant_entry_v1 *e = &gnttab_entries[ref];

    e->frame = (uint32_t)gfn;
    e->domid = domid;
    /* the frame and domid must be visible before the entry becomes valid */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    e->flags = (uint16_t)(GTF_permit_access | (readonly ? GTF_readonly : 0U));
}

void gnttab_revoke(uint32_t ref)
{
    gnttab_entries[ref].flags = 0U;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
}

long gnttab_copy_one(struct gnttab_copy *c, int16_t *status)
{
    long rc;

    c->status = 0x7fff;
    rc = hyp_gnttab_op(GNTTABOP_copy, c, 1U);
    *status = c->status;
    return rc;
}
