/* The virtual GICv3 against a fake list-register backend: interrupts
 * travelling injection -> list register -> guest acknowledge/EOI -> sync,
 * priority order when the LRs are too few, level and edge semantics, the
 * state saved and restored across a context switch, and the debug counts.
 * The registers are in test_vgic_regs.c, SGIs in test_vgic_sgi.c. */
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

/* ---- The path of an interrupt ---------------------------------------------- */

static void test_inject_flush_eoi(void **state)
{
    struct domain *d = new_domain(2U, NR_SPIS);
    struct vcpu *v0 = d->vcpu[0];

    (void)state;
    enable_irq(d, 0U, 40U, 0x80U);
    wr(d, GICD(0x0c08U), 4U, 0x2U << 16);      /* ICFGR2: SPI 40 edge */
    assert_false(vgic_vcpu_pending_irq(v0));
    assert_int_equal(vgic_inject_irq(d, NULL, 40U, true), 0);
    assert_int_equal(kicks(d, 0), 1U);
    assert_int_equal(vgic_inject_irq(d, NULL, 40U, true), 0);  /* nothing new */
    assert_int_equal(kicks(d, 0), 1U);
    assert_true(vgic_vcpu_pending_irq(v0));
    assert_false(vgic_vcpu_pending_irq(d->vcpu[1]));
    assert_true((rd(d, GICD(0x0200U + 4U), 4U) & (1U << 8)) != 0U);    /* ISPENDR1 */

    vgic_flush_lrs(v0);
    assert_int_equal(fake_lr_valid(), 1U);
    assert_int_equal(fake_vgic.lr[0] & ICH_LR_VINTID_MASK, 40U);
    assert_int_equal((fake_vgic.lr[0] >> ICH_LR_PRIO_SHIFT) & 0xffU, 0x80U);
    assert_true((fake_vgic.lr[0] & ICH_LR_GROUP1) != 0U);
    assert_int_equal(fake_vgic.lr[0] & (ICH_LR_HW | ICH_LR_EOI), 0U);  /* edge: no EOI maint */
    assert_int_equal(vgic_lr_state(fake_vgic.lr[0]), VGIC_LR_ST_PENDING);
    assert_int_equal(fake_vgic.hcr, ICH_HCR_EN);

    /* The guest takes it; an exit happens while it is active. */
    assert_int_equal(fake_guest_ack(), 40U);
    vgic_sync_lrs(v0);
    assert_int_equal(fake_lr_valid(), 0U);
    assert_true((rd(d, GICD(0x0300U + 4U), 4U) & (1U << 8)) != 0U);    /* active */
    assert_int_equal(rd(d, GICD(0x0200U + 4U), 4U) & (1U << 8), 0U);   /* not pending */
    assert_false(vgic_vcpu_pending_irq(v0));

    /* Back in: still active in an LR so the guest can EOI it. */
    vgic_flush_lrs(v0);
    assert_int_equal(fake_lr_state_of(40U), VGIC_LR_ST_ACTIVE);
    assert_true(fake_guest_eoi(40U));
    vgic_sync_lrs(v0);
    assert_int_equal(rd(d, GICD(0x0300U + 4U), 4U) & (1U << 8), 0U);
    vgic_flush_lrs(v0);
    assert_int_equal(fake_lr_valid(), 0U);
    /* Idle interrupts leave the busy bitmap. */
    assert_int_equal(d->arch->vgic.spi_busy[0], 0U);
    free_domain(d);
}

/* Each GIC register access is dear under emulation: an interrupt that
 * comes and goes never rewrites an unchanged ICH_HCR_EL2. */
