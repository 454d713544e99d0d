/* Building dom0less domains: RAM in Xen's guest banks, the kernel where
 * Xen 4.17 puts it, the device tree and ramdisk high in the first 128 MiB,
 * vCPU 0 entering the kernel with x0 = device tree, as on Xen. A domain
 * with xen,enhanced gets the /hypervisor node (grant window, extended
 * regions, event-channel PPI 31) and, with xenstore, an unbound event
 * channel to dom0 in HVM_PARAM_STORE_EVTCHN and HVM_PARAM_STORE_PFN set to
 * ~0: "xenstore comes later", which Linux waits for. Static event channels
 * (dom0less_evtchn.c) are bound once every domain is built, dom0 (built
 * before, paused) included, before any starts; a domain left with one
 * unbound is destroyed unstarted; a rebuilt one takes its channels again
 * (dom0less_evtchn_rebind.c). A
 * domain with xen,static-mem gets exactly its banks (checked and reserved
 * at boot, static_mem.c), at the guest RAM banks or, with direct-map, at
 * their host addresses; a reboot takes the same banks again. Static
 * shared memory is mapped at its guest address after the domain's RAM and
 * described in its /reserved-memory; its extended regions leave it out.
 * Its virtio-mmio devices (dom0less_virtio.c) get "virtio,mmio" nodes,
 * their ranges are reserved for dom0, which serves them, and the domain is
 * held paused until dom0 has claimed all of them (ioreq_reserve.c). The
 * nodes are read before dom0 is built (dom0less_prepare), since dom0's
 * device tree lists those devices. */
#include <proxenos/alloc_count.h>
#include <proxenos/arch/dom0less.h>
#include <proxenos/arch/domain.h>
#include <proxenos/arch/domain_fdt.h>
#include <proxenos/arch/kernel.h>
#include <proxenos/arch/mm.h>
#include <proxenos/arch/p2m.h>
#include <proxenos/cpupool.h>
#include <proxenos/dom0less.h>
#include <proxenos/dom0less_evtchn.h>
#include <proxenos/domain_create.h>
#include <proxenos/domain_fdt.h>
#include <proxenos/errno.h>
#include <proxenos/evtchn.h>
#include <proxenos/guest_ram.h>
#include <proxenos/ioreq_reserve.h>
#include <proxenos/paging_pool.h>
#include <proxenos/printk.h>
#include <proxenos/sched.h>
#include <proxenos/static_mem.h>
#include <proxenos/static_shm.h>
#include <public/hvm_params.h>

static struct dom0less_config configs[DOM0LESS_MAX_DOMAINS];
static unsigned int nr_configs;
static const struct boot_info *boot;
static uint8_t dtb_buf[DOMAIN_FDT_XEN417_SIZE];
/* The static channels bound at boot, for the rebuilds. */
static struct dom0less_evtchn_links evtchn_links;
/* dom0less_prepare() has read configs for the next dom0less_build_all(). */
static bool prepared;

static const void *module_data(const struct boot_module *m)
{
    return arch_maddr_to_virt(m->start);
}

/* Where a domain's RAM is in its guest physical space: the regions its
 * device tree lists (the first holds the kernel) and, for the extended
 * regions, how much of each guest RAM bank is used (ext_ok false: not in
 * the guest banks, as for a direct-mapped domain, whose RAM is the
 * host's and whose extended regions come from host RAM). */
struct guest_mem {
    struct domain_fdt_region region[STATIC_MEM_MAX_BANKS];
    unsigned int nr;
    uint64_t bank_used[GUEST_RAM_MAX_BANKS];
    bool ext_ok;
};

/* Free guest address space for foreign and grant mappings: holes in the
 * guest RAM banks or, for a direct-mapped domain, whose addresses are the
 * host's, host RAM that no domain, shared region or firmware has (Xen
 * 4.17's find_unallocated_memory). The hypervisor's image, the heap and
 * the boot modules are host RAM too, and stay offered, as in Xen: they are
 * never in this domain's stage 2, so its mappings there shadow nothing. */
static unsigned int ext_regions(const struct domain *d, const struct guest_mem *gm,
                                struct domain_fdt_region *ext, unsigned int max)
{
    static struct boot_range cuts[(STATIC_MEM_MAX_DOMAINS * STATIC_MEM_MAX_BANKS) +
                                  STATIC_SHM_MAX_REGIONS];
    unsigned int nr = 0U;

