/*
 * ioreq_backend's fromdt=1 mode: the back end of a dom0less virtio
 * device learns what to serve from its own device tree, as a real back end
 * in dom0 would from /proc/device-tree: the hypervisor lists each device in
 * /chosen/proxenos-virtio (docs/virtio.md, "dom0less VirtIO devices").
 * The toy device of ioreq_device.h is the one listed, so the node must
 * name its window and line, and its domain becomes our target.
 */
#include "guest.h"
#include "backend.h"

static uint64_t prop_u64(const struct fdt *f, int node, const char *name)
{
    uint32_t len = 0U;
    const void *v = fdt_prop(f, node, name, &len);

    return ((v != NULL) && (len == 8U)) ? fdt_cells_value(v, 2U) : ~UINT64_C(0);
}

static bool str_is(const struct fdt *f, int node, const char *name, const char *want)
{
    const char *s = fdt_prop_string(f, node, name);

    return (s != NULL) && (strcmp(s, want) == 0);
}

static const char *or_none(const char *s)
{
    return (s != NULL) ? s : "(none)";
}

bool backend_from_dt(const struct platform *p, struct backend *b)
{
    const struct fdt *f = &p->fdt;
    int list = fdt_path(f, "/chosen/proxenos-virtio");
    int dev = (list != FDT_NONE) ? fdt_first_child(f, list) : FDT_NONE;
    uint32_t domid;
    uint64_t base;
    uint64_t size;
    uint32_t irq;

    if (!test_check("dt_virtio_list", (list != FDT_NONE) &&
                    fdt_is_compatible(f, list, "proxenos,virtio-backends-v1"),
                    "no /chosen/proxenos-virtio node") ||
        !test_check("dt_virtio_one_device", (dev != FDT_NONE) &&
                    (fdt_next_sibling(f, dev) == FDT_NONE), "not exactly one device")) {
        return false;
    }
    domid = fdt_prop_u32(f, dev, "proxenos,domid", 0xffffU);
    base = prop_u64(f, dev, "proxenos,base");
    size = prop_u64(f, dev, "proxenos,size");
    irq = fdt_prop_u32(f, dev, "proxenos,irq", 0U);
    printf("ioreq_backend: device tree lists %s: d%u %s (id %u) %s at 0x%lx+0x%lx, irq %u, "
           "args \"%s\"\n", fdt_node_name(f, dev), domid,
           or_none(fdt_prop_string(f, dev, "proxenos,device-type")),
           fdt_prop_u32(f, dev, "proxenos,device-id", 0U),
           or_none(fdt_prop_string(f, dev, "proxenos,device")), base, size, irq,
           or_none(fdt_prop_string(f, dev, "proxenos,backend-args")));
    test_check("dt_virtio_compatible",
               fdt_is_compatible(f, dev, "proxenos,virtio-mmio-device-v1"), "not compatible");
    test_check("dt_virtio_window", (base == IOREQ_DEV_BASE) && (size == IOREQ_DEV_SIZE),
               "0x%lx+0x%lx", base, size);
    test_check("dt_virtio_irq", irq == IOREQ_DEV_INTID, "%u", irq);
    test_check("dt_virtio_type", str_is(f, dev, "proxenos,device-type", "blk") &&
               (fdt_prop_u32(f, dev, "proxenos,device-id", 0U) == 2U), "not blk");
    test_check("dt_virtio_domain", str_is(f, dev, "proxenos,domain", "front") && (domid == 1U),
               "d%u", domid);
    b->target = (uint16_t)domid;
    return true;
}
