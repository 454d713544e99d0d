/* credit2's boot parameters, with Xen 4.17's names and defaults
 * (docs/misc/xen-command-line.pandoc). sched_ratelimit_us is the core's
 * (sched_params.c), shared with credit. */
#include <proxenos/cmdline.h>
#include <proxenos/errno.h>
#include <proxenos/string.h>
#include "credit2.h"

enum c2_runq_level c2_opt_runqueue = C2_RUNQ_SOCKET;
uint32_t c2_opt_migrate_resist_us = 500U;
uint32_t c2_opt_max_cpus_runqueue = C2_MAX_CPUS_RUNQ;
uint32_t c2_opt_cap_period_ms = 10U;
int32_t c2_opt_balance_under = 0;
int32_t c2_opt_balance_over = -3;

PARAM_UINT("sched_credit2_migrate_resist", c2_opt_migrate_resist_us);
PARAM_UINT("sched_credit2_max_cpus_runqueue", c2_opt_max_cpus_runqueue);
PARAM_UINT("credit2_cap_period_ms", c2_opt_cap_period_ms);
PARAM_UINT("credit2_balance_under", c2_opt_balance_under);
PARAM_UINT("credit2_balance_over", c2_opt_balance_over);

static int parse_runqueue(const char *s)
{
    static const char *const names[] = { "cpu", "core", "socket", "node", "all" };
    static const enum c2_runq_level levels[] = {
        C2_RUNQ_CPU, C2_RUNQ_CORE, C2_RUNQ_SOCKET, C2_RUNQ_NODE, C2_RUNQ_ALL,
    };

    for (unsigned int i = 0U; i < ARRAY_SIZE(names); i++) {
        if (strcmp(s, names[i]) == 0) {
            c2_opt_runqueue = levels[i];
            return 0;
        }
    }
    return -EINVAL;
}
PARAM_CUSTOM("credit2_runqueue", parse_runqueue);