    if (gm->ext_ok) {
        return arch_domu_ext_regions(gm->bank_used, arch_guest_ipa_bits(), ext);
    }
    if (!d->direct_map || !static_mem_host_cuts(boot, cuts, (unsigned int)ARRAY_SIZE(cuts), &nr)) {
        return 0U;
    }
    return arch_domu_direct_ext_regions(boot, cuts, nr, arch_guest_ipa_bits(), ext, max);
}

static int load_guest(struct domain *d, const struct dom0less_config *c,
                      const struct guest_mem *gm)
{
    const struct domain_fdt_region *mem = gm->region;
    struct domain_fdt_config fc = { 0 };
    struct domain_fdt_region ext[GUEST_RAM_MAX_BANKS + STATIC_SHM_MAX_PER_DOMAIN];
    struct domain_fdt_shm shm[STATIC_SHM_MAX_PER_DOMAIN];
    struct domain_fdt_virtio virtio[DOM0LESS_VIRTIO_MAX];
    uint64_t total = 0U;
    struct kernel_load k;
    uint64_t initrd_size = (c->ramdisk != NULL) ? c->ramdisk->size : 0U;
    paddr_t dtb_at;
    paddr_t initrd_at;
    uint32_t dtb_size;
    int rc;

    for (unsigned int i = 0U; i < gm->nr; i++) {
        total += mem[i].size;
    }
    /* The kernel, its device tree and ramdisk go in the first bank. */
    rc = arch_kernel_load(d, module_data(c->kernel), c->kernel->size, mem[0].base, mem[0].size,
                          &k);
    if (rc != 0) {
        if (rc == -ENOEXEC) {
            pr_err("dom0less: %s: kernel: not an %s (%d): domain skipped\n", c->name,
                   arch_kernel_format_name(), rc);
        } else {
            pr_err("dom0less: %s: kernel: does not fit (%d): domain skipped\n", c->name, rc);
        }
        return rc;
    }
    fc.nr_vcpus = c->cpus;
    fc.mem = mem;
    fc.nr_mem = gm->nr;
    static_shm_fdt_regions(c->shm, c->nr_shm, shm);
    fc.shm = shm;
    fc.nr_shm = c->nr_shm;
    for (unsigned int i = 0U; i < c->nr_virtio; i++) {
        virtio[i] = (struct domain_fdt_virtio){ c->virtio[i].base, c->virtio[i].size,
                                                c->virtio[i].intid };
    }
    fc.virtio = virtio;
    fc.nr_virtio = c->nr_virtio;
    fc.bootargs = c->kernel->cmdline;
    fc.initrd_size = initrd_size;
    fc.arch = arch_dom0less_fdt_config(boot, c, d);
    if (d->xen_enhanced) {
        fc.enhanced = true;
        fc.ext_regions = ext;
        /* The room after the first GUEST_RAM_MAX_BANKS is the carving's. */
        fc.nr_ext_regions = ext_regions(d, gm, ext, GUEST_RAM_MAX_BANKS);
        static_shm_carve(c->shm, c->nr_shm, ext, &fc.nr_ext_regions,
                         GUEST_RAM_MAX_BANKS + STATIC_SHM_MAX_PER_DOMAIN);
        for (unsigned int i = 0U; i < fc.nr_ext_regions; i++) {
            pr_info("Domain %u: extended region %u: 0x%llx->0x%llx\n", d->domain_id, i,
                    (unsigned long long)ext[i].base,
                    (unsigned long long)(ext[i].base + ext[i].size));
        }
    }
    rc = domain_fdt_build_domu(&fc, dtb_buf, sizeof(dtb_buf), &dtb_size);
    if (rc != 0) {
        pr_err("dom0less: %s: device tree does not fit in %u bytes (%d): domain skipped\n",
               c->name, (unsigned int)sizeof(dtb_buf), rc);
        return rc;
    }
    rc = arch_kernel_place_modules(mem[0].base, mem[0].size, k.end, dtb_size, initrd_size,
                                   &dtb_at, &initrd_at);
    if ((rc == 0) && (initrd_size != 0U)) {
        rc = domain_fdt_set_initrd(dtb_buf, sizeof(dtb_buf), initrd_at, initrd_at + initrd_size);
        if (rc == 0) {
            rc = domain_copy_to_guest_phys(d, initrd_at, module_data(c->ramdisk), initrd_size);
        }
    }
    if (rc == 0) {
        rc = domain_copy_to_guest_phys(d, dtb_at, dtb_buf, dtb_size);
    }
    if (rc != 0) {
        pr_err("dom0less: %s: cannot place the device tree and ramdisk (%d): domain skipped\n",
               c->name, rc);
        return rc;
    }
    arch_vcpu_set_entry(d->vcpu[0], k.entry, dtb_at);
    for (unsigned int i = 0U; i < d->max_vcpus; i++) {
        pr_info("Domain %u: vCPU %u on CPU %u\n", d->domain_id, i, d->vcpu[i]->processor);
    }
    pr_info("Domain %u (%s): %u vCPU(s), %llu MiB, kernel at 0x%llx, device tree at 0x%llx%s\n",
            d->domain_id, d->name, c->cpus, (unsigned long long)(total >> 20),
            (unsigned long long)k.load_addr, (unsigned long long)dtb_at,
            arch_dom0less_built_note(c));
    return 0;
}

