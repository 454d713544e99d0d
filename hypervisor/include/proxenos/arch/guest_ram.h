/* Where a domain's RAM lies in its guest physical address space: the
 * architecture's guest RAM banks (arm64: Xen's GUEST_RAM0 at 1 GiB and
 * GUEST_RAM1 at 8 GiB), lowest first. A domain's RAM fills them in order
 * (common/domain/guest_ram.c), as Xen's domain builders do. */
#ifndef PROXENOS_ARCH_GUEST_RAM_H
#define PROXENOS_ARCH_GUEST_RAM_H

#include <proxenos/types.h>

/* No architecture has more banks than this. */
#define GUEST_RAM_MAX_BANKS 4U

struct guest_ram_bank {
    paddr_t base;
    uint64_t size;
};

/* The banks (*banks points at the architecture's table); their number,
 * 1..GUEST_RAM_MAX_BANKS. */
unsigned int arch_guest_ram_banks(const struct guest_ram_bank **banks);

#endif
