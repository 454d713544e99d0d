/* A stand-in for arch_vuart_init (<proxenos/arch/domain.h>), the emulated
 * UART that XEN_DOMCTL_vuart_op asks the architecture for: it records
 * each call and answers what the test set (by default 0 and port 5),
 * whatever the type: which types exist is the architecture's to say.
 * Weak: a test that links arch/arm64/vpl011.c gets the real one. */
#ifndef FAKE_VUART_H
#define FAKE_VUART_H

#include <proxenos/types.h>

struct domain;

struct fake_vuart_call {
    struct domain *d;
    uint32_t type;          /* XEN_DOMCTL_VUART_TYPE_*, as asked */
    uint64_t ring;          /* gfn */
    uint16_t backend;
};

/* What the next calls answer: rc, and the port when rc is 0. */
void fake_vuart_answer(int rc, uint32_t port);
/* Calls since the reset, and the last one's arguments (out may be NULL). */
unsigned int fake_vuart_calls(struct fake_vuart_call *out);

#endif
