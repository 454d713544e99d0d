/* Domain creation, RAM, and teardown (the domain list and reference
 * counts are in domain_ref.c), and the 'q' dump. */
#include "domain_internal.h"
#include <proxenos/arch/domain.h>
#include <proxenos/arch/mm.h>
#include <proxenos/domain_create.h>
#include <proxenos/domain_pv.h>
#include <proxenos/domain_watchdog.h>
#include <proxenos/errno.h>
#include <proxenos/evtchn.h>
#include <proxenos/gnttab.h>
#include <proxenos/keyhandler.h>
#include <proxenos/printk.h>
#include <proxenos/sched.h>
#include <proxenos/string.h>
#include <proxenos/timer.h>
#include <proxenos/xmalloc.h>

static void free_vcpus(struct domain *d)
{
    if (d->vcpu == NULL) {
        sched_remove_domain(d);
        return;
    }
    for (unsigned int i = 0U; i < d->max_vcpus; i++) {
        if (d->vcpu[i] != NULL) {
            /* A SCHEDOP_poll timeout may still be armed: the timer queue
             * must not keep a vCPU that is about to be freed. */
            if (d->vcpu[i]->poll_timer.fn != NULL) {
                stop_timer(&d->vcpu[i]->poll_timer);
            }
            sched_remove_vcpu(d->vcpu[i]);
            arch_vcpu_destroy(d->vcpu[i]);
            xfree(d->vcpu[i]);
        }
    }
    xfree(d->vcpu);
    d->vcpu = NULL;
    sched_remove_domain(d);
}

static void free_ram(struct domain *d)
{
    while (!page_list_empty(&d->page_list)) {
        struct page_info *pg = d->page_list.first;

        page_list_remove(&d->page_list, pg);
        free_pages(page_to_mfn(pg), pg->order);
    }
    d->tot_pages = 0U;
}

/* The n-th set bit of mask (counting from 0, wrapping), as a one-bit mask. */
static uint64_t nth_cpu(uint64_t mask, unsigned int n)
{
    unsigned int count = 0U;

    for (unsigned int cpu = 0U; cpu < 64U; cpu++) {
        count += (unsigned int)((mask >> cpu) & 1U);
    }
    n %= count;
    for (unsigned int cpu = 0U; cpu < 64U; cpu++) {
        if (((mask >> cpu) & 1U) != 0U) {
            if (n == 0U) {
                return 1ULL << cpu;
            }
            n--;
        }
    }
    return mask;
}

static int create_vcpus(struct domain *d, uint64_t affinity, bool pin)
{
    int rc = sched_add_domain(d);

    if (rc != 0) {
        return rc;
    }
    d->vcpu = xzalloc_array(struct vcpu *, d->max_vcpus);
    if (d->vcpu == NULL) {
        return -ENOMEM;
    }
    for (unsigned int i = 0U; i < d->max_vcpus; i++) {
        struct vcpu *v = xzalloc_obj(struct vcpu);

        if (v == NULL) {
            return -ENOMEM;
        }
        v->vcpu_id = i;
        v->domain = d;
        v->state = VCPU_OFFLINE;
        v->hard_affinity = (affinity != 0U) ? affinity : ~0ULL;
        v->soft_affinity = ~0ULL;
        if (pin && (affinity != 0U)) {
            v->hard_affinity = nth_cpu(affinity, i);
        }
        d->vcpu[i] = v;
        /* Placement first: per-vCPU arch timers live on v->processor. */
        rc = sched_add_vcpu(v);
        if (rc == 0) {
            rc = arch_vcpu_create(v);
        }
        if (rc != 0) {
            return rc;
        }
    }
    return 0;
}

/* What the toolstack chose at createdomain, before anyone sees d. */
static int apply_toolstack_args(struct domain *d, const struct domain_create_args *args)
{
    if (args->handle != NULL) {
        (void)memcpy(d->handle, args->handle, sizeof(d->handle));
    }
    if (args->controller_paused) {
        d->pause_count = 1U;
        d->controller_pause_count = 1U;
    }
    if (!args->toolstack_limits) {
        return 0;
    }
    evtchn_set_max_port(d, args->max_evtchn_port);
    return gnttab_set_max_frames(d, args->max_grant_frames);
}

