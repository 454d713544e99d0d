/*
 * badargs: a hostile guest. Every hypercall here gets a bad pointer
 * (unmapped IPA, MMIO, beyond the VA space, crossing into nothing),
 * an out-of-range port, grant ref, domain id or vCPU id, or a huge
 * count; it also tries the toolstack's sysctl and domctl, which only the
 * control domain may use. Each must fail with Xen 4.17's error and the
 * guest must live on to print GUEST DONE. Run a well-behaved guest beside
 * it.
 */
#include "guest.h"
#include "evtchn.h"
#include "gnttab.h"
#include "hypercall.h"

#include <public/sysctl.h>

#define UNMAPPED_IPA    UINT64_C(0x01000000)        /* hole below the virtio window */
#define BEYOND_VA       UINT64_C(0x8000000000)      /* past the 39-bit VA space */
#define KERNEL_VA       UINT64_C(0xffff000000000000) /* TTBR1 walks are off */

static void bad_pointers(const struct platform *p)
{
    const uint64_t addrs[4] = { UNMAPPED_IPA, p->gicd_base, BEYOND_VA, KERNEL_VA };
    static const char *const names[4] = { "unmapped", "mmio", "beyond_va", "kernel_va" };
    char name[48];
    uint32_t i;

    for (i = 0U; i < 4U; i++) {
        (void)snprintf(name, sizeof(name), "bad_console_%s", names[i]);
        xen_expect(name, xen_hypercall(__HYPERVISOR_console_io, CONSOLEIO_write, 16U, addrs[i]), -XEN_EFAULT);
        (void)snprintf(name, sizeof(name), "bad_version_%s", names[i]);
        xen_expect(name, xen_hypercall(__HYPERVISOR_xen_version, XENVER_extraversion, addrs[i], 0U), -XEN_EFAULT);
        (void)snprintf(name, sizeof(name), "bad_evtchn_%s", names[i]);
        xen_expect(name, xen_hypercall(__HYPERVISOR_event_channel_op, EVTCHNOP_bind_ipi, addrs[i], 0U), -XEN_EFAULT);
        (void)snprintf(name, sizeof(name), "bad_memory_%s", names[i]);
        xen_expect(name, xen_hypercall(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, addrs[i], 0U), -XEN_EFAULT);
        (void)snprintf(name, sizeof(name), "bad_gnttab_%s", names[i]);
        xen_expect(name, xen_hypercall(__HYPERVISOR_grant_table_op, GNTTABOP_query_size, addrs[i], 1U), -XEN_EFAULT);
        (void)snprintf(name, sizeof(name), "bad_sched_%s", names[i]);
        xen_expect(name, xen_hypercall(__HYPERVISOR_sched_op, SCHEDOP_poll, addrs[i], 0U), -XEN_EFAULT);
        (void)snprintf(name, sizeof(name), "bad_vcpu_%s", names[i]);
        xen_expect(name, xen_hypercall(__HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 0U, addrs[i]), -XEN_EFAULT);
        (void)snprintf(name, sizeof(name), "bad_hvm_%s", names[i]);
        xen_expect(name, xen_hypercall(__HYPERVISOR_hvm_op, HVMOP_get_param, addrs[i], 0U), -XEN_EFAULT);
    }
}

static void overlong_buffers(const struct platform *p)
{
    /* printable text in the last bytes of RAM, the count running past its end */
    uint64_t end = p->mem[0].base + p->mem[0].size;
    char *tail = (char *)(uintptr_t)(end - 8U);
    struct evtchn_bind_ipi *straddle = (struct evtchn_bind_ipi *)(uintptr_t)(end - 4U);
    uint8_t misaligned[16] __attribute__((aligned(8)));
    struct evtchn_bind_ipi *odd = (struct evtchn_bind_ipi *)(void *)&misaligned[1];
    uint32_t port = 0U;

    memcpy(tail, "overlong", 8U);
    xen_expect("bad_console_overlong", xen_console_write(tail, 64U), -XEN_EFAULT);
    xen_expect("bad_console_huge", xen_console_write(tail, 0xffffffffU), -XEN_EFAULT);
    /* the count is an unsigned int: only its low 32 bits (here 0) are seen */
    xen_expect("bad_console_count_truncated", xen_console_write(tail, UINT64_C(1) << 40), 0);
    memset(straddle, 0, 4U);
    xen_expect("bad_struct_straddles_ram_end", hyp_evtchn_op(EVTCHNOP_bind_ipi, straddle), -XEN_EFAULT);
    /* a misaligned but mapped argument is fine */
    memset(misaligned, 0, sizeof(misaligned));
    if (xen_expect("misaligned_struct_ok", hyp_evtchn_op(EVTCHNOP_bind_ipi, odd), 0)) {
        memcpy(&port, &misaligned[5], sizeof(port));
        xen_expect("misaligned_close", evtchn_close(port), 0);
    }
}

