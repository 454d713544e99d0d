/* The boot CPU's path from head.S to the idle loop. Each step reads the
 * structs the previous ones filled; the device tree is read once. */
#include <asm/bootinfo_arch.h>
#include <asm/arm64.h>
#include <asm/memlayout.h>
#include <asm/p2m.h>
#include <asm/spectre.h>
#include <asm/sysregs.h>
#include <proxenos/arch/mm.h>
#include <proxenos/alloc_count.h>
#include <proxenos/boot_ram.h>
#include <proxenos/boot_ranges.h>
#include <proxenos/bootinfo.h>
#include <proxenos/bootmem.h>
#include <proxenos/cmdline.h>
#include <proxenos/console.h>
#include <proxenos/cpupool.h>
#include <proxenos/dom0.h>
#include <proxenos/dom0_params.h>
#include <proxenos/dom0less.h>
#include <proxenos/sched.h>
#include <proxenos/drivers/dt_uart.h>
#include <proxenos/fdt.h>
#include <proxenos/hostinfo.h>
#include <proxenos/idle.h>
#include <proxenos/keyhandler.h>
#include <proxenos/page_alloc.h>
#include <proxenos/printk.h>
#include <proxenos/sched_params.h>
#include <proxenos/smp.h>
#include <proxenos/static_heap.h>
#include <proxenos/static_mem.h>
#include <proxenos/static_shm.h>
#include <proxenos/softirq.h>
#include <proxenos/timer.h>
#include <proxenos/version.h>
#include <proxenos/xen_version.h>
#include <proxenos/xmalloc.h>

#define HYP_TIMER_PPI_DEFAULT 26U

extern const struct keyhandler __keyhandler_start[], __keyhandler_end[];

static struct fdt boot_fdt;
/* The boot device tree is read over and over while the domains are built
 * (parents for cells, phandles for interrupts): indexed once. A tree with
 * more nodes than this is still read, only by walking. */
#define BOOT_FDT_INDEX_NODES 1024U
static struct fdt_node_ref boot_fdt_index[BOOT_FDT_INDEX_NODES];
static struct boot_info boot_info;
static struct static_shm_table shm_table;
static struct timer selftest_timers[NR_CPUS];
static uint32_t selftest_fired;

static void fatal(const char *fmt, ...) __printf(1, 2) __noreturn;

/* Boot input we cannot use: say why and stop, without a reboot loop. */
static void fatal(const char *fmt, ...)
{
    char msg[256];
    va_list ap;

    va_start(ap, fmt);
    (void)vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    pr_err("FATAL: %s\n", msg);
    pr_err("System halted.\n");
    arch_halt();
}

static const struct fdt *map_device_tree(paddr_t dtb)
{
    uint64_t offset = dtb & (MiB(2) - 1U);
    const void *blob = (const void *)(uintptr_t)(BOOT_FDT_VIRT + offset);
    int rc;

    if (dtb == 0U) {
        fatal("no device tree (x0 = 0)");
    }
    if ((dtb & 7U) != 0U) {
        fatal("invalid device tree at 0x%llx: not 8-byte aligned", (unsigned long long)dtb);
    }
    rc = fdt_check(&boot_fdt, blob, BOOT_FDT_MAX);
    if (rc != 0) {
        fatal("invalid device tree at 0x%llx: %s (offset 0x%x)", (unsigned long long)dtb,
              boot_fdt.error, boot_fdt.error_offset);
    }
    if (fdt_index_build(&boot_fdt, boot_fdt_index, BOOT_FDT_INDEX_NODES) != 0) {
        pr_info("device tree: more than %u nodes, read without an index\n",
                BOOT_FDT_INDEX_NODES);
    }
    rc = bootinfo_scan(&boot_info, &boot_fdt);
    if (rc != 0) {
        fatal("invalid device tree at 0x%llx: %s", (unsigned long long)dtb,
              (boot_info.error != NULL) ? boot_info.error : "unreadable");
    }
    return &boot_fdt;
}

