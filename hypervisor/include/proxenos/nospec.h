/* Speculation hardening of guest-controlled array indexes (Spectre v1).
 *
 * A bounds check is a conditional branch, and a CPU may run past it on a
 * misprediction, loading from table[idx] with an out-of-range idx whose
 * value a guest chose. Masking the index with a value computed from the
 * comparison by arithmetic, not by a branch, keeps even a speculative load
 * inside the table:
 *
 *     if (port >= d->max_ports) return -EINVAL;
 *     chan = &d->ports[array_index_nospec(port, d->max_ports)];
 *
 * Use it wherever a guest (or any input we do not control) picks an
 * element: event-channel ports, grant references, hypercall numbers,
 * interrupt numbers, vCPU ids. The bounds check stays: the mask only turns
 * a wrong index into 0 for the speculative path; architecturally the index
 * has already been checked. */
#ifndef PROXENOS_NOSPEC_H
#define PROXENOS_NOSPEC_H

#include <proxenos/types.h>
#include <proxenos/arch/nospec.h>

/* All ones if idx < size, else 0, for every 64-bit idx and size (size 0
 * included: nothing is in range). Branch-free, with the architecture's
 * speculation barrier after it where there is one. */
static inline uint64_t array_index_mask_nospec(uint64_t idx, uint64_t size)
{
    return arch_index_mask_nospec(idx, size);
}

/* idx if idx < size, else 0: the index to use after the bounds check. */
static inline uint64_t array_index_nospec(uint64_t idx, uint64_t size)
{
    return idx & array_index_mask_nospec(idx, size);
}

#endif
