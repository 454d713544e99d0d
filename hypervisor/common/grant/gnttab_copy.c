/* GNTTABOP_copy: copy bytes between two frames, each named either by a
 * grant reference (of any domain that granted it to the caller) or, for
 * the caller's own memory only, by guest frame number.
 *
 * Each operation is checked and done on its own, in Xen's order: the
 * domains, then the source and destination frames (a grant is pinned for
 * the time of the copy, with GTF_reading or GTF_writing set), then the
 * offsets and length. A failed operation gets its GNTST_* status and the
 * batch goes on. */
#include "../memory/pv_mem.h"
#include <proxenos/arch/mm.h>
#include <proxenos/errno.h>
#include <proxenos/guest_access.h>
#include <proxenos/string.h>

/* One end of a copy once claimed. */
struct copy_end {
    struct domain *d;
    bool by_gref;
    bool pinned;            /* a grant pin to give back */
    uint32_t ref;
    mfn_t mfn;
};

/* Which domain an end names: only the caller's own memory may be named by
 * frame number. GNTST_*. */
static int copy_domain(const struct gnttab_copy_ptr *p, bool by_gref, struct copy_end *end)
{
    if ((p->domid != DOMID_SELF) && !by_gref) {
        return GNTST_permission_denied;
    }
    end->d = pv_domain_any(p->domid);
    end->by_gref = by_gref;
    end->pinned = false;
    return ((end->d == NULL) || (end->d->gnttab == NULL)) ? GNTST_bad_domain : GNTST_okay;
}

static int copy_claim(const struct gnttab_copy_ptr *p, bool readonly, domid_t self,
                      struct copy_end *end)
{
    int rc;

    if (end->by_gref) {
        rc = gnttab_pin_grant(end->d, p->u.ref, self, readonly, false, &end->mfn);
        end->pinned = (rc == GNTST_okay);
        end->ref = p->u.ref;
    } else {
        rc = gnttab_guest_frame(end->d, p->u.gmfn, readonly, &end->mfn);
    }
    return rc;
}

static void copy_release(struct copy_end *end, bool readonly)
{
    if (end->pinned) {
        gnttab_unpin_grant(end->d, end->ref, readonly);
        end->pinned = false;
    }
}

static int16_t copy_one(const struct gnttab_copy *op, domid_t self)
{
    struct copy_end src = { 0 };
    struct copy_end dst = { 0 };
    int rc = copy_domain(&op->source, (op->flags & GNTCOPY_source_gref) != 0U, &src);

    if (rc == GNTST_okay) {
        rc = copy_domain(&op->dest, (op->flags & GNTCOPY_dest_gref) != 0U, &dst);
    }
    if (rc == GNTST_okay) {
        rc = copy_claim(&op->source, true, self, &src);
    }
    if (rc == GNTST_okay) {
        rc = copy_claim(&op->dest, false, self, &dst);
    }
    if ((rc == GNTST_okay) && ((((uint32_t)op->source.offset + op->len) > PAGE_SIZE) ||
                               (((uint32_t)op->dest.offset + op->len) > PAGE_SIZE))) {
        rc = GNTST_bad_copy_arg;
    }
    if (rc == GNTST_okay) {
        const uint8_t *from = arch_maddr_to_virt(mfn_to_paddr(src.mfn));
        uint8_t *to = arch_maddr_to_virt(mfn_to_paddr(dst.mfn));

        (void)memmove(&to[op->dest.offset], &from[op->source.offset], op->len);
    }
    copy_release(&dst, false);
    copy_release(&src, true);
    pv_domain_put(dst.d);
    pv_domain_put(src.d);
    return (int16_t)rc;
}

long gnttab_copy_ops(struct hcall_args *args, uint32_t count)
{
    domid_t self = pv_current_domain()->domain_id;
    uint32_t n = MIN(count, GNTTAB_OPS_PER_CALL);

    for (uint32_t i = 0U; i < n; i++) {
        uint64_t at = args->a[1] + ((uint64_t)i * sizeof(struct gnttab_copy));
        struct gnttab_copy op;

        if (copy_from_guest(&op, at, sizeof(op)) != 0) {
            return -EFAULT;
        }
        op.status = copy_one(&op, self);
        if (copy_to_guest(at + offsetof(struct gnttab_copy, status), &op.status,
                          sizeof(op.status)) != 0) {
            return -EFAULT;
        }
    }
    if (count > n) {
        args->a[1] += (uint64_t)n * sizeof(struct gnttab_copy);
        args->a[2] = count - n;
        return -ERESTART;
    }
    return 0;
}
