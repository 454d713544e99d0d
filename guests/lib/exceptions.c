#include "console.h"
#include "exceptions.h"
#include "irq.h"
#include "printf.h"
#include "smp.h"
#include "sysreg.h"
#include "test.h"

static exc_hook_t hook;

void exceptions_set_hook(exc_hook_t h)
{
    __atomic_store_n(&hook, h, __ATOMIC_RELEASE);
}

const char *exception_kind_name(uint64_t kind)
{
    static const char *const names[16] = {
        "el1t sync", "el1t irq", "el1t fiq", "el1t serror",
        "el1h sync", "el1h irq", "el1h fiq", "el1h serror",
        "el0-64 sync", "el0-64 irq", "el0-64 fiq", "el0-64 serror",
        "el0-32 sync", "el0-32 irq", "el0-32 fiq", "el0-32 serror",
    };

    return names[kind % 16U];
}

void exception_dump(const struct exc_frame *f, uint64_t kind, uint64_t esr, uint64_t far)
{
    uint32_t i;

    printf("EXCEPTION %s on vcpu %u: ESR 0x%lx (EC 0x%lx) FAR 0x%lx\n",
           exception_kind_name(kind), cpu_index(), esr, (esr >> ESR_EC_SHIFT) & 0x3fU, far);
    printf("  ELR 0x%lx SPSR 0x%lx\n", f->elr, f->spsr);
    for (i = 0U; i < 30U; i += 3U) {
        printf("  x%-2u %016lx x%-2u %016lx x%-2u %016lx\n",
               i, f->x[i], i + 1U, f->x[i + 1U], i + 2U, f->x[i + 2U]);
    }
    printf("  x30 %016lx\n", f->x[30]);
}

void exception_entry(struct exc_frame *f, uint64_t kind)
{
    uint64_t esr;
    uint64_t far;
    exc_hook_t h;

    if ((kind == EXC_IRQ_SPX) || (kind == 1U)) {
        irq_dispatch();
        return;
    }
    esr = SYSREG_READ(esr_el1);
    far = SYSREG_READ(far_el1);
    h = __atomic_load_n(&hook, __ATOMIC_ACQUIRE);
    if ((h != NULL) && h(f, kind, esr, far)) {
        return;
    }
    console_panic_mode();
    exception_dump(f, kind, esr, far);
    test_fail("exception", "unexpected %s", exception_kind_name(kind));
    test_finish();
}
