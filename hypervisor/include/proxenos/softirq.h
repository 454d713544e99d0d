/* Softirqs: work raised in interrupt context (or by another CPU) and run on
 * the target CPU outside interrupt context, before it goes idle. */
#ifndef PROXENOS_SOFTIRQ_H
#define PROXENOS_SOFTIRQ_H

#include <proxenos/types.h>

enum softirq_nr {
    TIMER_SOFTIRQ = 0,
    CALL_FUNCTION_SOFTIRQ,
    SCHEDULE_SOFTIRQ,
    NR_SOFTIRQS,
};

void open_softirq(enum softirq_nr nr, void (*handler)(void));
void raise_softirq(enum softirq_nr nr);
/* Raise on another CPU and kick it with an IPI. */
void cpu_raise_softirq(unsigned int cpu, enum softirq_nr nr);
bool softirq_pending(unsigned int cpu);
void do_softirq(void);
uint64_t softirq_count(unsigned int cpu);

#endif
