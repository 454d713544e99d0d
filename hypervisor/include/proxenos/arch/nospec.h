/* The mask behind array_index_nospec() (proxenos/nospec.h). An inline hook,
 * unlike the others in this folder: it sits on every guest-indexed array
 * access, so a call would cost more than the work. */
#ifndef PROXENOS_ARCH_NOSPEC_H
#define PROXENOS_ARCH_NOSPEC_H

#include <proxenos/types.h>

/* All ones if idx < size, else 0, computed without a branch.
 *
 * The #if chooses the instruction set only. AArch64: CMP, CSETM, then CSDB
 * (HINT #20), which keeps every later instruction from using a predicted
 * value of the flags or of the conditional select: under misprediction the
 * mask is still the computed one. Written as one asm statement so that the
 * compiler can neither branch nor move the barrier before the compare.
 * Elsewhere (host unit tests): idx - size on 128 bits borrows exactly when
 * idx < size, and the borrow fills the upper half; compilers emit
 * SUB + SBB for it. */
static inline uint64_t arch_index_mask_nospec(uint64_t idx, uint64_t size)
{
#ifdef __aarch64__
    uint64_t mask;

    __asm__ volatile("cmp %1, %2\n\tcsetm %0, lo\n\thint #20"
                     : "=r"(mask) : "r"(idx), "r"(size) : "cc");
    return mask;
#else
    __uint128_t diff = (__uint128_t)idx - (__uint128_t)size;

    return (uint64_t)(diff >> 64U);
#endif
}

#endif
