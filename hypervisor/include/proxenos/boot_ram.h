/* The RAM banks the boot tree's memory nodes give, checked once after the
 * scan, before any module is checked against them and before the heap is
 * made of them.
 *
 * A bank is ignored, with a line naming its node, its range and the
 * reason, when it overlaps a bank an earlier memory node gave, or the reg
 * of a device: an available node that is not a memory node, directly under
 * the root (where QEMU's virt machine puts its devices) or under a
 * memory-mapped bus (simple-bus, simple-mfd, arm,amba-bus: a SoC's), its
 * reg translated through the buses' ranges, up to four levels down. A bus
 * whose ranges cannot be read, or nested deeper, is named once with the
 * reason and the devices under it are not looked at. A tree whose RAM
 * covers the UART or the GIC would otherwise hand device registers out as
 * pages of the heap or accept a boot module there.
 * Ignored banks are removed from boot_info.ram, so everything checked
 * later against RAM (boot modules, a domain's static banks:
 * boot_range_check) must lie in a bank that passed, and the heap is made
 * of those only.
 */
#ifndef PROXENOS_BOOT_RAM_H
#define PROXENOS_BOOT_RAM_H

#include <proxenos/bootinfo.h>

/* Checks and compacts bi->ram (and bi->ram_node) in tree order; returns
 * how many banks were ignored. */
uint32_t boot_ram_check(struct boot_info *bi);

#endif
