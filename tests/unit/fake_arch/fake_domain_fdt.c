/* A domU device tree with no architecture nodes: every configuration the
 * common checks pass is accepted and nothing is written in the
 * architecture's places. Weak: a test that pins the whole tree links the
 * real writers, one that looks at the places defines its own. */
#include <proxenos/arch/domain_fdt.h>

__attribute__((weak)) bool arch_domain_fdt_config_ok(const struct domain_fdt_config *cfg)
{
    (void)cfg;
    return true;
}

__attribute__((weak)) int arch_domain_fdt_nodes(struct fdt_writer *w,
                                                const struct domain_fdt_config *cfg,
                                                enum arch_domain_fdt_slot slot)
{
    (void)w;
    (void)cfg;
    (void)slot;
    return 0;
}
