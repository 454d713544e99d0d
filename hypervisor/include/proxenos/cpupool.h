/* Boot-time CPU pools (Xen 4.17's xen,cpupool nodes under /chosen): each
 * physical CPU belongs to one pool, each pool has a scheduler, and a
 * domain's vCPUs run only on the CPUs of its pool. */
#ifndef PROXENOS_CPUPOOL_H
#define PROXENOS_CPUPOOL_H

#include <proxenos/bootinfo.h>

#define MAX_CPUPOOLS 16U

/* Read the xen,cpupool nodes (after all CPUs are online) and apply each
 * pool's scheduler to its CPUs. Bad nodes are reported and ignored: their
 * CPUs stay in Pool-0. */
void cpupools_init(const struct boot_info *bi);

/* The CPUs (a bitmap) of the pool whose node is pool_node, or of Pool-0
 * when pool_node is -1. 0 when pool_node is not a valid pool. */
uint64_t cpupool_cpus(int pool_node);

/* Xen's id of the pool whose node is pool_node (-1, or a node that is not
 * a pool: Pool-0's, 0). Ids are 0 for the boot CPU's pool, then the other
 * pools in device-tree order. */
unsigned int cpupool_id_of(int pool_node);

struct cpupool_info {
    unsigned int id;
    uint64_t cpus;              /* bitmap of its CPUs */
    const char *sched;          /* its scheduler's name */
};

/* The pool with the lowest id at or above first_id: true and *out filled,
 * or false when there is none. */
bool cpupool_info(unsigned int first_id, struct cpupool_info *out);

#endif
