/* What the architecture adds to a dom0less domain that common code
 * (common/boot/dom0less_build.c) builds from its boot configuration: the
 * virtual interrupt controller and UART it gets, and its own fields of the
 * domain's device tree. */
#ifndef PROXENOS_ARCH_DOM0LESS_H
#define PROXENOS_ARCH_DOM0LESS_H

struct boot_info;
struct dom0less_config;
struct domain_create_args;
struct domain_fdt_config;

/* Fill the architecture's fields of a's creation arguments from c (arm64:
 * the vpl011, and the vGIC's SPIs: c's count or the host's, at least
 * enough for the vpl011's SPI). */
void arch_dom0less_create_args(const struct dom0less_config *c, struct domain_create_args *a);

/* Fill the architecture's fields of the domain's device tree
 * configuration (arm64: a GICv3, the host timer's clock-frequency, the
 * vpl011). */
void arch_dom0less_fdt_config(const struct boot_info *bi, const struct dom0less_config *c,
                              struct domain_fdt_config *fc);

#endif
