/* How domains stop. A guest asks (poweroff, reboot) or faults (crash); its
 * vCPUs are taken off their CPUs at once, and CPU 0 then destroys it (or
 * rebuilds it for a reboot) once none of them runs any more. When the last
 * domain is gone the machine powers off with a summary. A domain another
 * CPU still holds a reference to is freed by that CPU's domain_put(), not
 * waited for (docs/domains.md).
 *
 * A domain the toolstack built (or took over) is left shut down instead:
 * the control domain hears of it (VIRQ_DOM_EXC) and xl destroys or
 * rebuilds it, as on Xen. Once no control domain runs, nobody will: those
 * are reaped too, so that the machine still powers off when all is done. */
#include "domain_internal.h"
#include <proxenos/alloc_count.h>
#include <proxenos/arch/cpu.h>
#include <proxenos/arch/domain.h>
#include <proxenos/domain_create.h>
#include <proxenos/evtchn.h>
#include <proxenos/printk.h>
#include <proxenos/sched.h>
#include <proxenos/smp.h>
#include <proxenos/timer.h>
#include <proxenos/xmalloc.h>

#define REAP_POLL MICROSECS(200)

static struct timer reaper;
static bool reaper_ready;
static unsigned int nr_poweroff, nr_crashed, nr_rebooted;
static domain_restart_fn restart_boot_domain;

void domain_set_restart(domain_restart_fn fn)
{
    restart_boot_domain = fn;
}

void domain_shutdown_reset_counts(void)
{
    nr_poweroff = 0U;
    nr_crashed = 0U;
    nr_rebooted = 0U;
}

static const char *reason_name(enum shutdown_reason r)
{
    switch (r) {
    case SHUTDOWN_poweroff: return "power off";
    case SHUTDOWN_reboot: return "reboot";
    case SHUTDOWN_suspend: return "suspend";
    case SHUTDOWN_crash: return "crash";
    default: return "watchdog";
    }
}

static bool vcpus_stopped(const struct domain *d)
{
    for (unsigned int i = 0U; i < d->max_vcpus; i++) {
        if (sched_vcpu_on_cpu(d->vcpu[i])) {
            return false;
        }
    }
    return true;
}

/* Whether a control domain still runs: only then is there a toolstack to
 * destroy the stopped domains it owns. */
static bool control_domain_alive(void)
{
    for (struct domain *d = domain_get_next(NULL); d != NULL; d = domain_get_next(d)) {
        if (d->is_privileged && ((d->state == DOMAIN_RUNNING) || (d->state == DOMAIN_BUILDING))) {
            domain_put(d);
            return true;
        }
    }
    return false;
}

static void reap(void *data)
{
    bool again = false;
    bool notify = false;
    bool toolstack = control_domain_alive();
    bool recycling = false;
    domid_t restart[MAX_DOMAINS];
    unsigned int nr_restart = 0U;
    struct domain *d = domain_get_next(NULL);

    (void)data;
    for (; d != NULL; d = domain_get_next(d)) {
        if ((d->state != DOMAIN_SHUTDOWN) && (d->state != DOMAIN_CRASHED)) {
            continue;
        }
        if (!vcpus_stopped(d)) {
            again = true;
            continue;
        }
        if (d->toolstack_built && toolstack) {
            notify = notify || !d->stop_reported;
            d->stop_reported = true;
            continue;
        }
        notify = true;
        /* Only the boot configuration's own domains are rebuilt here: one
         * the toolstack built has no configuration of ours. */
        if ((d->state == DOMAIN_SHUTDOWN) && (d->shutdown_code == SHUTDOWN_reboot) &&
            !d->toolstack_built && (restart_boot_domain != NULL) && (nr_restart < MAX_DOMAINS)) {
            restart[nr_restart] = d->domain_id;
            nr_restart++;
            /* Static mode: what d gives up is kept for its rebuild, so
             * that the reboot allocates nothing (alloc_count.h). */
            recycling = recycling || alloc_recycle_begin();
        }
        arch_domain_flush_console(d);
        /* Off the list; the walk's reference keeps d until the next step. */
        domain_destroy(d);
    }
    /* The walk dropped the last references of the domains destroyed above
     * (unless a hypercall elsewhere still holds one): free them before a
     * reboot needs their memory. */
    domain_free_queued();
    if (notify) {
        domain_notify_exception();
    }
    for (unsigned int i = 0U; i < nr_restart; i++) {
        int rc = restart_boot_domain(restart[i]);

        if (rc != 0) {
            pr_err("Domain %u: reboot failed (%d)\n", restart[i], rc);
        }
    }
    if (recycling) {
        xmalloc_recycle_end();
    }
    if (again) {
        set_timer(&reaper, NOW() + REAP_POLL);
    } else if (domain_count() == 0U) {
        pr_info("All domains have stopped: %u powered off, %u crashed, %u reboots. "
                "Powering off.\n", nr_poweroff, nr_crashed, nr_rebooted);
        arch_machine_off();
    } else {
        /* other domains still run */
    }
}

static void stop_domain(struct domain *d)
{
    for (unsigned int i = 0U; i < d->max_vcpus; i++) {
        struct vcpu *v = d->vcpu[i];

        v->up_at_shutdown = (v->state != VCPU_OFFLINE);
        v->pause_flags = true;
        vcpu_stop(v);
    }
    if (!reaper_ready) {
        init_timer(&reaper, reap, NULL, 0U);
        reaper_ready = true;
    }
    set_timer(&reaper, NOW());
}

void domain_shutdown(struct domain *d, enum shutdown_reason reason)
{
    unsigned long flags = spin_lock_irqsave(&d->lock);
    bool first = (d->state == DOMAIN_RUNNING);

    if (first) {
        d->state = DOMAIN_SHUTDOWN;
        d->shutdown_code = reason;
    }
    spin_unlock_irqrestore(&d->lock, flags);
    if (!first) {
        return;
    }
    if (reason == SHUTDOWN_reboot) {
        nr_rebooted++;
    } else {
        nr_poweroff++;
    }
    pr_info("Domain %u (%s) shut down: %s\n", d->domain_id, d->name, reason_name(reason));
    stop_domain(d);
}

void domain_crash(struct domain *d, struct vcpu *v, const char *why)
{
    unsigned long flags = spin_lock_irqsave(&d->lock);
    bool first = (d->state == DOMAIN_RUNNING) || (d->state == DOMAIN_BUILDING);

    if (first) {
        d->state = DOMAIN_CRASHED;
        d->shutdown_code = SHUTDOWN_crash;
    }
    spin_unlock_irqrestore(&d->lock, flags);
    if (!first) {
        return;
    }
    nr_crashed++;
    pr_err("Domain %u (%s) crashed: %s\n", d->domain_id, d->name, why);
    if (v != NULL) {
        arch_dump_guest_state(v);
    }
    stop_domain(d);
}
