/* The arm64 part of creating and destroying domains and vCPUs. */
#include <asm/bootinfo_arch.h>
#include <asm/arm64.h>
#include <asm/domain.h>
#include <asm/irq_route.h>
#include <asm/sysregs.h>
#include <asm/vcpu_sysregs.h>
#include <asm/vgic.h>
#include <asm/vpl011.h>
#include <asm/vtimer.h>
#include <asm/traps.h>
#include <public/arch-arm.h>
#include <proxenos/arch/domain.h>
#include <proxenos/domain_create.h>
#include <proxenos/drivers/dt_uart.h>
#include <proxenos/errno.h>
#include <proxenos/printk.h>
#include <proxenos/xmalloc.h>

/* Stage 2 on; physical interrupts to EL2; trap WFI/WFE and SMC; EL1 is
 * AArch64. Set/way cache maintenance is not trapped: it acts on the cache
 * of the CPU the vCPU runs on, as on bare metal, which is right while
 * vCPUs never migrate (trapping it would need whole-guest flushes). */
#define HCR_VM    (1ULL << 0)
#define HCR_SWIO  (1ULL << 1)
#define HCR_PTW   (1ULL << 2)
#define HCR_FMO   (1ULL << 3)
#define HCR_IMO   (1ULL << 4)
#define HCR_AMO   (1ULL << 5)
#define HCR_FB    (1ULL << 9)
#define HCR_BSU_IS (1ULL << 10)
#define HCR_TWI   (1ULL << 13)
#define HCR_TWE   (1ULL << 14)
#define HCR_TSC   (1ULL << 19)
#define HCR_RW    (1ULL << 31)
#define HCR_GUEST (HCR_VM | HCR_SWIO | HCR_PTW | HCR_FMO | HCR_IMO | HCR_AMO | HCR_FB | \
                   HCR_BSU_IS | HCR_TWI | HCR_TWE | HCR_TSC | HCR_RW)

/* A direct-mapped domain's emulated UART is where the host's console
 * UART is, with its interrupt, as Xen 4.17's domain_vpl011_init: Xen too
 * refuses a UART region smaller than the emulated one. */
static int create_vpl011(struct domain *d, bool direct_map)
{
    paddr_t base = 0U;
    paddr_t size = 0U;
    uint32_t intid = 0U;

    if (!direct_map) {
        return vpl011_create(d, GUEST_PL011_BASE, GUEST_VPL011_SPI);
    }
    if (!dt_uart_console_where(&base, &size, &intid) || (size < GUEST_PL011_SIZE) ||
        (intid < 32U)) {
        pr_err("vpl011: cannot re-use the console UART for direct-mapped %s\n", d->name);
        return -EINVAL;
    }
    return vpl011_create(d, base, intid);
}

/* Everything of d->arch but its memory; undone on failure. */
static int domain_parts_init(struct domain *d, const struct domain_create_args *args)
{
    int rc = p2m_init(&d->arch->p2m, args->p2m_pool_pages);

    if (rc != 0) {
        return rc;
    }
    /* A direct-mapped domain sees the host's GIC where it is, as on Xen. */
    rc = args->direct_map ?
         vgic_domain_init_at(d, args->arch.nr_spis, arm_boot_info()->gic.dist_base,
                             arm_boot_info()->gic.rdist_base) :
         vgic_domain_init(d, args->arch.nr_spis);
    if (rc != 0) {
        p2m_destroy(&d->arch->p2m);
        return rc;
    }
    if (args->emulated_uart) {
        rc = create_vpl011(d, args->direct_map);
        if (rc != 0) {
            vgic_domain_destroy(d);
            p2m_destroy(&d->arch->p2m);
            return rc;
        }
    }
    /* The guest's virtual counter starts at zero when it is created. */
    d->arch->cntvoff = READ_SYSREG(cntpct_el0);
    /* A VMID used before may have left entries anywhere: each CPU flushes
     * before this domain's first vCPU runs there. */
    for (unsigned int cpu = 0U; cpu < NR_CPUS; cpu++) {
        d->arch->last_vcpu_ran[cpu] = LAST_VCPU_NONE;
    }
    return 0;
}