/* The function of CPU 0's timer that frees what domain_put() queued. */
static void free_timer_fn(void *data)
{
    (void)data;
    domain_free_queued();
}

int domain_create(domid_t id, const struct domain_create_args *args, struct domain **out)
{
    struct domain *d;
    int rc;

    if ((args->max_vcpus == 0U) || (args->max_vcpus > MAX_VCPUS_PER_DOMAIN) ||
        (id >= DOMID_FIRST_RESERVED)) {
        return -EINVAL;
    }
    d = domain_get_by_id(id);
    if (d != NULL) {
        domain_put(d);
        return -EEXIST;
    }
    d = xzalloc_obj(struct domain);
    if (d == NULL) {
        return -ENOMEM;
    }
    d->domain_id = id;
    (void)snprintf(d->name, sizeof(d->name), "%s", (args->name != NULL) ? args->name : "");
    d->state = DOMAIN_BUILDING;
    spin_lock_init(&d->lock);
    domain_watchdog_init(d);
    d->max_vcpus = args->max_vcpus;
    d->is_privileged = args->privileged;
    d->direct_map = args->direct_map;
    d->xen_enhanced = args->xen_enhanced;
    d->console_input = args->console_input;
    d->cpupool_id = args->cpupool_id;
    rc = arch_domain_create(d, args);
    if (rc != 0) {
        xfree(d);
        return rc;
    }
    rc = create_vcpus(d, args->cpu_affinity, args->pin_vcpus);
    if (rc == 0) {
        rc = domain_pv_init(d);
        if (rc == 0) {
            rc = apply_toolstack_args(d, args);
            if (rc != 0) {
                domain_pv_destroy(d);
            }
        }
    }
    if (rc != 0) {
        free_vcpus(d);
        arch_domain_destroy(d);
        xfree(d);
        return rc;
    }
    rc = domain_list_add(d, free_timer_fn);
    if (rc != 0) {
        domain_free(d);
        return rc;
    }
    *out = d;
    return 0;
}

/* The largest block order (up to 1 GiB) that fits both the remaining size
 * and the alignment of gpa, so stage-2 can use block mappings. */
static unsigned int chunk_order(paddr_t gpa, uint64_t left)
{
    unsigned int order = 18U;

    while ((order > 0U) && ((((uint64_t)PAGE_SIZE << order) > left) ||
                            ((gpa & (((uint64_t)PAGE_SIZE << order) - 1U)) != 0U))) {
        order--;
    }
    return order;
}

int domain_populate_ram(struct domain *d, paddr_t gpa, uint64_t size)
{
    uint64_t done = 0U;

    if (((gpa | size) & (PAGE_SIZE - 1U)) != 0U) {
        return -EINVAL;
    }
    while (done < size) {
        unsigned int order = chunk_order(gpa + done, size - done);
        mfn_t m = alloc_pages(order, ALLOC_ZERO);
        int rc;

        /* Fall back to smaller blocks when memory is fragmented. */
        while (mfn_eq(m, INVALID_MFN) && (order > 0U)) {
            order--;
            m = alloc_pages(order, ALLOC_ZERO);
        }
        if (mfn_eq(m, INVALID_MFN)) {
            return -ENOMEM;
        }
        rc = arch_map_guest_ram(d, gfn((gpa + done) >> PAGE_SHIFT), m, 1ULL << order);
        if (rc != 0) {
            free_pages(m, order);
            return rc;
        }
        page_list_push(&d->page_list, mfn_to_page(m));
        d->tot_pages += 1ULL << order;
        done += (uint64_t)PAGE_SIZE << order;
    }
    return 0;
}

/* The largest order both gpa and the host frame are aligned to and that
 * fits in left: a static piece keeps its block mappings where it can. */
static unsigned int static_chunk_order(paddr_t gpa, paddr_t host, uint64_t left)
{
    return chunk_order(gpa | host, left);
}

