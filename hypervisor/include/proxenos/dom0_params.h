#ifndef PROXENOS_DOM0_PARAMS_H
#define PROXENOS_DOM0_PARAMS_H

#include <proxenos/types.h>

/* dom0's memory in bytes: dom0_mem=, or 512 MiB when absent (*given says
 * which; may be NULL). */
uint64_t dom0_mem_bytes(bool *given);
/* dom0_max_vcpus=, or one vCPU per physical CPU. */
unsigned int dom0_vcpus(unsigned int nr_pcpus);

#endif
