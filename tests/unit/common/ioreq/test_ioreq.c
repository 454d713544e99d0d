/* IOREQ servers (common/ioreq/): dm_op's checks and answers as Xen 4.17
 * gives them, the request page and its ports, ranges, and the round trip
 * of one access: forwarded, the vCPU blocked whatever else wakes it,
 * answered by the device model through its port, taken back on entry.
 * dom0 (privileged) is the device model, domU 1 (two vCPUs) the target;
 * domains, guest memory and event channels: evtchn_env.c. */
#define EVTCHN_TEST_MAIN
#include "../evtchn_env.c"

#include <proxenos/ioreq.h>
#include <proxenos/arch/mm.h>
#include <public/dm_op.h>
#include <public/ioreq.h>
#include <public/memory.h>
#include <fake_dm_irq.h>
#include "ioreq_internal.h"

/* dom0's buffers: the xen_dm_op_buf array in page 0, the op in page 1. */
#define OP_PAGE 1U
#define OP_GPA  (GUEST_BASE + 4096U)

static long dmop_bufs(unsigned int caller, uint64_t domid, struct xen_dm_op *op, uint64_t size,
                      uint64_t nr_bufs)
{
    struct xen_dm_op_buf b[2] = { { OP_GPA, size }, { OP_GPA, size } };
    struct hcall_args a = { { domid, nr_bufs, ARG_GPA, 0U, 0U } };
    long rc;

    memcpy(gmem(caller, 0U, 0U), b, sizeof(b));
    memcpy(gmem(caller, OP_PAGE, 0U), op, sizeof(*op));
    fake_guest_set_vcpu(V(caller, 0U));
    rc = do_dm_op(&a);
    memcpy(op, gmem(caller, OP_PAGE, 0U), sizeof(*op));
    return rc;
}

static long dmop(uint64_t domid, struct xen_dm_op *op)
{
    return dmop_bufs(0U, domid, op, sizeof(*op), 1U);
}

static long create(uint8_t bufioreq, ioservid_t *id)
{
    struct xen_dm_op op = { .op = XEN_DMOP_create_ioreq_server };
    long rc;

    op.u.create_ioreq_server.handle_bufioreq = bufioreq;
    rc = dmop(1U, &op);
    if (id != NULL) {
        *id = op.u.create_ioreq_server.id;
    }
    return rc;
}

static long range(uint32_t dmop_nr, ioservid_t id, uint32_t type, uint64_t s, uint64_t e)
{
    struct xen_dm_op op = { .op = dmop_nr };

    op.u.map_io_range_to_ioreq_server = (struct xen_dm_op_ioreq_server_range){
        .id = id, .type = type, .start = s, .end = e };
    return dmop(1U, &op);
}

static long set_state(ioservid_t id, bool on)
{
    struct xen_dm_op op = { .op = XEN_DMOP_set_ioreq_server_state };

    op.u.set_ioreq_server_state.id = id;
    op.u.set_ioreq_server_state.enabled = on ? 1U : 0U;
    return dmop(1U, &op);
}

static long destroy(ioservid_t id)
{
    struct xen_dm_op op = { .op = XEN_DMOP_destroy_ioreq_server };

    op.u.destroy_ioreq_server.id = id;
    return dmop(1U, &op);
}

/* The request page of server id as dom0 would map it. */
static struct shared_iopage *page_of(ioservid_t id)
{
    mfn_t mfn;

    assert_int_equal(ioreq_resource_frame(D(0U), D(1U), id, 1U, &mfn), 0);
    return arch_maddr_to_virt(mfn_x(mfn) << 12);
}

/* A server claiming [0x2000000, 0x20001ff], enabled, with dom0 bound to
 * both vCPUs' ports (dp[]), as a VirtIO back end sets itself up. */
static struct shared_iopage *serve(ioservid_t *id, uint32_t dp[2])
{
    struct shared_iopage *pg;

