/* dom0, as Xen 4.17 builds it on Arm without an IOMMU: its RAM mapped 1:1
 * (dom0_mem=, 512 MiB by default), dom0_max_vcpus= vCPUs (one per physical
 * CPU by default), the kernel from the /chosen multiboot,kernel module in
 * the lowest bank, the host's device tree adapted (dom0_fdt.c) and the
 * host's devices mapped 1:1, and the /hypervisor node of the Xen guest ABI:
 * the grant window at the hypervisor's own text (which dom0 can never
 * have as RAM), the host RAM nobody uses as extended regions, and the
 * first free PPI for event channels, also published in
 * HVM_PARAM_CALLBACK_IRQ. Static shared memory under /chosen is mapped
 * and described in its /reserved-memory, as for a dom0less domU.
 * Interrupts of passed-through devices are not provided yet. */
#include <asm/bootinfo_arch.h>
#include <asm/arm64.h>
#include <asm/dom0_fdt.h>
#include <asm/dom0_irq.h>
#include <asm/p2m.h>
#include <asm/vgic.h>
#include <proxenos/arch/domain.h>
#include <proxenos/boot_ranges.h>
#include <proxenos/arch/kernel.h>
#include <proxenos/arch/mm.h>
#include <proxenos/cpupool.h>
#include <proxenos/dom0.h>
#include <proxenos/dom0_params.h>
#include <proxenos/domain_create.h>
#include <proxenos/drivers/dt_uart.h>
#include <proxenos/console.h>
#include <proxenos/errno.h>
#include <proxenos/gnttab.h>
#include <proxenos/paging_pool.h>
#include <proxenos/printk.h>
#include <proxenos/sched.h>
#include <proxenos/smp.h>
#include <proxenos/static_mem.h>
#include <proxenos/static_shm.h>
#include <proxenos/xmalloc.h>
#include <public/hvm_params.h>

#define DOM0_MAX_BANKS  16U
#define DOM0_FDT_EXTRA  8192U   /* room for the nodes written anew */
#define DOM0_MAX_EXT    16U     /* extended regions described */

/* Xen's gnttab_dom0_frames(): as many frames as the text has whole pages,
 * at most the default maximum. */
static unsigned int dom0_gnttab_frames(void)
{
    uint64_t pages = ((uint64_t)(uintptr_t)__text_end - (uint64_t)(uintptr_t)__text_start) >>
                     PAGE_SHIFT;

    return (unsigned int)MIN(pages, (uint64_t)DOM0_GNTTAB_MAX_FRAMES);
}

/* The grant window: at the hypervisor's text, which dom0 never has. */
static void setup_grant_window(struct domain *d, struct dom0_fdt_info *in)
{
    in->gnttab.start = arch_virt_to_maddr(__text_start);
    in->gnttab.size = (paddr_t)dom0_gnttab_frames() << PAGE_SHIFT;
    /* As Xen: dom0's table never outgrows the window its node offers. The
     * table was just created with one frame: this cannot fail. */
    (void)gnttab_set_max_frames(d, dom0_gnttab_frames());
    pr_info("dom0: grant table range 0x%016llx-0x%016llx\n",
            (unsigned long long)in->gnttab.start,
            (unsigned long long)(in->gnttab.start + in->gnttab.size));
}

/* dom0's xen,domain-shared-memory-v1 nodes (directly under /chosen, as
 * Xen 4.17's construct_dom0 reads them), checked against its RAM and grant
 * window (dom0 is direct-mapped), mapped, and kept for its device tree. */
static int setup_static_shm(struct domain *d, const struct boot_info *bi,
                            struct dom0_fdt_info *in)
{
    static struct boot_range ram[DOM0_MAX_BANKS];
    static const struct static_shm_node *nodes[STATIC_SHM_MAX_PER_DOMAIN];
    static struct domain_fdt_shm regions[STATIC_SHM_MAX_PER_DOMAIN];
    struct static_shm_direct dd;
    unsigned int nr = 0U;
    int rc;

    for (unsigned int i = 0U; i < in->nr_banks; i++) {
        ram[i] = (struct boot_range){ in->bank_start[i], in->bank_size[i] };
    }
    dd = (struct static_shm_direct){ ram, in->nr_banks, in->gnttab };
    if (!static_shm_for_direct(bi, bi->shm, bi->chosen, "dom0", &dd, nodes, &nr)) {
        return -EINVAL;
    }
    rc = static_shm_map(d, nodes, nr);
    if (rc != 0) {
        return rc;
    }
    static_shm_fdt_regions(nodes, nr, regions);
    in->shm = regions;
    in->nr_shm = nr;
    return 0;
}

