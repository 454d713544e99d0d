/* Loading a guest kernel image into a domain's memory. */
#ifndef PROXENOS_KERNEL_IMAGE_H
#define PROXENOS_KERNEL_IMAGE_H

#include <proxenos/domain.h>

struct kernel_load {
    paddr_t load_addr;      /* guest-physical address of the image */
    paddr_t end;            /* first address after what the image needs */
    paddr_t entry;
};

/* Load an arm64 Image (Linux boot protocol header) of len bytes at host
 * address src into d's RAM bank [ram_base, ram_base + ram_size), at
 * ram_base + text_offset as Xen 4.17 does. -ENOEXEC if it is not an arm64
 * Image, -ENOSPC if it does not fit the bank. */
int kernel_image_load(struct domain *d, const void *src, uint64_t len, paddr_t ram_base,
                      uint64_t ram_size, struct kernel_load *out);

/* Where the device tree and the ramdisk go: as high as possible below 128
 * MiB into the bank (or its end), above the kernel, 2 MiB aligned, as Xen
 * 4.17 places them. -ENOSPC when they do not fit. */
int kernel_place_modules(paddr_t bank_base, uint64_t bank_size, paddr_t kernel_end,
                         uint64_t dtb_size, uint64_t initrd_size, paddr_t *dtb_at,
                         paddr_t *initrd_at);

#endif
