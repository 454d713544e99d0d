/* The console ring a domain shares with its console back end
 * (xenconsoled): one page of the domain's RAM, input and output byte
 * rings with free-running indices, a producer and a consumer each.
 *
 * Layout checked against Xen 4.17.0 (RELEASE-4.17.0):
 * xen/include/public/io/console.h. A ring index grows without bound
 * (wrapping at 2^32); the byte an index names is at index modulo the
 * ring's size, which is a power of two, so masking finds it. The vpl011's
 * console-ring back end (arch/arm64/vpl011_ring.c) uses it. Self-contained:
 * includes nothing but <stddef.h> and <stdint.h>. */
#ifndef PUBLIC_IO_CONSOLE_H
#define PUBLIC_IO_CONSOLE_H

#include <stddef.h>
#include <stdint.h>

typedef uint32_t XENCONS_RING_IDX;

#define XENCONS_IN_SIZE  1024U     /* back end -> domain */
#define XENCONS_OUT_SIZE 2048U     /* domain -> back end */

struct xencons_interface {
    char in[XENCONS_IN_SIZE];
    char out[XENCONS_OUT_SIZE];
    XENCONS_RING_IDX in_cons, in_prod;      /* in: the domain consumes */
    XENCONS_RING_IDX out_cons, out_prod;    /* out: the domain produces */
};

_Static_assert(sizeof(struct xencons_interface) == 3088U, "xencons_interface layout");
_Static_assert(offsetof(struct xencons_interface, in_cons) == 3072U, "xencons_interface layout");
_Static_assert(offsetof(struct xencons_interface, out_prod) == 3084U, "xencons_interface layout");

#endif
