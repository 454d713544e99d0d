/* The sched_op hypercall: a vCPU gives up its CPU (yield, block, poll), its
 * domain stops (shutdown) or arms a watchdog (watchdog.c), with Xen 4.17's
 * checks and error numbers. */
#include <proxenos/domain.h>
#include <proxenos/domain_watchdog.h>
#include <proxenos/errno.h>
#include <proxenos/evtchn.h>
#include <proxenos/hypercall.h>
#include <proxenos/sched.h>
#include <proxenos/spinlock.h>
#include <proxenos/timer.h>
#include <public/sched.h>

/* Xen's limit on the ports one SCHEDOP_poll may name. */
#define POLL_MAX_PORTS 128U

/* SCHEDOP_shutdown_code: the reason a later shutdown reports instead of
 * its own. Only the first code counts, as in Xen. */
static void set_shutdown_code(struct domain *d, uint32_t code)
{
    unsigned long flags = spin_lock_irqsave(&d->lock);

    if (!d->shutdown_code_set) {
        d->shutdown_code_set = true;
        d->pending_shutdown_code = (uint8_t)code;
    }
    spin_unlock_irqrestore(&d->lock, flags);
}

static uint32_t take_shutdown_code(struct domain *d, uint32_t reason)
{
    unsigned long flags = spin_lock_irqsave(&d->lock);
    uint32_t r = reason;

    if (d->shutdown_code_set) {
        r = d->pending_shutdown_code;
        d->shutdown_code_set = false;
    }
    spin_unlock_irqrestore(&d->lock, flags);
    return r;
}

/* Stop d for a SHUTDOWN_* reason. Xen records any 8-bit reason for its
 * toolstack; without one, the reasons it does not know stop the domain
 * like a power-off. */
static void shut_down(struct domain *d, uint32_t reason)
{
    uint32_t r = take_shutdown_code(d, reason) & 0xffU;

    switch (r) {
    case 0U:
        domain_shutdown(d, SHUTDOWN_poweroff);
        break;
    case 1U:
        domain_shutdown(d, SHUTDOWN_reboot);
        break;
    case 2U:
        domain_shutdown(d, SHUTDOWN_suspend);
        break;
    case 3U:
        domain_crash(d, NULL, "SCHEDOP_shutdown: crash");
        break;
    case 4U:
        domain_shutdown(d, SHUTDOWN_watchdog);
        break;
    default:
        domain_shutdown(d, SHUTDOWN_poweroff);
        break;
    }
}

/* Xen on Arm wakes a blocked vCPU for an event-channel upcall. */
static bool events_pending(const struct vcpu *v)
{
    return __atomic_load_n(&v->vcpu_info->evtchn_upcall_pending, __ATOMIC_ACQUIRE) != 0U;
}

static long do_block(struct vcpu *v)
{
    if (events_pending(v)) {
        return 0;
    }
    vcpu_block_current();
    /* An event marked while we decided to block must not be lost: the
     * sender saw us running and did not wake us. */
    if (events_pending(v)) {
        vcpu_wake(v);
    }
    return 0;
}

static void poll_timeout(void *data)
{
    struct vcpu *v = data;

    if (__atomic_exchange_n(&v->polling, false, __ATOMIC_ACQ_REL)) {
        vcpu_wake(v);
    }
}

/* 1: a port is pending, 0: none, -EFAULT: the list cannot be read,
 * -EINVAL: a port that does not exist (checked in list order, as Xen). */
static int any_port_pending(struct vcpu *v, uint64_t ports, uint32_t nr)
{
    for (uint32_t i = 0U; i < nr; i++) {
        evtchn_port_t port;

        if (copy_from_guest(&port, ports + ((uint64_t)i * sizeof(port)), sizeof(port)) != 0) {
            return -EFAULT;
        }
        if (!evtchn_port_is_valid(v->domain, port)) {
            return -EINVAL;
        }
        if (evtchn_port_is_pending(v->domain, port)) {
            return 1;
        }
    }
    return 0;
}