/* Before the heap exists and before any module is read: each module and
 * each static memory bank must be RAM clear of the hypervisor and the
 * device tree, and so must each static shared memory region, which must
 * also be clear of the modules. After the console UART is up, so that a
 * build without the early console prints the refusals too. */
static void check_modules(paddr_t dtb, struct boot_owned *owned)
{
    owned->image.start = image_phys_start();
    owned->image.size = image_phys_end() - image_phys_start();
    owned->dtb.start = dtb;
    owned->dtb.size = boot_fdt.total_size;
    /* RAM first: modules must lie in banks that passed. */
    (void)boot_ram_check(&boot_info);
    (void)boot_modules_check(&boot_info, owned);
    /* The static banks after the modules and the shared regions: a bank
     * over either is the bank's domain's fault. */
    (void)static_shm_scan(&boot_info, owned, &shm_table);
    boot_info.shm = &shm_table;
    (void)static_mem_check_all(&boot_info, owned);
}

/* xen,static-heap: when given, the heap is its banks and nothing else of
 * RAM, boot allocations included. After the modules are checked, so that
 * a bank over a usable module is refused. */
static void setup_static_heap(const struct boot_info *bi, const struct boot_owned *owned)
{
    static struct static_heap heap;
    const char *why = NULL;
    int rc = static_heap_scan(bi, owned, &heap, &why);

    if (rc != 0) {
        fatal("/chosen/xen,static-heap: %s", why);
    }
    if (!heap.present) {
        return;
    }
    for (uint32_t i = 0U; i < heap.nr_banks; i++) {
        pr_info("Static heap: 0x%016llx-0x%016llx (%llu MiB)\n",
                (unsigned long long)heap.banks[i].start,
                (unsigned long long)(heap.banks[i].start + heap.banks[i].size - 1U),
                (unsigned long long)(heap.banks[i].size >> 20));
    }
    if (heap.nr_banks == 0U) {
        fatal("/chosen/xen,static-heap: no usable bank");
    }
    rc = static_heap_reserve_rest(bi, &heap);
    if (rc != 0) {
        fatal("cannot keep the heap to xen,static-heap: error %d", rc);
    }
}

static void print_modules(const struct boot_info *bi)
{
    for (uint32_t i = 0U; i < bi->nr_modules; i++) {
        const struct boot_module *m = &bi->modules[i];
        char owner[128] = "dom0";

        /* A path too long for the line: the domain's name, cut short. */
        if ((m->domain >= 0) && (fdt_node_path(bi->fdt, m->domain, owner, sizeof(owner)) < 0)) {
            (void)snprintf(owner, sizeof(owner), "%s", m->domain_name);
        }
        if (m->cmdline != NULL) {
            pr_info("Module %u: 0x%016llx-0x%016llx %s %s bootargs=\"%s\"\n", i,
                    (unsigned long long)m->start, (unsigned long long)(m->start + m->size - 1U),
                    boot_module_kind_name(m->kind), owner, m->cmdline);
        } else {
            pr_info("Module %u: 0x%016llx-0x%016llx %s %s\n", i,
                    (unsigned long long)m->start, (unsigned long long)(m->start + m->size - 1U),
                    boot_module_kind_name(m->kind), owner);
        }
    }
    if (bi->nr_modules == 0U) {
        pr_info("No boot modules\n");
    }
}

static void reserve_or_die(paddr_t start, uint64_t size, const char *what)
{
    int rc = bootmem_reserve(start, start + size);

    if (rc != 0) {
        fatal("cannot reserve %s at 0x%llx (+0x%llx): error %d", what,
              (unsigned long long)start, (unsigned long long)size, rc);
    }
}

/* RAM minus the image, the DTB, the boot modules, the static memory
 * banks, static shared memory and firmware's reservations goes to the page
 * allocator; all RAM is direct-mapped. */
