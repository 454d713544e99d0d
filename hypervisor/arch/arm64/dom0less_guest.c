/* The Arm parts of a dom0less domain (the arch_dom0less_* hooks): a vGICv3
 * with enough SPIs, the vpl011 when the configuration asks for one, and
 * what the domain's device tree says of them and of the timer. */
#include <asm/bootinfo_arch.h>
#include <proxenos/arch/dom0less.h>
#include <proxenos/arch/domain.h>
#include <proxenos/dom0less.h>
#include <proxenos/domain_create.h>
#include <proxenos/domain_fdt.h>

/* SPIs are INTIDs 32 and up: n SPIs reach INTID 32 + n - 1. */
#define INTID_SPI_FIRST 32U

void arch_dom0less_create_args(const struct dom0less_config *c, struct domain_create_args *a)
{
    a->emulated_uart = c->vpl011;
    a->arch.gic_version = XEN_DOMCTL_CONFIG_GIC_V3;
    a->arch.nr_spis = (c->nr_spis != 0U) ? c->nr_spis : arch_default_nr_spis();
    if (c->vpl011 && (a->arch.nr_spis < ((GUEST_VPL011_SPI - INTID_SPI_FIRST) + 1U))) {
        a->arch.nr_spis = (GUEST_VPL011_SPI - INTID_SPI_FIRST) + 1U;
    }
}

void arch_dom0less_fdt_config(const struct boot_info *bi, const struct dom0less_config *c,
                              struct domain_fdt_config *fc)
{
    fc->gic = DOMAIN_FDT_GIC_V3;
    fc->timer_clock_frequency = bi->arch->timer.clock_frequency;
    fc->vpl011 = c->vpl011;
}
