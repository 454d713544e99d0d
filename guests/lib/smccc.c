#include "smccc.h"

struct smccc_res smccc_call(uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
    register uint64_t x0 __asm__("x0") = fid;
    register uint64_t x1 __asm__("x1") = a1;
    register uint64_t x2 __asm__("x2") = a2;
    register uint64_t x3 __asm__("x3") = a3;
    struct smccc_res r;

    /* SMCCC 1.0 lets the callee clobber x4-x17; 1.1 preserves them. Assume 1.0. */
    __asm__ volatile("hvc #0"
                     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
                     :
                     : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11",
                       "x12", "x13", "x14", "x15", "x16", "x17", "memory");
    r.a0 = x0;
    r.a1 = x1;
    r.a2 = x2;
    r.a3 = x3;
    return r;
}