    assert_int_equal(create(0U, id), 0);
    pg = page_of(*id);
    assert_int_equal(set_state(*id, true), 0);
    for (unsigned int i = 0U; i < 2U; i++) {
        assert_int_not_equal(pg->vcpu_ioreq[i].vp_eport, 0U);
        assert_int_equal(bind_interdomain(0U, 1U, pg->vcpu_ioreq[i].vp_eport, &dp[i]), 0);
    }
    assert_int_equal(range(XEN_DMOP_map_io_range_to_ioreq_server, *id, XEN_DMOP_IO_RANGE_MEMORY,
                           0x2000000U, 0x20001ffU), 0);
    return pg;
}

static enum ioreq_forward_result access(unsigned int vcpu, uint64_t gpa, uint32_t size, bool write,
                                        uint64_t data)
{
    struct ioreq_access a = { .gpa = gpa, .data = data, .size = size, .write = write };

    fake_guest_set_vcpu(V(1U, vcpu));
    V(1U, vcpu)->state = VCPU_RUNNING;
    return ioreq_forward(V(1U, vcpu), &a);
}

static uint32_t slot_state(const struct ioreq *p)
{
    return p->flags & IOREQ_FLAGS_STATE_MASK;
}

static int iteardown(void **state)
{
    for (unsigned int i = 0U; i < NR_DOMS; i++) {
        ioreq_domain_destroy(D(i));
        assert_null(D(i)->ioreq);
    }
    return teardown(state);
}

static void test_dm_op_checks(void **state)
{
    struct xen_dm_op op = { .op = XEN_DMOP_nr_vcpus };

    (void)state;
    assert_int_equal(dmop_bufs(0U, 1U, &op, sizeof(op), 3U), -E2BIG);
    assert_int_equal(dmop(9U, &op), -ESRCH);
    assert_int_equal(dmop(DOMID_SELF, &op), -ESRCH);
    assert_int_equal(dmop(0U, &op), -EPERM);                          /* itself */
    assert_int_equal(dmop_bufs(2U, 1U, &op, sizeof(op), 1U), -EPERM);  /* no rights */
    assert_int_equal(dmop_bufs(0U, 1U, &op, sizeof(op), 0U), -ENODATA);
    assert_int_equal(dmop_bufs(0U, 1U, &op, 0U, 1U), -EFAULT);
    assert_int_equal(dmop_bufs(0U, 1U, &op, 7U, 1U), -EFAULT);         /* no room for op */
    assert_int_equal(dmop_bufs(0U, 1U, &op, 8U, 1U), -EFAULT);         /* none for its args */
    assert_int_equal(dmop(1U, &op), 0);
    assert_int_equal(op.u.nr_vcpus.vcpus, 2U);
    op.pad = 1U;
    assert_int_equal(dmop(1U, &op), -EINVAL);
    /* x86's device-model ops and unknown ones. */
    for (uint32_t n = 7U; n <= 18U; n++) {
        struct xen_dm_op x = { .op = n };

        assert_int_equal(dmop(1U, &x), -EOPNOTSUPP);
    }
    op = (struct xen_dm_op){ .op = 21U };
    assert_int_equal(dmop(1U, &op), -EOPNOTSUPP);
    op = (struct xen_dm_op){ .op = 0x80000000U };
    assert_int_equal(dmop(1U, &op), -EOPNOTSUPP);
}

static void test_create_and_destroy(void **state)
{
    ioservid_t id = 0xffffU;
    struct xen_dm_op op = { .op = XEN_DMOP_create_ioreq_server };

    (void)state;
    /* Arm has no buffered requests. */
    assert_int_equal(create(HVM_IOREQSRV_BUFIOREQ_LEGACY, NULL), -EINVAL);
    assert_int_equal(create(HVM_IOREQSRV_BUFIOREQ_ATOMIC, NULL), -EINVAL);
    op.u.create_ioreq_server.pad[1] = 1U;
    assert_int_equal(dmop(1U, &op), -EINVAL);
    /* The lowest free ids, up to eight, each with a port per vCPU. */
    for (unsigned int i = 0U; i < IOREQ_MAX_SERVERS; i++) {
        assert_int_equal(create(0U, &id), 0);
        assert_int_equal(id, i);
    }
    assert_int_equal(D(1U)->evtchn->xen_ports, 2U * IOREQ_MAX_SERVERS);
    assert_int_equal(create(0U, NULL), -ENOSPC);
    assert_int_equal(destroy(3U), 0);
    assert_int_equal(destroy(3U), -ENOENT);
    assert_int_equal(destroy(IOREQ_MAX_SERVERS), -ENOENT);
    assert_int_equal(D(1U)->evtchn->xen_ports, 2U * (IOREQ_MAX_SERVERS - 1U));
    assert_int_equal(create(0U, &id), 0);
    assert_int_equal(id, 3U);
    /* Only the domain that made a server may touch it. */
    D(2U)->is_privileged = true;
    op = (struct xen_dm_op){ .op = XEN_DMOP_destroy_ioreq_server };
    assert_int_equal(dmop_bufs(2U, 1U, &op, sizeof(op), 1U), -EPERM);
    D(2U)->is_privileged = false;
}

