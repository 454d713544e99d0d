/* Fake arch_vuart_init: see <fake_vuart.h>. */
#include <proxenos/arch/domain.h>
#include <fake_arch.h>
#include <fake_vuart.h>
#include "fake_internal.h"

static int answer_rc;
static uint32_t answer_port;
static unsigned int calls;
static struct fake_vuart_call last;

__attribute__((weak)) int arch_vuart_init(struct domain *d, uint32_t type, gfn_t ring,
                                          domid_t backend, evtchn_port_t *port)
{
    calls++;
    last.d = d;
    last.type = type;
    last.ring = gfn_x(ring);
    last.backend = backend;
    if (answer_rc == 0) {
        *port = answer_port;
    }
    return answer_rc;
}

void fake_vuart_answer(int rc, uint32_t port)
{
    answer_rc = rc;
    answer_port = port;
}

unsigned int fake_vuart_calls(struct fake_vuart_call *out)
{
    if (out != NULL) {
        *out = last;
    }
    return calls;
}

void fake_vuart_reset(void)
{
    answer_rc = 0;
    answer_port = 5U;
    calls = 0U;
    last = (struct fake_vuart_call){ NULL, 0U, 0U, 0U };
}
