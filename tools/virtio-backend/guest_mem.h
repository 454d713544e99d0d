/* Copies to and from a guest's physical memory.
 *
 * The virtqueue and block code reach guest memory only through this, so
 * that they build and run on the host in the unit tests with a plain buffer
 * behind it, and in dom0 with foreign mappings (gmem_xen.c). Every guest
 * address is untrusted: an implementation answers -1 for anything it cannot
 * reach, never faults. */
#ifndef VBE_GUEST_MEM_H
#define VBE_GUEST_MEM_H

#include <stddef.h>
#include <stdint.h>

struct guest_mem {
    int (*read)(struct guest_mem *gm, uint64_t gpa, void *dst, size_t len);
    int (*write)(struct guest_mem *gm, uint64_t gpa, const void *src, size_t len);
};

static inline int gm_read(struct guest_mem *gm, uint64_t gpa, void *dst, size_t len)
{
    return gm->read(gm, gpa, dst, len);
}

static inline int gm_write(struct guest_mem *gm, uint64_t gpa, const void *src, size_t len)
{
    return gm->write(gm, gpa, src, len);
}

#endif