static void test_request_page(void **state)
{
    ioservid_t id;
    mfn_t m1;
    mfn_t m2;
    struct shared_iopage *pg;
    struct xen_dm_op op = { .op = XEN_DMOP_get_ioreq_server_info };

    (void)state;
    assert_int_equal(ioreq_resource_size(D(1U)), 2U);
    assert_int_equal(ioreq_resource_frame(D(0U), D(1U), 0U, 1U, &m1), -ENOENT);
    assert_int_equal(create(0U, &id), 0);
    assert_int_equal(ioreq_resource_frame(D(0U), D(1U), id, 0U, &m1), -ENOENT);  /* buffered */
    assert_int_equal(ioreq_resource_frame(D(0U), D(1U), id, 2U, &m1), -EINVAL);
    assert_int_equal(ioreq_resource_frame(D(0U), D(1U), id + 0x10000U, 1U, &m1), -EINVAL);
    assert_int_equal(ioreq_resource_frame(D(2U), D(1U), id, 1U, &m1), -EPERM);
    assert_int_equal(ioreq_resource_frame(D(0U), D(1U), id, 1U, &m1), 0);
    assert_int_equal(ioreq_resource_frame(D(0U), D(1U), id, 1U, &m2), 0);
    assert_int_equal(mfn_x(m1), mfn_x(m2));
    pg = arch_maddr_to_virt(mfn_x(m1) << 12);
    /* The ports are published when the server is enabled, as on Xen. */
    assert_int_equal(pg->vcpu_ioreq[0].vp_eport, 0U);
    assert_int_equal(set_state(id, true), 0);
    assert_int_not_equal(pg->vcpu_ioreq[0].vp_eport, 0U);
    assert_int_not_equal(pg->vcpu_ioreq[1].vp_eport, pg->vcpu_ioreq[0].vp_eport);
    /* No legacy gfns on Arm. */
    op.u.get_ioreq_server_info.id = id;
    assert_int_equal(dmop(1U, &op), -EOPNOTSUPP);
    op.u.get_ioreq_server_info.flags = XEN_DMOP_no_gfns;
    assert_int_equal(dmop(1U, &op), 0);
    op.u.get_ioreq_server_info.flags = 2U;
    assert_int_equal(dmop(1U, &op), -EINVAL);
    /* A server that goes leaves its page to the next one of that id. */
    assert_int_equal(destroy(id), 0);
    assert_int_equal(create(0U, &id), 0);
    assert_int_equal(ioreq_resource_frame(D(0U), D(1U), id, 1U, &m2), 0);
    assert_int_equal(mfn_x(m1), mfn_x(m2));
    assert_int_equal(pg->vcpu_ioreq[0].vp_eport, 0U);   /* cleared for it */
}