static void test_hcr_written_only_when_it_changes(void **state)
{
    struct domain *d = new_domain(1U, NR_SPIS);
    struct vcpu *v = d->vcpu[0];
    unsigned int hcrw;

    (void)state;
    enable_irq(d, 0U, 40U, 0x80U);
    wr(d, GICD(0x0c08U), 4U, 0x2U << 16);      /* ICFGR2: SPI 40 edge */
    vgic_flush_lrs(v);                          /* first entry: HCR loaded */
    assert_int_equal(fake_vgic.hcr, ICH_HCR_EN);
    hcrw = fake_vgic.hcr_writes;

    assert_int_equal(vgic_pulse_irq(d, NULL, 40U), 0);
    vgic_flush_lrs(v);
    assert_int_equal(fake_lr_state_of(40U), VGIC_LR_ST_PENDING);
    assert_int_equal(fake_guest_ack(), 40U);
    assert_true(fake_guest_eoi(40U));
    vgic_sync_lrs(v);
    assert_int_equal(fake_lr_valid(), 0U);
    vgic_flush_lrs(v);
    assert_int_equal(fake_vgic.hcr_writes, hcrw);
    assert_int_equal(rd(d, GICD(0x0300U + 4U), 4U) & (1U << 8), 0U);   /* not active */

    /* Switched out and back: the register was cleared, so it is loaded. */
    vgic_save_state(v);
    vgic_restore_state(v);
    hcrw = fake_vgic.hcr_writes;
    assert_int_equal(vgic_pulse_irq(d, NULL, 40U), 0);
    vgic_flush_lrs(v);
    assert_int_equal(fake_vgic.hcr, ICH_HCR_EN);
    assert_int_equal(fake_vgic.hcr_writes, hcrw);
    assert_int_equal(fake_guest_ack(), 40U);
    assert_true(fake_guest_eoi(40U));
    vgic_sync_lrs(v);
    free_domain(d);
}

static void test_priority_order(void **state)
{
    static const struct { unsigned int intid; uint8_t prio; } irqs[] = {
        { 40U, 0xa0U }, { 20U, 0x40U }, { 41U, 0x10U }, { 33U, 0xf0U },
        { 22U, 0x40U }, { 45U, 0x60U },
    };
    struct domain *d = new_domain(1U, NR_SPIS);
    struct vcpu *v = d->vcpu[0];

    (void)state;
    for (unsigned int i = 0U; i < ARRAY_SIZE(irqs); i++) {
        enable_irq(d, 0U, irqs[i].intid, irqs[i].prio);
        assert_int_equal(vgic_inject_irq(d, v, irqs[i].intid, true), 0);
    }
    vgic_flush_lrs(v);
    /* Four LRs: 41 (0x10), 20 and 22 (0x40, lower INTID first), 45 (0x60). */
    assert_int_equal(fake_vgic.lr[0] & 0x3ffU, 41U);
    assert_int_equal(fake_vgic.lr[1] & 0x3ffU, 20U);
    assert_int_equal(fake_vgic.lr[2] & 0x3ffU, 22U);
    assert_int_equal(fake_vgic.lr[3] & 0x3ffU, 45U);
    assert_int_equal(fake_vgic.hcr, ICH_HCR_EN | ICH_HCR_UIE);

    /* The guest handles three (the line of each level PPI/SPI drops
     * before EOI, as a device's would). */
    for (unsigned int i = 0U; i < 3U; i++) {
        unsigned int intid = fake_guest_ack();

        assert_int_equal(vgic_inject_irq(d, v, intid, false), 0);
        assert_true(fake_guest_eoi(intid));
    }
    vgic_sync_lrs(v);
    assert_int_equal(fake_vgic.hcr, ICH_HCR_EN);    /* empty LRs: no UIE */
    vgic_flush_lrs(v);
    /* 45 still pending, then 40, 33: all fit, no underflow request. */
    assert_int_equal(fake_lr_valid(), 3U);
    assert_int_equal(fake_vgic.lr[0] & 0x3ffU, 45U);
    assert_int_equal(fake_vgic.lr[1] & 0x3ffU, 40U);
    assert_int_equal(fake_vgic.lr[2] & 0x3ffU, 33U);
    assert_int_equal(fake_vgic.hcr, ICH_HCR_EN);
    free_domain(d);
}

