#include "xen.h"

long xen_hypercall(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
    register uint64_t x0 __asm__("x0") = a0;
    register uint64_t x1 __asm__("x1") = a1;
    register uint64_t x2 __asm__("x2") = a2;
    register uint64_t x16 __asm__("x16") = nr;

    /* Xen may clobber x16 and, in debug builds, poison unused argument registers. */
    __asm__ volatile(XEN_HVC_INSN
                     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x16)
                     :
                     : "x3", "x4", "memory");
    return (long)x0;
}

long xen_console_write(const char *s, uint64_t n)
{
    return xen_hypercall(__HYPERVISOR_console_io, CONSOLEIO_write, n, (uint64_t)(uintptr_t)s);
}

long xen_shutdown(uint32_t reason)
{
    /* read by Xen from our stack */
    struct sched_shutdown arg = { .reason = reason };

    return xen_hypercall(__HYPERVISOR_sched_op, SCHEDOP_shutdown,
                         (uint64_t)(uintptr_t)&arg, 0U);
}
