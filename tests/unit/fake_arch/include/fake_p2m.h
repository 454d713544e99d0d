/* A stand-in for a domain's stage 2 as the Xen PV memory code uses it
 * (arch_guest_map_page / unmap / lookup of <proxenos/arch/domain.h>).
 *
 * Each domain's frames live in a small table; a frame the table does not
 * know falls back to the guest RAM a test declared with fake_guest_map
 * (reported as GUEST_FRAME_RAM), so that a test can hand a domain a block
 * of RAM in one call. Unmapping such a frame records a hole that hides it.
 * The definitions are weak: a test that links real p2m code wins. */
#ifndef FAKE_P2M_H
#define FAKE_P2M_H

#include <proxenos/types.h>

struct domain;

/* Forget every entry (call it in each test's setup). */
void fake_p2m_reset(void);
/* Entries the table holds (holes included), and the mapping calls made. */
unsigned int fake_p2m_entries(void);
unsigned int fake_p2m_map_calls(void);
/* Make the next n arch_guest_map_page calls fail with -ENOMEM. */
void fake_p2m_fail_maps(unsigned int n);

#endif