/* An active interrupt keeps its LR even when better ones are pending. */
static void test_active_first(void **state)
{
    struct domain *d = new_domain(1U, NR_SPIS);
    struct vcpu *v = d->vcpu[0];

    (void)state;
    fake_vgic_reset(2U);
    enable_irq(d, 0U, 50U, 0xe0U);
    assert_int_equal(vgic_inject_irq(d, NULL, 50U, true), 0);
    vgic_flush_lrs(v);
    assert_int_equal(fake_guest_ack(), 50U);
    vgic_sync_lrs(v);
    for (unsigned int i = 0U; i < 3U; i++) {
        enable_irq(d, 0U, 16U + i, 0x10U);
        assert_int_equal(vgic_inject_irq(d, v, 16U + i, true), 0);
    }
    vgic_flush_lrs(v);
    assert_int_equal(fake_vgic.lr[0] & 0x3ffU, 50U);
    assert_int_equal(vgic_lr_state(fake_vgic.lr[0]), VGIC_LR_ST_ACTIVE);
    assert_int_equal(fake_vgic.lr[1] & 0x3ffU, 16U);
    assert_true((fake_vgic.hcr & ICH_HCR_UIE) != 0U);
    vgic_sync_lrs(v);

    /* With one LR, underflow would fire at once: not asked for. (The
     * register still holds what sync left in it.) */
    fake_vgic_reset(1U);
    fake_vgic.hcr = ICH_HCR_EN;
    vgic_flush_lrs(v);
    assert_int_equal(fake_vgic.lr[0] & 0x3ffU, 50U);
    assert_int_equal(fake_vgic.hcr, ICH_HCR_EN);
    free_domain(d);
}

static void test_level_semantics(void **state)
{
    struct domain *d = new_domain(1U, NR_SPIS);
    struct vcpu *v = d->vcpu[0];

    (void)state;
    enable_irq(d, 0U, 27U, 0xa0U);      /* the virtual timer: level PPI */
    assert_int_equal(vgic_inject_irq(d, v, 27U, true), 0);
    vgic_flush_lrs(v);
    assert_int_equal(fake_lr_state_of(27U), VGIC_LR_ST_PENDING);
    /* Level interrupts ask for a maintenance interrupt on deactivation. */
    assert_true((fake_vgic.lr[0] & ICH_LR_EOI) != 0U);

    /* EOI with the line still high: pending again. */
    assert_int_equal(fake_guest_ack(), 27U);
    assert_true(fake_guest_eoi(27U));
    assert_int_equal(fake_vgic.eoi_maint, 1U);
    vgic_sync_lrs(v);
    assert_true(vgic_vcpu_pending_irq(v));
    vgic_flush_lrs(v);
    assert_int_equal(fake_lr_state_of(27U), VGIC_LR_ST_PENDING);

    /* Acknowledged, line still high: active only (no active+pending for
     * a level interrupt); then the line drops and the EOI ends it. */
    assert_int_equal(fake_guest_ack(), 27U);
    vgic_sync_lrs(v);
    vgic_flush_lrs(v);
    assert_int_equal(fake_lr_state_of(27U), VGIC_LR_ST_ACTIVE);
    assert_int_equal(vgic_inject_irq(d, v, 27U, false), 0);
    assert_true(fake_guest_eoi(27U));
    vgic_sync_lrs(v);
    assert_false(vgic_vcpu_pending_irq(v));
    vgic_flush_lrs(v);
    assert_int_equal(fake_lr_valid(), 0U);

    /* Raised and lowered before the guest took it: withdrawn. */
    assert_int_equal(vgic_inject_irq(d, v, 27U, true), 0);
    vgic_flush_lrs(v);
    assert_int_equal(vgic_inject_irq(d, v, 27U, false), 0);
    vgic_sync_lrs(v);
    vgic_flush_lrs(v);
    assert_int_equal(fake_lr_valid(), 0U);

    /* ISPENDR latches a level interrupt until acknowledged; ICPENDR
     * clears the latch but not a high line. */
    wr(d, SGI(0, 0x0200U), 4U, 1U << 27);
    assert_true(vgic_vcpu_pending_irq(v));
    wr(d, SGI(0, 0x0280U), 4U, 1U << 27);
    assert_false(vgic_vcpu_pending_irq(v));
    assert_int_equal(vgic_inject_irq(d, v, 27U, true), 0);
    wr(d, SGI(0, 0x0280U), 4U, 1U << 27);
    assert_true(vgic_vcpu_pending_irq(v));
    free_domain(d);
}

/* A second edge of intid came while the guest had the first active: the
 * next exit's sync and flush put both in its LR (active and pending), and
 * the guest ends the first, takes the second and ends it, with no exit. */
