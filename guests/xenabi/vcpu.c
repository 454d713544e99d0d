/* vcpu_op: the runstate area and vcpu_info registration (with their error paths). */
#include "xenabi.h"

static volatile struct vcpu_runstate_info runstate;
static uint8_t vi_page[XEN_PAGE_SIZE] __attribute__((aligned(XEN_PAGE_SIZE)));

static void runstate_area(void)
{
    uint64_t addr = hc_ptr((const void *)&runstate);
    long rc;
    uint64_t t0;

    runstate.state = -1;
    rc = hyp_vcpu_op(VCPUOP_register_runstate_memory_area, 0U, &addr);
    xen_expect("vcpu_runstate_register", rc, 0);
    printf("xenabi: runstate state %d entry %lu running %lu ns\n", runstate.state,
           (uint64_t)(runstate.state_entry_time & ~XEN_RUNSTATE_UPDATE), runstate.time[RUNSTATE_running]);
    test_check("vcpu_runstate_running", runstate.state == RUNSTATE_running, "state %d", runstate.state);
    t0 = runstate.time[RUNSTATE_running];
    delay_ms(5U);
    (void)hyp_sched_op(SCHEDOP_yield, NULL);
    (void)hyp_vcpu_op(VCPUOP_register_runstate_memory_area, 0U, &addr);
    test_check("vcpu_runstate_time", runstate.state_entry_time != 0U, "entry time 0 (t0 %lu)", t0);
    xen_expect("vcpu_runstate_bad_vcpu", hyp_vcpu_op(VCPUOP_register_runstate_memory_area, 99U, &addr),
               -XEN_ENOENT);
}

static void vcpu_info_registration(void)
{
    struct vcpu_register_vcpu_info r = { (uint64_t)(uintptr_t)vi_page >> XEN_PAGE_SHIFT, 0U, 0U };

    r.offset = XEN_PAGE_SIZE - 16U;
    /* vcpu_info would cross the page end: -ENXIO, not -EINVAL */
    xen_expect("vcpu_info_bad_offset", hyp_vcpu_op(VCPUOP_register_vcpu_info, 0U, &r), -XEN_ENXIO);
    r.offset = 64U;
    xen_expect("vcpu_info_bad_vcpu", hyp_vcpu_op(VCPUOP_register_vcpu_info, 99U, &r), -XEN_ENOENT);
    r.mfn = 0x1000U;
    xen_expect("vcpu_info_not_ram", hyp_vcpu_op(VCPUOP_register_vcpu_info, 0U, &r), -XEN_EINVAL);
    r.mfn = (uint64_t)(uintptr_t)vi_page >> XEN_PAGE_SHIFT;
    /*
     * Xen marks everything pending in the new vcpu_info and raises the PPI
     * at once: the handler must already look there when it runs.
     */
    irq_disable();
    if (xen_expect("vcpu_info_register", hyp_vcpu_op(VCPUOP_register_vcpu_info, 0U, &r), 0)) {
        evtchn_set_vcpu_info(0U, (struct vcpu_info *)&vi_page[64]);
    }
    irq_enable();
    r.offset = 128U;
    xen_expect("vcpu_info_reregister", hyp_vcpu_op(VCPUOP_register_vcpu_info, 0U, &r), -XEN_EINVAL);
    xen_expect("vcpu_op_is_up_arm", hyp_vcpu_op(VCPUOP_is_up, 0U, NULL), -XEN_EINVAL);
}

void test_vcpu(const struct platform *p)
{
    (void)p;
    runstate_area();
    vcpu_info_registration();
}
