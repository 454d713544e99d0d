/* VirtIO-MMIO devices of a dom0less domain (Proxenos's own binding; Xen
 * 4.17 has none): children of a xen,domain node with compatible
 * "proxenos,virtio-mmio-v1", read once at boot into plain records. The
 * guest gets a "virtio,mmio" node for each (as libxl writes one), the
 * range is reserved for its back end (dom0), which finds the devices in
 * its own device tree (/chosen/proxenos-virtio), and the domain is held
 * paused until the back end has claimed all of them. docs/virtio.md,
 * "dom0less VirtIO devices". */
#ifndef PROXENOS_DOM0LESS_VIRTIO_H
#define PROXENOS_DOM0LESS_VIRTIO_H

#include <proxenos/fdt.h>
#include <proxenos/domain.h>
#include <proxenos/types.h>

#define DOM0LESS_VIRTIO_COMPAT  "proxenos,virtio-mmio-v1"
/* A domain's devices at most: each costs its device tree ~150 bytes of
 * the 4 KiB Xen 4.17 gives it, and fewer than the window's 11 SPIs. */
#define DOM0LESS_VIRTIO_MAX     8U
/* What libxl gives each device, and what an automatic one gets. */
#define DOM0LESS_VIRTIO_DEV_SIZE 0x200U

/* Where the devices may be: the guest-physical window Xen 4.17 keeps for
 * virtio-mmio and its SPIs (arm64: 0x2000000, 1 MiB; INTIDs 33..43), as
 * the architecture says (arch_dom0less_virtio_window). */
struct dom0less_virtio_window {
    uint64_t base;
    uint64_t size;
    uint32_t first_intid;
    uint32_t last_intid;
};

/* One device, placed. */
struct dom0less_virtio {
    const char *name;           /* its node's name, in the boot tree */
    const char *type;           /* proxenos,device-type: "blk", "net", ... */
    uint32_t device_id;         /* that type's VirtIO device ID (blk 2, net 1, ...) */
    uint64_t base;              /* guest-physical */
    uint64_t size;
    uint32_t intid;             /* the SPI's GIC INTID */
    domid_t backend;            /* the domain that serves it: dom0 */
    const char *backend_args;   /* proxenos,backend-args, or NULL */
};

/* Read the proxenos,virtio-mmio-v1 children of xen,domain node `dom`
 * (named dom_name) into dev[0..*nr), explicit reg and proxenos,irq
 * first, then the others at the lowest free 0x200 slot of the window and
 * the lowest free SPI, so that devices without either get libxl's layout.
 * have_dom0: a dom0 kernel was given (dom0 is every device's back end).
 * false, after one line "dom0less: <dom>: virtio device <node>: <why>:
 * domain skipped", when a node is bad; nothing is kept then. */
bool dom0less_virtio_parse(const struct fdt *fdt, int dom, const char *dom_name, bool have_dom0,
                           const struct dom0less_virtio_window *win, struct dom0less_virtio *dev,
                           unsigned int *nr);

/* The VirtIO device ID of a proxenos,device-type name; 0 if unknown. */
uint32_t dom0less_virtio_device_id(const char *type);

/* ---- What dom0 is told (dom0less_virtio_dom0.c) ------------------------- */

struct fdt_writer;

/* Forget every recorded domain (a new boot configuration, or a test). */
void dom0less_virtio_dom0_reset(void);
/* Record that domain domid (its xen,domain node named dom_name) has
 * dev[0..nr), which must stay (dom0less keeps its configurations for
 * good). At most DOM0LESS_MAX_DOMAINS domains; -ENOSPC past them. */
int dom0less_virtio_dom0_add(domid_t domid, const char *dom_name,
                             const struct dom0less_virtio *dev, unsigned int nr);
/* Inside dom0's open /chosen: the "proxenos-virtio" node listing every
 * recorded device (docs/virtio.md gives its layout); nothing when none
 * was recorded. The writer's errors stay in the writer. */
void dom0less_virtio_dom0_node(struct fdt_writer *w);

#endif
