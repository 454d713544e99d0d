/* Boot device tree scanning for host tests: the architecture describes no
 * device and takes any cpu id. Weak: tests of the Arm scan link
 * arch/arm64/bootinfo_devices.c. */
#include <proxenos/arch/bootinfo.h>

__attribute__((weak)) void arch_bootinfo_init(struct boot_info *bi)
{
    (void)bi;
}

__attribute__((weak)) int arch_bootinfo_scan_node(struct boot_info *bi, const struct fdt *fdt,
                                                  int node)
{
    (void)bi;
    (void)fdt;
    (void)node;
    return 0;
}

__attribute__((weak)) const char *arch_bootinfo_cpu_id_error(uint64_t id)
{
    (void)id;
    return (const char *)0;
}
