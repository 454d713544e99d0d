/* Reading a dom0less domain's virtio-mmio device nodes
 * (proxenos,virtio-mmio-v1, <proxenos/dom0less_virtio.h>) and placing
 * them. Devices that say where they are keep that place; the rest take
 * the lowest free 0x200 slot of the window and the lowest free SPI, in
 * node order, which for a domain that leaves all of them out is exactly
 * what libxl gives xl's virtio disks (0x2000000 + 0x200 * n, SPI 33 + n):
 * a back end sees the same layout either way. Everything must lie in the
 * window Xen keeps for virtio-mmio, so no device can cover the guest's RAM,
 * GIC or UART. A bad node skips its domain (a guest left without the
 * device its configuration promises, or held paused for one no back end
 * could serve, is worse than none). */
#include <proxenos/dom0less_virtio.h>
#include <proxenos/errno.h>
#include <proxenos/lib.h>
#include <proxenos/printk.h>
#include <proxenos/string.h>

/* The VirtIO specification's device IDs of the types a back end may serve. */
struct virtio_type {
    const char *name;
    uint32_t id;
};

static const struct virtio_type types[] = {
    { "net", 1U }, { "blk", 2U }, { "console", 3U }, { "rng", 4U }, { "9p", 9U },
    { "input", 18U }, { "vsock", 19U }, { "crypto", 20U }, { "sound", 25U }, { "fs", 26U },
    { "scmi", 32U }, { "i2c", 34U }, { "gpio", 41U },
};

/* The longest proxenos,backend-args dom0 is handed: a back end's
 * command-line-sized string, not a place for data. */
#define BACKEND_ARGS_MAX 256U

uint32_t dom0less_virtio_device_id(const char *type)
{
    for (size_t i = 0U; i < ARRAY_SIZE(types); i++) {
        if (strcmp(type, types[i].name) == 0) {
            return types[i].id;
        }
    }
    return 0U;
}

/* What one node asked for: a place (has_reg) and a line (has_irq). */
struct wish {
    bool has_reg;
    bool has_irq;
};

static bool in_window(const struct dom0less_virtio_window *win, uint64_t base, uint64_t size)
{
    return (size != 0U) && (base >= win->base) && (size <= win->size) &&
           ((base - win->base) <= (win->size - size));
}

static bool overlaps(const struct dom0less_virtio *a, uint64_t base, uint64_t size)
{
    return (a->base < (base + size)) && (base < (a->base + a->size));
}

/* The place the node gives, checked alone: one reg entry in the domain
 * node's cells, 4-byte aligned (the registers are 32-bit), in the window. */
static const char *read_reg(const struct fdt *fdt, int node,
                            const struct dom0less_virtio_window *win, struct dom0less_virtio *d,
                            bool *given)
{
    uint64_t base = 0U;
    uint64_t size = 0U;

    *given = fdt_getprop(fdt, node, "reg", NULL) != NULL;
    if (!*given) {
        return NULL;
    }
    if ((fdt_reg_count(fdt, node) != 1) || (fdt_reg_raw(fdt, node, 0U, &base, &size) != 0)) {
        return "\"reg\" must be one <address size> in the domain node's cells";
    }
    if (((base | size) & 3U) != 0U) {
        return "\"reg\" is not 4-byte aligned";
    }
    if (!in_window(win, base, size)) {
        return "\"reg\" is not inside the virtio-mmio window";
    }
    d->base = base;
    d->size = size;
    return NULL;
}

static const char *read_irq(const struct fdt *fdt, int node,
                            const struct dom0less_virtio_window *win, struct dom0less_virtio *d,
                            bool *given)
{
    uint32_t intid = 0U;
    int rc = fdt_getprop_u32(fdt, node, "proxenos,irq", &intid);

    *given = rc != -ENOENT;
    if (!*given) {
        return NULL;
    }
    if (rc != 0) {
        return "\"proxenos,irq\" must be one cell";
    }
    if ((intid < win->first_intid) || (intid > win->last_intid)) {
        return "\"proxenos,irq\" is not one of the virtio-mmio SPIs";
    }
    d->intid = intid;
    return NULL;
}

/* Everything of one node but its place against the others'. */
static const char *read_node(const struct fdt *fdt, int node, bool have_dom0,
                             const struct dom0less_virtio_window *win, struct dom0less_virtio *d,
                             struct wish *w)
{
    uint32_t len = 0U;
    const char *why;

    *d = (struct dom0less_virtio){ 0 };
    d->name = fdt_node_name(fdt, node);
    d->type = fdt_getprop_string(fdt, node, "proxenos,device-type");
    if (d->type == NULL) {
        return "no \"proxenos,device-type\" string";
    }
    d->device_id = dom0less_virtio_device_id(d->type);
    if (d->device_id == 0U) {
        return "unknown \"proxenos,device-type\" (blk, net, console, rng, 9p, input, vsock, "
               "crypto, sound, fs, scmi, i2c, gpio)";
    }
    /* Only dom0 has device-model rights (dm_op): a back end in another
     * domain could not serve the device. The property is kept for later. */
    if (fdt_getprop(fdt, node, "proxenos,backend", NULL) != NULL) {
        return "\"proxenos,backend\": only dom0 can be a back end (leave it out)";
    }
    if (fdt_getprop(fdt, node, "proxenos,backend-args", &len) != NULL) {
        d->backend_args = fdt_getprop_string(fdt, node, "proxenos,backend-args");
        if ((d->backend_args == NULL) || (len > BACKEND_ARGS_MAX)) {
            return "\"proxenos,backend-args\" is not a string of at most 255 characters";
        }
    }
    d->backend = 0U;
    why = read_reg(fdt, node, win, d, &w->has_reg);
    if (why == NULL) {
        why = read_irq(fdt, node, win, d, &w->has_irq);
    }
    /* Last: a node with its own fault is named for that first. */
    if ((why == NULL) && !have_dom0) {
        why = "its back end is dom0, and no dom0 kernel was given";
    }
    return why;
}

