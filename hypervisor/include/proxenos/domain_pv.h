/* The Xen PV state every domain has: the shared info page, each vCPU's
 * vcpu_info, event channels and the grant table. Created with the domain
 * and freed with it (domain_pv.c; the shared info page is shared_info.c's). */
#ifndef PROXENOS_DOMAIN_PV_H
#define PROXENOS_DOMAIN_PV_H

#include <proxenos/domain.h>

/* After the domain's vCPUs exist. 0 or -ENOMEM (everything undone). */
int domain_pv_init(struct domain *d);
/* Before the vCPUs are freed; safe on a partly initialised domain. */
void domain_pv_destroy(struct domain *d);

/* ---- The shared info page and vcpu_info (shared_info.c) ---------------- */

/* Allocate d's zeroed shared info page and point its vCPUs' vcpu_info
 * into it (domain_pv_init, first). 0 or -ENOMEM. */
int shared_info_init(struct domain *d);
/* Release the vCPUs' registered vcpu_info pages and free the shared info
 * page (domain_pv_destroy, last); safe on a partly initialised domain. */
void shared_info_destroy(struct domain *d);

/* Host frame of d's shared info page (for XENMAPSPACE_shared_info). */
mfn_t domain_shared_info_mfn(const struct domain *d);

/* Point v's upcall state at vi (a registered guest page), or back at its
 * default (vi NULL). */
void vcpu_set_vcpu_info(struct vcpu *v, struct vcpu_info *vi);

/* Set v's evtchn_upcall_pending and, if it was clear, raise the upcall
 * interrupt. Called by the event-channel ABIs after they marked a port. */
void vcpu_mark_events_pending(struct vcpu *v);

#endif
