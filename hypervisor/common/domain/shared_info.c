/* A domain's shared info page and where each vCPU's vcpu_info lives: see
 * <proxenos/domain_pv.h>. Below the event channels (which mark upcalls
 * pending here) and the grant tables (which map the page for the guest),
 * and calling neither. */
#include <proxenos/domain_pv.h>
#include <proxenos/arch/evtchn.h>
#include <proxenos/arch/mm.h>
#include <proxenos/errno.h>
#include <proxenos/guest_access.h>
#include <proxenos/page_alloc.h>

_Static_assert(sizeof(struct vcpu_info) == 48U, "vcpu_info is 48 bytes on Arm");
_Static_assert(offsetof(struct vcpu_info, time) == 16U, "vcpu_info layout");
_Static_assert(offsetof(struct shared_info, evtchn_pending) == 48U, "shared_info layout");
_Static_assert(offsetof(struct shared_info, wc_version) == 1072U, "shared_info layout");
_Static_assert(sizeof(struct shared_info) <= PAGE_SIZE, "shared_info fits a page");

void vcpu_set_vcpu_info(struct vcpu *v, struct vcpu_info *vi)
{
    if (vi != NULL) {
        v->vcpu_info = vi;
    } else if ((v->vcpu_id < (unsigned int)XEN_LEGACY_MAX_VCPUS) &&
               (v->domain->shared_info != NULL)) {
        v->vcpu_info = &v->domain->shared_info->vcpu_info[v->vcpu_id];
    } else {
        v->vcpu_info = &v->vcpu_info_dummy;
    }
}

void vcpu_mark_events_pending(struct vcpu *v)
{
    uint8_t was = __atomic_exchange_n(&v->vcpu_info->evtchn_upcall_pending, (uint8_t)1U,
                                      __ATOMIC_ACQ_REL);

    if (was == 0U) {
        arch_evtchn_inject(v);
    }
}

mfn_t domain_shared_info_mfn(const struct domain *d)
{
    return (d->shared_info != NULL) ? paddr_to_mfn(arch_virt_to_maddr(d->shared_info))
                                    : INVALID_MFN;
}

int shared_info_init(struct domain *d)
{
    mfn_t m = alloc_pages(0U, ALLOC_ZERO);

    if (mfn_eq(m, INVALID_MFN)) {
        return -ENOMEM;
    }
    d->shared_info = arch_maddr_to_virt(mfn_to_paddr(m));
    for (unsigned int i = 0U; i < d->max_vcpus; i++) {
        vcpu_set_vcpu_info(d->vcpu[i], NULL);
    }
    return 0;
}

void shared_info_destroy(struct domain *d)
{
    if (d->vcpu != NULL) {
        for (unsigned int i = 0U; i < d->max_vcpus; i++) {
            struct vcpu *v = d->vcpu[i];

            if (v != NULL) {
                guest_page_put(&v->vcpu_info_page);
                v->vcpu_info = &v->vcpu_info_dummy;
            }
        }
    }
    if (d->shared_info != NULL) {
        free_pages(paddr_to_mfn(arch_virt_to_maddr(d->shared_info)), 0U);
        d->shared_info = NULL;
    }
}
