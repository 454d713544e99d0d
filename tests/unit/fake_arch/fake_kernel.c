/* Guest kernel loading for host tests: no format is recognised and
 * nothing is placed, so common code that builds a guest fails cleanly
 * unless a test links the architecture's real loader (the fakes are weak). */
#include <proxenos/arch/kernel.h>
#include <proxenos/errno.h>

__attribute__((weak)) int arch_kernel_load(struct domain *d, const void *src, uint64_t len,
                                           paddr_t ram_base, uint64_t ram_size,
                                           struct kernel_load *out)
{
    (void)d;
    (void)src;
    (void)len;
    (void)ram_base;
    (void)ram_size;
    (void)out;
    return -ENOEXEC;
}

__attribute__((weak)) const char *arch_kernel_format_name(void)
{
    return "fake kernel";
}

__attribute__((weak)) int arch_kernel_place_modules(paddr_t bank_base, uint64_t bank_size,
                                                    paddr_t kernel_end, uint64_t dtb_size,
                                                    uint64_t initrd_size, paddr_t *dtb_at,
                                                    paddr_t *initrd_at)
{
    (void)bank_base;
    (void)bank_size;
    (void)kernel_end;
    (void)dtb_size;
    (void)initrd_size;
    (void)dtb_at;
    (void)initrd_at;
    return -ENOSPC;
}