static uint64_t setup_memory(const struct boot_info *bi, paddr_t dtb,
                             const struct boot_owned *owned)
{
    uint64_t total = 0U;
    struct page_alloc_stats st;
    struct static_mem_bank bank;
    int rc;

    for (uint32_t i = 0U; i < bi->nr_ram; i++) {
        const struct boot_range *r = &bi->ram[i];

        pr_info("RAM: 0x%016llx-0x%016llx (%llu MiB)\n", (unsigned long long)r->start,
                (unsigned long long)(r->start + r->size - 1U),
                (unsigned long long)(r->size >> 20));
        total += r->size;
        rc = bootmem_add_ram(r->start, r->start + r->size);
        if (rc == 0) {
            rc = mm_map_directmap(r->start, r->size);
        }
        if (rc != 0) {
            fatal("cannot use RAM bank 0x%llx (+0x%llx): error %d",
                  (unsigned long long)r->start, (unsigned long long)r->size, rc);
        }
    }
    if (bi->nr_ram == 0U) {
        fatal("invalid device tree at 0x%llx: no usable memory node", (unsigned long long)dtb);
    }
    for (uint32_t i = 0U; i < bi->nr_reserved; i++) {
        pr_info("Reserved: 0x%016llx-0x%016llx\n", (unsigned long long)bi->reserved[i].start,
                (unsigned long long)(bi->reserved[i].start + bi->reserved[i].size - 1U));
        reserve_or_die(bi->reserved[i].start, bi->reserved[i].size, "reserved memory");
    }
    reserve_or_die(image_phys_start(), image_phys_end() - image_phys_start(), "the hypervisor");
    reserve_or_die(dtb, bi->fdt->total_size, "the device tree");
    for (uint32_t i = 0U; i < bi->nr_modules; i++) {
        /* An unusable module is never read, and may not even be RAM. */
        if (bi->modules[i].unusable == NULL) {
            reserve_or_die(bi->modules[i].start, bi->modules[i].size, "a boot module");
        }
    }
    for (uint32_t i = 0U; static_mem_reserved_bank(i, &bank); i++) {
        /* The domain's own: the heap never hands these out. */
        pr_info("Static memory: 0x%016llx-0x%016llx\n", (unsigned long long)bank.start,
                (unsigned long long)(bank.start + bank.size - 1U));
        reserve_or_die(bank.start, bank.size, "static memory");
    }
    /* Never the heap's: mapped into the domains that name them, and
     * mapped again when one of them reboots. */
    for (unsigned int i = 0U; i < shm_table.nr_regions; i++) {
        const struct static_shm_region *r = &shm_table.regions[i];

        pr_info("Static shared memory \"%s\": 0x%016llx-0x%016llx reserved\n", r->id,
                (unsigned long long)r->paddr, (unsigned long long)(r->paddr + r->size - 1U));
        reserve_or_die(r->paddr, r->size, "static shared memory");
    }
    setup_static_heap(bi, owned);
    rc = page_alloc_init();
    if (rc != 0) {
        fatal("page allocator: error %d", rc);
    }
    page_alloc_stats(&st);
    pr_info("Memory: %llu MiB free of %llu MiB\n",
            (unsigned long long)((st.free_pages << PAGE_SHIFT) >> 20),
            (unsigned long long)(total >> 20));
    return total;
}

static void setup_interrupts_and_time(const struct boot_info *bi)
{
    const struct boot_gic *g = &bi->arch->gic;
    uint32_t hyp_ppi = bi->arch->timer.intid[BOOT_TIMER_HYP];

    if (!g->present) {
        fatal("no GICv3 in the device tree (Proxenos drives GICv3 only)");
    }
    if (gic_init(g->dist_base, g->dist_size, g->rdist_base, g->rdist_size) != 0) {
        fatal("cannot map the GICv3");
    }
    if (gic_cpu_init() != 0) {
        fatal("the boot CPU has no GICv3 redistributor");
    }
    timer_subsys_init();
    smp_call_function_init();
    sched_init();
    time_init(bi->arch->timer.clock_frequency, (hyp_ppi != 0U) ? hyp_ppi : HYP_TIMER_PPI_DEFAULT);
    time_cpu_init();
    arch_cpu_init_virt();
    if (dt_uart_console_enable_input() != 0) {
        pr_warn("Console: no receive interrupt: debug keys disabled\n");
    }
}

