/* vcpu_op and vm_assist: the two commands Arm accepts (vcpu_info and
 * runstate registration) with Xen's checks, -EINVAL for the others, the
 * runstate area on context switch, and the runstate update flag. */
#include "test_pv_hcall_env.h"

#include <proxenos/domain_pv.h>
#include <proxenos/runstate.h>
#include <public/vcpu.h>

#define ARG   (GUEST_BASE + 0x100U)
#define AREA  (GUEST_BASE + 0x400U)
#define VI_PAGE 3U                  /* guest page used for vcpu_info */

/* Where a vCPU's vcpu_info lives and the marking of its events pending
 * are the real shared_info.c's; the upcall that marking raises is the
 * fake arch's arch_evtchn_inject, counted per vCPU (fake_upcalls). */

static int setup(void **state)
{
    (void)state;
    env_setup();
    as(1U, 0U);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    for (unsigned int d = 0U; d < ENV_DOMS; d++) {
        for (unsigned int i = 0U; i < ENV_VCPUS; i++) {
            guest_page_put(&vcpus[d][i].vcpu_info_page);
        }
    }
    return 0;
}

static long vo(uint64_t cmd, uint64_t id, uint64_t arg)
{
    return hc(do_vcpu_op, cmd, id, arg);
}

static long reg_info(unsigned int id, uint64_t gfn, uint32_t offset)
{
    struct vcpu_register_vcpu_info *r = garg(1U, 0x100U);

    r->mfn = gfn;
    r->offset = offset;
    r->rsvd = 0U;
    return vo(VCPUOP_register_vcpu_info, id, ARG);
}

static void other_commands_are_einval(void **state)
{
    static const unsigned int cmds[] = {
        VCPUOP_initialise, VCPUOP_up, VCPUOP_down, VCPUOP_is_up, VCPUOP_get_runstate_info,
        VCPUOP_set_periodic_timer, VCPUOP_stop_periodic_timer, VCPUOP_set_singleshot_timer,
        VCPUOP_stop_singleshot_timer, VCPUOP_send_nmi, VCPUOP_get_physid,
        VCPUOP_register_vcpu_time_memory_area, 14U, 0xffffffffU,
    };

    (void)state;
    for (unsigned int i = 0U; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
        assert_int_equal(vo(cmds[i], 0U, ARG), -EINVAL);
    }
}

static void bad_vcpu_id_is_enoent(void **state)
{
    (void)state;
    assert_int_equal(vo(VCPUOP_up, 2U, ARG), -ENOENT);
    assert_int_equal(vo(VCPUOP_register_vcpu_info, 0xffffffffU, ARG), -ENOENT);
    /* The id is an unsigned int: upper register bits are dropped. */
    assert_int_equal(reg_info((1U << 31) + 7U, GFN_OF(VI_PAGE), 0U), -ENOENT);
}

static void register_vcpu_info_moves_state(void **state)
{
    struct vcpu *v = &vcpus[1][0];
    struct vcpu_info *vi = garg(1U, (VI_PAGE * PAGE_SIZE) + 64U);

    (void)state;
    v->vcpu_info->evtchn_pending_sel = 0x5U;
    v->vcpu_info->time.version = 42U;
    assert_int_equal(reg_info(0U, GFN_OF(VI_PAGE), 64U), 0);
    assert_ptr_equal(v->vcpu_info, vi);
    assert_int_equal(vi->time.version, 42U);
    /* Everything is marked pending so no event is lost. */
    assert_int_equal(vi->evtchn_pending_sel, ~0ULL);
    assert_int_equal(vi->evtchn_upcall_pending, 1U);
    assert_int_equal(fake_upcalls(v), 1U);
    assert_true(guest_page_pinned(v->vcpu_info_page.pg));
    /* Once only. */
    assert_int_equal(reg_info(0U, GFN_OF(VI_PAGE), 128U), -EINVAL);
}

static void register_offline_vcpu_from_dummy(void **state)
{
    struct vcpu *v = &vcpus[1][1];
    struct vcpu_info *vi = garg(1U, (VI_PAGE * PAGE_SIZE) + PAGE_SIZE - 48U);

    (void)state;
    memset(vi, 0xee, sizeof(*vi));
    assert_int_equal(reg_info(1U, GFN_OF(VI_PAGE), PAGE_SIZE - 48U), 0);
    assert_ptr_equal(v->vcpu_info, vi);
    assert_int_equal(vi->time.version, 0U);
    assert_int_equal(vi->pad0, 0U);
    assert_int_equal(vi->evtchn_pending_sel, ~0ULL);
}

static void register_vcpu_info_checks(void **state)
{
    (void)state;
    assert_int_equal(reg_info(0U, GFN_OF(VI_PAGE), PAGE_SIZE - 40U), -ENXIO);
    assert_int_equal(reg_info(0U, GFN_OF(VI_PAGE), 0xffffffffU), -ENXIO);
    assert_int_equal(reg_info(0U, GFN_OF(VI_PAGE), 4U), -ENXIO);
    /* Not guest RAM. */
    assert_int_equal(reg_info(0U, 0x10U, 0U), -EINVAL);
    assert_int_equal(reg_info(0U, ~0ULL, 0U), -EINVAL);
    /* Another vCPU that already runs. */
    vcpus[1][1].state = VCPU_RUNNABLE;
    assert_int_equal(reg_info(1U, GFN_OF(VI_PAGE), 0U), -EINVAL);
    assert_int_equal(fake_upcalls(&vcpus[1][0]) + fake_upcalls(&vcpus[1][1]), 0U);
    fake_guest_fault(ARG, 16U, false);
    assert_int_equal(vo(VCPUOP_register_vcpu_info, 0U, ARG), -EFAULT);
    assert_ptr_equal(vcpus[1][0].vcpu_info, &doms[1].shared_info->vcpu_info[0]);
}