/* What dom0's extended regions leave out besides its RAM and grant
 * window: every static bank and shared region, as Xen's reserved_mem
 * holds them, and where dom0's own shared regions are mapped. False if
 * they do not fit (then dom0 gets none). */
static bool ext_cuts_of(struct dom0_fdt_info *in, struct boot_range *cuts, unsigned int max)
{
    unsigned int n = 0U;

    if ((max < in->nr_shm) ||
        !static_mem_host_cuts(in->bi, cuts, max - in->nr_shm, &n)) {
        return false;
    }
    for (unsigned int i = 0U; i < in->nr_shm; i++) {
        cuts[n] = (struct boot_range){ in->shm[i].base, in->shm[i].size };
        n++;
    }
    in->ext_cuts = cuts;
    in->nr_ext_cuts = n;
    return true;
}

/* The /hypervisor node's contents and the event-channel interrupt. */
static void setup_xen_interface(struct domain *d, struct dom0_fdt_info *in)
{
    static struct boot_range ext[DOM0_MAX_EXT];
    static struct boot_range ext_cuts[DOM0_EXT_MAX_CUTS];
    uint32_t ppi;

    ppi = dom0_evtchn_ppi(in);
    if (ppi == 0U) {
        /* Xen panics here; dom0 keeps the domU default and, with it, a
         * PPI that one of its devices also uses. */
        pr_err("dom0: no free PPI for the event channel interrupt: using %u\n", d->evtchn_irq);
        ppi = d->evtchn_irq;
    } else {
        pr_info("dom0: PPI %u for the event channel interrupt\n", ppi);
    }
    d->evtchn_irq = ppi;
    /* A PPI, active-low level: type in bits 63:56, flags in 15:8. */
    d->hvm_params[HVM_PARAM_CALLBACK_IRQ] =
        ((uint64_t)HVM_PARAM_CALLBACK_TYPE_PPI << HVM_PARAM_CALLBACK_IRQ_TYPE_SHIFT) |
        ((uint64_t)HVM_PARAM_CALLBACK_TYPE_PPI_FLAG_LOW_LEVEL <<
         HVM_PARAM_CALLBACK_TYPE_PPI_FLAG_SHIFT) |
        (uint64_t)ppi;
    in->evtchn_intid = ppi;
    in->ext_regions = ext;
    if (!ext_cuts_of(in, ext_cuts, DOM0_EXT_MAX_CUTS)) {
        pr_warn("dom0: too many static memory ranges to leave out: no extended regions\n");
        in->nr_ext_regions = 0U;
        return;
    }
    in->nr_ext_regions = dom0_ext_regions(in, arch_guest_ipa_bits(), ext, DOM0_MAX_EXT);
    for (unsigned int i = 0U; i < in->nr_ext_regions; i++) {
        pr_info("dom0: extended region %u: 0x%llx->0x%llx\n", i,
                (unsigned long long)ext[i].start,
                (unsigned long long)(ext[i].start + ext[i].size));
    }
    if (in->nr_ext_regions == 0U) {
        pr_warn("dom0: no extended regions\n");
    }
}

static int load_dom0(struct domain *d, const struct boot_info *bi, const struct boot_module *kernel,
                     const struct boot_module *ramdisk, struct dom0_fdt_info *in)
{
    struct kernel_load k;
    uint64_t initrd_size = (ramdisk != NULL) ? ramdisk->size : 0U;
    size_t buf_size = (size_t)bi->fdt->total_size + DOM0_FDT_EXTRA;
    void *buf = xmalloc(buf_size);
    uint32_t dtb_size = 0U;
    paddr_t dtb_at;
    paddr_t initrd_at;
    int rc;

    if (buf == NULL) {
        return -ENOMEM;
    }
    rc = arch_kernel_load(d, arch_maddr_to_virt(kernel->start), kernel->size,
                          in->bank_start[0], in->bank_size[0], &k);
    if (rc != 0) {
        pr_err("dom0: kernel: %s (%d)\n", (rc == -ENOEXEC) ? "not an arm64 Image" : "does not fit",
               rc);
    }
    if (rc == 0) {
        /* The tree's size does not depend on where the ramdisk goes. */
        in->initrd_size = initrd_size;
        rc = dom0_fdt_build(in, buf, buf_size, &dtb_size);
    }
    if (rc == 0) {
        rc = arch_kernel_place_modules(in->bank_start[0], in->bank_size[0], k.end, dtb_size,
                                       initrd_size, &dtb_at, &initrd_at);
    }
    if (rc == 0) {
        in->initrd_start = initrd_at;
        rc = dom0_fdt_build(in, buf, buf_size, &dtb_size);
    }
    if ((rc == 0) && (initrd_size != 0U)) {
        rc = domain_copy_to_guest_phys(d, initrd_at, arch_maddr_to_virt(ramdisk->start),
                                       initrd_size);
    }
    if (rc == 0) {
        rc = domain_copy_to_guest_phys(d, dtb_at, buf, dtb_size);
    }
    xfree(buf);
    if (rc != 0) {
        pr_err("dom0: cannot load the kernel, device tree and ramdisk (%d)\n", rc);
        return rc;
    }
    arch_vcpu_set_entry(d->vcpu[0], k.entry, dtb_at);
    pr_info("dom0: kernel at 0x%llx, device tree at 0x%llx (%u bytes)%s\n",
            (unsigned long long)k.load_addr, (unsigned long long)dtb_at, dtb_size,
            (initrd_size != 0U) ? ", ramdisk" : "");
    return 0;
}

