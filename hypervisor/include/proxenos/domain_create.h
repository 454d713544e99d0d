/* Creating and destroying domains. */
#ifndef PROXENOS_DOMAIN_CREATE_H
#define PROXENOS_DOMAIN_CREATE_H

#include <proxenos/domain.h>
#include <public/xen.h>

struct domain_create_args {
    const char *name;
    unsigned int max_vcpus;
    bool privileged;            /* dom0 */
    bool xen_enhanced;
    bool console_input;
    bool emulated_uart;         /* the architecture's emulated console UART
                                 * (arm64: the vpl011, an SBSA UART) */
    /* The architecture's part, as createdomain carries it (arm64: the
     * vGIC's SPIs; a direct-mapped domain gets the host's GIC layout). */
    struct xen_arch_domainconfig arch;
    uint64_t p2m_pool_pages;    /* stage-2 tables come only from this pool */
    uint64_t cpu_affinity;      /* physical CPUs its vCPUs may use; 0: any */
    bool pin_vcpus;             /* vCPU n only on the n-th CPU of cpu_affinity */
    unsigned int cpupool_id;    /* Xen's id of the pool cpu_affinity came from */
    bool direct_map;            /* guest-physical == host-physical (dom0) */
    /* Created by the toolstack (XEN_DOMCTL_createdomain): */
    const uint8_t *handle;      /* 16 bytes (xl: the UUID); NULL: zeros */
    bool controller_paused;     /* starts paused by the toolstack, whose first
                                 * unpause ends the build */
    bool toolstack_limits;      /* the two limits below replace the defaults */
    uint32_t max_evtchn_port;   /* highest event-channel port it may use */
    uint32_t max_grant_frames;  /* 1..GNTTAB_MAX_FRAMES */
};

/* Create domain id with the given resources (no memory, vCPUs offline).
 * 0 or -EEXIST, -EINVAL, -ENOMEM, -ENOSPC; on failure nothing is left
 * behind (every allocation made so far is given back). */
int domain_create(domid_t id, const struct domain_create_args *args, struct domain **out);

/* Give d size bytes of RAM at guest-physical gpa (page aligned), in the
 * largest blocks the page allocator has. -ENOMEM leaves d unchanged. */
int domain_populate_ram(struct domain *d, paddr_t gpa, uint64_t size);

/* Give d size bytes of RAM mapped 1:1 (guest-physical == host-physical),
 * as Xen gives dom0 on Arm without an IOMMU. The banks it got are written
 * to banks[] (at most *nr; *nr is set to how many), lowest first. */
int domain_populate_ram_direct(struct domain *d, uint64_t size, paddr_t *bank_start,
                               uint64_t *bank_size, unsigned int *nr);

/* Give d the static memory [host, host + size) (reserved at boot, see
 * static_mem.h) at guest-physical gpa, all page aligned, in the largest
 * blocks both addresses allow. Freeing d's RAM gives these pages back to
 * the static banks, never to the heap. -EBUSY if a page is in use. */
int domain_assign_static_ram(struct domain *d, paddr_t gpa, paddr_t host, uint64_t size);

/* Copy len bytes from host memory to d's guest-physical address gpa
 * (which must be RAM populated above). */
int domain_copy_to_guest_phys(struct domain *d, paddr_t gpa, const void *src, uint64_t len);

/* Take d off the domain list (lookups fail from now on) and drop the
 * list's reference: d is freed now, or by the last domain_put(). */
void domain_destroy(struct domain *d);

#endif
