/* Creating and destroying domains. */
#ifndef PROXENOS_DOMAIN_CREATE_H
#define PROXENOS_DOMAIN_CREATE_H

#include <proxenos/domain.h>

struct domain_create_args {
    const char *name;
    unsigned int max_vcpus;
    bool privileged;            /* dom0 */
    bool xen_enhanced;
    bool console_input;
    bool vpl011;
    unsigned int nr_spis;       /* SPIs the virtual GIC offers */
    uint64_t p2m_pool_pages;    /* stage-2 tables come only from this pool */
    uint64_t cpu_affinity;      /* physical CPUs its vCPUs may use; 0: any */
};

/* Create domain id with the given resources (no memory, vCPUs offline).
 * 0 or -EEXIST, -EINVAL, -ENOMEM, -ENOSPC. */
int domain_create(domid_t id, const struct domain_create_args *args, struct domain **out);

/* Give d size bytes of RAM at guest-physical gpa (page aligned), in the
 * largest blocks the page allocator has. -ENOMEM leaves d unchanged. */
int domain_populate_ram(struct domain *d, paddr_t gpa, uint64_t size);

/* Copy len bytes from host memory to d's guest-physical address gpa
 * (which must be RAM populated above). */
int domain_copy_to_guest_phys(struct domain *d, paddr_t gpa, const void *src, uint64_t len);

/* Release everything d holds and remove it from the domain list. */
void domain_destroy(struct domain *d);

#endif