static void test_ranges(void **state)
{
    ioservid_t id;
    const uint32_t map = XEN_DMOP_map_io_range_to_ioreq_server;
    const uint32_t unmap = XEN_DMOP_unmap_io_range_from_ioreq_server;

    (void)state;
    assert_int_equal(create(0U, &id), 0);
    assert_int_equal(range(map, id, XEN_DMOP_IO_RANGE_MEMORY, 0x2000U, 0x1fffU), -EINVAL);
    assert_int_equal(range(map, id, 3U, 0U, 1U), -EINVAL);
    assert_int_equal(range(map, id + 1U, XEN_DMOP_IO_RANGE_MEMORY, 0U, 1U), -ENOENT);
    assert_int_equal(range(map, id, XEN_DMOP_IO_RANGE_MEMORY, 0x1000U, 0x1fffU), 0);
    assert_int_equal(range(map, id, XEN_DMOP_IO_RANGE_MEMORY, 0x1800U, 0x2fffU), -EEXIST);
    assert_int_equal(range(map, id, XEN_DMOP_IO_RANGE_PORT, 0x1800U, 0x2fffU), 0);
    assert_int_equal(range(unmap, id, XEN_DMOP_IO_RANGE_MEMORY, 0x1800U, 0x2fffU), -ENOENT);
    assert_int_equal(range(unmap, id, XEN_DMOP_IO_RANGE_MEMORY, 0x1400U, 0x17ffU), 0);
    assert_int_equal(range(unmap, id, XEN_DMOP_IO_RANGE_MEMORY, 0x1400U, 0x17ffU), -ENOENT);
    assert_int_equal(range(unmap, id, XEN_DMOP_IO_RANGE_MEMORY, 0x1000U, 0x13ffU), 0);
    /* Xen's limit of ranges per server and type. */
    for (uint64_t i = 0U; i < IOREQ_MAX_RANGES - 1U; i++) {
        assert_int_equal(range(map, id, XEN_DMOP_IO_RANGE_MEMORY, 0x100000U + i * 2U,
                               0x100000U + i * 2U), 0);
    }
    assert_int_equal(range(map, id, XEN_DMOP_IO_RANGE_MEMORY, 0x900000U, 0x900000U), -ENOMEM);
}

static void test_round_trip(void **state)
{
    ioservid_t id;
    uint32_t dp[2];
    struct shared_iopage *pg;
    struct ioreq *p;
    uint64_t data = 0U;

    (void)state;
    pg = serve(&id, dp);
    p = &pg->vcpu_ioreq[1];
    l2_clear_all(0U);
    /* Nobody's address, one straddling the window's end, a disabled server. */
    assert_int_equal(access(1U, 0x3000000U, 4U, false, 0U), IOREQ_UNCLAIMED);
    assert_int_equal(access(1U, 0x20001fcU, 8U, false, 0U), IOREQ_UNCLAIMED);
    assert_int_equal(set_state(id, false), 0);
    assert_int_equal(access(1U, 0x2000000U, 4U, false, 0U), IOREQ_UNCLAIMED);
    assert_int_equal(set_state(id, true), 0);
    assert_false(l2_pending(0U, dp[1]));
    /* A read by vCPU 1: its slot filled, dom0's port for it raised, the
     * vCPU blocked. */
    assert_int_equal(access(1U, 0x2000010U, 2U, false, 0U), IOREQ_SENT);
    assert_int_equal(p->addr, 0x2000010U);
    assert_int_equal(p->size, 2U);
    assert_int_equal(p->count, 1U);
    assert_int_equal(p->type, IOREQ_TYPE_COPY);
    assert_true((p->flags & IOREQ_FLAGS_DIR_READ) != 0U);
    assert_int_equal(slot_state(p), STATE_IOREQ_READY);
    assert_true(l2_pending(0U, dp[1]));
    assert_false(l2_pending(0U, dp[0]));
    assert_int_equal(V(1U, 1U)->state, VCPU_BLOCKED);
    /* An event or a timer for the guest does not wake it meanwhile, nor
     * does a send that answers nothing yet. */
    vcpu_wake(V(1U, 1U));
    assert_int_equal(V(1U, 1U)->state, VCPU_BLOCKED);
    assert_int_equal(evsend(0U, dp[1]), 0);
    assert_int_equal(V(1U, 1U)->state, VCPU_BLOCKED);
    assert_false(ioreq_take_answer(V(1U, 1U), &data));
    /* Entered early (it should not be): another access is refused, the
     * same one again waits on. */
    assert_int_equal(access(1U, 0x2000020U, 4U, false, 0U), IOREQ_BUSY);
    assert_int_equal(access(1U, 0x2000010U, 2U, false, 0U), IOREQ_SENT);
    assert_int_equal(V(1U, 1U)->state, VCPU_BLOCKED);
    /* The answer, then the signal: vCPU 1 runs, and takes it on entry. */
    p->data = 0xbeefU;
    __atomic_store_n(&p->flags, (uint8_t)(IOREQ_FLAGS_DIR_READ | STATE_IORESP_READY),
                     __ATOMIC_RELEASE);
    assert_int_equal(evsend(0U, dp[1]), 0);
    assert_int_equal(V(1U, 1U)->state, VCPU_RUNNABLE);
    assert_true(ioreq_take_answer(V(1U, 1U), &data));
    assert_int_equal(data, 0xbeefU);
    assert_int_equal(slot_state(p), STATE_IOREQ_NONE);
    assert_false(ioreq_take_answer(V(1U, 1U), &data));
    /* A write by vCPU 0 carries its value; an answer that came before the
     * block is not lost. */
    assert_int_equal(access(0U, 0x2000100U, 8U, true, 0x1122334455667788ULL), IOREQ_SENT);
    p = &pg->vcpu_ioreq[0];
    assert_int_equal(p->data, 0x1122334455667788ULL);
    assert_true((p->flags & IOREQ_FLAGS_DIR_READ) == 0U);
    __atomic_store_n(&p->flags, (uint8_t)STATE_IORESP_READY, __ATOMIC_RELEASE);
    assert_int_equal(evsend(0U, dp[0]), 0);
    assert_int_equal(V(1U, 0U)->state, VCPU_RUNNABLE);
    assert_true(ioreq_take_answer(V(1U, 0U), &data));
}