static void selftest_timer_fn(void *data)
{
    (void)data;
    (void)__atomic_fetch_add(&selftest_fired, 1U, __ATOMIC_RELAXED);
}

/* Run on each CPU through an IPI: arms a timer on that CPU's own queue. */
static void selftest_arm_timer(void *data)
{
    unsigned int cpu = arch_cpu_id();

    (void)data;
    init_timer(&selftest_timers[cpu], selftest_timer_fn, NULL, cpu);
    set_timer(&selftest_timers[cpu], NOW() + MICROSECS(500));
}

/* Every online CPU answers an IPI and takes an EL2 timer interrupt. */
static void check_ipis_and_timers(unsigned int online)
{
    unsigned int answered = 0U;
    s_time_t deadline;

    for (unsigned int cpu = 0U; cpu < NR_CPUS; cpu++) {
        if (cpu_online(cpu) && (smp_call_function_single(cpu, selftest_arm_timer, NULL, true) == 0)) {
            answered++;
        }
    }
    arch_irq_enable();
    deadline = NOW() + SECONDS(1);
    while ((__atomic_load_n(&selftest_fired, __ATOMIC_RELAXED) < answered) && (NOW() < deadline)) {
        do_softirq();
    }
    arch_irq_disable();
    pr_info("Self-test: %u of %u CPUs answered an IPI, %u took a timer interrupt\n",
            answered, online, __atomic_load_n(&selftest_fired, __ATOMIC_RELAXED));
}

/* The facts sysctl physinfo and friends report, as Xen 4.17 on Arm
 * derives them: RAM from the memory banks, the CPU count from the cpu
 * nodes, cpu_khz from the timer node's clock-frequency or else CNTFRQ_EL0,
 * a PMU when ID_AA64DFR0_EL1.PMUVer is neither 0 nor 0xf (IMPLEMENTATION
 * DEFINED). */
static void record_host_info(const struct boot_info *bi)
{
    struct host_info hi = { 0 };
    uint64_t freq = bi->arch->timer.clock_frequency;
    uint64_t pmuver = (READ_SYSREG(id_aa64dfr0_el1) >> 8) & 0xfU;

    hi.ram_start_mfn = UINT64_MAX;
    for (uint32_t i = 0U; i < bi->nr_ram; i++) {
        const struct boot_range *r = &bi->ram[i];

        hi.ram_pages += r->size >> PAGE_SHIFT;
        hi.ram_start_mfn = MIN(hi.ram_start_mfn, r->start >> PAGE_SHIFT);
        hi.ram_end_mfn = MAX(hi.ram_end_mfn, (r->start + r->size) >> PAGE_SHIFT);
    }
    if (freq == 0U) {
        freq = READ_SYSREG(cntfrq_el0) & 0xffffffffU;
    }
    hi.cpu_khz = (uint32_t)(freq / 1000U);
    hi.nr_cpu_ids = (bi->nr_cpus != 0U) ? bi->nr_cpus : 1U;
    hi.has_pmu = (pmuver != 0U) && (pmuver != 0xfU);
    hi.gpaddr_bits = arch_guest_ipa_bits();
    hi.timer_dt_frequency = bi->arch->timer.clock_frequency;
    hostinfo_set(&hi);
}