static void second_edge_after_eoi(struct vcpu *v, unsigned int intid)
{
    vgic_sync_lrs(v);
    vgic_flush_lrs(v);
    assert_int_equal(fake_lr_state_of(intid), VGIC_LR_ST_ACTIVE | VGIC_LR_ST_PENDING);
    assert_true(fake_guest_eoi(intid));
    assert_int_equal(fake_guest_ack(), intid);
    assert_true(fake_guest_eoi(intid));
}

/* A pulsed PPI (the event-channel upcall) is an edge whatever ICFGR says:
 * no maintenance interrupt, a pulse while active waits as active+pending,
 * the guest's level configuration reads back unchanged. */
static void test_pulsed_ppi(void **state)
{
    struct domain *d = new_domain(1U, NR_SPIS);
    struct vcpu *v = d->vcpu[0];

    (void)state;
    enable_irq(d, 0U, 31U, 0xa0U);                 /* level, as Linux sets it */
    assert_int_equal(vgic_pulse_irq(d, v, 31U), 0);
    assert_int_equal(kicks(d, 0), 1U);
    assert_int_equal(vgic_pulse_irq(d, v, 31U), 0);    /* not taken yet: nothing new */
    assert_int_equal(kicks(d, 0), 1U);
    vgic_flush_lrs(v);
    assert_int_equal(fake_lr_state_of(31U), VGIC_LR_ST_PENDING);
    assert_int_equal(fake_vgic.lr[fake_lr_find(31U)] & ICH_LR_EOI, 0U);
    assert_int_equal(rd(d, SGI(0, 0x0c04U), 4U) & (3U << 30), 0U);   /* ICFGR1: level */

    /* Taken; a pulse from another CPU while active: the holder is kicked
     * and the LR then says active+pending; the EOI needs no exit. */
    assert_int_equal(fake_guest_ack(), 31U);
    assert_int_equal(vgic_pulse_irq(d, v, 31U), 0);
    assert_int_equal(kicks(d, 0), 2U);
    second_edge_after_eoi(v, 31U);
    assert_int_equal(fake_vgic.eoi_maint, 0U);
    vgic_sync_lrs(v);
    assert_false(vgic_vcpu_pending_irq(v));
    vgic_flush_lrs(v);
    assert_int_equal(fake_lr_valid(), 0U);

    /* A pulse is no line: it never stays high. */
    assert_int_equal(vgic_pulse_irq(d, v, 31U), 0);
    vgic_flush_lrs(v);
    assert_int_equal(fake_guest_ack(), 31U);
    assert_true(fake_guest_eoi(31U));
    vgic_sync_lrs(v);
    assert_false(vgic_vcpu_pending_irq(v));
    /* A private interrupt needs its vCPU; an SPI past the domain's is refused. */
    assert_int_equal(vgic_pulse_irq(d, NULL, 31U), -EINVAL);
    assert_int_equal(vgic_pulse_irq(d, NULL, 32U + NR_SPIS), -EINVAL);
    free_domain(d);
}

static void test_edge_semantics(void **state)
{
    struct domain *d = new_domain(1U, NR_SPIS);
    struct vcpu *v = d->vcpu[0];

    (void)state;
    enable_irq(d, 0U, 33U, 0xa0U);
    wr(d, GICD(0x0c00U + 8U), 4U, 0x2U << 2);       /* SPI 33 edge */
    /* A falling edge does nothing; two edges before the guest looks
     * count once. */
    assert_int_equal(vgic_inject_irq(d, NULL, 33U, false), 0);
    assert_false(vgic_vcpu_pending_irq(v));
    assert_int_equal(vgic_inject_irq(d, NULL, 33U, true), 0);
    assert_int_equal(vgic_inject_irq(d, NULL, 33U, true), 0);
    vgic_flush_lrs(v);
    assert_int_equal(fake_guest_ack(), 33U);
    assert_int_equal(fake_guest_ack(), 1023U);
    vgic_sync_lrs(v);
    vgic_flush_lrs(v);
    assert_true(fake_guest_eoi(33U));
    vgic_sync_lrs(v);
    vgic_flush_lrs(v);
    assert_int_equal(fake_lr_valid(), 0U);

    /* An edge while the guest handles the previous one (the LR says
     * active, the guest is running): active+pending, delivered again
     * after the EOI. */
    assert_int_equal(vgic_inject_irq(d, NULL, 33U, true), 0);
    vgic_flush_lrs(v);
    assert_int_equal(fake_guest_ack(), 33U);
    assert_int_equal(vgic_inject_irq(d, NULL, 33U, true), 0);     /* from another CPU */
    second_edge_after_eoi(v, 33U);
    vgic_sync_lrs(v);
    vgic_flush_lrs(v);
    assert_int_equal(fake_lr_valid(), 0U);

    /* ICPENDR while in an LR, unacknowledged: withdrawn at the next sync. */
    assert_int_equal(vgic_inject_irq(d, NULL, 33U, true), 0);
    vgic_flush_lrs(v);
    wr(d, GICD(0x0280U + 4U), 4U, 1U << 1);
    vgic_sync_lrs(v);
    vgic_flush_lrs(v);
    assert_int_equal(fake_lr_valid(), 0U);
    free_domain(d);
}

