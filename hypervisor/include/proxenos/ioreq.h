/* IOREQ servers: device models outside the hypervisor (a VirtIO back end
 * in dom0) that claim ranges of a domain's guest-physical space. A vCPU's
 * access there is written into its slot of the server's shared page, the
 * server is signalled on the vCPU's port, and the vCPU waits off its CPU
 * until the server answers. Xen 4.17's ABI: dm_op (public/dm_op.h), the
 * ioreq page (public/ioreq.h), XENMEM_acquire_resource of type
 * ioreq_server. docs/virtio.md. */
#ifndef PROXENOS_IOREQ_H
#define PROXENOS_IOREQ_H

#include <proxenos/types.h>
#include <proxenos/hypercall.h>

struct domain;
struct vcpu;

/* Xen's MAX_NR_IOREQ_SERVERS and MAX_NR_IO_RANGES. */
#define IOREQ_MAX_SERVERS 8U
#define IOREQ_MAX_RANGES  256U

/* One access of a vCPU, as the architecture decoded it. */
struct ioreq_access {
    uint64_t gpa;
    uint64_t data;          /* the value of a write */
    uint32_t size;          /* 1, 2, 4 or 8 */
    bool write;
};

enum ioreq_forward_result {
    IOREQ_UNCLAIMED,        /* no enabled server claims it: the guest's fault */
    IOREQ_SENT,             /* v now waits for the answer (ioreq_take_answer) */
    IOREQ_BUSY,             /* v still has a request out: refused */
};

/* Offer the current vCPU v's access to its domain's servers. */
enum ioreq_forward_result ioreq_forward(struct vcpu *v, const struct ioreq_access *a);

/* On the way into v (its registers loaded): when v's request has been
 * answered, the answer (the value of a read) and true; v's slot is free
 * again. false when v has no answered request. */
bool ioreq_take_answer(struct vcpu *v, uint64_t *data);

/* The dm_op hypercall (Xen's do_dm_op). */
long do_dm_op(struct hcall_args *args);

/* XENMEM_acquire_resource of type ioreq_server: frame 1 (the request page)
 * of server id of d, for the caller cur, which must be its emulator.
 * 0 and *mfn; -ENOENT (no such server, or frame 0: no buffered page),
 * -EPERM (not cur's), -EINVAL (other frames), -ENOMEM. */
int ioreq_resource_frame(struct domain *cur, struct domain *d, uint32_t id, uint64_t frame,
                         mfn_t *mfn);

/* The frames of an ioreq_server resource of d, as Xen counts them. */
uint32_t ioreq_resource_size(const struct domain *d);

/* Everything of d's servers (ports, pages): from domain_pv_destroy, when
 * no mapping of the pages is left. */
void ioreq_domain_destroy(struct domain *d);

#endif