int arch_domain_create(struct domain *d, const struct domain_create_args *args)
{
    int rc;

    /* First: every other arm64 function may count on d->arch. */
    d->arch = xzalloc_obj(struct arch_domain);
    if (d->arch == NULL) {
        return -ENOMEM;
    }
    rc = domain_parts_init(d, args);
    if (rc != 0) {
        xfree(d->arch);
        d->arch = NULL;
    }
    return rc;
}

void arch_vcpu_moved(struct vcpu *v)
{
    vtimer_vcpu_moved(v);
}

void arch_domain_destroy(struct domain *d)
{
    if (d->arch == NULL) {
        return;
    }
    vpl011_destroy(d);
    /* Before the vGIC goes: its lines must be disabled and no handler
     * of one may still be using d. */
    irq_route_release_domain(d);
    vgic_domain_destroy(d);
    p2m_destroy(&d->arch->p2m);
    /* Last: the calls above still use it. */
    xfree(d->arch);
    d->arch = NULL;
}

int arch_vcpu_create(struct vcpu *v)
{
    int rc;

    v->arch = xzalloc_obj(struct arch_vcpu);
    if (v->arch == NULL) {
        return -ENOMEM;
    }
    v->arch->hcr_el2 = HCR_GUEST;
    vcpu_sysregs_reset(&v->arch->sys, (1ULL << 31) | vcpu_vaffinity(v->vcpu_id));
    vtimer_vcpu_init(v);
    rc = vgic_vcpu_init(v);
    if (rc != 0) {
        arch_vcpu_destroy(v);
    }
    return rc;
}

/* Also for a vCPU whose arch_vcpu_create failed or never ran (common code
 * tears down every vCPU slot it filled): then there is nothing to undo. */
void arch_vcpu_destroy(struct vcpu *v)
{
    if (v->arch == NULL) {
        return;
    }
    vtimer_vcpu_destroy(v);
    xfree(v->arch);
    v->arch = NULL;
}

int arch_map_guest_ram(struct domain *d, gfn_t g, mfn_t m, uint64_t nr)
{
    return p2m_map(&d->arch->p2m, g, m, nr, P2M_RAM_RW);
}

int arch_map_static_shm(struct domain *d, gfn_t g, mfn_t m, uint64_t nr)
{
    return p2m_map(&d->arch->p2m, g, m, nr, P2M_STATIC_SHM);
}

int arch_guest_ram_to_maddr(struct domain *d, paddr_t gpa, paddr_t *ma)
{
    mfn_t m;
    enum p2m_type t;
    unsigned int order;
    int rc = p2m_lookup(&d->arch->p2m, gfn(gpa >> PAGE_SHIFT), &m, &t, &order);

    if ((rc != 0) || ((t != P2M_RAM_RW) && (t != P2M_RAM_RO))) {
        return -ENOENT;
    }
    *ma = mfn_to_paddr(m) | (gpa & (PAGE_SIZE - 1U));
    return 0;
}

static enum p2m_type frame_p2m_type(enum guest_frame_type t)
{
    switch (t) {
    case GUEST_FRAME_RAM: return P2M_RAM_RW;
    case GUEST_FRAME_GRANT_RW: return P2M_GRANT_RW;
    case GUEST_FRAME_GRANT_RO: return P2M_GRANT_RO;
    case GUEST_FRAME_FOREIGN_RW: return P2M_FOREIGN_RW;
    case GUEST_FRAME_FOREIGN_RO: return P2M_FOREIGN_RO;
    default: return P2M_INVALID;
    }
}