static void test_bad_server_slot(void **state)
{
    ioservid_t id;
    uint32_t dp[2];
    struct shared_iopage *pg;

    (void)state;
    pg = serve(&id, dp);
    /* A slot the device model left busy, or whose port it overwrote: the
     * access is nobody's (the guest gets its fault), as on Xen. */
    pg->vcpu_ioreq[0].flags = (uint8_t)STATE_IORESP_READY;
    assert_int_equal(access(0U, 0x2000000U, 4U, false, 0U), IOREQ_UNCLAIMED);
    pg->vcpu_ioreq[0].flags = (uint8_t)STATE_IOREQ_NONE;
    pg->vcpu_ioreq[0].vp_eport++;
    assert_int_equal(access(0U, 0x2000000U, 4U, false, 0U), IOREQ_UNCLAIMED);
    assert_int_equal(V(1U, 0U)->state, VCPU_RUNNING);
}

static void test_destroy_while_waiting(void **state)
{
    ioservid_t id;
    uint32_t dp[2];
    uint64_t data = 0U;

    (void)state;
    (void)serve(&id, dp);
    assert_int_equal(access(0U, 0x2000004U, 4U, false, 0U), IOREQ_SENT);
    assert_int_equal(V(1U, 0U)->state, VCPU_BLOCKED);
    /* The device model goes without answering: the read gives all ones. */
    assert_int_equal(destroy(id), 0);
    assert_int_equal(V(1U, 0U)->state, VCPU_RUNNABLE);
    assert_true(ioreq_take_answer(V(1U, 0U), &data));
    assert_int_equal(data, UINT64_MAX);
    assert_false(V(1U, 0U)->io_wait);
    /* Its ports went with it. */
    assert_int_equal(D(1U)->evtchn->xen_ports, 0U);
}

