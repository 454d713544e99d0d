#include "config.h"
#include "gicv3.h"
#include "printf.h"
#include "psci.h"
#include "smp.h"
#include "sysreg.h"

/* Stacks of every vCPU; start.S sets SP to the top of slot `index`. */
uint8_t guest_stacks[GUEST_LIB_MAX_VCPUS * GUEST_STACK_SIZE] __attribute__((aligned(16)));

extern void secondary_entry(void);

struct start_slot {
    smp_fn_t fn;
    void *arg;
};

static struct start_slot slots[GUEST_LIB_MAX_VCPUS];

uint32_t cpu_index(void)
{
    return (uint32_t)SYSREG_READ(tpidr_el1);
}

int32_t smp_cpu_on(const struct platform *p, uint32_t index, smp_fn_t fn, void *arg)
{
    if ((index >= GUEST_LIB_MAX_VCPUS) || (index >= p->cpu_count)) {
        return PSCI_INVALID_PARAMETERS;
    }
    slots[index].fn = fn;
    slots[index].arg = arg;
    /* psci_cpu_on orders these stores before the call */
    return psci_cpu_on(p->cpu_mpidr[index], (uint64_t)(uintptr_t)&secondary_entry, index);
}

void secondary_boot(uint64_t index)
{
    struct start_slot s = slots[index];
    int32_t rc;

    __asm__ volatile("msr daifclr, #4" : : : "memory");     /* SErrors in */
    if (gic_ready() && (gic_cpu_init() != 0)) {
        printf("smp: vcpu %u: no redistributor for MPIDR 0x%lx\n",
               (uint32_t)index, mpidr_affinity());
    }
    if (s.fn != NULL) {
        s.fn(s.arg);
    }
    irq_disable();
    rc = psci_cpu_off();
    printf("smp: vcpu %u: CPU_OFF returned %d\n", (uint32_t)index, rc);
    for (;;) {
        wfi();
    }
}
