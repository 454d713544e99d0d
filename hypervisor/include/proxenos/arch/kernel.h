/* Loading a guest kernel: the image format and where its boot protocol
 * wants the kernel, its device tree and its ramdisk are the
 * architecture's (arm64: the Linux Image header, Xen 4.17's placement). */
#ifndef PROXENOS_ARCH_KERNEL_H
#define PROXENOS_ARCH_KERNEL_H

#include <proxenos/types.h>

struct domain;

struct kernel_load {
    paddr_t load_addr;      /* guest-physical address of the image */
    paddr_t end;            /* first address after what the image needs */
    paddr_t entry;
};

/* Check the kernel of len bytes at host address src and copy it into d's
 * RAM bank [ram_base, ram_base + ram_size), where the format's header says
 * (arm64: ram_base + text_offset, as Xen 4.17 does). -ENOEXEC if it is not
 * a kernel of this architecture's format, -ENOSPC if it does not fit the
 * bank. */
int arch_kernel_load(struct domain *d, const void *src, uint64_t len, paddr_t ram_base,
                     uint64_t ram_size, struct kernel_load *out);

/* The format arch_kernel_load() takes, for messages ("arm64 Image"). */
const char *arch_kernel_format_name(void);

/* Where the device tree and the ramdisk go in the bank, above a kernel
 * ending at kernel_end, as the boot protocol wants them (arm64: as high
 * as possible below 128 MiB into the bank, or its end, 2 MiB aligned, as
 * Xen 4.17 places them). -ENOSPC when they do not fit. */
int arch_kernel_place_modules(paddr_t bank_base, uint64_t bank_size, paddr_t kernel_end,
                              uint64_t dtb_size, uint64_t initrd_size, paddr_t *dtb_at,
                              paddr_t *initrd_at);

#endif
