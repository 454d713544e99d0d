/* What the control interface (sysctl physinfo, cputopoinfo, numainfo,
 * domctl getdomaininfo) reports about the machine: facts gathered once at
 * boot by the architecture's set-up code into a plain struct, so that the
 * handlers never look at the device tree or system registers, and host
 * tests can state a machine as a literal. */
#ifndef PROXENOS_HOSTINFO_H
#define PROXENOS_HOSTINFO_H

#include <proxenos/types.h>

struct host_info {
    uint64_t ram_pages;         /* pages of every RAM bank together */
    uint64_t ram_start_mfn;     /* first frame of the lowest bank */
    uint64_t ram_end_mfn;       /* one past the last frame of the highest bank */
    unsigned int nr_cpu_ids;    /* CPUs the boot device tree names (up to NR_CPUS) */
    uint32_t cpu_khz;           /* the system counter's frequency */
    bool has_pmu;               /* the CPUs implement a PMU guests could use */
    unsigned int gpaddr_bits;   /* guest-physical address size of every domain */
    uint32_t timer_dt_frequency;    /* the timer node's clock-frequency (0: none) */
};

/* Record the machine (boot, once; host tests as they like). */
void hostinfo_set(const struct host_info *hi);
/* The machine as recorded (all zero before hostinfo_set). */
const struct host_info *hostinfo(void);

#endif
