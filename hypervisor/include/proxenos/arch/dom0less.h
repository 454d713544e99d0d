/* What the architecture adds to a dom0less domain that common code
 * (common/boot/dom0less_config.c reads it, common/boot/dom0less_build.c
 * builds it): the properties of a xen,domain node only it reads, the
 * virtual interrupt controller and UART the domain gets, its part of the
 * domain's device tree and of the line that reports the domain built. */
#ifndef PROXENOS_ARCH_DOM0LESS_H
#define PROXENOS_ARCH_DOM0LESS_H

struct arch_dom0less_config;
struct arch_domain_fdt_config;
struct boot_info;
struct dom0less_config;
struct domain;
struct domain_create_args;
struct dom0less_virtio_window;
struct fdt;

/* Read the architecture's properties of the xen,domain node (arm64:
 * "vpl011" and "nr_spis") into its own record for common code's
 * configuration slot `slot` (0..DOM0LESS_MAX_DOMAINS - 1), which stays
 * until that slot is read again, and point *out at it. NULL when the node
 * is fine; otherwise why it is not (*out NULL), and common code skips the
 * domain with a message naming the node. */
const char *arch_dom0less_parse(const struct fdt *fdt, int node, unsigned int slot,
                                const struct arch_dom0less_config **out);

/* Fill the architecture's fields of a's creation arguments from c (arm64:
 * the vpl011, and the vGIC's SPIs: c's count or the host's, at least
 * enough for the vpl011's SPI). */
void arch_dom0less_create_args(const struct dom0less_config *c, struct domain_create_args *a);

/* The architecture's part of domain d's device tree configuration
 * (struct domain_fdt_config's arch; arm64: a GICv3, the host timer's
 * clock-frequency, the vpl011, d's event-channel interrupt). It stays
 * valid until the next call: dom0less builds one tree at a time. */
const struct arch_domain_fdt_config *arch_dom0less_fdt_config(const struct boot_info *bi,
                                                              const struct dom0less_config *c,
                                                              const struct domain *d);

/* What the "Domain N (name): ..., device tree at 0x..." line ends with for
 * the domain's devices: "" or a list each starting ", " (arm64: ", vpl011"
 * with a vpl011). */
const char *arch_dom0less_built_note(const struct dom0less_config *c);

/* Where a dom0less domain's virtio-mmio devices may be in its guest
 * physical space, and their interrupts (arm64: Xen 4.17's
 * GUEST_VIRTIO_MMIO_BASE window, 1 MiB at 0x2000000, and INTIDs 33..43,
 * what libxl hands out). */
void arch_dom0less_virtio_window(struct dom0less_virtio_window *win);

#endif
