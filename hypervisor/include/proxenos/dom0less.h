/* dom0less: domains described by /chosen xen,domain nodes, built at boot
 * from their boot modules and started without any toolstack. */
#ifndef PROXENOS_DOM0LESS_H
#define PROXENOS_DOM0LESS_H

#include <proxenos/bootinfo.h>
#include <proxenos/dom0less_virtio.h>
#include <proxenos/domain.h>
#include <proxenos/static_shm.h>

#define DOM0LESS_MAX_DOMAINS 16U

struct arch_dom0less_config;
struct static_mem;

enum xen_enhanced_mode {
    ENHANCED_NONE,          /* property absent, or any other string */
    ENHANCED_FULL,          /* present-empty or "enabled": needs dom0 */
    ENHANCED_NO_XENSTORE,   /* "no-xenstore" */
};

/* One xen,domain node, read once (Xen 4.17's properties). */
struct dom0less_config {
    int node;
    const char *name;
    domid_t domid;
    uint64_t mem_kib;               /* "memory": two cells, KiB */
    unsigned int cpus;              /* "cpus" */
    enum xen_enhanced_mode enhanced;
    bool has_p2m_mem;               /* xen,domain-p2m-mem-mb given */
    uint32_t p2m_mem_mb;            /* else Xen's default formula */
    int cpupool;                    /* domain-cpupool's node; -1: Pool-0 */
    const struct boot_module *kernel;
    const struct boot_module *ramdisk;
    const struct boot_module *dtb;
    /* Its static shared memory (static_shm_for_domain), in tree order. */
    const struct static_shm_node *shm[STATIC_SHM_MAX_PER_DOMAIN];
    unsigned int nr_shm;
    /* NULL: RAM from the heap. Else xen,static-mem's banks (and
     * direct-map), checked and reserved at boot (static_mem.h). */
    const struct static_mem *static_mem;
    /* Its virtio-mmio devices (proxenos,virtio-mmio-v1 children), placed. */
    struct dom0less_virtio virtio[DOM0LESS_VIRTIO_MAX];
    unsigned int nr_virtio;
    /* What only the architecture reads of the node (arm64: vpl011,
     * nr_spis), from arch_dom0less_parse(): common code only carries it. */
    const struct arch_dom0less_config *arch;
};

/* Read every xen,domain node into cfgs; returns how many are valid.
 * Invalid nodes are reported and skipped: they never stop the others. */
unsigned int dom0less_parse(const struct boot_info *bi, struct dom0less_config *cfgs,
                            unsigned int max);

/* Read every xen,domain node once (dom0less_parse), before dom0 is
 * built: dom0's device tree lists the virtio devices it is to serve.
 * dom0less_build_all() reads them itself when this was not called. */
void dom0less_prepare(const struct boot_info *bi);

/* Build every valid xen,domain node, bind the static event channels
 * among them and dom0 (built before, paused; NULL when there is none or
 * its build failed), then start the domUs. dom0 is left for the caller to
 * start. Returns how many domUs run. */
unsigned int dom0less_build_all(const struct boot_info *bi, struct domain *dom0);

/* Build domain id again from its configuration (guest reboot). */
int dom0less_restart(domid_t id);

#endif