/* Disabled, masked by GICD_CTLR, or unrouted: pending but not delivered. */
static void test_delivery_conditions(void **state)
{
    struct domain *d = new_domain(2U, NR_SPIS);
    struct vcpu *v0 = d->vcpu[0];
    struct vcpu *v1 = d->vcpu[1];

    (void)state;
    assert_int_equal(vgic_inject_irq(d, NULL, 60U, true), 0);
    assert_false(vgic_vcpu_pending_irq(v0));
    assert_int_equal(kicks(d, 0), 0U);
    vgic_flush_lrs(v0);
    assert_int_equal(fake_lr_valid(), 0U);
    enable_irq(d, 0U, 60U, 0x80U);      /* enabling it kicks vCPU 0 */
    assert_true(kicks(d, 0) > 0U);
    assert_true(vgic_vcpu_pending_irq(v0));

    wr(d, GICD(0x0000U), 4U, 0U);       /* distributor off */
    assert_false(vgic_vcpu_pending_irq(v0));
    fake_sched_reset();
    wr(d, GICD(0x0000U), 4U, 0x2U);
    assert_int_equal(kicks(d, 0), 1U);

    /* Moved to vCPU 1 by IROUTER, which is kicked. */
    wr(d, GICD(0x6000U + (8U * 60U)), 8U, 1U);
    assert_int_equal(kicks(d, 1), 1U);
    assert_false(vgic_vcpu_pending_irq(v0));
    assert_true(vgic_vcpu_pending_irq(v1));
    vgic_flush_lrs(v0);
    assert_int_equal(fake_lr_valid(), 0U);
    vgic_flush_lrs(v1);
    assert_int_equal(fake_lr_state_of(60U), VGIC_LR_ST_PENDING);
    vgic_sync_lrs(v1);

    /* Routed to an affinity no vCPU has: nobody. Then back. */
    wr(d, GICD(0x6000U + (8U * 60U)), 8U, 0x0500U);
    assert_int_equal(d->arch->vgic.spis[28].target, VGIC_NO_VCPU);
    assert_false(vgic_vcpu_pending_irq(v0));
    assert_false(vgic_vcpu_pending_irq(v1));
    wr(d, GICD(0x6000U + (8U * 60U)), 8U, 0U);
    assert_true(vgic_vcpu_pending_irq(v0));

    /* Active on vCPU 0, re-routed to vCPU 1: the EOI still finds it in
     * vCPU 0's LRs, and vCPU 1 is kicked once it is pending again. */
    vgic_flush_lrs(v0);
    assert_int_equal(fake_guest_ack(), 60U);
    vgic_sync_lrs(v0);
    wr(d, GICD(0x6000U + (8U * 60U)), 8U, 1U);
    vgic_flush_lrs(v1);
    assert_int_equal(fake_lr_valid(), 0U);
    vgic_sync_lrs(v1);
    vgic_flush_lrs(v0);
    assert_int_equal(fake_lr_state_of(60U), VGIC_LR_ST_ACTIVE);
    assert_int_equal(vgic_inject_irq(d, NULL, 60U, true), 0);     /* line still up */
    fake_sched_reset();
    assert_true(fake_guest_eoi(60U));
    vgic_sync_lrs(v0);
    assert_int_equal(kicks(d, 1), 1U);
    assert_true(vgic_vcpu_pending_irq(v1));
    free_domain(d);
}