static void runstate_registration_and_switch(void **state)
{
    struct vcpu *v = &vcpus[1][0];
    const struct vcpu_runstate_info *r = garg(1U, 0x400U);
    uint64_t *addr = garg(1U, 0x100U);

    (void)state;
    v->state_entry_time = 1000;
    v->runstate_time[VCPU_RUNNING] = 500U;
    v->runstate_time[VCPU_RUNNABLE] = 20U;
    v->runstate_time[VCPU_BLOCKED] = 7U;
    v->runstate_time[VCPU_OFFLINE] = 3U;
    fake_set_now(1600);
    *addr = AREA;
    assert_int_equal(vo(VCPUOP_register_runstate_memory_area, 0U, ARG), 0);
    assert_int_equal(v->runstate_gva, AREA);
    assert_int_equal(r->state, RUNSTATE_running);
    assert_int_equal(r->state_entry_time, 1000U);
    /* The caller's own figures stop at its last state change, as in Xen. */
    assert_int_equal(r->time[RUNSTATE_running], 500U);
    assert_int_equal(r->time[RUNSTATE_runnable], 20U);
    assert_int_equal(r->time[RUNSTATE_blocked], 7U);
    assert_int_equal(r->time[RUNSTATE_offline], 3U);
    /* A switch back to the vCPU refreshes it. */
    v->state_entry_time = 2000;
    v->runstate_time[VCPU_RUNNABLE] = 400U;
    vcpu_runstate_update(v);
    assert_int_equal(r->state_entry_time, 2000U);
    assert_int_equal(r->time[RUNSTATE_runnable], 400U);
}

static void runstate_of_other_vcpu_counts_now(void **state)
{
    struct vcpu *w = &vcpus[1][1];
    const struct vcpu_runstate_info *r = garg(1U, 0x400U);
    uint64_t *addr = garg(1U, 0x100U);

    (void)state;
    w->state_entry_time = 100;
    w->runstate_time[VCPU_OFFLINE] = 50U;
    fake_set_now(1100);
    *addr = AREA;
    assert_int_equal(vo(VCPUOP_register_runstate_memory_area, 1U, ARG), 0);
    assert_int_equal(r->state, RUNSTATE_offline);
    assert_int_equal(r->time[RUNSTATE_offline], 1050U);
}

static void runstate_flag_and_faults(void **state)
{
    struct vcpu *v = &vcpus[1][0];
    const struct vcpu_runstate_info *r = garg(1U, 0x400U);
    uint64_t *addr = garg(1U, 0x100U);

    (void)state;
    assert_int_equal(hc(do_vm_assist, VMASST_CMD_enable, VMASST_TYPE_runstate_update_flag, 0U), 0);
    assert_int_equal(doms[1].vm_assist, 1U << VMASST_TYPE_runstate_update_flag);
    *addr = AREA;
    assert_int_equal(vo(VCPUOP_register_runstate_memory_area, 0U, ARG), 0);
    v->state_entry_time = 77;
    vcpu_runstate_update(v);
    /* The flag is clear once the update is complete. */
    assert_int_equal(r->state_entry_time, 77U);
    /* An area that faults is simply not written. */
    fake_guest_fault(AREA, 48U, false);
    v->state_entry_time = 88;
    vcpu_runstate_update(v);
    assert_int_equal(r->state_entry_time, 77U);
    /* Address 0 unregisters. */
    *addr = 0U;
    assert_int_equal(vo(VCPUOP_register_runstate_memory_area, 0U, ARG), 0);
    assert_int_equal(v->runstate_gva, 0U);
    vcpu_runstate_update(v);
    fake_guest_fault(ARG, 8U, false);
    assert_int_equal(vo(VCPUOP_register_runstate_memory_area, 0U, ARG), -EFAULT);
}

static void vm_assist_types(void **state)
{
    (void)state;
    assert_int_equal(hc(do_vm_assist, VMASST_CMD_enable, 0U, 0U), -EINVAL);
    assert_int_equal(hc(do_vm_assist, VMASST_CMD_enable, 64U, 0U), -EINVAL);
    assert_int_equal(hc(do_vm_assist, VMASST_CMD_enable, 0xffffffffU, 0U), -EINVAL);
    assert_int_equal(hc(do_vm_assist, 2U, VMASST_TYPE_runstate_update_flag, 0U), -ENOSYS);
    assert_int_equal(hc(do_vm_assist, VMASST_CMD_enable, VMASST_TYPE_runstate_update_flag, 0U), 0);
    assert_int_equal(hc(do_vm_assist, VMASST_CMD_disable, VMASST_TYPE_runstate_update_flag, 0U), 0);
    assert_int_equal(doms[1].vm_assist, 0U);
    assert_int_equal(doms[0].vm_assist, 0U);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(other_commands_are_einval, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_vcpu_id_is_enoent, setup, teardown),
        cmocka_unit_test_setup_teardown(register_vcpu_info_moves_state, setup, teardown),
        cmocka_unit_test_setup_teardown(register_offline_vcpu_from_dummy, setup, teardown),
        cmocka_unit_test_setup_teardown(register_vcpu_info_checks, setup, teardown),
        cmocka_unit_test_setup_teardown(runstate_registration_and_switch, setup, teardown),
        cmocka_unit_test_setup_teardown(runstate_of_other_vcpu_counts_now, setup, teardown),
        cmocka_unit_test_setup_teardown(runstate_flag_and_faults, setup, teardown),
        cmocka_unit_test_setup_teardown(vm_assist_types, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