void start_hypervisor(paddr_t dtb, paddr_t load_pa, const void *secondary_va)
{
    const struct boot_info *bi = &boot_info;
    const struct fdt *fdt;
    struct boot_owned owned;
    struct domain *dom0 = NULL;
    unsigned int online;
    bool mem_given;

    cpu_init_el2(0U);
    mm_init_early(load_pa);
    keyhandler_set_table(__keyhandler_start, __keyhandler_end);
    early_console_enable();
    pr_info("Proxenos %s (arm64) starting at EL2\n", PROXENOS_VERSION);
    pr_info("Loaded at 0x%llx, device tree at 0x%llx\n", (unsigned long long)load_pa,
            (unsigned long long)dtb);

    fdt = map_device_tree(dtb);
    pr_info("Command line: %s\n", (bi->xen_cmdline != NULL) ? bi->xen_cmdline : "");
    (void)cmdline_parse(bi->xen_cmdline);
    xen_version_set_cmdline(bi->xen_cmdline);
    (void)dt_uart_console_init(fdt);
    check_modules(dtb, &owned);

    (void)setup_memory(bi, dtb, &owned);
    print_modules(bi);
    if (bootinfo_is_dom0less(bi)) {
        pr_info("Boot mode: dom0less, %u xen,domain node(s)\n", bi->nr_domain_nodes);
    } else {
        pr_info("Boot mode: dom0 (dom0_mem %llu MiB%s)\n",
                (unsigned long long)(dom0_mem_bytes(&mem_given) >> 20),
                mem_given ? "" : ", default");
    }
    pr_info("Scheduler: %s\n", sched_default_name());
    mm_protect_image();

    setup_interrupts_and_time(bi);
    if (bi->arch->psci.method == BOOT_PSCI_NONE) {
        pr_warn("PSCI: none in the device tree: running on the boot CPU only\n");
    } else {
        (void)psci_init(bi->arch->psci.method == BOOT_PSCI_SMC);
    }
    spectre_init(bi->arch->psci.method == BOOT_PSCI_SMC);
    cpu_set_online(0U);
    pr_info("CPU 0 online (MPIDR 0x%llx)\n", (unsigned long long)(READ_SYSREG(mpidr_el1) & 0xff00ffffffULL));
    if (bi->arch->psci.method != BOOT_PSCI_NONE) {
        uint64_t mpidrs[CONFIG_NR_CPUS];

        for (uint32_t i = 0U; i < bi->nr_cpus; i++) {
            mpidrs[i] = bi->cpus[i].hw_id;
        }
        (void)smp_bring_up(mpidrs, bi->nr_cpus, secondary_va);
    }
    if (bi->nr_cpus_ignored != 0U) {
        pr_warn("%u CPUs in the device tree ignored (CONFIG_NR_CPUS is %u)\n",
                bi->nr_cpus_ignored, (unsigned int)CONFIG_NR_CPUS);
    }
    online = num_online_cpus();
    check_ipis_and_timers(online);
    record_host_info(bi);
    cpupools_init(bi);
    /* Static mode: dom0less domains alone, no dom0 that could create more
     * (docs/static-config.md). */
    if ((bi->nr_domain_nodes != 0U) && (bootinfo_find_module(bi, BOOTMOD_KERNEL, -1) == NULL)) {
        alloc_count_set_static(true);
        pr_info("Static mode: dom0less domains only, nothing allocated after boot\n");
    }
    /* Xen 4.17's order: dom0, then the dom0less domains, then the static
     * event channels among them all, and only then does any domain run.
     * A dom0 that fails to build leaves the others running. */
    if (bootinfo_find_module(bi, BOOTMOD_KERNEL, -1) != NULL) {
        /* The xen,domain nodes first: dom0's tree lists their virtio devices. */
        dom0less_prepare(bi);
        (void)dom0_build(bi, &dom0);
    }
    if ((bi->nr_domain_nodes != 0U) || (dom0 != NULL)) {
        unsigned int started = dom0less_build_all(bi, dom0);

        if (bi->nr_domain_nodes != 0U) {
            pr_info("dom0less: %u of %u domains started\n", started, bi->nr_domain_nodes);
        }
    }
    if (dom0 != NULL) {
        dom0_start(dom0);
    }
    alloc_count_end_boot();
    pr_info("Boot complete: %u CPUs online, entering idle loop\n", online);
    arch_enter_idle();
}
