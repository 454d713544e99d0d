#include "gicv3.h"
#include "irq.h"
#include "printf.h"
#include "smp.h"

struct irq_slot {
    irq_handler_t fn;
    void *arg;
};

static struct irq_slot slots[IRQ_MAX_INTID];
static uint32_t unexpected;

int irq_register(uint32_t intid, irq_handler_t fn, void *arg)
{
    if (intid >= IRQ_MAX_INTID) {
        return -1;
    }
    slots[intid].arg = arg;
    __atomic_store_n(&slots[intid].fn, fn, __ATOMIC_RELEASE);
    return 0;
}

void irq_dispatch(void)
{
    for (;;) {
        uint32_t intid = gic_ack();
        irq_handler_t fn = NULL;

        if (intid >= GIC_INTID_SPURIOUS) {
            break;      /* nothing (more) pending */
        }
        if (intid < IRQ_MAX_INTID) {
            fn = __atomic_load_n(&slots[intid].fn, __ATOMIC_ACQUIRE);
        }
        if (fn != NULL) {
            fn(intid, slots[intid].arg);
        } else {
            (void)__atomic_fetch_add(&unexpected, 1U, __ATOMIC_RELAXED);
            printf("irq: unexpected INTID %u on vcpu %u\n", intid, cpu_index());
        }
        gic_eoi(intid);
    }
}

uint32_t irq_unexpected_count(void)
{
    return __atomic_load_n(&unexpected, __ATOMIC_RELAXED);
}
