/* The virtual GICv3's SGIs: a guest's writes to ICC_SGI1R_EL1 reach the
 * vCPUs of their target list, or all but the sender, in the first and a
 * second affinity-1 cluster. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include <asm/vgic.h>
#include <proxenos/domain.h>
#include <proxenos/errno.h>
#include <proxenos/xmalloc.h>
#include <fake_arch.h>
#include "fake_vgic_lr.h"
#include "fake_sched.h"
#include "heap_env.h"
#include "vgic_internal.h"
#include "vgic_env.h"

/* ---- SGIs ----------------------------------------------------------------- */

static uint64_t sgi1r(unsigned int intid, unsigned int aff1, uint16_t targets)
{
    return ((uint64_t)intid << 24) | ((uint64_t)aff1 << 16) | targets;
}

static bool sgi_pending(struct domain *d, unsigned int vcpu, unsigned int sgi)
{
    return (rd(d, SGI(vcpu, 0x0200U), 4U) & (1U << sgi)) != 0U;
}

static void test_sgi1r(void **state)
{
    struct domain *d = new_domain(4U, 32U);

    (void)state;
    for (unsigned int i = 0U; i < 4U; i++) {
        enable_irq(d, i, 3U, 0x80U);
        enable_irq(d, i, 5U, 0x80U);
    }
    fake_sched_reset();

    /* To one: vCPU 2. */
    assert_int_equal(vgic_emulate_sgi1r(d->vcpu[0], sgi1r(3U, 0U, 1U << 2)), 0);
    assert_true(sgi_pending(d, 2U, 3U));
    assert_false(sgi_pending(d, 0U, 3U));
    assert_false(sgi_pending(d, 1U, 3U));
    assert_int_equal(kicks(d, 2), 1U);
    assert_true(vgic_vcpu_pending_irq(d->vcpu[2]));

    /* To several, self included: 0, 1, 3; bits for vCPUs that do not
     * exist (4-15) are ignored. */
    assert_int_equal(vgic_emulate_sgi1r(d->vcpu[0], sgi1r(5U, 0U, 0xfffbU)), 0);
    assert_true(sgi_pending(d, 0U, 5U));
    assert_true(sgi_pending(d, 1U, 5U));
    assert_false(sgi_pending(d, 2U, 5U));
    assert_true(sgi_pending(d, 3U, 5U));

    /* IRM: everyone but the sender. */
    wr(d, SGI(0, 0x0280U), 4U, 0xffffU);
    wr(d, SGI(2, 0x0280U), 4U, 0xffffU);
    fake_sched_reset();
    assert_int_equal(vgic_emulate_sgi1r(d->vcpu[1], sgi1r(3U, 0U, 0U) | (1ULL << 40)), 0);
    assert_true(sgi_pending(d, 0U, 3U));
    assert_false(sgi_pending(d, 1U, 3U));
    assert_true(sgi_pending(d, 2U, 3U));
    assert_true(sgi_pending(d, 3U, 3U));
    assert_int_equal(kicks(d, 1), 0U);

    /* Another cluster, another range, Aff2/Aff3: nobody here. */
    for (unsigned int i = 0U; i < 4U; i++) {
        wr(d, SGI(i, 0x0280U), 4U, 0xffffU);
    }
    assert_int_equal(vgic_emulate_sgi1r(d->vcpu[0], sgi1r(3U, 1U, 0xffffU)), 0);
    assert_int_equal(vgic_emulate_sgi1r(d->vcpu[0], sgi1r(3U, 0U, 0xffffU) | (1ULL << 44)), 0);
    assert_int_equal(vgic_emulate_sgi1r(d->vcpu[0], sgi1r(3U, 0U, 0xffffU) | (1ULL << 32)), 0);
    assert_int_equal(vgic_emulate_sgi1r(d->vcpu[0], sgi1r(3U, 0U, 0xffffU) | (1ULL << 48)), 0);
    for (unsigned int i = 0U; i < 4U; i++) {
        assert_false(sgi_pending(d, i, 3U));
    }

    /* Delivered through the LRs as an edge. */
    assert_int_equal(vgic_emulate_sgi1r(d->vcpu[0], sgi1r(3U, 0U, 1U << 1)), 0);
    vgic_flush_lrs(d->vcpu[1]);
    assert_int_equal(fake_lr_state_of(3U), VGIC_LR_ST_PENDING);
    assert_int_equal(fake_vgic.lr[0] & ICH_LR_EOI, 0U);

    /* Ping-pong: vCPU 1 takes the SGI, exits (to send its answer), goes
     * back with the SGI active in an LR and deactivates it without an
     * exit. The next SGI must still make vCPU 1 exit, though its
     * software state says "active". */
    assert_int_equal(fake_guest_ack(), 3U);
    vgic_sync_lrs(d->vcpu[1]);
    vgic_flush_lrs(d->vcpu[1]);
    assert_int_equal(fake_lr_state_of(3U), VGIC_LR_ST_ACTIVE);
    assert_true(fake_guest_eoi(3U));
    fake_sched_reset();
    assert_int_equal(vgic_emulate_sgi1r(d->vcpu[0], sgi1r(3U, 0U, 1U << 1)), 0);
    assert_int_equal(kicks(d, 1), 1U);
    vgic_sync_lrs(d->vcpu[1]);
    vgic_flush_lrs(d->vcpu[1]);
    assert_int_equal(fake_lr_state_of(3U), VGIC_LR_ST_PENDING);
    assert_int_equal(fake_guest_ack(), 3U);

    /* Still active when the next one comes: active+pending, and once
     * disabled no longer offered as pending. */
    fake_sched_reset();
    assert_int_equal(vgic_emulate_sgi1r(d->vcpu[0], sgi1r(3U, 0U, 1U << 1)), 0);
    assert_int_equal(kicks(d, 1), 1U);
    vgic_sync_lrs(d->vcpu[1]);
    vgic_flush_lrs(d->vcpu[1]);
    assert_int_equal(fake_lr_state_of(3U), VGIC_LR_ST_ACTIVE | VGIC_LR_ST_PENDING);
    vgic_sync_lrs(d->vcpu[1]);
    wr(d, SGI(1, 0x0180U), 4U, 1U << 3);
    vgic_flush_lrs(d->vcpu[1]);
    assert_int_equal(fake_lr_state_of(3U), VGIC_LR_ST_ACTIVE);
    free_domain(d);
}

static void test_sgi1r_second_cluster(void **state)
{
    struct domain *d = new_domain(20U, 32U);

    (void)state;
    /* Aff1 = 1, TargetList bits 0 and 3: vCPUs 16 and 19. */
    assert_int_equal(vgic_emulate_sgi1r(d->vcpu[0], sgi1r(7U, 1U, 0x9U)), 0);
    for (unsigned int i = 0U; i < 20U; i++) {
        assert_int_equal(sgi_pending(d, i, 7U), (i == 16U) || (i == 19U));
    }
    free_domain(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_sgi1r, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sgi1r_second_cluster, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