static void bad_ids(void)
{
    struct gnttab_map_grant_ref mg;
    struct gnttab_setup_table st = { XEN_DOMID_SELF, 0x7fffffffU, 99, UNMAPPED_IPA };
    struct xen_memory_reservation r = { UNMAPPED_IPA, UINT64_C(1) << 40, 0U, 0U, XEN_DOMID_SELF };
    uint32_t port = 0U;
    uint16_t self = XEN_DOMID_INVALID;
    long rc;

    (void)evtchn_own_domid(&self);
    xen_expect("bad_port_send", evtchn_send(0xffffffffU), -XEN_EINVAL);
    xen_expect("bad_port_close", evtchn_close(1U << 20), -XEN_EINVAL);
    xen_expect("bad_port_unmask", evtchn_unmask(0x80000000U), -XEN_EINVAL);
    xen_expect("bad_vcpu_bind_ipi", evtchn_bind_ipi(0xffffffffU, &port), -XEN_ENOENT);
    xen_expect("bad_virq", evtchn_bind_virq(0xffffffffU, 0U, &port), -XEN_EINVAL);
    xen_expect("bad_domid_interdomain", evtchn_bind_interdomain(0x7fefU, 1U, &port), -XEN_ESRCH);
    xen_expect("bad_vcpu_op_vcpu", hyp_vcpu_op(VCPUOP_register_vcpu_info, 0xffffffffU, NULL), -XEN_ENOENT);

    memset(&mg, 0, sizeof(mg));
    mg.host_addr = UNMAPPED_IPA;
    mg.flags = GNTMAP_host_map;
    mg.ref = 0xffffffffU;
    mg.dom = self;          /* XEN_DOMID_SELF is not accepted for maps: GNTST_bad_domain */
    rc = hyp_gnttab_op(GNTTABOP_map_grant_ref, &mg, 1U);
    test_check("bad_grant_ref", (rc == 0) && (mg.status == GNTST_bad_gntref), "rc %ld status %d", rc, mg.status);
    mg.ref = 0U;
    mg.dom = 0x7fefU;
    rc = hyp_gnttab_op(GNTTABOP_map_grant_ref, &mg, 1U);
    test_check("bad_grant_domid", (rc == 0) && (mg.status == GNTST_bad_domain), "rc %ld status %d", rc, mg.status);
    xen_expect("bad_grant_huge_count", hyp_gnttab_op(GNTTABOP_map_grant_ref, &mg, 0x80000000U), -XEN_EINVAL);
    xen_expect("bad_grant_count_unmapped",
               xen_hypercall(__HYPERVISOR_grant_table_op, GNTTABOP_copy, UNMAPPED_IPA, 1000000U), -XEN_EFAULT);
    rc = hyp_gnttab_op(GNTTABOP_setup_table, &st, 1U);
    test_check("bad_setup_table_frames", (rc == 0) && (st.status == GNTST_general_error),
               "rc %ld status %d", rc, st.status);

    /* extents from an unmapped list: nothing done, no error beyond the count */
    xen_expect("bad_decrease_unmapped_list", hyp_memory_op(XENMEM_decrease_reservation, &r), 0);
    xen_expect("bad_multicall_huge", xen_hypercall(__HYPERVISOR_multicall, UNMAPPED_IPA, 0xffffffffU, 0U),
               -XEN_EFAULT);
}

