/* arm64 Image loading (the arch_kernel_* hooks). The 64-byte header gives
 * the load offset from a 2 MiB-aligned base and the memory the image needs
 * (including its BSS). */
#include <proxenos/arch/kernel.h>
#include <proxenos/domain_create.h>
#include <proxenos/errno.h>
#include <proxenos/fdt.h>

#define IMAGE_HEADER_SIZE   64U
#define IMAGE_MAGIC_OFFSET  0x38U
#define IMAGE_MAGIC         0x644d5241U     /* "ARM\x64", little-endian */
#define OLD_TEXT_OFFSET     0x80000U        /* before image_size existed */
#define MODULES_WINDOW      MiB(128)
#define MODULE_ALIGN        MiB(2)

static uint64_t le64(const uint8_t *p)
{
    uint64_t v = 0U;

    for (unsigned int i = 8U; i > 0U; i--) {
        v = (v << 8) | p[i - 1U];
    }
    return v;
}

int arch_kernel_load(struct domain *d, const void *src, uint64_t len, paddr_t ram_base,
                     uint64_t ram_size, struct kernel_load *out)
{
    const uint8_t *h = src;
    uint64_t text_offset;
    uint64_t image_size;
    int rc;

    if ((len < IMAGE_HEADER_SIZE) ||
        ((le64(&h[IMAGE_MAGIC_OFFSET]) & 0xffffffffU) != IMAGE_MAGIC)) {
        return -ENOEXEC;
    }
    text_offset = le64(&h[8]);
    image_size = le64(&h[16]);
    if (image_size == 0U) {
        text_offset = OLD_TEXT_OFFSET;
        image_size = len;
    }
    image_size = (image_size > len) ? image_size : len;
    if ((text_offset > ram_size) || (image_size > (ram_size - text_offset))) {
        return -ENOSPC;
    }
    out->load_addr = ram_base + text_offset;
    out->end = out->load_addr + image_size;
    out->entry = out->load_addr;
    rc = domain_copy_to_guest_phys(d, out->load_addr, src, len);
    return rc;
}

const char *arch_kernel_format_name(void)
{
    return "arm64 Image";
}

/* Device tree first, then the ramdisk, as high as possible below 128 MiB
 * into bank 0 (or its end), but above the kernel. */
int arch_kernel_place_modules(paddr_t bank_base, uint64_t bank_size, paddr_t kernel_end,
                              uint64_t dtb_size, uint64_t initrd_size, paddr_t *dtb_at,
                              paddr_t *initrd_at)
{
    uint64_t need;
    paddr_t top = bank_base + MIN(bank_size, MODULES_WINDOW);
    paddr_t base;

    /* Sizes come from the boot tree: one near 2^64 would wrap when
     * rounded up and seem to fit. Neither can exceed the bank anyway. */
    if ((dtb_size > bank_size) || (initrd_size > bank_size)) {
        return -ENOSPC;
    }
    need = ALIGN_UP(dtb_size, MODULE_ALIGN) + ALIGN_UP(initrd_size, MODULE_ALIGN);
    if (need > (top - bank_base)) {
        top = bank_base + bank_size;
    }
    if (need > (top - bank_base)) {
        return -ENOSPC;
    }
    base = ALIGN_DOWN(top - need, MODULE_ALIGN);
    if (base < kernel_end) {
        base = ALIGN_UP(kernel_end, MODULE_ALIGN);
        if ((base + need) > (bank_base + bank_size)) {
            return -ENOSPC;
        }
    }
    *dtb_at = base;
    *initrd_at = base + ALIGN_UP(dtb_size, MODULE_ALIGN);
    return 0;
}
