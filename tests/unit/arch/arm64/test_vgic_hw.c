/* Physical SPIs routed to a guest (irq_route.c, vgic/vgic_hw.c) against a
 * fake host GIC and fake list registers: a level line is masked while the
 * guest serves it and unmasked by the guest's deactivation, so a device
 * that keeps its line high cannot storm; an edge line is never masked;
 * the guest's enable, disable and ICFGR reach the line as they should; a
 * line has one owner; a destroyed domain leaves its lines disabled and
 * nobody's. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include <asm/irq_route.h>
#include <asm/vgic.h>
#include <proxenos/domain.h>
#include <proxenos/errno.h>
#include <fake_arch.h>
#include "fake_gic_spi.h"
#include "fake_vgic_lr.h"
#include "fake_sched.h"
#include "heap_env.h"
#include "vgic_internal.h"
#include "vgic_env.h"

#define LEVEL_SPI 40U
#define EDGE_SPI  41U

static int hw_setup(void **state)
{
    fake_gic_reset();
    return setup(state);
}

/* What arch_domain_destroy does: the lines first, then the vGIC. */
static void destroy(struct domain *d)
{
    irq_route_release_domain(d);
    free_domain(d);
}

static bool pending(struct domain *d, unsigned int intid)
{
    return (rd(d, GICD(0x0200U + ((intid / 32U) * 4U)), 4U) & (1U << (intid % 32U))) != 0U;
}

static void test_level_line_masked_until_deactivated(void **state)
{
    struct domain *d = new_domain(1U, NR_SPIS);
    struct vcpu *v = d->vcpu[0];

    (void)state;
    assert_int_equal(irq_route_to_guest(d, LEVEL_SPI, false), 0);
    assert_ptr_equal(fake_gic[LEVEL_SPI].data, d);
    assert_false(fake_gic[LEVEL_SPI].edge);
    assert_false(fake_gic[LEVEL_SPI].enabled);      /* until the guest enables it */
    assert_int_equal(rd(d, GICD(0x0c08U), 4U) & (3U << 16), 0U);   /* ICFGR: level */
    enable_irq(d, 0U, LEVEL_SPI, 0x80U);
    assert_true(fake_gic[LEVEL_SPI].enabled);

    /* The device raises its line: masked at once, pending in the guest. */
    assert_true(fake_gic_fire(LEVEL_SPI));
    assert_false(fake_gic[LEVEL_SPI].enabled);
    assert_int_equal(kicks(d, 0), 1U);
    assert_true(pending(d, LEVEL_SPI));
    /* The line is still high: the GIC cannot signal it again. */
    assert_false(fake_gic_fire(LEVEL_SPI));

    vgic_flush_lrs(v);
    assert_int_equal(fake_vgic.lr[0] & ICH_LR_VINTID_MASK, LEVEL_SPI);
    assert_true((fake_vgic.lr[0] & ICH_LR_EOI) != 0U);     /* deactivation exits */
    assert_int_equal(fake_guest_ack(), LEVEL_SPI);
    vgic_sync_lrs(v);
    assert_false(fake_gic[LEVEL_SPI].enabled);      /* served, not yet done */
    assert_true((rd(d, GICD(0x0300U + 4U), 4U) & (1U << (LEVEL_SPI % 32U))) != 0U);

    vgic_flush_lrs(v);
    assert_true(fake_guest_eoi(LEVEL_SPI));
    vgic_sync_lrs(v);
    /* Done: unmasked, and nothing pending again by itself (no storm). */
    assert_true(fake_gic[LEVEL_SPI].enabled);
    assert_false(pending(d, LEVEL_SPI));
    vgic_flush_lrs(v);
    assert_int_equal(fake_lr_valid(), 0U);

    /* A device still asserting fires again and is served again. */
    assert_true(fake_gic_fire(LEVEL_SPI));
    assert_true(pending(d, LEVEL_SPI));
    assert_int_equal(fake_gic[LEVEL_SPI].masks, 2U);
    destroy(d);
}

static void test_edge_line_never_masked(void **state)
{
    struct domain *d = new_domain(1U, NR_SPIS);
    struct vcpu *v = d->vcpu[0];

    (void)state;
    assert_int_equal(irq_route_to_guest(d, EDGE_SPI, true), 0);
    assert_true(fake_gic[EDGE_SPI].edge);
    assert_int_equal(rd(d, GICD(0x0c08U), 4U) & (3U << 18), 2U << 18);   /* ICFGR: edge */
    enable_irq(d, 0U, EDGE_SPI, 0x80U);
    assert_true(fake_gic_fire(EDGE_SPI));
    assert_true(fake_gic_fire(EDGE_SPI));           /* two edges, one pending state */
    assert_true(fake_gic[EDGE_SPI].enabled);
    assert_int_equal(fake_gic[EDGE_SPI].masks, 0U);
    vgic_flush_lrs(v);
    assert_int_equal(fake_vgic.lr[0] & ICH_LR_EOI, 0U);
    assert_int_equal(fake_guest_ack(), EDGE_SPI);
    vgic_sync_lrs(v);
    /* An edge while the guest serves the last one: active and pending. */
    assert_true(fake_gic_fire(EDGE_SPI));
    vgic_flush_lrs(v);
    assert_int_equal(fake_lr_state_of(EDGE_SPI), VGIC_LR_ST_ACTIVE | VGIC_LR_ST_PENDING);
    assert_true(fake_guest_eoi(EDGE_SPI));
    assert_int_equal(fake_guest_ack(), EDGE_SPI);
    assert_true(fake_guest_eoi(EDGE_SPI));
    vgic_sync_lrs(v);
    assert_false(pending(d, EDGE_SPI));
    assert_true(fake_gic[EDGE_SPI].enabled);
    destroy(d);
}

