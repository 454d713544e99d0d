#ifndef ASM_DOM0_FDT_H
#define ASM_DOM0_FDT_H

#include <proxenos/bootinfo.h>
#include <proxenos/domain.h>

struct dom0_fdt_info {
    const struct boot_info *bi;
    int hidden_uart;            /* the hypervisor's console node, or -1 */
    unsigned int nr_vcpus;
    const paddr_t *bank_start;
    const uint64_t *bank_size;
    unsigned int nr_banks;
    paddr_t rdist_size;         /* dom0's redistributor region */
    const char *bootargs;
    uint64_t initrd_start;
    uint64_t initrd_size;       /* 0: no ramdisk */
};

/* Write dom0's tree into buf. 0, or the writer's error (-ENOSPC). */
int dom0_fdt_build(const struct dom0_fdt_info *in, void *buf, size_t size, uint32_t *out_size);
/* Map 1:1 the MMIO of every device node dom0's tree keeps; returns how
 * many ranges were mapped. */
int dom0_map_devices(struct domain *d, const struct dom0_fdt_info *in);

#endif
