/* Domains and vCPUs: the architecture-free part. Each points at its
 * architecture's part (struct arch_domain / struct arch_vcpu), which the
 * architecture defines, allocates in arch_domain_create / arch_vcpu_create
 * and frees in the matching destroy hook: common code only carries the
 * pointer, so no common file depends on an architecture's layout. */
#ifndef PROXENOS_DOMAIN_H
#define PROXENOS_DOMAIN_H

#include <proxenos/types.h>
#include <proxenos/current.h>
#include <proxenos/spinlock.h>
#include <proxenos/page_alloc.h>
#include <proxenos/rangeset.h>
#include <proxenos/guest_access.h>
#include <proxenos/ioreq_reserve.h>
#include <proxenos/timer.h>
#include <public/xen.h>

typedef uint16_t domid_t;

#define DOMID_FIRST_RESERVED 0x7ff0U
#define DOMID_SELF           0x7ff0U
#define DOMID_IO             0x7ff1U
#define DOMID_XEN            0x7ff2U
#define DOMID_IDLE           0x7fffU
#define DOMID_INVALID        0x7ff4U

#define MAX_DOMAINS          64U
#define MAX_VCPUS_PER_DOMAIN 128U   /* GUEST_MAX_VCPUS */

/* Xen's SHUTDOWN_* reasons (public/sched.h). */
enum shutdown_reason {
    SHUTDOWN_poweroff = 0,
    SHUTDOWN_reboot = 1,
    SHUTDOWN_suspend = 2,
    SHUTDOWN_crash = 3,
    SHUTDOWN_watchdog = 4,
};

/* Xen's NR_DOMAIN_WATCHDOG_TIMERS: the ids are 1 and 2 (SCHEDOP_watchdog,
 * <proxenos/domain_watchdog.h>). */
#define DOMAIN_WATCHDOG_TIMERS 2U

enum domain_state {
    DOMAIN_BUILDING,    /* being constructed: no vCPU may run */
    DOMAIN_RUNNING,
    DOMAIN_SHUTDOWN,    /* asked to stop (poweroff/reboot): vCPUs paused */
    DOMAIN_CRASHED,     /* stopped by the hypervisor after a fault */
    DOMAIN_DEAD,        /* resources released */
};

enum vcpu_state {
    VCPU_OFFLINE,       /* never started, or PSCI CPU_OFF */
    VCPU_RUNNABLE,      /* wants a physical CPU */
    VCPU_RUNNING,       /* on v->processor right now */
    VCPU_BLOCKED,       /* WFI/WFE or SCHEDOP_block: waits for an event */
};

struct domain;

/* What a watchdog's expiry does to its domain: domain_shutdown(), handed in
 * by whoever arms it (sched_op.c), because shutdown sits above the domain
 * code that owns the watchdogs' timers. */
typedef void (*domain_watchdog_fired_fn)(struct domain *d, enum shutdown_reason reason);

struct arch_domain;     /* the architecture's, <asm/domain.h> */
struct arch_vcpu;
struct sched_pool;      /* sched_ops.h */
struct evtchn_domain;   /* evtchn.c */
struct evtchn_vcpu;
struct grant_table;     /* gnttab.c */
struct ioreq_domain;    /* common/ioreq/ */

/* HVM_NR_PARAMS of Xen 4.17's public/hvm/params.h. */
#define DOMAIN_NR_HVM_PARAMS 39U

struct vcpu {
    unsigned int vcpu_id;
    struct domain *domain;
    unsigned int processor;     /* physical CPU it runs or queues on */
    enum vcpu_state state;
    bool pause_flags;           /* paused by the hypervisor (shutdown, crash) */
    /* It was up when its domain shut down or crashed: Xen only pauses
     * those, so the toolstack still counts them online. */
    bool up_at_shutdown;
    /* Non-zero: chosen to run on its CPU and its registers not yet saved
     * back into struct vcpu since: set by the scheduler, cleared once the
     * architecture's switch away has saved them (sched_vcpu_on_cpu). One
     * atomic byte, whose non-zero values are the scheduler's (sched.c). */
    uint8_t on_cpu;
    /* The CPU that wants v once its registers are saved (sched.c). */
    uint16_t sched_wanted_by;
    /* In its pool's scheduler (inserted): wakes reach the scheduler.
     * Changed under v's CPU's lock (sched.c). */
    bool sched_ready;
    struct vcpu *sched_pool_next;   /* its pool's list of vCPUs */
    /* Its registers were given (boot, PSCI CPU_ON, setvcpucontext): what
     * getvcpucontext may read. A vCPU never given any has none (-ENODATA). */
    bool initialised;
    uint64_t hard_affinity;     /* bitmap of allowed physical CPUs */
    uint64_t soft_affinity;     /* preferred CPUs, as the toolstack set them */
    void *sched_priv;           /* the scheduler's per-vCPU data */
    uint64_t runstate_time[4];  /* ns spent per vcpu_state (for 'r' and runstate) */
    s_time_t state_entry_time;