static bool fail(const char *dom, const char *dev, const char *why)
{
    pr_err("dom0less: %s: virtio device %s: %s: domain skipped\n", dom, dev, why);
    return false;
}

/* The explicit places and lines against each other, in node order. */
static bool check_given(const char *dom, const struct dom0less_virtio *dev,
                        const struct wish *w, unsigned int n)
{
    for (unsigned int i = 0U; i < n; i++) {
        for (unsigned int j = 0U; j < i; j++) {
            if (w[i].has_reg && w[j].has_reg && overlaps(&dev[j], dev[i].base, dev[i].size)) {
                pr_err("dom0less: %s: virtio device %s: \"reg\" 0x%llx+0x%llx overlaps virtio "
                       "device %s: domain skipped\n", dom, dev[i].name,
                       (unsigned long long)dev[i].base, (unsigned long long)dev[i].size,
                       dev[j].name);
                return false;
            }
            if (w[i].has_irq && w[j].has_irq && (dev[i].intid == dev[j].intid)) {
                pr_err("dom0less: %s: virtio device %s: \"proxenos,irq\" %u is virtio device "
                       "%s's too: domain skipped\n", dom, dev[i].name, dev[i].intid,
                       dev[j].name);
                return false;
            }
        }
    }
    return true;
}

/* Whether [base, base + size) or intid is taken by a placed device. */
static bool place_taken(const struct dom0less_virtio *dev, const struct wish *w, unsigned int n,
                        uint64_t base, uint64_t size)
{
    for (unsigned int i = 0U; i < n; i++) {
        if (w[i].has_reg && overlaps(&dev[i], base, size)) {
            return true;
        }
    }
    return false;
}

static bool line_taken(const struct dom0less_virtio *dev, const struct wish *w, unsigned int n,
                       uint32_t intid)
{
    for (unsigned int i = 0U; i < n; i++) {
        if (w[i].has_irq && (dev[i].intid == intid)) {
            return true;
        }
    }
    return false;
}

/* The devices without a place or a line get the lowest free ones. */
static bool allocate(const char *dom, const struct dom0less_virtio_window *win,
                     struct dom0less_virtio *dev, struct wish *w, unsigned int n)
{
    for (unsigned int i = 0U; i < n; i++) {
        if (!w[i].has_reg) {
            uint64_t base = win->base;

            while (in_window(win, base, DOM0LESS_VIRTIO_DEV_SIZE) &&
                   place_taken(dev, w, n, base, DOM0LESS_VIRTIO_DEV_SIZE)) {
                base += DOM0LESS_VIRTIO_DEV_SIZE;
            }
            if (!in_window(win, base, DOM0LESS_VIRTIO_DEV_SIZE)) {
                return fail(dom, dev[i].name, "no room left in the virtio-mmio window");
            }
            dev[i].base = base;
            dev[i].size = DOM0LESS_VIRTIO_DEV_SIZE;
            w[i].has_reg = true;
        }
        if (!w[i].has_irq) {
            uint32_t intid = win->first_intid;

            while ((intid <= win->last_intid) && line_taken(dev, w, n, intid)) {
                intid++;
            }
            if (intid > win->last_intid) {
                return fail(dom, dev[i].name, "no virtio-mmio SPI left");
            }
            dev[i].intid = intid;
            w[i].has_irq = true;
        }
    }
    return true;
}

bool dom0less_virtio_parse(const struct fdt *fdt, int dom, const char *dom_name, bool have_dom0,
                           const struct dom0less_virtio_window *win, struct dom0less_virtio *dev,
                           unsigned int *nr)
{
    struct wish w[DOM0LESS_VIRTIO_MAX];
    unsigned int n = 0U;

    *nr = 0U;
    for (int node = fdt_first_child(fdt, dom); node >= 0; node = fdt_next_sibling(fdt, node)) {
        const char *why;

        if (!fdt_node_is_compatible(fdt, node, DOM0LESS_VIRTIO_COMPAT)) {
            continue;
        }
        if (n >= DOM0LESS_VIRTIO_MAX) {
            return fail(dom_name, fdt_node_name(fdt, node), "more than 8 virtio devices");
        }
        w[n] = (struct wish){ false, false };
        why = read_node(fdt, node, have_dom0, win, &dev[n], &w[n]);
        if (why != NULL) {
            return fail(dom_name, dev[n].name, why);
        }
        n++;
    }
    if (!check_given(dom_name, dev, w, n) || !allocate(dom_name, win, dev, w, n)) {
        return false;
    }
    *nr = n;
    return true;
}
