/* A stand-in for a domain's stage 2 as the Xen PV memory code uses it
 * (arch_guest_map_page / unmap / lookup, arch_map_guest_ram and
 * arch_map_static_shm of <proxenos/arch/domain.h>).
 *
 * Each domain's frames live in a small table; a frame the table does not
 * know falls back to the guest RAM a test declared with fake_guest_map
 * (reported as GUEST_FRAME_RAM), so that a test can hand a domain a block
 * of RAM in one call. Unmapping such a frame records a hole that hides it.
 * arch_map_static_shm records its frames as GUEST_FRAME_OTHER, as arm64's
 * stage-2 type for static shared memory reads back. The definitions are
 * weak: a test that links real p2m code wins. */
#ifndef FAKE_P2M_H
#define FAKE_P2M_H

#include <proxenos/types.h>

struct domain;

/* Forget every entry (call it in each test's setup). */
void fake_p2m_reset(void);
/* Forget every entry of d, as the real stage 2 goes with its domain
 * (arch_domain_destroy calls it). A domain later allocated at the same
 * address must not find the old one's frames mapped: those may be
 * hypervisor pages by then (a grant frame freed with the domain, now
 * heap). */
void fake_p2m_forget_domain(const struct domain *d);
/* Entries the table holds (holes included), and the mapping calls made. */
unsigned int fake_p2m_entries(void);
unsigned int fake_p2m_map_calls(void);
/* Make the next n arch_guest_map_page calls fail with -ENOMEM. */
void fake_p2m_fail_maps(unsigned int n);
/* Run fn once, right after the next arch_guest_lookup_page has answered:
 * what another vCPU does between a caller's look and its change. */
void fake_p2m_after_next_lookup(void (*fn)(void));

/* Paging pools (arch_paging_pool_pages / arch_paging_pool_resize): d's
 * pool has pages pages of which used are in use (a resize below used, or
 * above the limit, is -ENOMEM). Up to 8 domains; empty by default. */
void fake_paging_pool_set(const struct domain *d, uint64_t pages, uint64_t used);
void fake_paging_pool_limit(uint64_t pages);
/* arch_guest_cache_flush calls since the reset, and the last one's
 * arguments (any pointer may be NULL). */
unsigned int fake_cache_flushes(const struct domain **d, uint64_t *first, uint64_t *nr);

#endif