static void test_backend_lets_go(void **state)
{
    ioservid_t id;
    uint32_t dp[2];
    uint64_t data = 0U;

    (void)state;
    (void)serve(&id, dp);
    assert_int_equal(access(1U, 0x2000008U, 4U, false, 0U), IOREQ_SENT);
    assert_int_equal(V(1U, 1U)->state, VCPU_BLOCKED);
    /* The back end closes vCPU 1's port (or dies, and its ports go): the
     * waiting read is let go with all ones instead of hanging. */
    assert_int_equal(evclose(0U, dp[1]), 0);
    assert_int_equal(V(1U, 1U)->state, VCPU_RUNNABLE);
    assert_true(ioreq_take_answer(V(1U, 1U), &data));
    assert_int_equal(data, UINT64_MAX);
    /* Nobody listens there now: refused (a data abort), not sent. */
    assert_int_equal(access(1U, 0x2000008U, 4U, false, 0U), IOREQ_UNCLAIMED);
    assert_false(V(1U, 1U)->io_wait);
    /* vCPU 0's port is still bound: its accesses still go. */
    assert_int_equal(access(0U, 0x2000008U, 4U, false, 0U), IOREQ_SENT);
}

/* The port closed while nothing was waiting: the access is filled in and
 * sent, the send finds nobody bound, and the request is taken back (the
 * slot free, the vCPU running, a data abort for the guest); a back end that
 * binds the port again gets the next one. */
static void test_port_closed_before_access(void **state)
{
    ioservid_t id;
    uint32_t dp[2];
    struct shared_iopage *pg;

    (void)state;
    pg = serve(&id, dp);
    assert_int_equal(evclose(0U, dp[0]), 0);
    assert_int_equal(access(0U, 0x2000008U, 4U, false, 0U), IOREQ_UNCLAIMED);
    assert_int_equal(slot_state(&pg->vcpu_ioreq[0]), STATE_IOREQ_NONE);
    assert_false(V(1U, 0U)->io_wait);
    assert_int_equal(V(1U, 0U)->state, VCPU_RUNNING);
    assert_int_equal(bind_interdomain(0U, 1U, pg->vcpu_ioreq[0].vp_eport, &dp[0]), 0);
    assert_int_equal(access(0U, 0x2000008U, 4U, false, 0U), IOREQ_SENT);
    assert_int_equal(slot_state(&pg->vcpu_ioreq[0]), STATE_IOREQ_READY);
    assert_true(V(1U, 0U)->io_wait);
    assert_int_equal(V(1U, 0U)->state, VCPU_BLOCKED);
}

static void test_set_irq_level(void **state)
{
    struct xen_dm_op op = { .op = XEN_DMOP_set_irq_level };
    struct fake_dm_irq_call c;

    (void)state;
    op.u.set_irq_level.irq = 31U;
    op.u.set_irq_level.level = 1U;
    assert_int_equal(dmop(1U, &op), -EINVAL);
    op.u.set_irq_level.irq = 33U;
    op.u.set_irq_level.level = 2U;
    assert_int_equal(dmop(1U, &op), -EINVAL);
    op.u.set_irq_level.level = 1U;
    op.u.set_irq_level.pad[2] = 1U;
    assert_int_equal(dmop(1U, &op), -EINVAL);
    op.u.set_irq_level.pad[2] = 0U;
    assert_int_equal(fake_dm_irq_calls(NULL), 0U);
    assert_int_equal(dmop(1U, &op), 0);
    assert_int_equal(fake_dm_irq_calls(&c), 1U);
    assert_ptr_equal(c.d, D(1U));
    assert_int_equal(c.irq, 33U);
    assert_true(c.level);
    /* Only for a domain it has rights over. */
    assert_int_equal(dmop_bufs(2U, 1U, &op, sizeof(op), 1U), -EPERM);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_dm_op_checks, setup, iteardown),
        cmocka_unit_test_setup_teardown(test_create_and_destroy, setup, iteardown),
        cmocka_unit_test_setup_teardown(test_request_page, setup, iteardown),
        cmocka_unit_test_setup_teardown(test_ranges, setup, iteardown),
        cmocka_unit_test_setup_teardown(test_round_trip, setup, iteardown),
        cmocka_unit_test_setup_teardown(test_bad_server_slot, setup, iteardown),
        cmocka_unit_test_setup_teardown(test_destroy_while_waiting, setup, iteardown),
        cmocka_unit_test_setup_teardown(test_backend_lets_go, setup, iteardown),
        cmocka_unit_test_setup_teardown(test_port_closed_before_access, setup, iteardown),
        cmocka_unit_test_setup_teardown(test_set_irq_level, setup, iteardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
