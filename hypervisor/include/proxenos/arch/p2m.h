/* What common code needs to know of the guest physical address space the
 * architecture's second-stage translation gives every domain. */
#ifndef PROXENOS_ARCH_P2M_H
#define PROXENOS_ARCH_P2M_H

/* Guest-physical address bits of every domain: nothing a guest is told
 * about (extended regions, for instance) may lie at or above 2^bits. */
unsigned int arch_guest_ipa_bits(void);

#endif