    /* Xen PV interface. vcpu_info points at the shared-info slot (vCPU 0),
     * at the guest page registered with VCPUOP_register_vcpu_info, or,
     * before that, at vcpu_info_dummy; never NULL. */
    struct vcpu_info *vcpu_info;
    struct guest_page vcpu_info_page;
    struct vcpu_info vcpu_info_dummy;
    uint64_t runstate_gva;      /* VCPUOP_register_runstate_memory_area, 0: none */
    struct evtchn_vcpu *evtchn;
    bool polling;               /* blocked in SCHEDOP_poll */
    /* Blocked until a device model answers its access (common/ioreq/):
     * vcpu_wake leaves it blocked meanwhile. __atomic_* only. */
    bool io_wait;
    struct timer poll_timer;    /* SCHEDOP_poll timeout */

    struct arch_vcpu *arch;     /* set by arch_vcpu_create */
};

struct domain {
    domid_t domain_id;
    char name[32];              /* "dom0", or the xen,domain node's name */
    enum domain_state state;
    enum shutdown_reason shutdown_code;
    bool shutdown_code_set;         /* SCHEDOP_shutdown_code was given */
    uint8_t pending_shutdown_code;  /* ... this code, for the next shutdown */
    bool direct_map;                /* RAM mapped 1:1 (guest-physical = host-physical) */
    /* Its RAM is xen,static-mem banks (domain_assign_static_ram): what it
     * balloons out stays its own, and it never gets a heap page. */
    bool static_mem;
    spinlock_t lock;

    unsigned int max_vcpus;
    struct vcpu **vcpu;         /* max_vcpus entries */

    struct page_list page_list; /* guest RAM pages owned by the domain */
    uint64_t tot_pages;
    uint64_t max_pages;

    bool is_privileged;         /* dom0 */
    /* Made by XEN_DOMCTL_createdomain, or taken over by the toolstack
     * (XEN_DOMCTL_setdomainhandle, as init-dom0less does): when it stops
     * (poweroff, reboot, crash) it stays shut down until the toolstack
     * destroys it, as on Xen. Other domains of the boot configuration are
     * reaped (and rebooted) by the hypervisor. */
    bool toolstack_built;
    bool stop_reported;         /* the reaper told the control domain */
    bool xen_enhanced;          /* sees /hypervisor and Xen's PV interfaces */
    bool console_input;         /* takes part in Ctrl-a switching */

    /* Xen PV interface (every domain has it; xen_enhanced only decides
     * whether a domU's device tree tells it so). */
    struct shared_info *shared_info;    /* one zeroed page, ours */
    struct evtchn_domain *evtchn;
    struct grant_table *gnttab;
    struct ioreq_domain *ioreq; /* IOREQ servers (ioreq.h): NULL until the first */
    /* Ranges only their back end may claim (ioreq_reserve.h: dom0less
     * virtio devices), and whether d is held paused until all are. */
    struct ioreq_reservation ioreq_reserved[IOREQ_MAX_RESERVED];
    unsigned int nr_ioreq_reserved;
    bool ioreq_held;            /* __atomic_* only */
    unsigned int evtchn_irq;    /* INTID of the event-channel upcall PPI */
    uint64_t vm_assist;         /* VMASST_TYPE_* bits enabled */
    uint64_t hvm_params[DOMAIN_NR_HVM_PARAMS];

    /* Lifetime (docs/domains.md): the domain list holds one reference,
     * every lookup one more; the memory goes with the last. dying is set,
     * under the domain-list lock, when d leaves the list. */
    uint32_t refcnt;            /* __atomic_* only */
    bool dying;
    struct domain *next_dying;  /* on the list of dying domains, by id */

    /* What the toolstack sets and reads (domctl, common/control/). */
    uint8_t handle[16];         /* XEN_DOMCTL_setdomainhandle (xl: a UUID) */
    unsigned int cpupool_id;    /* Xen's id of the CPU pool it runs in */
    struct sched_pool *sched_pool;  /* that pool (sched_ops.h); NULL before sched_add_domain */
    void *sched_dom_priv;       /* its scheduler's per-domain data */
    int64_t time_offset_seconds;    /* XEN_DOMCTL_settimeoffset */
    /* Pauses (domain_pause.c): vCPUs run only while pause_count is 0.
     * controller_pause_count is the toolstack's share of it. Atomics. */
    uint32_t pause_count;
    uint32_t controller_pause_count;
    /* Machine frames and interrupts the domain may be given (and may
     * itself grant): Xen's iomem_caps and irq_caps. dom0 holds the MMIO
     * of the devices it was given. */
    struct rangeset iomem_caps;
    struct rangeset irq_caps;

