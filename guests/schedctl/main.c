/*
 * schedctl: dom0 of the scheduler-share benchmarks. It gives the dom0less
 * domUs their scheduling parameters through XEN_DOMCTL_scheduler_op, as
 * `xl sched-credit2 -d 1 -w 512` and its like would, or a pool's ARINC 653
 * schedule through XEN_SYSCTL_scheduler_op (libxc's
 * xc_sched_arinc653_schedule_set), then stays idle (blocked in WFI) so
 * that it takes no CPU time from them: on Xen, dom0 shutting down would
 * end the run.
 *
 * bootargs: sched=<credit2|credit|rtds|arinc653>
 *           set=<domid>:<a>:<b>[,<domid>:<a>:<b>...] (none: nothing to set)
 *             credit2, credit: a = weight, b = cap (percent, 0: none)
 *             rtds: a = period, b = budget (microseconds), for vCPU 0
 *             (the domains here have one), without extra time (so its
 *             share is b / a)
 *             arinc653: a = vCPU 0's run time per major frame
 *             (microseconds), b unused; the entries in the order given
 *           frame=<us> (arinc653) the major frame, 10000 if absent
 *           pool=<id> (arinc653) the cpupool, 0 if absent
 *
 * An ARINC 653 entry names a domain by its handle, and dom0less domains
 * all have handle 0 (Xen 4.17 gives them none): each domain listed first
 * gets a handle of its own (XEN_DOMCTL_setdomainhandle), which the new
 * schedule then binds. In dom0's own pool, list dom0 too, or it never runs
 * again (and on Xen, whose default schedule gives dom0's slot to the last
 * domain with dom0's handle, a dom0less domU in dom0's pool takes it before
 * dom0 can run: give such domains a pool of their own).
 *
 * Prints "schedctl: d<id> <what>" for each domain, "schedctl: set" when all
 * went through, or "schedctl: FAILED <why>".
 */
#include "guest.h"
#include "bootargs.h"
#include "hypercall.h"

#include <public/domctl.h>
#include <public/sysctl.h>

#define MAX_SETTINGS 8U

struct setting {
    uint16_t domid;
    uint32_t a;
    uint32_t b;
};

static struct xen_domctl dc;
static struct xen_domctl_schedparam_vcpu vcpu0;
static struct xen_sysctl sc;
static struct xen_sysctl_arinc653_schedule frame;

/* The domctl cmd on domid, with what dc's union already holds. */
static long domctl(uint32_t cmd, uint16_t domid)
{
    dc.cmd = cmd;
    dc.interface_version = XEN_DOMCTL_INTERFACE_VERSION;
    dc.domain = domid;
    return xen_hypercall(__HYPERVISOR_domctl, (uint64_t)(uintptr_t)&dc, 0U, 0U);
}

static long scheduler_op(uint16_t domid, uint32_t sched_id, uint32_t cmd)
{
    dc.u.scheduler_op.sched_id = sched_id;
    dc.u.scheduler_op.cmd = cmd;
    return domctl(XEN_DOMCTL_scheduler_op, domid);
}

/* One number of s, up to a ':' or ',' or the end; s moves past it. */
static bool next_number(const char **s, uint32_t *out)
{
    char digits[16];
    size_t n = 0U;
    uint64_t v;

    while ((**s != '\0') && (**s != ':') && (**s != ',')) {
        if (n == (sizeof(digits) - 1U)) {
            return false;
        }
        digits[n] = **s;
        n++;
        (*s)++;
    }
    digits[n] = '\0';
    if (!parse_u64(digits, &v) || (v > UINT32_MAX)) {
        return false;
    }
    *out = (uint32_t)v;
    return true;
}

static unsigned int parse_settings(const char *s, struct setting *out)
{
    unsigned int n = 0U;

    while ((*s != '\0') && (n < MAX_SETTINGS)) {
        uint32_t domid;

        if (!next_number(&s, &domid) || (domid > 0x7fefU) || (*s != ':')) {
            return 0U;
        }
        s++;
        if (!next_number(&s, &out[n].a) || (*s != ':')) {
            return 0U;
        }
        s++;
        if (!next_number(&s, &out[n].b)) {
            return 0U;
        }
        out[n].domid = (uint16_t)domid;
        n++;
        if (*s == ',') {
            s++;
        }
    }
    return (*s == '\0') ? n : 0U;
}

static long set_credit(uint32_t sched_id, const struct setting *st)
{
    long rc;

    (void)memset(&dc, 0, sizeof(dc));
    rc = scheduler_op(st->domid, sched_id, XEN_DOMCTL_SCHEDOP_getinfo);
    if (rc != 0) {
        return rc;
    }
    /* The two structures are alike: weight, then cap. */
    if (sched_id == XEN_SCHEDULER_CREDIT2) {
        dc.u.scheduler_op.u.credit2.weight = (uint16_t)st->a;
        dc.u.scheduler_op.u.credit2.cap = (uint16_t)st->b;
    } else {
        dc.u.scheduler_op.u.credit.weight = (uint16_t)st->a;
        dc.u.scheduler_op.u.credit.cap = (uint16_t)st->b;
    }
    rc = scheduler_op(st->domid, sched_id, XEN_DOMCTL_SCHEDOP_putinfo);
    printf("schedctl: d%u weight %u cap %u: %ld\n", st->domid, st->a, st->b, rc);
    return rc;
}

