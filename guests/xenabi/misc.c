/* hvm_op params, sched_op yield/poll, multicall, the families a domU may not use, unknown numbers. */
#include "xenabi.h"

static void hvm_params(const struct platform *p)
{
    uint64_t v = 0U;
    long rc = xen_get_param(HVM_PARAM_CALLBACK_IRQ, &v);
    struct xen_hvm_param hp = { .domid = XEN_DOMID_SELF, .index = HVM_NR_PARAMS };

    printf("xenabi: HVM_PARAM_CALLBACK_IRQ 0x%lx\n", v);
    /* Xen 4.17 leaves it 0 for a dom0less domU: the PPI is only announced in the DT */
    (void)p;
    test_check("hvm_get_param_callback", (rc == 0) && (v == 0U), "rc %ld value 0x%lx", rc, v);
    xen_expect("hvm_get_param_bad_index", hyp_hvm_op(HVMOP_get_param, &hp), -XEN_EINVAL);
    hp.index = HVM_PARAM_CALLBACK_IRQ;
    hp.domid = 0x7fe0U;
    xen_expect("hvm_get_param_bad_dom", hyp_hvm_op(HVMOP_get_param, &hp), -XEN_ESRCH);
    xen_expect("hvm_bad_cmd", hyp_hvm_op(99U, &hp), -XEN_ENOSYS);
}

static void sched(void)
{
    static volatile struct vcpu_runstate_info rs;
    uint64_t addr = hc_ptr((const void *)&rs);
    uint32_t port = 0U;
    struct sched_poll sp;
    uint64_t t0;
    long rc;

    xen_expect("sched_yield", hyp_sched_op(SCHEDOP_yield, NULL), 0);
    xen_expect("sched_bad_cmd", hyp_sched_op(99U, NULL), -XEN_ENOSYS);
    if (evtchn_alloc_unbound(XEN_DOMID_SELF, &port) != 0) {
        test_fail("sched_poll", "no port to poll");
        return;
    }
    (void)hyp_vcpu_op(VCPUOP_register_runstate_memory_area, 0U, &addr);
    sp.ports = hc_ptr(&port);
    sp.nr_ports = 1U;
    /* Xen's clock is at or past this vCPU's last state change: ~50 ms from now at most */
    sp.timeout = (rs.state_entry_time & ~XEN_RUNSTATE_UPDATE) + 50000000U;
    t0 = timer_now();
    rc = hyp_sched_op(SCHEDOP_poll, &sp);
    printf("xenabi: poll with timeout returned after %lu us\n",
           timer_ticks_to_ns(timer_now() - t0) / 1000U);
    test_check("sched_poll_timeout", (rc == 0) && (timer_ticks_to_ns(timer_now() - t0) < 1000000000U),
               "rc %ld", rc);
    sp.timeout = 0U;
    sp.nr_ports = 129U;
    xen_expect("sched_poll_too_many", hyp_sched_op(SCHEDOP_poll, &sp), -XEN_EINVAL);
    sp.nr_ports = 1U;
    sp.timeout = (rs.state_entry_time & ~XEN_RUNSTATE_UPDATE) + 50000000U;
    port = 0xffffffffU;
    xen_expect("sched_poll_bad_port", hyp_sched_op(SCHEDOP_poll, &sp), -XEN_EINVAL);
}

static void multicall(void)
{
    static struct multicall_entry mc[2];
    long rc;

    memset(mc, 0, sizeof(mc));
    mc[0].op = __HYPERVISOR_xen_version;
    mc[0].args[0] = XENVER_version;
    mc[1].op = __HYPERVISOR_xen_version;
    mc[1].args[0] = XENVER_pagesize;
    rc = xen_hypercall(__HYPERVISOR_multicall, hc_ptr(mc), 2U, 0U);
    test_check("multicall", (rc == 0) && (mc[0].result == 0x40011) && (mc[1].result == 4096),
               "rc %ld results 0x%lx %ld", rc, (unsigned long)mc[0].result, (long)mc[1].result);
}

static void denied_and_unknown(void)
{
    static struct xen_platform_op op;
    uint32_t arg = 0U;

    memset(&op, 0, sizeof(op));
    op.cmd = XENPF_settime64;
    op.interface_version = XENPF_INTERFACE_VERSION;
    xen_expect("platform_op_denied", xen_hypercall(__HYPERVISOR_platform_op, hc_ptr(&op), 0U, 0U), -XEN_EPERM);
    op.interface_version = 1U;
    xen_expect("platform_op_bad_version", xen_hypercall(__HYPERVISOR_platform_op, hc_ptr(&op), 0U, 0U),
               -XEN_EACCES);
    xen_expect("physdev_op_eoi", xen_hypercall(__HYPERVISOR_physdev_op, PHYSDEVOP_eoi, hc_ptr(&arg), 0U),
               -XEN_ENOSYS);
    xen_expect("physdev_op_map_pirq", xen_hypercall(__HYPERVISOR_physdev_op, PHYSDEVOP_map_pirq, hc_ptr(&arg), 0U),
               -XEN_ENOSYS);
    xen_expect("hypercall_unknown_1", xen_hypercall(1U, 0U, 0U, 0U), -XEN_ENOSYS);
    xen_expect("hypercall_unknown_63", xen_hypercall(63U, 0U, 0U, 0U), -XEN_ENOSYS);
    xen_expect("hypercall_unknown_huge", xen_hypercall(0x100000U, 0U, 0U, 0U), -XEN_ENOSYS);
}

void test_misc(const struct platform *p)
{
    hvm_params(p);
    sched();
    multicall();
    denied_and_unknown();
}
