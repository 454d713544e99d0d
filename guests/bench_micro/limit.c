/*
 * The physical limit of a trapped call, for `make bench`'s Limit column:
 * an SVC taken to the guest's own EL1 and straight back, through a vector
 * table whose every entry is a lone ERET. Run on bare QEMU (no hypervisor),
 * it is the least any exception round trip can cost on this machine, the
 * floor for the hypervisor's HVC figures.
 */
#include "guest.h"
#include "limit.h"

/* 16 entries of 128 bytes, the table 2 KiB aligned as VBAR_EL1 wants. */
__asm__(".pushsection .text.bench_eret_vectors, \"ax\"\n"
        ".balign 2048\n"
        ".global bench_eret_vectors\n"
        "bench_eret_vectors:\n"
        ".rept 16\n"
        "eret\n"
        ".balign 128\n"
        ".endr\n"
        ".popsection\n");

extern const char bench_eret_vectors[];

uint64_t bench_svc_round_trips(uint64_t iters)
{
    uint64_t vbar = SYSREG_READ(vbar_el1);
    uint64_t t0;
    uint64_t t1;

    irq_disable();
    SYSREG_WRITE(vbar_el1, (uint64_t)(uintptr_t)bench_eret_vectors);
    isb();
    t0 = timer_now();
    for (uint64_t i = 0U; i < iters; i++) {
        __asm__ volatile("svc #0" : : : "memory");
    }
    isb();
    t1 = timer_now();
    SYSREG_WRITE(vbar_el1, vbar);
    isb();
    return t1 - t0;
}
