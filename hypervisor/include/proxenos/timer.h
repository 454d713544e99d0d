/* One-shot software timers, queued per CPU and driven by the arch timer
 * interrupt. Handlers run from TIMER_SOFTIRQ on the timer's CPU. */
#ifndef PROXENOS_TIMER_H
#define PROXENOS_TIMER_H

#include <proxenos/types.h>
#include <proxenos/arch/time.h>

#define MILLISECS(ms) ((s_time_t)(ms) * 1000000)
#define MICROSECS(us) ((s_time_t)(us) * 1000)
#define SECONDS(s)    ((s_time_t)(s) * 1000000000)

struct timer {
    s_time_t expires;
    void (*fn)(void *data);
    void *data;
    unsigned int cpu;
    bool queued;
    struct timer *next;
};

static inline s_time_t NOW(void) { return arch_now(); }

void timer_subsys_init(void);
void init_timer(struct timer *t, void (*fn)(void *data), void *data, unsigned int cpu);
/* (Re)arm t to fire at expires. */
void set_timer(struct timer *t, s_time_t expires);
void stop_timer(struct timer *t);
/* Stop t, and wait until a run of its handler on another CPU has
 * returned: after this, t's handler no longer uses its data (which may
 * then be freed). Not from a handler t's CPU could be waiting on. */
void kill_timer(struct timer *t);
/* Make t fire on cpu from now on, keeping its expiry if it is set. Not
 * while someone else sets or stops t. */
void migrate_timer(struct timer *t, unsigned int cpu);
bool timer_is_queued(const struct timer *t);

/* Called by the arch code when this CPU's timer interrupt fires. */
void timer_interrupt(void);

/* Debug output for the 'r' key. */
unsigned int timer_queue_length(unsigned int cpu);
uint64_t timer_fired_count(unsigned int cpu);

#endif