static long sysctl(struct xen_sysctl *op, uint32_t cmd, uint32_t version)
{
    memset(op, 0, sizeof(*op));
    op->cmd = cmd;
    op->interface_version = version;
    return xen_hypercall(__HYPERVISOR_sysctl, (uint64_t)(uintptr_t)op, 0U, 0U);
}

static long domctl(struct xen_domctl *op, uint32_t cmd, uint32_t version, uint16_t dom)
{
    memset(op, 0, sizeof(*op));
    op->cmd = cmd;
    op->interface_version = version;
    op->domain = dom;
    return xen_hypercall(__HYPERVISOR_domctl, (uint64_t)(uintptr_t)op, 0U, 0U);
}

/* A domU is not the control domain. Xen checks, in order: the block can
 * be read, its version, (domctl) the domain it names exists, then the
 * caller's privilege; so the errors tell the steps apart. */
static void toolstack_refused(void)
{
    struct xen_sysctl s;
    struct xen_domctl d;
    uint16_t self = XEN_DOMID_INVALID;
    const uint32_t sv = XEN_SYSCTL_INTERFACE_VERSION;
    const uint32_t dv = XEN_DOMCTL_INTERFACE_VERSION;

    (void)evtchn_own_domid(&self);
    xen_expect("sysctl_unmapped", xen_hypercall(__HYPERVISOR_sysctl, UNMAPPED_IPA, 0U, 0U), -XEN_EFAULT);
    xen_expect("sysctl_old_version", sysctl(&s, XEN_SYSCTL_physinfo, 0x14U), -XEN_EACCES);
    xen_expect("sysctl_physinfo", sysctl(&s, XEN_SYSCTL_physinfo, sv), -XEN_EPERM);
    xen_expect("sysctl_getdomaininfolist", sysctl(&s, XEN_SYSCTL_getdomaininfolist, sv), -XEN_EPERM);
    xen_expect("sysctl_readconsole", sysctl(&s, XEN_SYSCTL_readconsole, sv), -XEN_EPERM);
    xen_expect("sysctl_unknown", sysctl(&s, 0xffffU, sv), -XEN_EPERM);
    xen_expect("domctl_unmapped", xen_hypercall(__HYPERVISOR_domctl, UNMAPPED_IPA, 0U, 0U), -XEN_EFAULT);
    xen_expect("domctl_old_version", domctl(&d, XEN_DOMCTL_pausedomain, 0x14U, self), -XEN_EACCES);
    xen_expect("domctl_pause_self", domctl(&d, XEN_DOMCTL_pausedomain, dv, self), -XEN_EPERM);
    xen_expect("domctl_pause_nobody", domctl(&d, XEN_DOMCTL_pausedomain, dv, 0x7fefU), -XEN_ESRCH);
    xen_expect("domctl_domid_self", domctl(&d, XEN_DOMCTL_pausedomain, dv, XEN_DOMID_SELF), -XEN_ESRCH);
    xen_expect("domctl_unknown_nobody", domctl(&d, 70U, dv, 0x7fefU), -XEN_ESRCH);
    xen_expect("domctl_unknown_self", domctl(&d, 70U, dv, self), -XEN_EPERM);
    xen_expect("domctl_getdomaininfo_self", domctl(&d, XEN_DOMCTL_getdomaininfo, dv, self), -XEN_EPERM);
    /* Xen 4.17 answers the next domain up for an id nobody has: this guest
     * at least is there, so the answer is the privilege check's. */
    xen_expect("domctl_getdomaininfo_next", domctl(&d, XEN_DOMCTL_getdomaininfo, dv, 0U), -XEN_EPERM);
    xen_expect("domctl_getdomaininfo_none", domctl(&d, XEN_DOMCTL_getdomaininfo, dv, 0x7fefU), -XEN_ESRCH);
    xen_expect("domctl_getdomaininfo_domid_self", domctl(&d, XEN_DOMCTL_getdomaininfo, dv, XEN_DOMID_SELF),
               -XEN_EINVAL);
}

void guest_main(const struct platform *p)
{
    printf("badargs: hostile hypercalls, %s\n", p->has_hypervisor ? "with /hypervisor" : "no /hypervisor");
    bad_pointers(p);
    overlong_buffers(p);
    bad_ids();
    toolstack_refused();
    test_pass("badargs_survived");
}
