#ifndef PROXENOS_DOM0_H
#define PROXENOS_DOM0_H

#include <proxenos/bootinfo.h>

/* Build and start dom0 from the /chosen multiboot,kernel module (and
 * ramdisk). -ENOENT without a dom0 kernel; other errors are reported. */
int dom0_build(const struct boot_info *bi);

#endif
