/* What common code needs to know of the architecture's stage-2 tables. */
#ifndef PROXENOS_ARCH_P2M_H
#define PROXENOS_ARCH_P2M_H

/* Guest-physical address bits of every domain: the device-tree builders
 * clip the extended regions they offer a guest to this. */
unsigned int p2m_ipa_bits(void);

#endif