int domain_assign_static_ram(struct domain *d, paddr_t gpa, paddr_t host, uint64_t size)
{
    uint64_t done = 0U;

    if (((gpa | host | size) & (PAGE_SIZE - 1U)) != 0U) {
        return -EINVAL;
    }
    d->static_mem = true;
    while (done < size) {
        unsigned int order = static_chunk_order(gpa + done, host + done, size - done);
        mfn_t m = paddr_to_mfn(host + done);
        int rc = page_alloc_acquire_static(m, order);

        if (rc != 0) {
            return rc;
        }
        rc = arch_map_guest_ram(d, gfn((gpa + done) >> PAGE_SHIFT), m, 1ULL << order);
        if (rc != 0) {
            free_pages(m, order);   /* back to the static banks */
            return rc;
        }
        page_list_push(&d->page_list, mfn_to_page(m));
        d->tot_pages += 1ULL << order;
        done += (uint64_t)PAGE_SIZE << order;
    }
    return 0;
}

/* Insert [start, start+size) into the sorted bank list, merging with a
 * neighbour it touches. Returns false when the list is full. */
static bool add_bank(paddr_t start, uint64_t size, paddr_t *bs, uint64_t *bz, unsigned int *n,
                     unsigned int max)
{
    unsigned int i = 0U;

    while ((i < *n) && (bs[i] < start)) {
        i++;
    }
    if ((i > 0U) && ((bs[i - 1U] + bz[i - 1U]) == start)) {
        bz[i - 1U] += size;
        if ((i < *n) && ((bs[i - 1U] + bz[i - 1U]) == bs[i])) {
            bz[i - 1U] += bz[i];
            (void)memmove(&bs[i], &bs[i + 1U], (*n - i - 1U) * sizeof(bs[0]));
            (void)memmove(&bz[i], &bz[i + 1U], (*n - i - 1U) * sizeof(bz[0]));
            (*n)--;
        }
        return true;
    }
    if ((i < *n) && ((start + size) == bs[i])) {
        bs[i] = start;
        bz[i] += size;
        return true;
    }
    if (*n >= max) {
        return false;
    }
    (void)memmove(&bs[i + 1U], &bs[i], (*n - i) * sizeof(bs[0]));
    (void)memmove(&bz[i + 1U], &bz[i], (*n - i) * sizeof(bz[0]));
    bs[i] = start;
    bz[i] = size;
    (*n)++;
    return true;
}

int domain_populate_ram_direct(struct domain *d, uint64_t size, paddr_t *bank_start,
                               uint64_t *bank_size, unsigned int *nr)
{
    unsigned int max = *nr;
    uint64_t done = 0U;
    unsigned int order = 18U;   /* 1 GiB blocks first */

    *nr = 0U;
    if ((size & (PAGE_SIZE - 1U)) != 0U) {
        return -EINVAL;
    }
    while (done < size) {
        mfn_t m;
        uint64_t bytes;
        int rc;

        while ((order > 0U) && (((uint64_t)PAGE_SIZE << order) > (size - done))) {
            order--;
        }
        m = alloc_pages(order, ALLOC_ZERO);
        while (mfn_eq(m, INVALID_MFN) && (order > 0U)) {
            order--;
            m = alloc_pages(order, ALLOC_ZERO);
        }
        if (mfn_eq(m, INVALID_MFN)) {
            return -ENOMEM;
        }
        bytes = (uint64_t)PAGE_SIZE << order;
        rc = arch_map_guest_ram(d, gfn(mfn_x(m)), m, 1ULL << order);
        if ((rc == 0) && !add_bank(mfn_to_paddr(m), bytes, bank_start, bank_size, nr, max)) {
            rc = -ENOSPC;
        }
        if (rc != 0) {
            free_pages(m, order);
            return rc;
        }
        page_list_push(&d->page_list, mfn_to_page(m));
        d->tot_pages += 1ULL << order;
        done += bytes;
    }
    return 0;
}

