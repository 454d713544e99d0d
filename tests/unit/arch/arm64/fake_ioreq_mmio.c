/* Forwarding to IOREQ servers for host tests: see fake_ioreq_mmio.h. */
#include "fake_ioreq_mmio.h"

static unsigned int offers;

unsigned int fake_ioreq_mmio_offers(void)
{
    return offers;
}

__attribute__((weak)) bool ioreq_mmio_forward(struct vcpu *v, struct trap_frame *f,
                                              const struct trap_info *t, const struct mmio_insn *m)
{
    (void)v;
    (void)f;
    (void)t;
    (void)m;
    offers++;
    return false;
}

__attribute__((weak)) void ioreq_mmio_complete(struct vcpu *v, struct trap_frame *f)
{
    (void)v;
    (void)f;
}