static long do_poll(struct vcpu *v, uint64_t arg)
{
    struct sched_poll p;
    int rc;

    if (copy_from_guest(&p, arg, sizeof(p)) != 0) {
        return -EFAULT;
    }
    if (p.nr_ports > POLL_MAX_PORTS) {
        return -EINVAL;
    }
    if (v->poll_timer.fn == NULL) {
        init_timer(&v->poll_timer, poll_timeout, v, v->processor);
    }
    /* Say we poll before looking: a port that becomes pending after the
     * look then finds v->polling set and wakes us. */
    __atomic_store_n(&v->polling, true, __ATOMIC_SEQ_CST);
    /* An upcall already due ends the poll before the ports are looked at. */
    rc = events_pending(v) ? 1 : any_port_pending(v, p.ports, p.nr_ports);
    if (rc != 0) {
        __atomic_store_n(&v->polling, false, __ATOMIC_RELEASE);
        return (rc < 0) ? (long)rc : 0;
    }
    if (p.timeout != 0U) {
        set_timer(&v->poll_timer, (s_time_t)p.timeout);
    } else {
        stop_timer(&v->poll_timer);
    }
    vcpu_block_current();
    /* Woken (polling cleared) between the look and the block: run on. */
    if (!__atomic_load_n(&v->polling, __ATOMIC_ACQUIRE)) {
        vcpu_wake(v);
    }
    return 0;
}

static long do_remote_shutdown(const struct vcpu *v, uint64_t arg)
{
    struct sched_remote_shutdown r;
    struct domain *d;

    if (copy_from_guest(&r, arg, sizeof(r)) != 0) {
        return -EFAULT;
    }
    d = (r.domain_id < DOMID_FIRST_RESERVED) ? domain_get_by_id(r.domain_id) : NULL;
    if (d == NULL) {
        return -ESRCH;
    }
    /* No device models here: only the privileged domain may do this. */
    if (v->domain->is_privileged) {
        shut_down(d, r.reason);
    }
    domain_put(d);
    return v->domain->is_privileged ? 0 : -EPERM;
}

static long do_pin_override(const struct vcpu *v, uint64_t arg)
{
    struct sched_pin_override o;

    if (!v->domain->is_privileged) {
        return -EPERM;
    }
    if (copy_from_guest(&o, arg, sizeof(o)) != 0) {
        return -EFAULT;
    }
    /* Temporary pinning of dom0's vCPUs is not implemented. */
    return -ENOSYS;
}

static long do_watchdog(const struct vcpu *v, uint64_t arg)
{
    struct sched_watchdog w;

    if (copy_from_guest(&w, arg, sizeof(w)) != 0) {
        return -EFAULT;
    }
    return domain_watchdog_op(v->domain, w.id, w.timeout, domain_shutdown);
}

long do_sched_op(struct hcall_args *args)
{
    struct vcpu *v = current_vcpu();
    /* Xen takes the command as an int: only the low 32 bits count. */
    uint32_t cmd = (uint32_t)args->a[0];
    uint64_t arg = args->a[1];
    struct sched_shutdown s;

    if (v == NULL) {
        return -ESRCH;
    }
    switch (cmd) {
    case SCHEDOP_yield:
        vcpu_yield_current();
        return 0;
    case SCHEDOP_block:
        return do_block(v);
    case SCHEDOP_shutdown:
        if (copy_from_guest(&s, arg, sizeof(s)) != 0) {
            return -EFAULT;
        }
        shut_down(v->domain, s.reason);
        return 0;
    case SCHEDOP_shutdown_code:
        if (copy_from_guest(&s, arg, sizeof(s)) != 0) {
            return -EFAULT;
        }
        set_shutdown_code(v->domain, s.reason & 0xffU);
        return 0;
    case SCHEDOP_poll:
        return do_poll(v, arg);
    case SCHEDOP_remote_shutdown:
        return do_remote_shutdown(v, arg);
    case SCHEDOP_pin_override:
        return do_pin_override(v, arg);
    case SCHEDOP_watchdog:
        return do_watchdog(v, arg);
    default:
        return -ENOSYS;
    }
}
