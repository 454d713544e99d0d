/* What the boot device tree says that only the architecture understands
 * (arm64: the GICv3, the generic timer, PSCI, MPIDR cpu ids). Common code
 * (common/boot/bootinfo.c) walks the tree once and hands every node to the
 * architecture too. */
#ifndef PROXENOS_ARCH_BOOTINFO_H
#define PROXENOS_ARCH_BOOTINFO_H

#include <proxenos/types.h>

struct boot_info;
struct fdt;

/* Before the walk: the architecture's part of bi, which is all zeroes, to
 * "nothing found". */
void arch_bootinfo_init(struct boot_info *bi);

/* Look at one node of the walk (any depth). 0, or a negative error with
 * bi->error and bi->error_node saying why (bootinfo_error()). */
int arch_bootinfo_scan_node(struct boot_info *bi, const struct fdt *fdt, int node);

/* Why the reg of a cpu node cannot be a CPU of this architecture, or NULL
 * when it can. */
const char *arch_bootinfo_cpu_id_error(uint64_t id);

#endif