/* The domain's virtio devices kept for their back end, dom0, and the
 * domain held paused until dom0 has claimed them all: Linux probes a
 * virtio-mmio device once, at boot, and dom0's back end starts later. */
static int reserve_virtio(struct domain *d, const struct dom0less_config *c)
{
    struct ioreq_reservation r[DOM0LESS_VIRTIO_MAX];
    int rc;

    for (unsigned int i = 0U; i < c->nr_virtio; i++) {
        const struct dom0less_virtio *v = &c->virtio[i];

        r[i] = (struct ioreq_reservation){ v->base, v->base + v->size - 1U, v->backend };
        pr_info("Domain %u: virtio %s %s at 0x%llx-0x%llx, SPI %u, back end dom%u\n",
                d->domain_id, v->type, v->name, (unsigned long long)v->base,
                (unsigned long long)(v->base + v->size - 1U), v->intid, v->backend);
    }
    rc = ioreq_reserve(d, r, c->nr_virtio, true);
    if (rc != 0) {
        pr_err("dom0less: %s: cannot reserve its virtio devices (%d): domain skipped\n",
               c->name, rc);
        return rc;
    }
    pr_info("Domain %u (%s): held paused until dom0 claims its %u virtio device(s) "
            "(an enabled ioreq server mapping each range)\n", d->domain_id, d->name,
            c->nr_virtio);
    return 0;
}

/* Xen's alloc_xenstore_evtchn: the port dom0's xenstored will bind to
 * talk to d, and "the xenstore page comes later". */
static int setup_xenstore(struct domain *d, const struct dom0less_config *c)
{
    evtchn_port_t port = 0U;
    int rc = evtchn_alloc_unbound(d, 0U, &port);

    if (rc != 0) {
        pr_err("dom0less: %s: cannot allocate the xenstore event channel (%d): "
               "domain skipped\n", c->name, rc);
        return rc;
    }
    d->hvm_params[HVM_PARAM_STORE_EVTCHN] = port;
    d->hvm_params[HVM_PARAM_STORE_PFN] = ~0ULL;
    return 0;
}

static uint64_t shm_bytes(const struct dom0less_config *c)
{
    uint64_t total = 0U;

    for (unsigned int i = 0U; i < c->nr_shm; i++) {
        total += c->shm[i]->size;
    }
    return total;
}

/* RAM from the heap, in the guest RAM banks filled in order. */
static int heap_layout(const struct dom0less_config *c, struct guest_mem *gm)
{
    const struct guest_ram_bank *bank = NULL;

    (void)arch_guest_ram_banks(&bank);
    gm->nr = guest_ram_layout(c->mem_kib * 1024U, gm->bank_used);
    if (gm->nr == 0U) {
        pr_err("dom0less: %s: %llu KiB of RAM is more than the guest address space holds: "
               "domain skipped\n", c->name, (unsigned long long)c->mem_kib);
        return -EINVAL;
    }
    for (unsigned int i = 0U; i < gm->nr; i++) {
        gm->region[i].base = bank[i].base;
        gm->region[i].size = gm->bank_used[i];
    }
    gm->ext_ok = true;
    return 0;
}

/* RAM from the static banks (static_mem.h): pieces says what goes where. */
static int static_layout(const struct dom0less_config *c, struct guest_mem *gm,
                         struct static_mem_piece *pieces, unsigned int *nr_pieces)
{
    const struct static_mem *sm = c->static_mem;
    struct static_mem_bank regions[STATIC_MEM_MAX_BANKS];
    unsigned int nr = 0U;

