/* Reaching guest memory from the hypervisor, never trusting an address.
 *
 * Hypercall buffers: a guest on Arm passes them by virtual address. The
 * copy helpers translate each page of the buffer through the calling
 * vCPU's own stage-1 tables and its domain's stage 2, accept only the
 * domain's RAM, and return -EFAULT for anything else (unmapped, no write
 * permission, MMIO, outside the IPA space). A copy that fails may have
 * transferred a prefix of the buffer; a handler that must not act on a
 * partial input copies it in whole before acting.
 *
 * Guest pages the hypervisor keeps using after a hypercall returns (a
 * vcpu_info, a FIFO control block or event array, a granted frame) are
 * taken by guest frame number with guest_page_get(): the page is pinned so
 * that ballooning it out cannot hand it to anyone else while the
 * hypervisor still writes it. */
#ifndef PROXENOS_GUEST_ACCESS_H
#define PROXENOS_GUEST_ACCESS_H

#include <proxenos/types.h>

struct domain;
struct page_info;

/* The current vCPU's memory at guest virtual address gva. 0 or -EFAULT. */
int copy_from_guest(void *dst, uint64_t gva, size_t len);
int copy_to_guest(uint64_t gva, const void *src, size_t len);

/* A pinned guest page mapped in the hypervisor. */
struct guest_page {
    struct page_info *pg;
    void *va;           /* the page's first byte (page aligned) */
    mfn_t mfn;
};

/* Pin and map gfn of d, which must be d's RAM (read-write). 0, or -EINVAL
 * for anything else. */
int guest_page_get(struct domain *d, gfn_t gfn, struct guest_page *gp);
/* Undo guest_page_get (gp->pg NULL: nothing to do). */
void guest_page_put(struct guest_page *gp);
/* Whether a guest RAM page is pinned by the hypervisor or another domain. */
bool guest_page_pinned(const struct page_info *pg);

#endif
