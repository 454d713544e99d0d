/* Shared set-up for the grant-table and memory_op host tests: a page
 * allocator over fake RAM and a few hand-built domains, each with a block
 * of guest RAM at GUEST_RAM0_BASE (hypercall buffers live there: guest
 * virtual addresses are guest-physical ones in the fakes). */
#ifndef TEST_GRANT_TABLE_ENV_H
#define TEST_GRANT_TABLE_ENV_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <fake_arch.h>
#include <fake_p2m.h>
#include "fake_domains.h"
#include <proxenos/arch/domain.h>
#include <proxenos/bootmem.h>
#include <proxenos/domain_pv.h>
#include <proxenos/errno.h>
#include <proxenos/gnttab.h>
#include <proxenos/hypercall.h>
#include <proxenos/page_alloc.h>
#include <proxenos/xmalloc.h>
#include <public/grant_table.h>
#include <public/memory.h>

#define HOST_RAM    0x80000000ULL
#define HOST_SIZE   (64ULL << 20)
#define RAM_ORDER   6U                  /* 64 pages of guest RAM each */
#define RAM_PAGES   (1ULL << RAM_ORDER)
#define GRAM        GUEST_RAM0_BASE     /* guest-physical base of that RAM */
#define GRAM_PFN    (GRAM >> PAGE_SHIFT)
#define ARGS        (GRAM + 0x1000U)    /* hypercall buffers: pages 1..3 */
#define GNT_PFN     (GUEST_GNTTAB_BASE >> PAGE_SHIFT)
#define NR_TDOMS    3U

struct tdom {
    struct domain d;
    struct vcpu v;
    struct vcpu *vp[1];
    mfn_t ram;
    mfn_t shinfo;
    bool freed;             /* dom_kill'ed and its last reference gone */
};

static struct tdom tdoms[NR_TDOMS];

static struct tdom *tdom_of(const struct domain *d);

/* The domain table is fake_domains.c's (it counts the references lookups
 * take). What domain_free does with the PV state: done when the last
 * reference of a dom_kill'ed domain goes, or by dom_kill itself when
 * there is none. */
static void dom_free(struct domain *d)
{
    struct tdom *t = tdom_of(d);

    if (d->dying && !t->freed) {
        t->freed = true;
        gnttab_destroy(d);
    }
}

/* The last STATIC_PAGES pages of host RAM: kept from the heap, as the
 * xen,static-mem banks are (env_init_static), for static domains. */
#define STATIC_PAGES 16U
#define STATIC_BASE  (HOST_RAM + HOST_SIZE - (STATIC_PAGES * PAGE_SIZE))

static void env_init_with(bool keep_static)
{
    fake_reset();
    fake_p2m_reset();
    fake_console_quiet(true);
    bootmem_reset();
    (void)fake_ram_alloc(HOST_RAM, HOST_SIZE);
    assert_int_equal(bootmem_add_ram(HOST_RAM, HOST_RAM + HOST_SIZE), 0);
    if (keep_static) {
        assert_int_equal(bootmem_reserve(STATIC_BASE, HOST_RAM + HOST_SIZE), 0);
    }
    assert_int_equal(page_alloc_init(), 0);
    xmalloc_reset();
    gnttab_max_maptrack_frames = GNTTAB_MAX_MAPTRACK_FRAMES;
    memset(tdoms, 0, sizeof(tdoms));
    /* The previous test gave back every reference it took. */
    assert_int_equal(fake_domain_refs_total(), 0U);
    fake_domains_reset();
    fake_domains_set_release(dom_free);
}

static inline void env_init(void)
{
    env_init_with(false);
}

/* Domain i with id, its RAM mapped at GRAM (or 1:1 when direct). */
static struct domain *dom_create(unsigned int i, domid_t id, bool privileged, bool direct)
{
    struct tdom *t = &tdoms[i];
    struct domain *d = &t->d;
    paddr_t pa;

