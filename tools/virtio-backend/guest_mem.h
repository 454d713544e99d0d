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
#include <sys/uio.h>

struct guest_mem {
    int (*read)(struct guest_mem *gm, uint64_t gpa, void *dst, size_t len);
    int (*write)(struct guest_mem *gm, uint64_t gpa, const void *src, size_t len);
    /* Optional, NULL where not offered: host addresses for [gpa, gpa + len)
     * in at most max iovecs, so that a file's data can move straight
     * between the disk and the guest's pages. The count of iovecs, or -1
     * with nothing held. They stay valid until put is given the same gpa
     * and len and the iovecs get filled; put answers how many of those it
     * took. The implementation may refuse (-1) at any time, and the caller
     * then copies through read and write instead. */
    int (*get)(struct guest_mem *gm, uint64_t gpa, size_t len, struct iovec *iov, unsigned max);
    unsigned (*put)(struct guest_mem *gm, uint64_t gpa, size_t len, const struct iovec *iov);
};

static inline int gm_read(struct guest_mem *gm, uint64_t gpa, void *dst, size_t len)
{
    return gm->read(gm, gpa, dst, len);
}

static inline int gm_write(struct guest_mem *gm, uint64_t gpa, const void *src, size_t len)
{
    return gm->write(gm, gpa, src, len);
}

/* -1 where the implementation has no get, so callers need not ask. */
static inline int gm_get(struct guest_mem *gm, uint64_t gpa, size_t len, struct iovec *iov,
                         unsigned max)
{
    return gm->get && gm->put ? gm->get(gm, gpa, len, iov, max) : -1;
}

static inline unsigned gm_put(struct guest_mem *gm, uint64_t gpa, size_t len,
                              const struct iovec *iov)
{
    return gm->put(gm, gpa, len, iov);
}

#endif
