/* Guest memory through foreign mappings (libxenforeignmemory): the
 * guest_mem of a running domU. Pages are mapped on first use and kept in
 * a fixed, direct-mapped cache, so that a guest cannot make the back end
 * map more than GMX_SLOTS of its pages at once. A get pins the slots of
 * its pages until put; a get or a copy that meets a slot pinned by another
 * page maps its page apart, until put or for that copy alone (a bounded
 * number of such pages: beyond it a get fails, and is copied instead). */
#ifndef VBE_GMEM_XEN_H
#define VBE_GMEM_XEN_H

#include <stdint.h>

#include "guest_mem.h"

struct gmem_xen;

struct guest_mem *gmem_xen_open(uint16_t domid);
/* Unmaps every page (before the domain can be freed). */
void gmem_xen_close(struct guest_mem *gm);

#endif
