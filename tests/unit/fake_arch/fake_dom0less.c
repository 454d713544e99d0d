/* A dom0less domain on the host: the architecture adds nothing to its
 * creation arguments or its device tree configuration. Weak, so a test
 * of the arm64 hooks links the real ones. */
#include <proxenos/arch/dom0less.h>

__attribute__((weak)) void arch_dom0less_create_args(const struct dom0less_config *c,
                                                     struct domain_create_args *a)
{
    (void)c;
    (void)a;
}

__attribute__((weak)) void arch_dom0less_fdt_config(const struct boot_info *bi,
                                                    const struct dom0less_config *c,
                                                    struct domain_fdt_config *fc)
{
    (void)bi;
    (void)c;
    (void)fc;
}
