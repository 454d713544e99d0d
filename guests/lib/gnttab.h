/*
 * Xen grant tables v1 from the guest side (the ABI is <public/grant_table.h>):
 * the shared grant entries (mapped into the /hypervisor window with
 * XENMEM_add_to_physmap) and helpers to grant a page to a domain.
 */
#ifndef GUEST_GNTTAB_H
#define GUEST_GNTTAB_H

#include <stdbool.h>
#include <stdint.h>

#include <public/grant_table.h>

#include "hypercall.h"
#include "platform.h"

/* The grant entries, once gnttab_setup mapped frame 0 (NULL before). */
extern volatile struct grant_entry_v1 *gnttab_entries;

/* Maps grant frame 0 at the start of the /hypervisor window. 0 or -errno. */
long gnttab_setup(const struct platform *p);

/* Extended region `index` (1-based: reg[index] of /hypervisor); 0 when absent. */
uint64_t gnttab_free_region(const struct platform *p, uint32_t index, uint64_t *size);

/* Writes entry `ref` granting page `gfn` to `domid` (flags last, after a barrier). */
void gnttab_grant(uint32_t ref, uint16_t domid, uint64_t gfn, bool readonly);
void gnttab_revoke(uint32_t ref);

/* One GNTTABOP_copy; returns the hypercall result, the entry's status in *status. */
long gnttab_copy_one(struct gnttab_copy *c, int16_t *status);

#endif
