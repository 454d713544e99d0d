/*
 * The hypercall families as the test guests call them: thin wrappers over
 * HVC and helpers for test messages. Every number and argument layout is
 * Xen 4.17's public ABI from the hypervisor's own headers.
 */
#ifndef GUEST_HYPERCALL_H
#define GUEST_HYPERCALL_H

#include <stdbool.h>
#include <stdint.h>

#include <public/errno.h>
#include <public/features.h>
#include <public/hvm_op.h>
#include <public/hvm_params.h>
#include <public/memory.h>
#include <public/physdev.h>
#include <public/platform.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <public/version.h>
#include <public/xen.h>

#include "xen.h"

/* Bytes in one of the frames hypercalls count in. */
#define XEN_PAGE_SIZE   (1U << XEN_PAGE_SHIFT)

/* Hypercall with up to five arguments (x0-x4); the result is x0. */
long xen_hypercall5(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4);

static inline uint64_t hc_ptr(const void *p)
{
    return (uint64_t)(uintptr_t)p;
}

static inline long hyp_xen_version(uint32_t cmd, void *arg)
{
    return xen_hypercall(__HYPERVISOR_xen_version, cmd, hc_ptr(arg), 0U);
}

static inline long hyp_memory_op(uint64_t cmd, void *arg)
{
    return xen_hypercall(__HYPERVISOR_memory_op, cmd, hc_ptr(arg), 0U);
}

static inline long hyp_vcpu_op(uint32_t cmd, uint32_t vcpu, void *arg)
{
    return xen_hypercall(__HYPERVISOR_vcpu_op, cmd, vcpu, hc_ptr(arg));
}

static inline long hyp_sched_op(uint32_t cmd, void *arg)
{
    return xen_hypercall(__HYPERVISOR_sched_op, cmd, hc_ptr(arg), 0U);
}

static inline long hyp_hvm_op(uint32_t cmd, void *arg)
{
    return xen_hypercall(__HYPERVISOR_hvm_op, cmd, hc_ptr(arg), 0U);
}

static inline long hyp_evtchn_op(uint32_t cmd, void *arg)
{
    return xen_hypercall(__HYPERVISOR_event_channel_op, cmd, hc_ptr(arg), 0U);
}

static inline long hyp_gnttab_op(uint32_t cmd, void *arg, uint32_t count)
{
    return xen_hypercall(__HYPERVISOR_grant_table_op, cmd, hc_ptr(arg), count);
}

/* Map the shared info page at gfn (XENMEM_add_to_physmap); 0 or -errno. */
long xen_map_shared_info(uint64_t gfn);

/* HVMOP_get_param for this domain; 0 or -errno. */
long xen_get_param(uint32_t index, uint64_t *value);

/* "-EINVAL" style name of a negative Xen errno (or "0"), for messages. */
const char *xen_errno_name(long rc);

/* TEST name: PASS when got == want, else FAIL with both values and their errno names. */
bool xen_expect(const char *name, long got, long want);

#endif
