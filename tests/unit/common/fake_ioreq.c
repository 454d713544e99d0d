/* IOREQ servers for host tests that do not link them: see fake_ioreq.h. */
#include <proxenos/domain.h>
#include <proxenos/errno.h>
#include "fake_ioreq.h"

static unsigned int destroys;

unsigned int fake_ioreq_destroys(void)
{
    return destroys;
}

__attribute__((weak)) uint32_t ioreq_resource_size(const struct domain *d)
{
    (void)d;
    return 2U;      /* Xen's for up to 128 vCPUs */
}

__attribute__((weak)) int ioreq_resource_frame(struct domain *cur, struct domain *d, uint32_t id,
                                               uint64_t frame, mfn_t *mfn)
{
    (void)cur;
    (void)d;
    (void)id;
    (void)frame;
    (void)mfn;
    return -ENOENT;     /* no such server */
}

__attribute__((weak)) void ioreq_domain_destroy(struct domain *d)
{
    (void)d;
    destroys++;
}
