/* The Arm parts of a dom0less domain (the arch_dom0less_* hooks): the
 * node's vpl011 and nr_spis properties, a vGICv3 with enough SPIs, the
 * vpl011 when the configuration asks for one, and what the domain's device
 * tree says of them and of the timer; the window its virtio-mmio devices
 * go in, whose SPIs the vGIC is then given. */
#include <asm/bootinfo_arch.h>
#include <asm/dom0less_guest.h>
#include <asm/domain_fdt_devices.h>
#include <asm/vgic.h>
#include <proxenos/arch/dom0less.h>
#include <proxenos/arch/domain.h>
#include <proxenos/dom0less.h>
#include <proxenos/drivers/dt_uart.h>
#include <proxenos/domain_create.h>
#include <proxenos/fdt.h>
#include <public/arch-arm.h>

/* SPIs are INTIDs 32 and up: n SPIs reach INTID 32 + n - 1. */
#define INTID_SPI_FIRST 32U

/* The reason below names the limit. */
_Static_assert(VGIC_MAX_SPIS == 988U, "nr_spis's message names the vGIC's limit");

/* One record per configuration slot of common code's table: the slot a
 * node is read into is the record its arch pointer gets. */
static struct arch_dom0less_config configs[DOM0LESS_MAX_DOMAINS];

/* The device-tree part of the domain being built: dom0less builds one
 * domain's tree at a time (as its one tree buffer says), so one will do. */
static struct arch_domain_fdt_config fdt_config;
/* Its redistributor region, for a direct-mapped domain. */
static struct domain_fdt_region direct_gicr;

const char *arch_dom0less_parse(const struct fdt *fdt, int node, unsigned int slot,
                                const struct arch_dom0less_config **out)
{
    struct arch_dom0less_config *c;
    uint32_t len = 0U;
    const void *spis;

    *out = NULL;
    if (slot >= DOM0LESS_MAX_DOMAINS) {
        return "more domains than the Arm configurations kept";
    }
    c = &configs[slot];
    *c = (struct arch_dom0less_config){ 0 };
    c->vpl011 = fdt_getprop(fdt, node, "vpl011", NULL) != NULL;
    /* Xen 4.17 takes nr_spis as one cell and fails the domain's creation
     * when the vGIC cannot have that many. */
    spis = fdt_getprop(fdt, node, "nr_spis", &len);
    if (spis != NULL) {
        if (len != 4U) {
            return "\"nr_spis\" must be one cell";
        }
        c->nr_spis = fdt_be32(spis);
        if (c->nr_spis > VGIC_MAX_SPIS) {
            return "\"nr_spis\" is more than the vGIC's 988";
        }
    }
    *out = c;
    return NULL;
}

/* The vpl011's interrupt: Xen's GUEST_VPL011_SPI, or for a direct-mapped
 * domain the host console UART's (arch/arm64/domain.c puts it there). */
static uint32_t vpl011_intid(bool direct_map)
{
    paddr_t base = 0U;
    paddr_t size = 0U;
    uint32_t intid = 0U;

    if (direct_map && dt_uart_console_where(&base, &size, &intid) && (intid >= INTID_SPI_FIRST)) {
        return intid;
    }
    return GUEST_VPL011_SPI;
}

void arch_dom0less_virtio_window(struct dom0less_virtio_window *win)
{
    win->base = GUEST_VIRTIO_MMIO_BASE;
    win->size = GUEST_VIRTIO_MMIO_SIZE;
    win->first_intid = GUEST_VIRTIO_MMIO_SPI_FIRST;
    win->last_intid = GUEST_VIRTIO_MMIO_SPI_LAST;
}

void arch_dom0less_create_args(const struct dom0less_config *c, struct domain_create_args *a)
{
    const struct arch_dom0less_config *arm = c->arch;

    a->emulated_uart = arm->vpl011;
    a->arch.gic_version = XEN_DOMCTL_CONFIG_GIC_V3;
    a->arch.nr_spis = (arm->nr_spis != 0U) ? arm->nr_spis : arch_default_nr_spis();
    if (arm->vpl011 && (a->arch.nr_spis < ((vpl011_intid(a->direct_map) - INTID_SPI_FIRST) + 1U))) {
        a->arch.nr_spis = (vpl011_intid(a->direct_map) - INTID_SPI_FIRST) + 1U;
    }
    /* As libxl: enough SPIs for the highest virtio line, so that the back
     * end's set_irq_level reaches it whatever nr_spis said. */
    for (unsigned int i = 0U; i < c->nr_virtio; i++) {
        if (a->arch.nr_spis < ((c->virtio[i].intid - INTID_SPI_FIRST) + 1U)) {
            a->arch.nr_spis = (c->virtio[i].intid - INTID_SPI_FIRST) + 1U;
        }
    }
}

const struct arch_domain_fdt_config *arch_dom0less_fdt_config(const struct boot_info *bi,
                                                              const struct dom0less_config *c,
                                                              const struct domain *d)
{
    fdt_config = (struct arch_domain_fdt_config){ 0 };
    fdt_config.gic = DOMAIN_FDT_GIC_V3;
    fdt_config.timer_clock_frequency = bi->arch->timer.clock_frequency;
    fdt_config.vpl011 = c->arch->vpl011;
    fdt_config.evtchn_intid = d->evtchn_irq;
    if (d->direct_map) {
        paddr_t size = 0U;

        /* The host's GIC and console UART addresses (domain.c maps the
         * vGIC and vpl011 there), as Xen 4.17 describes a direct-mapped
         * domain. */
        fdt_config.gicd.base = bi->arch->gic.dist_base;
        fdt_config.gicd.size = VGIC_V3_DIST_SIZE;
        direct_gicr.base = bi->arch->gic.rdist_base;
        /* One redistributor per vCPU, as vgic_rdist_size() registers. */
        direct_gicr.size = (uint64_t)d->max_vcpus * VGIC_V3_RDIST_STRIDE;
        fdt_config.gicr = &direct_gicr;
        fdt_config.nr_gicr = 1U;
        if (c->arch->vpl011) {
            (void)dt_uart_console_where(&fdt_config.vpl011_base, &size,
                                        &fdt_config.vpl011_intid);
        }
    }
    return &fdt_config;
}

const char *arch_dom0less_built_note(const struct dom0less_config *c)
{
    return c->arch->vpl011 ? ", vpl011" : "";
}