int arch_guest_map_page(struct domain *d, gfn_t g, mfn_t m, enum guest_frame_type t)
{
    enum p2m_type pt = frame_p2m_type(t);

    if (pt == P2M_INVALID) {
        return -EINVAL;
    }
    return p2m_map(&d->arch->p2m, g, m, 1U, pt);
}

int arch_guest_unmap_page(struct domain *d, gfn_t g)
{
    return p2m_unmap(&d->arch->p2m, g, 1U);
}

int arch_guest_lookup_page(struct domain *d, gfn_t g, mfn_t *m, enum guest_frame_type *t)
{
    enum p2m_type pt;
    int rc = p2m_lookup(&d->arch->p2m, g, m, &pt, NULL);

    if (rc != 0) {
        *t = GUEST_FRAME_NONE;
        return -ENOENT;
    }
    switch (pt) {
    case P2M_RAM_RW: *t = GUEST_FRAME_RAM; break;
    case P2M_RAM_RO: *t = GUEST_FRAME_RAM_RO; break;
    case P2M_GRANT_RW: *t = GUEST_FRAME_GRANT_RW; break;
    case P2M_GRANT_RO: *t = GUEST_FRAME_GRANT_RO; break;
    case P2M_FOREIGN_RW: *t = GUEST_FRAME_FOREIGN_RW; break;
    case P2M_FOREIGN_RO: *t = GUEST_FRAME_FOREIGN_RO; break;
    default: *t = GUEST_FRAME_OTHER; break;
    }
    return 0;
}

bool arch_guest_range_unmapped(struct domain *d, gfn_t g, uint64_t nr)
{
    return p2m_range_unmapped(&d->arch->p2m, g, nr);
}

void arch_dump_domain(const struct domain *d)
{
    for (unsigned int i = 0U; i < d->max_vcpus; i++) {
        const struct vcpu *v = d->vcpu[i];

        pr_info("  vCPU %u: PC 0x%llx PSTATE 0x%llx\n", i, (unsigned long long)v->arch->regs.elr,
                (unsigned long long)v->arch->regs.spsr);
        vgic_dump_vcpu(v);
    }
}

/* Per physical CPU: what guests need from EL2 before the first runs. */
void arch_cpu_init_virt(void)
{
    /* Trap debug and PMU register accesses (emulated as RAZ/WI) so that
     * guests neither see nor disturb each other's counters. */
    uint64_t hpmn = (READ_SYSREG(pmcr_el0) >> 11) & 0x1fU;

    WRITE_SYSREG(mdcr_el2, hpmn | (1ULL << 5) | (1ULL << 6) | (1ULL << 9) |
                           (1ULL << 10) | (1ULL << 11));
    /* FP/SIMD usable by guests without trapping; RES1 bits set. */
    WRITE_SYSREG(cptr_el2, 0x33ffU);
    isb();
    p2m_hw_cpu_init();
    vgic_hw_cpu_init();
    vtimer_cpu_init();
}

void arch_dump_guest_state(struct vcpu *v)
{
    const struct trap_frame *f = (current_vcpu() == v) ? guest_frame() : &v->arch->regs;

    pr_err("d%uv%u: PC 0x%016llx PSTATE 0x%08llx ESR 0x%08llx FAR 0x%016llx\n",
           v->domain->domain_id, v->vcpu_id, (unsigned long long)f->elr,
           (unsigned long long)f->spsr, (unsigned long long)f->esr, (unsigned long long)f->far);
    for (unsigned int i = 0U; i < 30U; i += 3U) {
        pr_err("  x%-2u %016llx  x%-2u %016llx  x%-2u %016llx\n", i,
               (unsigned long long)f->x[i], i + 1U, (unsigned long long)f->x[i + 1U], i + 2U,
               (unsigned long long)f->x[i + 2U]);
    }
}

void arch_domain_flush_console(struct domain *d)
{
    vpl011_flush(d);
}

unsigned int arch_default_nr_spis(void)
{
    return gic_nr_lines() - 32U;
}