int domain_copy_to_guest_phys(struct domain *d, paddr_t gpa, const void *src, uint64_t len)
{
    const uint8_t *s = src;

    while (len > 0U) {
        uint64_t chunk = MIN(len, PAGE_SIZE - (gpa & (PAGE_SIZE - 1U)));
        paddr_t ma;
        int rc = arch_guest_ram_to_maddr(d, gpa, &ma);

        if (rc != 0) {
            return rc;
        }
        (void)memcpy(arch_maddr_to_virt(ma), s, chunk);
        s += chunk;
        gpa += chunk;
        len -= chunk;
    }
    return 0;
}

void domain_free(struct domain *d)
{
    /* Its count is 0 already: no lookup finds it, but it stays on the
     * dying list (its id taken, counted as dying by 'm') until its memory
     * is back. First, so that no watchdog expiry still runs on d's vCPUs. */
    domain_watchdog_destroy(d);
    rangeset_destroy(&d->iomem_caps);
    rangeset_destroy(&d->irq_caps);
    domain_pv_destroy(d);
    free_vcpus(d);
    arch_domain_destroy(d);
    free_ram(d);
    d->state = DOMAIN_DEAD;
    domain_forget(d);
    xfree(d);
    /* xenstored learns that the domain is gone and fires @releaseDomain. */
    domain_notify_exception();
}

void domain_free_queued(void)
{
    for (struct domain *d = domain_free_queue_pop(); d != NULL; d = domain_free_queue_pop()) {
        domain_free(d);
    }
}

void domain_destroy(struct domain *d)
{
    /* Whoever takes d off the list drops the list's reference: the reaper
     * and the toolstack may both try. */
    if (!domain_unlist(d)) {
        return;
    }
    /* Freed now unless someone still holds a reference: then by the last
     * domain_put(). */
    if (domain_ref_drop(d)) {
        domain_free(d);
    }
}

int domain_kill(struct domain *d)
{
    /* Xen's domain_kill releases memory in preemptible steps here; on
     * Proxenos the release waits for the last reference (domain_put),
     * so a second call has nothing left to do. */
    if (!d->dying) {
        /* No vCPU may be on a CPU when its structures go. */
        domain_pause(d);
        gnttab_release_mappings(d);
        domain_destroy(d);
        /* As Xen at the end of domain_kill: xenstored, xenconsoled and xl
         * look again, find it dying, and let go of what they map of it,
         * which is what frees it. */
        domain_notify_exception();
    }
    return 0;
}

static const char *state_name(enum domain_state s)
{
    switch (s) {
    case DOMAIN_BUILDING: return "building";
    case DOMAIN_RUNNING: return "running";
    case DOMAIN_SHUTDOWN: return "shut down";
    case DOMAIN_CRASHED: return "crashed";
    default: return "dead";
    }
}

static const char *vcpu_state_name(enum vcpu_state s)
{
    switch (s) {
    case VCPU_OFFLINE: return "offline";
    case VCPU_RUNNABLE: return "runnable";
    case VCPU_RUNNING: return "running";
    default: return "blocked";
    }
}

static void dump_domains(char key)
{
    struct domain *d = domain_get_next(NULL);

    (void)key;
    if (d == NULL) {
        pr_info("Domains: none\n");
        return;
    }
    for (; d != NULL; d = domain_get_next(d)) {
        /* A dom0less domain waiting for its virtio back end (ioreq_reserve.c)
         * looks running, so say why it does not move. */
        pr_info("Domain %u (%s): %s, %llu KiB RAM, %u vCPUs%s%s\n", d->domain_id, d->name,
                state_name(d->state), (unsigned long long)(d->tot_pages * (PAGE_SIZE / 1024U)),
                d->max_vcpus, d->is_privileged ? ", privileged" : "",
                __atomic_load_n(&d->ioreq_held, __ATOMIC_ACQUIRE) ?
                ", held paused until its virtio back end claims its devices" : "");
        for (unsigned int i = 0U; i < d->max_vcpus; i++) {
            const struct vcpu *v = d->vcpu[i];

            pr_info("  vCPU %u: %s on CPU %u\n", i, vcpu_state_name(v->state), v->processor);
        }
        arch_dump_domain(d);
    }
}
KEYHANDLER('q', dump_domains, "dump domain (and guest debug) info");