static long set_rtds(const struct setting *st)
{
    long rc;

    (void)memset(&dc, 0, sizeof(dc));
    vcpu0.vcpuid = 0U;
    vcpu0.u.rtds.period = st->a;
    vcpu0.u.rtds.budget = st->b;
    vcpu0.u.rtds.flags = 0U;    /* no extra time */
    dc.u.scheduler_op.u.v.vcpus = (uint64_t)(uintptr_t)&vcpu0;
    dc.u.scheduler_op.u.v.nr_vcpus = 1U;
    rc = scheduler_op(st->domid, XEN_SCHEDULER_RTDS, XEN_DOMCTL_SCHEDOP_putvcpuinfo);
    printf("schedctl: d%u period %u budget %u us, no extra time: %ld\n", st->domid, st->a, st->b,
           rc);
    return rc;
}

/* The handle schedctl gives domain domid: "schedctl" and the id. */
static void handle_of(uint16_t domid, xen_domain_handle_t h)
{
    static const char tag[] = "schedctl";

    (void)memset(h, 0, sizeof(xen_domain_handle_t));
    (void)memcpy(h, tag, sizeof(tag) - 1U);
    h[14] = (uint8_t)(domid >> 8);
    h[15] = (uint8_t)domid;
}

static long set_arinc653(const struct setting *st, unsigned int n, uint64_t frame_us,
                         uint32_t pool)
{
    long rc;

    (void)memset(&frame, 0, sizeof(frame));
    frame.major_frame = frame_us * 1000U;
    frame.num_sched_entries = (uint8_t)n;
    for (unsigned int i = 0U; i < n; i++) {
        (void)memset(&dc, 0, sizeof(dc));
        handle_of(st[i].domid, dc.u.setdomainhandle.handle);
        rc = domctl(XEN_DOMCTL_setdomainhandle, st[i].domid);
        if (rc != 0) {
            printf("schedctl: d%u setdomainhandle: %ld\n", st[i].domid, rc);
            return rc;
        }
        handle_of(st[i].domid, frame.sched_entries[i].dom_handle);
        frame.sched_entries[i].vcpu_id = 0U;
        frame.sched_entries[i].runtime = (uint64_t)st[i].a * 1000U;
        printf("schedctl: d%u runs %u us of each %lu us frame\n", st[i].domid, st[i].a,
               frame_us);
    }
    (void)memset(&sc, 0, sizeof(sc));
    sc.cmd = XEN_SYSCTL_scheduler_op;
    sc.interface_version = XEN_SYSCTL_INTERFACE_VERSION;
    sc.u.scheduler_op.cpupool_id = pool;
    sc.u.scheduler_op.sched_id = XEN_SCHEDULER_ARINC653;
    sc.u.scheduler_op.cmd = XEN_SYSCTL_SCHEDOP_putinfo;
    sc.u.scheduler_op.u.sched_arinc653.schedule = (uint64_t)(uintptr_t)&frame;
    rc = xen_hypercall(__HYPERVISOR_sysctl, (uint64_t)(uintptr_t)&sc, 0U, 0U);
    printf("schedctl: pool %u arinc653 schedule of %u entries: %ld\n", pool, n, rc);
    return rc;
}

static void idle_forever(void)
{
    irq_disable();
    for (;;) {
        wfi();
    }
}

void guest_main(const struct platform *p)
{
    char sched[16] = "";
    char spec[128] = "";
    struct setting st[MAX_SETTINGS];
    unsigned int n;
    uint32_t sched_id;
    bool ok = true;

    (void)bootarg_get(p->bootargs, "sched", sched, sizeof(sched));
    (void)bootarg_get(p->bootargs, "set", spec, sizeof(spec));
    if (spec[0] == '\0') {
        printf("schedctl: set\n");     /* the defaults are what is measured */
        idle_forever();
    }
    if (strcmp(sched, "credit2") == 0) {
        sched_id = XEN_SCHEDULER_CREDIT2;
    } else if (strcmp(sched, "credit") == 0) {
        sched_id = XEN_SCHEDULER_CREDIT;
    } else if (strcmp(sched, "rtds") == 0) {
        sched_id = XEN_SCHEDULER_RTDS;
    } else if (strcmp(sched, "arinc653") == 0) {
        sched_id = XEN_SCHEDULER_ARINC653;
    } else {
        printf("schedctl: FAILED unknown sched=%s\n", sched);
        idle_forever();
    }
    n = parse_settings(spec, st);
    if (n == 0U) {
        printf("schedctl: FAILED bad set=%s\n", spec);
        idle_forever();
    }
    if (sched_id == XEN_SCHEDULER_ARINC653) {
        ok = set_arinc653(st, n, bootarg_u64(p->bootargs, "frame", 10000U),
                          (uint32_t)bootarg_u64(p->bootargs, "pool", 0U)) == 0;
    } else {
        for (unsigned int i = 0U; i < n; i++) {
            long rc = (sched_id == XEN_SCHEDULER_RTDS) ? set_rtds(&st[i])
                                                       : set_credit(sched_id, &st[i]);

            ok = ok && (rc == 0);
        }
    }
    printf(ok ? "schedctl: set\n" : "schedctl: FAILED a scheduler_op\n");
    idle_forever();
}
