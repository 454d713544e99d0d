#ifndef PROXENOS_DOM0_H
#define PROXENOS_DOM0_H

#include <proxenos/bootinfo.h>

#include <proxenos/domain.h>

/* Build dom0 from the /chosen multiboot,kernel module (and ramdisk),
 * paused: as on Xen 4.17 it is built first, and starts with every other
 * domain once the static event channels are bound. *out is dom0, or NULL
 * on an error: -ENOENT without a dom0 kernel; other errors are reported. */
int dom0_build(const struct boot_info *bi, struct domain **out);

/* Start dom0, built by dom0_build: the end of boot, where it gets the
 * console input. */
void dom0_start(struct domain *d);

#endif