    *nr_pieces = static_mem_layout(sm, pieces, regions, &nr);
    if (*nr_pieces == 0U) {
        pr_err("dom0less: %s: its xen,static-mem does not fit in the guest RAM banks: "
               "domain skipped\n", c->name);
        return -EINVAL;
    }
    gm->nr = nr;
    for (unsigned int i = 0U; i < nr; i++) {
        gm->region[i].base = regions[i].start;
        gm->region[i].size = regions[i].size;
        /* Without direct-map, region i is guest RAM bank i. */
        if (i < GUEST_RAM_MAX_BANKS) {
            gm->bank_used[i] = regions[i].size;
        }
    }
    gm->ext_ok = !sm->direct_map;
    return 0;
}

static int populate_static(struct domain *d, const struct static_mem_piece *pieces,
                           unsigned int n)
{
    for (unsigned int i = 0U; i < n; i++) {
        const struct static_mem_piece *p = &pieces[i];
        int rc = domain_assign_static_ram(d, p->guest, p->host, p->size);

        if (rc != 0) {
            pr_err("dom0less: %s: cannot take static memory 0x%llx-0x%llx (%d): domain skipped\n",
                   d->name, (unsigned long long)p->host, (unsigned long long)(p->host + p->size),
                   rc);
            return rc;
        }
        pr_info("Domain %u: static memory 0x%llx-0x%llx at guest 0x%llx%s\n", d->domain_id,
                (unsigned long long)p->host, (unsigned long long)(p->host + p->size),
                (unsigned long long)p->guest, d->direct_map ? " (direct-map)" : "");
    }
    return 0;
}

static int populate_heap(struct domain *d, const struct dom0less_config *c,
                         const struct guest_mem *gm)
{
    int rc = 0;

    for (unsigned int i = 0U; (i < gm->nr) && (rc == 0); i++) {
        rc = domain_populate_ram(d, gm->region[i].base, gm->region[i].size);
    }
    if (rc == -ENOMEM) {
        /* Xen 4.17's words for the heap or the stage-2 pool running out
         * (it panics); the other domains still run here. */
        pr_err("dom0less: %s: Failed to allocate requested domain memory. %lluKB unallocated. "
               "Fix the VMs configurations.\n", c->name,
               (unsigned long long)(c->mem_kib - ((d->tot_pages << PAGE_SHIFT) >> 10)));
    }
    if (rc != 0) {
        pr_err("dom0less: %s: cannot populate %llu KiB of RAM (%d): out of memory or of "
               "stage-2 pool: domain skipped\n", c->name, (unsigned long long)c->mem_kib, rc);
    }
    return rc;
}

static int build_one(const struct dom0less_config *c, struct domain **out)
{
    struct domain_create_args a = { 0 };
    uint64_t mem = c->mem_kib * 1024U;
    struct guest_mem gm = { 0 };
    struct static_mem_piece pieces[STATIC_MEM_MAX_PIECES];
    unsigned int nr_pieces = 0U;
    struct domain *d;
    int rc;

    rc = (c->static_mem != NULL) ? static_layout(c, &gm, pieces, &nr_pieces) :
         heap_layout(c, &gm);
    if (rc != 0) {
        return rc;
    }
    a.name = c->name;
    a.max_vcpus = c->cpus;
    a.console_input = true;
    a.direct_map = (c->static_mem != NULL) && c->static_mem->direct_map;
    arch_dom0less_create_args(c, &a);
    /* The shared regions' tables come from the pool too. */
    a.p2m_pool_pages = c->has_p2m_mem ? ((uint64_t)c->p2m_mem_mb << (20U - PAGE_SHIFT)) :
                       p2m_default_pool_pages(mem + shm_bytes(c), c->cpus);
    a.cpu_affinity = cpupool_cpus(c->cpupool);
    a.cpupool_id = cpupool_id_of(c->cpupool);
    if ((c->cpupool >= 0) && (a.cpu_affinity == 0U)) {
        pr_err("dom0less: %s: its cpupool was not created: domain skipped\n", c->name);
        return -EINVAL;
    }
    if ((c->enhanced == ENHANCED_FULL) && (bootinfo_find_module(boot, BOOTMOD_KERNEL, -1) == NULL)) {
        /* Xen 4.17 panics: xenstore needs dom0. We skip this domain only. */
        pr_err("dom0less: %s: xen,enhanced with xenstore needs a dom0 "
               "(use \"no-xenstore\"): domain skipped\n", c->name);
        return -EINVAL;
    }
    a.xen_enhanced = (c->enhanced != ENHANCED_NONE);
    rc = domain_create(c->domid, &a, &d);
    if (rc != 0) {
        pr_err("dom0less: %s: cannot create domain %u (%d): domain skipped\n", c->name,
               c->domid, rc);
        return rc;
    }
    rc = (c->static_mem != NULL) ? populate_static(d, pieces, nr_pieces) :
         populate_heap(d, c, &gm);
    if (rc == 0) {
        rc = static_shm_map(d, c->shm, c->nr_shm);
    }
    if (rc == 0) {
        rc = load_guest(d, c, &gm);
    }
    if ((rc == 0) && (c->enhanced == ENHANCED_FULL)) {
        rc = setup_xenstore(d, c);
    }
    if ((rc == 0) && (c->nr_virtio != 0U)) {
        rc = reserve_virtio(d, c);
    }
    if (rc != 0) {
        domain_destroy(d);
        return rc;
    }
    *out = d;
    return 0;
}

