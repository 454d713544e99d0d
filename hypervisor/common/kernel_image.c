/* arm64 Image loading. The 64-byte header gives the load offset from a
 * 2 MiB-aligned base and the memory the image needs (including its BSS). */
#include <proxenos/domain_create.h>
#include <proxenos/errno.h>
#include <proxenos/fdt.h>
#include <proxenos/kernel_image.h>

#define IMAGE_HEADER_SIZE   64U
#define IMAGE_MAGIC_OFFSET  0x38U
#define IMAGE_MAGIC         0x644d5241U     /* "ARM\x64", little-endian */
#define OLD_TEXT_OFFSET     0x80000U        /* before image_size existed */

static uint64_t le64(const uint8_t *p)
{
    uint64_t v = 0U;

    for (unsigned int i = 8U; i > 0U; i--) {
        v = (v << 8) | p[i - 1U];
    }
    return v;
}

int kernel_image_load(struct domain *d, const void *src, uint64_t len, paddr_t ram_base,
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