/* ---- Context switch and debug ------------------------------------------- */

static void test_save_restore(void **state)
{
    struct domain *d = new_domain(2U, 32U);
    struct vcpu *v0 = d->vcpu[0];
    struct vcpu *v1 = d->vcpu[1];

    (void)state;
    enable_irq(d, 0U, 40U, 0x80U);
    vgic_restore_state(v0);
    fake_vgic.vmcr = 0xf0000002U;       /* guest: PMR 0xf0, Group 1 on */
    fake_vgic.ap1r[0] = 0x4U;
    assert_int_equal(vgic_inject_irq(d, NULL, 40U, true), 0);
    vgic_flush_lrs(v0);
    assert_int_equal(fake_guest_ack(), 40U);

    /* Descheduled without an explicit sync: save folds the LRs back and
     * turns the virtual CPU interface off. */
    vgic_save_state(v0);
    assert_int_equal(fake_vgic.hcr, 0U);
    assert_int_equal(fake_lr_valid(), 0U);
    assert_int_equal(v0->arch->vgic.nr_lrs_used, 0U);
    assert_true((rd(d, GICD(0x0300U + 4U), 4U) & (1U << 8)) != 0U);

    vgic_restore_state(v1);
    assert_int_equal(fake_vgic.vmcr, 0U);
    assert_int_equal(fake_vgic.ap1r[0], 0U);
    vgic_flush_lrs(v1);
    assert_int_equal(fake_lr_valid(), 0U);      /* active on v0, not v1's */
    vgic_sync_lrs(v1);
    vgic_save_state(v1);

    vgic_restore_state(v0);
    assert_int_equal(fake_vgic.vmcr, 0xf0000002U);
    assert_int_equal(fake_vgic.ap1r[0], 0x4U);
    assert_int_equal(fake_vgic.hcr, ICH_HCR_EN);
    vgic_flush_lrs(v0);
    assert_int_equal(fake_lr_state_of(40U), VGIC_LR_ST_ACTIVE);

    /* Saving twice, or a vCPU that never ran, touches nothing. */
    vgic_sync_lrs(v0);
    vgic_save_state(v0);
    fake_vgic.vmcr = 0x1234U;
    vgic_save_state(v0);
    assert_int_equal(v0->arch->vgic.ctx.vmcr, 0xf0000002U);
    free_domain(d);
}

static void test_stats(void **state)
{
    struct domain *d = new_domain(1U, 32U);
    struct vcpu *v = d->vcpu[0];
    struct vgic_vcpu_stats st;

    (void)state;
    enable_irq(d, 0U, 27U, 0x80U);
    enable_irq(d, 0U, 40U, 0x80U);
    assert_int_equal(vgic_inject_irq(d, v, 27U, true), 0);
    assert_int_equal(vgic_inject_irq(d, NULL, 40U, true), 0);
    assert_int_equal(vgic_inject_irq(d, NULL, 41U, true), 0);   /* disabled */
    vgic_flush_lrs(v);
    assert_int_equal(fake_guest_ack(), 27U);
    vgic_sync_lrs(v);
    vgic_flush_lrs(v);
    vgic_vcpu_stats(v, &st);
    assert_int_equal(st.pending, 3U);   /* 27's line is high, 40, 41 */
    assert_int_equal(st.active, 1U);
    assert_int_equal(st.in_lrs, 2U);    /* 27 active, 40 pending */
    fake_log_clear();
    vgic_dump_vcpu(v);
    assert_true(fake_log_contains("3 pending, 1 active, 2 in LRs"));
    free_domain(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_inject_flush_eoi, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hcr_written_only_when_it_changes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_priority_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_active_first, setup, teardown),
        cmocka_unit_test_setup_teardown(test_level_semantics, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pulsed_ppi, setup, teardown),
        cmocka_unit_test_setup_teardown(test_edge_semantics, setup, teardown),
        cmocka_unit_test_setup_teardown(test_delivery_conditions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_save_restore, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stats, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
