/* A domain's RAM laid out over the architecture's guest RAM banks
 * (<proxenos/arch/guest_ram.h>): the first bank filled, then the next. */
#ifndef PROXENOS_GUEST_RAM_H
#define PROXENOS_GUEST_RAM_H

#include <proxenos/arch/guest_ram.h>

/* How bytes of RAM spread over the banks: size[i] in bank i (0 past the
 * last one used). Returns the number of banks used, 0 when bytes is 0 or
 * more than the banks hold. */
unsigned int guest_ram_layout(uint64_t bytes, uint64_t size[GUEST_RAM_MAX_BANKS]);

/* The last guest frame of a domain with pages pages laid out so (0 for
 * none; the last frame of the banks when they overflow). */
uint64_t guest_ram_last_gfn(uint64_t pages);

#endif