    /* SCHEDOP_watchdog (common/sched/watchdog.c): bit i of in_use is
     * watchdog id i + 1, changed under lock. */
    uint32_t watchdog_in_use;
    struct timer watchdog_timer[DOMAIN_WATCHDOG_TIMERS];
    domain_watchdog_fired_fn watchdog_fired;

    struct domain *next_in_list;
    struct arch_domain *arch;   /* set by arch_domain_create */
};

/* Domain id, with a counted reference (NULL: no such domain, or it is
 * dying). Pair every successful call with domain_put(). */
struct domain *domain_get_by_id(domid_t id);
/* The same, but a dying domain still in memory (someone holds a
 * reference) is found too, when no live domain has the id: what the
 * toolstack sees (getdomaininfo, destroydomain), as on Xen. */
struct domain *domain_get_by_id_dying(domid_t id);
/* domain_get_next() over live and dying domains together, by id (a live
 * domain first when both have an id). */
struct domain *domain_get_next_dying(struct domain *prev);
/* Whether a domain, live or dying and still in memory, has id: the
 * toolstack never reuses such an id. */
bool domain_id_in_use(domid_t id);
/* Domains in memory: live and dying (for the MAX_DOMAINS limit). */
unsigned int domain_count_in_memory(void);
/* Print the dying domains still in memory and how many there are of each
 * kind (the 'm' key: what a destroyed domain still holds shows there). */
void domain_dump_dying(void);
/* Drop a reference. The last one frees d (later, on CPU 0). */
void domain_put(struct domain *d);
/* Walk the domain list in id order, each domain held while visited:
 * domain_get_next(NULL) is the first, domain_get_next(d) drops d's
 * reference and takes the next. Leaving the walk early: domain_put(d). */
struct domain *domain_get_next(struct domain *prev);
unsigned int domain_count(void);

/* Id or DOMID_SELF, as a hypercall of cur's names it: cur itself without a
 * reference (a domain is alive while one of its vCPUs runs), any other
 * with one. Pair with domain_put_any(cur, d). */
static inline struct domain *domain_get_any(struct domain *cur, domid_t id)
{
    if ((cur != NULL) && ((id == DOMID_SELF) || (id == cur->domain_id))) {
        return cur;
    }
    return (id < DOMID_FIRST_RESERVED) ? domain_get_by_id(id) : NULL;
}

static inline void domain_put_any(const struct domain *cur, struct domain *d)
{
    if ((d != NULL) && (d != cur)) {
        domain_put(d);
    }
}

/* Make v notice an event: unblock it and, if it runs on another physical
 * CPU, interrupt that CPU so it re-enters the guest with the new state. */
void vcpu_kick(struct vcpu *v);

/* Stop a domain because of a fault it caused: dump v's state (may be
 * NULL), mark the domain crashed and pause its vCPUs. The hypervisor and
 * other domains go on. */
void domain_crash(struct domain *d, struct vcpu *v, const char *why);

/* The toolstack destroys d (XEN_DOMCTL_destroydomain; never the caller's
 * own domain): the first call pauses d, marks it dying and takes it off
 * the list (lookups by the toolstack still find it while it is in
 * memory); everything it holds is released when its last reference goes.
 * Later calls find nothing more to do. Always 0. */
int domain_kill(struct domain *d);

/* Guest-requested shutdown (PSCI SYSTEM_OFF/RESET, SCHEDOP_shutdown). */
void domain_shutdown(struct domain *d, enum shutdown_reason reason);

/* What rebuilds a domain of the boot configuration that asked to reboot
 * (dom0less hands in its own when it builds the boot domains). Handed in
 * rather than named, because the boot code that rebuilds a domain sits
 * above domain creation, which shutdown is part of. Without one such a
 * domain stays off. */
typedef int (*domain_restart_fn)(domid_t id);
void domain_set_restart(domain_restart_fn fn);

/* Pausing a whole domain (domain_pause.c). A paused domain's vCPUs keep
 * their state (blocked, runnable) but none is picked to run; pausing waits
 * until none is on a CPU any more. d must not be the caller's domain.
 * domain_pause/domain_unpause nest; the toolstack's pauses are counted
 * apart: at most 255 (-EOVERFLOW), and unpausing below 0 is -EINVAL. */
void domain_pause(struct domain *d);
void domain_unpause(struct domain *d);
int domain_pause_by_controller(struct domain *d);
int domain_unpause_by_controller(struct domain *d);
bool domain_is_paused(const struct domain *d);

#endif
