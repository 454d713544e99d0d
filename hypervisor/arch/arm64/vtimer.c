/* The guest's virtual timer. While the vCPU runs, CNTV is the real
 * hardware: when it fires, the physical PPI 27 reaches EL2, we mask the
 * timer (CNTV_CTL.IMASK) so it does not fire again, and raise the guest's
 * virtual PPI 27. The guest's handler re-arms or stops the timer, which
 * clears IMASK; the next exit then lowers the line. While the vCPU is off
 * its CPU, a software timer at the same deadline raises the line and
 * wakes it. */
#include <asm/arm64.h>
#include <asm/domain.h>
#include <asm/sysregs.h>
#include <asm/vgic.h>
#include <asm/vtimer.h>
#include <proxenos/arch/irq.h>
#include <proxenos/smp.h>

/* Whose CNTV state is in this CPU's registers. Not current_vcpu(): the
 * scheduler changes that before the context switch saves the old timer,
 * and an interrupt in between must still reach the timer's owner. */
static struct vcpu *loaded[NR_CPUS];

#define CNTV_ENABLE  (1U << 0)
#define CNTV_IMASK   (1U << 1)
#define CNTV_ISTATUS (1U << 2)

static void raise_line(struct vcpu *v)
{
    v->arch->vtimer_line_high = true;
    (void)vgic_inject_irq(v->domain, v, VTIMER_PPI, true);
}

static void vtimer_expired(void *data)
{
    raise_line(data);
}

static void vtimer_phys_interrupt(unsigned int irq, void *data)
{
    struct vcpu *v = loaded[arch_cpu_id()];

    (void)irq;
    (void)data;
    WRITE_SYSREG(cntv_ctl_el0, READ_SYSREG(cntv_ctl_el0) | CNTV_IMASK);
    isb();
    if (v != NULL) {
        raise_line(v);
    }
}

void vtimer_cpu_init(void)
{
    WRITE_SYSREG(cntv_ctl_el0, 0U);
    (void)arch_irq_request(VTIMER_PPI, vtimer_phys_interrupt, NULL);
}

void vtimer_vcpu_init(struct vcpu *v)
{
    init_timer(&v->arch->vtimer, vtimer_expired, v, v->processor);
    v->arch->vtimer_line_high = false;
}

void vtimer_vcpu_destroy(struct vcpu *v)
{
    stop_timer(&v->arch->vtimer);
}

void vtimer_vcpu_moved(struct vcpu *v)
{
    migrate_timer(&v->arch->vtimer, v->processor);
}

void vtimer_sync(struct vcpu *v)
{
    uint64_t ctl;

    if (!v->arch->vtimer_line_high) {
        return;
    }
    ctl = READ_SYSREG(cntv_ctl_el0);
    if ((ctl & CNTV_IMASK) != 0U) {
        return;     /* still masked: by us, or by the guest's handler */
    }
    if (((ctl & CNTV_ENABLE) == 0U) || ((ctl & CNTV_ISTATUS) == 0U)) {
        v->arch->vtimer_line_high = false;
        (void)vgic_inject_irq(v->domain, v, VTIMER_PPI, false);
    }
}

void vtimer_save(struct vcpu *v)
{
    uint64_t ctl = v->arch->sys.cntv_ctl_el0;

    loaded[arch_cpu_id()] = NULL;

    if (((ctl & CNTV_ENABLE) != 0U) && ((ctl & CNTV_IMASK) == 0U)) {
        uint64_t phys = v->arch->sys.cntv_cval_el0 + v->domain->arch->cntvoff;

        set_timer(&v->arch->vtimer, counter_to_stime(phys));
    }
}

void vtimer_restore(struct vcpu *v)
{
    stop_timer(&v->arch->vtimer);
    loaded[arch_cpu_id()] = v;
    /* The software timer raised the line while v was away: mask the
     * restored timer as the physical interrupt's handler would have, or it
     * fires at once on entry and costs an exit that only finds the line
     * already high. */
    if (v->arch->vtimer_line_high) {
        uint64_t ctl = READ_SYSREG(cntv_ctl_el0);

        if ((ctl & (CNTV_ENABLE | CNTV_IMASK | CNTV_ISTATUS)) == (CNTV_ENABLE | CNTV_ISTATUS)) {
            WRITE_SYSREG(cntv_ctl_el0, ctl | CNTV_IMASK);
        }
    }
}