static void test_guest_registers_reach_the_line(void **state)
{
    struct domain *d = new_domain(1U, NR_SPIS);

    (void)state;
    assert_int_equal(irq_route_to_guest(d, LEVEL_SPI, false), 0);
    enable_irq(d, 0U, LEVEL_SPI, 0x80U);
    wr(d, GICD(0x0180U + 4U), 4U, 1U << (LEVEL_SPI % 32U));       /* ICENABLER1 */
    assert_false(fake_gic[LEVEL_SPI].enabled);
    wr(d, GICD(0x0100U + 4U), 4U, 1U << (LEVEL_SPI % 32U));       /* ISENABLER1 */
    assert_true(fake_gic[LEVEL_SPI].enabled);

    /* Enabling again while an assertion waits for the guest: still masked. */
    assert_true(fake_gic_fire(LEVEL_SPI));
    wr(d, GICD(0x0100U + 4U), 4U, 1U << (LEVEL_SPI % 32U));
    assert_false(fake_gic[LEVEL_SPI].enabled);
    /* A guest that clears the active state by hand ends it as an EOI does. */
    wr(d, GICD(0x0300U + 4U), 4U, 1U << (LEVEL_SPI % 32U));       /* ISACTIVER1 */
    wr(d, GICD(0x0380U + 4U), 4U, 1U << (LEVEL_SPI % 32U));       /* ICACTIVER1 */
    assert_true(fake_gic[LEVEL_SPI].enabled);
    assert_false(pending(d, LEVEL_SPI));

    /* ICFGR of a routed line keeps the device's trigger; of another, not. */
    wr(d, GICD(0x0c08U), 4U, (2U << 16) | (2U << 20));           /* 40 and 42 edge */
    assert_int_equal(rd(d, GICD(0x0c08U), 4U), 2U << 20);
    /* Other lines of the domain never touch the host GIC. */
    enable_irq(d, 0U, 42U, 0x80U);
    assert_int_equal(fake_gic[42].enables + fake_gic[42].masks, 0U);
    destroy(d);
}

static void test_one_owner_per_line(void **state)
{
    struct domain *d1 = new_domain(1U, NR_SPIS);
    struct domain *d2 = new_domain(1U, NR_SPIS);

    (void)state;
    fake_gic_take(42U);                              /* e.g. the hypervisor's UART */
    assert_int_equal(irq_route_to_guest(d1, 42U, false), -EBUSY);
    assert_false(fake_gic[42].data == d1);
    assert_int_equal(vgic_hw_next(d1, 0U), 0U);      /* the vGIC forgot it again */
    wr(d1, GICD(0x0c08U), 4U, 2U << 20);             /* so its ICFGR is the guest's */
    assert_int_equal(rd(d1, GICD(0x0c08U), 4U), 2U << 20);

    assert_int_equal(irq_route_to_guest(d1, 43U, true), 0);
    assert_int_equal(irq_route_to_guest(d2, 43U, true), -EBUSY);
    assert_int_equal(irq_route_to_guest(d1, 43U, true), -EEXIST);
    assert_ptr_equal(fake_gic[43].data, d1);
    assert_int_equal(vgic_hw_next(d2, 0U), 0U);

    /* Not SPIs, or beyond what the GIC or the domain has. */
    assert_int_equal(irq_route_to_guest(d1, 27U, false), -EINVAL);
    assert_int_equal(irq_route_to_guest(d1, 32U + NR_SPIS, false), -EINVAL);
    assert_int_equal(irq_route_to_guest(d1, 1020U, false), -EINVAL);
    destroy(d2);
    destroy(d1);
}

static void test_destroyed_domain_leaves_lines_disabled(void **state)
{
    struct domain *d = new_domain(1U, NR_SPIS);
    struct domain *next;

    (void)state;
    assert_int_equal(irq_route_to_guest(d, LEVEL_SPI, false), 0);
    assert_int_equal(irq_route_to_guest(d, EDGE_SPI, true), 0);
    enable_irq(d, 0U, LEVEL_SPI, 0x80U);
    enable_irq(d, 0U, EDGE_SPI, 0x80U);
    assert_true(fake_gic_fire(LEVEL_SPI));           /* left waiting for the guest */
    assert_int_equal(vgic_hw_next(d, 0U), LEVEL_SPI);
    assert_int_equal(vgic_hw_next(d, LEVEL_SPI + 1U), EDGE_SPI);

    irq_route_release_domain(d);
    for (unsigned int i = LEVEL_SPI; i <= EDGE_SPI; i++) {
        assert_null(fake_gic[i].fn);
        assert_null(fake_gic[i].data);
        assert_false(fake_gic[i].enabled);
        assert_int_equal(fake_gic[i].releases, 1U);
        assert_false(fake_gic_fire(i));
    }
    assert_int_equal(vgic_hw_next(d, 0U), 0U);
    free_domain(d);

    /* Free for the next domain. */
    next = new_domain(1U, NR_SPIS);
    assert_int_equal(irq_route_to_guest(next, LEVEL_SPI, false), 0);
    destroy(next);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_level_line_masked_until_deactivated, hw_setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_edge_line_never_masked, hw_setup, teardown),
        cmocka_unit_test_setup_teardown(test_guest_registers_reach_the_line, hw_setup, teardown),
        cmocka_unit_test_setup_teardown(test_one_owner_per_line, hw_setup, teardown),
        cmocka_unit_test_setup_teardown(test_destroyed_domain_leaves_lines_disabled, hw_setup,
                                        teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