static void start(struct domain *d)
{
    d->state = DOMAIN_RUNNING;
    vcpu_wake(d->vcpu[0]);
}

void dom0less_prepare(const struct boot_info *bi)
{
    boot = bi;
    nr_configs = dom0less_parse(bi, configs, DOM0LESS_MAX_DOMAINS);
    dom0less_virtio_dom0_reset();
    for (unsigned int i = 0U; i < nr_configs; i++) {
        /* One record per domain: cannot run out. */
        (void)dom0less_virtio_dom0_add(configs[i].domid, configs[i].name, configs[i].virtio,
                                       configs[i].nr_virtio);
    }
    prepared = true;
}

unsigned int dom0less_build_all(const struct boot_info *bi, struct domain *dom0)
{
    struct dom0less_evtchn_domain built[DOM0LESS_MAX_DOMAINS + 1U];
    unsigned int n = 0U;
    unsigned int nr_ends;
    unsigned int started = 0U;

    if (!prepared) {
        dom0less_prepare(bi);
    }
    prepared = false;
    /* Called for dom0's channels alone too: then nothing is rebuilt. */
    if (nr_configs != 0U) {
        domain_set_restart(dom0less_restart);
    }
    for (unsigned int i = 0U; i < nr_configs; i++) {
        if ((configs[i].nr_virtio != 0U) && (dom0 == NULL)) {
            /* Held paused for a back end that will never come. */
            pr_err("dom0less: %s: dom0, the back end of its virtio devices, was not built: "
                   "domain skipped\n", configs[i].name);
        } else if (build_one(&configs[i], &built[n].d) == 0) {
            built[n].node = configs[i].node;
            n++;
        } else {
            /* reported */
        }
    }
    /* dom0's ends are /chosen's own xen,evtchn-v1 children; when its
     * kernel was given but it could not be built, they are reported. */
    nr_ends = n;
    if ((dom0 != NULL) || (bootinfo_find_module(bi, BOOTMOD_KERNEL, -1) != NULL)) {
        built[nr_ends] = (struct dom0less_evtchn_domain){ bi->chosen, dom0, false };
        nr_ends++;
    }
    /* Static event channels need every domain, and bind before any runs. */
    (void)dom0less_evtchn_bind(bi->fdt, built, nr_ends, &evtchn_links);
    /* Start only once all are built, so no guest runs while memory for the
     * others is still being copied. From here on, what is allocated is
     * allocated after boot (refused in static mode). */
    alloc_count_end_boot();
    for (unsigned int i = 0U; i < n; i++) {
        if (built[i].failed) {
            pr_err("dom0less: %s: a static event channel is not bound: domain skipped\n",
                   built[i].d->name);
            domain_destroy(built[i].d);
        } else {
            start(built[i].d);
            started++;
        }
    }
    return started;
}

int dom0less_restart(domid_t id)
{
    for (unsigned int i = 0U; i < nr_configs; i++) {
        if (configs[i].domid == id) {
            struct domain *d;
            int rc = build_one(&configs[i], &d);

            if (rc == 0) {
                (void)dom0less_evtchn_rebind(&evtchn_links, d);
                start(d);
            }
            return rc;
        }
    }
    return -ENOENT;
}
