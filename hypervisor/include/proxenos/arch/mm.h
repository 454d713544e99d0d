/* Address translation hooks: every host RAM page is reachable through the
 * hypervisor's direct map. */
#ifndef PROXENOS_ARCH_MM_H
#define PROXENOS_ARCH_MM_H

#include <proxenos/types.h>

/* Hypervisor virtual address of host physical address pa (RAM only). */
void *arch_maddr_to_virt(paddr_t pa);
/* Host physical address of a direct-map or image address. */
paddr_t arch_virt_to_maddr(const void *va);

/* Map a device's registers (uncached, never executable). NULL on failure. */
void *arch_ioremap(paddr_t pa, size_t size);

/* Zero len bytes of RAM at va (direct map or image) the fastest way the
 * CPU has: the page allocator clears guest RAM and frame tables with it. */
void arch_clear_memory(void *va, size_t len);

#endif
