/* sched=: which scheduler new cpupools use. Names are Xen's; a scheduler
 * left out of this build's configuration is refused like an unknown one. */
#include <proxenos/cmdline.h>
#include <proxenos/errno.h>
#include <proxenos/sched_params.h>
#include <proxenos/string.h>

struct sched_name {
    const char *name;
    bool built;
};

static const struct sched_name schedulers[] = {
#ifdef CONFIG_SCHED_CREDIT2
    { "credit2", true },
#endif
#ifdef CONFIG_SCHED_NULL
    { "null", true },
#endif
    { "credit", false },
    { "rtds", false },
    { "arinc653", false },
};

static const char *chosen = SCHED_DEFAULT_NAME;

static int parse_sched(const char *s)
{
    for (unsigned int i = 0U; i < ARRAY_SIZE(schedulers); i++) {
        if (strcmp(s, schedulers[i].name) == 0) {
            if (!schedulers[i].built) {
                return -EOPNOTSUPP;
            }
            chosen = schedulers[i].name;
            return 0;
        }
    }
    return -EINVAL;
}
PARAM_CUSTOM("sched", parse_sched);

const char *sched_default_name(void)
{
    return chosen;
}
