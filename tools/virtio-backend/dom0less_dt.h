/* The dom0less VirtIO devices dom0 is to serve, as the hypervisor lists
 * them in dom0's /chosen/proxenos-virtio (docs/virtio.md, "What dom0 is
 * told"): one directory per device under /proc/device-tree, one file per
 * property. */
#ifndef VBE_DOM0LESS_DT_H
#define VBE_DOM0LESS_DT_H

#include <stdbool.h>
#include <stdint.h>

#define D0L_DIR "/proc/device-tree/chosen/proxenos-virtio"
#define D0L_MAX_DEVICES 64
#define D0L_NAME_MAX 64         /* a domain's or device's name, with its NUL */

struct d0l_dev {
    char node[D0L_NAME_MAX];    /* the child's name, for messages only */
    uint16_t domid;
    char domain[D0L_NAME_MAX];
    char device[D0L_NAME_MAX];
    char type[16];
    uint64_t base, size;
    unsigned irq;
    bool has_args;
    char args[256];             /* proxenos,backend-args, when has_args */
    char error[192];            /* "" for a good node, else why it is not */
};

/* Fill devs with dir's children, sorted by name, each read and checked on
 * its own (a bad one has error set and the rest of it undefined); then
 * mark_duplicates(). The count, or -1 with errno when dir cannot be
 * listed (ENOENT: the hypervisor gave dom0 no devices). Children past max
 * are counted in *dropped. */
int d0l_read_dir(const char *dir, struct d0l_dev *devs, unsigned max, unsigned *dropped);

/* Refuse both of two good devices that cannot both be right: one domid
 * under two names, one name on two domids, the same domain and device
 * names, or windows of one domain that overlap. */
void d0l_mark_duplicates(struct d0l_dev *devs, unsigned n);

#endif
