/* dom0's view of the dom0less virtio devices it is to serve: a node in its
 * /chosen, "proxenos-virtio", with one child per device, which a back end
 * reads from /proc/device-tree/chosen/proxenos-virtio/ once dom0 is up.
 * Plain properties with a vendor prefix, numbers as big-endian cells, so
 * that a back end in C needs no device-tree library: each property is a
 * file. The layout is in docs/virtio.md ("dom0less VirtIO devices"); it
 * is an interface, so it only grows. The names are not in "reg" and
 * "interrupts" on purpose: these are the domU's addresses and lines, not
 * dom0's, and Linux must not take them for a device of its own. */
#include <proxenos/dom0less.h>
#include <proxenos/dom0less_virtio.h>
#include <proxenos/errno.h>
#include <proxenos/fdt_write.h>
#include <proxenos/printk.h>

struct dom0_record {
    domid_t domid;
    const char *dom_name;
    const struct dom0less_virtio *dev;
    unsigned int nr;
};

static struct dom0_record records[DOM0LESS_MAX_DOMAINS];
static unsigned int nr_records;

void dom0less_virtio_dom0_reset(void)
{
    nr_records = 0U;
}

int dom0less_virtio_dom0_add(domid_t domid, const char *dom_name,
                             const struct dom0less_virtio *dev, unsigned int nr)
{
    if (nr == 0U) {
        return 0;
    }
    if (nr_records >= DOM0LESS_MAX_DOMAINS) {
        return -ENOSPC;
    }
    records[nr_records] = (struct dom0_record){ domid, dom_name, dev, nr };
    nr_records++;
    return 0;
}

/* "d<domid>-<base in hex>": unique, as a domain's devices never overlap. */
static void child_name(char buf[32], domid_t domid, uint64_t base)
{
    (void)snprintf(buf, 32U, "d%u-%llx", (unsigned int)domid, (unsigned long long)base);
}

static void write_device(struct fdt_writer *w, const struct dom0_record *r,
                         const struct dom0less_virtio *v)
{
    char name[32];

    child_name(name, r->domid, v->base);
    (void)fdt_writer_begin_node(w, name);
    (void)fdt_writer_prop_string(w, "compatible", "proxenos,virtio-mmio-device-v1");
    (void)fdt_writer_prop_u32(w, "proxenos,domid", r->domid);
    (void)fdt_writer_prop_string(w, "proxenos,domain", r->dom_name);
    (void)fdt_writer_prop_string(w, "proxenos,device", v->name);
    (void)fdt_writer_prop_string(w, "proxenos,device-type", v->type);
    (void)fdt_writer_prop_u32(w, "proxenos,device-id", v->device_id);
    (void)fdt_writer_prop_u64(w, "proxenos,base", v->base);
    (void)fdt_writer_prop_u64(w, "proxenos,size", v->size);
    (void)fdt_writer_prop_u32(w, "proxenos,irq", v->intid);
    if (v->backend_args != NULL) {
        (void)fdt_writer_prop_string(w, "proxenos,backend-args", v->backend_args);
    }
    (void)fdt_writer_end_node(w);
}

void dom0less_virtio_dom0_node(struct fdt_writer *w)
{
    if (nr_records == 0U) {
        return;
    }
    (void)fdt_writer_begin_node(w, "proxenos-virtio");
    (void)fdt_writer_prop_string(w, "compatible", "proxenos,virtio-backends-v1");
    for (unsigned int i = 0U; i < nr_records; i++) {
        for (unsigned int j = 0U; j < records[i].nr; j++) {
            write_device(w, &records[i], &records[i].dev[j]);
        }
    }
    (void)fdt_writer_end_node(w);
}
