/* Fake arch_dm_set_irq_level: see <fake_dm_irq.h>. */
#include <proxenos/arch/domain.h>
#include <proxenos/errno.h>
#include <fake_arch.h>
#include <fake_dm_irq.h>
#include <fake_domain.h>
#include "fake_internal.h"

static unsigned int calls;
static struct fake_dm_irq_call last;

__attribute__((weak)) int arch_dm_set_irq_level(struct domain *d, uint32_t irq, bool level)
{
    if ((irq < 32U) || ((irq - 32U) >= FAKE_DEFAULT_NR_SPIS)) {
        return -EINVAL;
    }
    calls++;
    last = (struct fake_dm_irq_call){ d, irq, level };
    return 0;
}

unsigned int fake_dm_irq_calls(struct fake_dm_irq_call *out)
{
    if (out != NULL) {
        *out = last;
    }
    return calls;
}

void fake_dm_irq_reset(void)
{
    calls = 0U;
    last = (struct fake_dm_irq_call){ NULL, 0U, false };
}
