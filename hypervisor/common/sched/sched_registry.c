/* The schedulers this build has, by Xen's names and ids. Each one's
 * ops are defined in its own file, built when its CONFIG_SCHED_* is on. */
#include <proxenos/sched_ops.h>
#include <proxenos/string.h>

static const struct sched_ops *const schedulers[] = {
#ifdef CONFIG_SCHED_CREDIT2
    &sched_credit2_ops,
#endif
#ifdef CONFIG_SCHED_CREDIT
    &sched_credit_ops,
#endif
#ifdef CONFIG_SCHED_NULL
    &sched_null_ops,
#endif
#ifdef CONFIG_SCHED_RTDS
    &sched_rtds_ops,
#endif
#ifdef CONFIG_SCHED_ARINC653
    &sched_arinc653_ops,
#endif
};

const struct sched_ops *sched_ops_by_name(const char *name)
{
    for (unsigned int i = 0U; i < ARRAY_SIZE(schedulers); i++) {
        if (strcmp(schedulers[i]->name, name) == 0) {
            return schedulers[i];
        }
    }
    return NULL;
}

const struct sched_ops *sched_ops_by_id(uint32_t id)
{
    for (unsigned int i = 0U; i < ARRAY_SIZE(schedulers); i++) {
        if (schedulers[i]->sched_id == id) {
            return schedulers[i];
        }
    }
    return NULL;
}
