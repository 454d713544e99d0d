/* The constants of the device trees Xen generates for its guests (Xen
 * 4.17's public/device_tree_defs.h, which is not tied to one architecture:
 * the root's cell sizes, the phandles Xen hands out, and the trigger types
 * of an interrupt specifier's flags cell).
 *
 * Self-contained: includes nothing; usable from C and from assembly.
 */
#ifndef PUBLIC_DEVICE_TREE_DEFS_H
#define PUBLIC_DEVICE_TREE_DEFS_H

/* The interrupt controller's phandle in a generated guest tree: high,
 * because dtc hands out phandles from 1 upwards and a passthrough fragment
 * may carry its own. */
#define GUEST_PHANDLE_GIC        65000
#define GUEST_PHANDLE_IOMMU      (GUEST_PHANDLE_GIC + 1)

#define GUEST_ROOT_ADDRESS_CELLS 2
#define GUEST_ROOT_SIZE_CELLS    2

/* Trigger type in the flags cell of an interrupt specifier; for a GIC's
 * PPIs bits [15:8] are a mask of the CPUs the interrupt is wired to. */
#define DT_IRQ_TYPE_NONE         0x00000000
#define DT_IRQ_TYPE_EDGE_RISING  0x00000001
#define DT_IRQ_TYPE_EDGE_FALLING 0x00000002
#define DT_IRQ_TYPE_EDGE_BOTH    (DT_IRQ_TYPE_EDGE_FALLING | DT_IRQ_TYPE_EDGE_RISING)
#define DT_IRQ_TYPE_LEVEL_HIGH   0x00000004
#define DT_IRQ_TYPE_LEVEL_LOW    0x00000008
#define DT_IRQ_TYPE_LEVEL_MASK   (DT_IRQ_TYPE_LEVEL_LOW | DT_IRQ_TYPE_LEVEL_HIGH)
#define DT_IRQ_TYPE_SENSE_MASK   0x0000000f
#define DT_IRQ_TYPE_INVALID      0x00000010

#endif
