#ifndef PROXENOS_DOM0_PARAMS_H
#define PROXENOS_DOM0_PARAMS_H

#include <proxenos/types.h>

/* dom0's memory in bytes: dom0_mem=, or 512 MiB when absent (*given says
 * which; may be NULL). */
uint64_t dom0_mem_bytes(bool *given);
/* dom0_max_vcpus=, or one vCPU per physical CPU. */
unsigned int dom0_vcpus(unsigned int nr_pcpus);

/* dom0_vcpus_pin: vCPU n runs only on the n-th CPU of Pool-0. */
bool dom0_pin_vcpus(void);
/* dom0_p2m_mem_mb= in pages, or default_pages when absent. */
uint64_t dom0_p2m_pool_pages(uint64_t default_pages);

#endif