    memset(t, 0, sizeof(*t));
    d->domain_id = id;
    d->is_privileged = privileged;
    d->direct_map = direct;
    spin_lock_init(&d->lock);
    d->max_vcpus = 1U;
    t->vp[0] = &t->v;
    d->vcpu = t->vp;
    t->v.domain = d;
    t->ram = alloc_pages(RAM_ORDER, ALLOC_ZERO);
    assert_false(mfn_eq(t->ram, INVALID_MFN));
    t->ram = t->ram;
    page_list_push(&d->page_list, mfn_to_page(t->ram));
    d->tot_pages = RAM_PAGES;
    d->max_pages = RAM_PAGES + 16U;
    pa = mfn_to_paddr(t->ram);
    fake_guest_map(d, direct ? pa : GRAM, pa, RAM_PAGES * PAGE_SIZE);
    /* The shared info page is the real shared_info.c's (kept to the end
     * of the test, as the RAM is); shinfo is its frame. */
    assert_int_equal(shared_info_init(d), 0);
    t->shinfo = domain_shared_info_mfn(d);
    assert_false(mfn_eq(t->shinfo, INVALID_MFN));
    assert_int_equal(gnttab_init(d), 0);
    fake_domain_list(d);
    return d;
}

/* Take d off the "domain list" and free its grant table, as
 * domain_destroy does (the RAM is the test's to free). */
static inline void dom_destroy(struct domain *d)
{
    fake_domain_unlist(d);
    gnttab_destroy(d);
}

/* domain_destroy: off the "domain list" (lookups fail, d is dying), and
 * freed now, or by the last domain_put if someone holds a reference. */
static inline void dom_kill(struct domain *d)
{
    d->dying = true;
    fake_domain_unlist(d);
}

static struct tdom *tdom_of(const struct domain *d)
{
    for (unsigned int i = 0U; i < NR_TDOMS; i++) {
        if (&tdoms[i].d == d) {
            return &tdoms[i];
        }
    }
    return NULL;
}

/* Host pointer to guest-physical gpa in d's RAM block. */
static void *gptr(const struct domain *d, uint64_t gpa)
{
    return arch_maddr_to_virt(mfn_to_paddr(tdom_of(d)->ram) + (gpa - GRAM));
}

static void as_dom(struct domain *d)
{
    fake_guest_set_vcpu(d->vcpu[0]);
}

/* Run a hypercall to completion the way the dispatcher would (re-entering
 * on -ERESTART); *restarts counts the continuations. */
static long hcall(long (*fn)(struct hcall_args *), uint64_t a0, uint64_t a1, uint64_t a2,
                  unsigned int *restarts)
{
    struct hcall_args args = { { a0, a1, a2, 0U, 0U } };
    long rc;
    unsigned int n = 0U;

    while ((rc = fn(&args)) == -ERESTART) {
        n++;
    }
    if (restarts != NULL) {
        *restarts = n;
    }
    return rc;
}

static inline long gnttab_op(uint32_t cmd, uint64_t uop, uint32_t count)
{
    return hcall(do_grant_table_op, cmd, uop, count, NULL);
}

static inline long mem_op(uint64_t cmd, uint64_t arg)
{
    return hcall(do_memory_op, cmd, arg, 0U, NULL);
}

/* What gfn of d maps to in the fake stage 2. */
static inline enum guest_frame_type p2m_type_at(struct domain *d, uint64_t g, mfn_t *m)
{
    enum guest_frame_type t = GUEST_FRAME_NONE;
    mfn_t dummy;

    (void)arch_guest_lookup_page(d, gfn(g), (m != NULL) ? m : &dummy, &t);
    return t;
}

/* Map d's grant frame idx at GNT_PFN + idx (as the current domain d). */
static inline struct grant_entry_v1 *map_gnttab_frame(struct domain *d, uint64_t idx)
{
    struct xen_add_to_physmap xatp = { .domid = DOMID_SELF, .space = XENMAPSPACE_grant_table,
                                       .idx = idx, .gpfn = GNT_PFN + idx };
    mfn_t m;

    as_dom(d);
    memcpy(gptr(d, ARGS), &xatp, sizeof(xatp));
    assert_int_equal(mem_op(XENMEM_add_to_physmap, ARGS), 0);
    assert_int_equal(p2m_type_at(d, GNT_PFN + idx, &m), GUEST_FRAME_RAM);
    return arch_maddr_to_virt(mfn_to_paddr(m));
}

static inline uint32_t page_pins(mfn_t m)
{
    return __atomic_load_n(&mfn_to_page(m)->u.guest.pins, __ATOMIC_ACQUIRE);
}

static inline uint64_t free_now(void)
{
    struct page_alloc_stats st;

    page_alloc_stats(&st);
    return st.free_pages;
}

#endif
