/* sched=: which scheduler Pool-0 and new cpupools use. Names are Xen's; a
 * scheduler left out of this build's configuration is refused like an
 * unknown one, with its own error. */
#include <proxenos/cmdline.h>
#include <proxenos/errno.h>
#include <proxenos/sched_ops.h>
#include <proxenos/sched_params.h>
#include <proxenos/string.h>

static const char *const xen_schedulers[] = { "credit", "credit2", "arinc653", "rtds", "null" };

static const char *chosen = SCHED_DEFAULT_NAME;

uint32_t sched_ratelimit_us = SCHED_DEFAULT_RATELIMIT_US;
PARAM_UINT("sched_ratelimit_us", sched_ratelimit_us);

static int parse_sched(const char *s)
{
    const struct sched_ops *ops = sched_ops_by_name(s);

    if (ops != NULL) {
        chosen = ops->name;
        return 0;
    }
    for (unsigned int i = 0U; i < ARRAY_SIZE(xen_schedulers); i++) {
        if (strcmp(s, xen_schedulers[i]) == 0) {
            return -EOPNOTSUPP;
        }
    }
    return -EINVAL;
}
PARAM_CUSTOM("sched", parse_sched);

const char *sched_default_name(void)
{
    return chosen;
}