int dom0_build(const struct boot_info *bi, struct domain **out)
{
    const struct boot_module *kernel = bootinfo_find_module(bi, BOOTMOD_KERNEL, -1);
    const struct boot_module *ramdisk = bootinfo_find_module(bi, BOOTMOD_RAMDISK, -1);
    static paddr_t bank_start[DOM0_MAX_BANKS];
    static uint64_t bank_size[DOM0_MAX_BANKS];
    struct dom0_fdt_info in = { 0 };
    struct domain_create_args a = { 0 };
    unsigned int nr_banks = DOM0_MAX_BANKS;
    uint64_t mem = dom0_mem_bytes(NULL);
    struct domain *d;
    int rc;

    *out = NULL;
    if (kernel == NULL) {
        return -ENOENT;
    }
    if (!boot_module_usable_by(bi, kernel, NULL) || !boot_module_usable_by(bi, ramdisk, NULL)) {
        return -EINVAL;
    }
    a.name = "dom0";
    a.max_vcpus = MIN(dom0_vcpus(num_online_cpus()), (unsigned int)MAX_VCPUS_PER_DOMAIN);
    a.privileged = true;
    a.xen_enhanced = true;
    a.console_input = false;
    a.arch.gic_version = XEN_DOMCTL_CONFIG_GIC_V3;
    a.arch.nr_spis = arch_default_nr_spis();
    a.p2m_pool_pages = dom0_p2m_pool_pages(p2m_default_pool_pages(mem, a.max_vcpus));
    a.pin_vcpus = dom0_pin_vcpus();
    a.cpu_affinity = cpupool_cpus(-1);
    a.direct_map = true;
    rc = domain_create(0U, &a, &d);
    if (rc != 0) {
        pr_err("dom0: cannot create the domain (%d)\n", rc);
        return rc;
    }
    rc = domain_populate_ram_direct(d, mem, bank_start, bank_size, &nr_banks);
    if (rc != 0) {
        pr_err("dom0: cannot allocate %llu MiB (%d)\n", (unsigned long long)(mem >> 20), rc);
    } else {
        in.bi = bi;
        in.hidden_uart = dt_uart_console_node();
        in.nr_vcpus = d->max_vcpus;
        in.bank_start = bank_start;
        in.bank_size = bank_size;
        in.nr_banks = nr_banks;
        in.rdist_size = vgic_rdist_size(d);
        in.bootargs = (bi->dom0_cmdline != NULL) ? bi->dom0_cmdline : kernel->cmdline;
        for (unsigned int i = 0U; i < nr_banks; i++) {
            pr_info("dom0: RAM 0x%016llx-0x%016llx (%llu MiB)\n",
                    (unsigned long long)bank_start[i],
                    (unsigned long long)(bank_start[i] + bank_size[i] - 1U),
                    (unsigned long long)(bank_size[i] >> 20));
        }
        pr_info("dom0: %u vCPU(s), %d device MMIO ranges mapped 1:1\n", d->max_vcpus,
                dom0_map_devices(d, &in));
        (void)dom0_route_irqs(d, &in);
        setup_grant_window(d, &in);
        rc = setup_static_shm(d, bi, &in);
    }
    if (rc == 0) {
        setup_xen_interface(d, &in);
        for (unsigned int i = 0U; i < d->max_vcpus; i++) {
            pr_info("Domain 0: vCPU %u on CPU %u%s\n", i, d->vcpu[i]->processor,
                    a.pin_vcpus ? " (pinned)" : "");
        }
        rc = load_dom0(d, bi, kernel, ramdisk, &in);
    }
    if (rc != 0) {
        domain_destroy(d);
        return rc;
    }
    *out = d;
    return 0;
}

void dom0_start(struct domain *d)
{
    /* Every domain is built: the end of boot, where Xen gives dom0 the
     * console input. Before it runs, so the line is whole. */
    console_endboot();
    d->state = DOMAIN_RUNNING;
    vcpu_wake(d->vcpu[0]);
}
