/* The sched_op hypercall (Xen 4.17, xen/include/public/sched.h): commands,
 * argument layouts for an arm64 guest (a guest handle is 8 bytes) and the
 * shutdown reasons. Self-contained: includes nothing but <stdint.h>. */
#ifndef PUBLIC_SCHED_H
#define PUBLIC_SCHED_H

#include <stdint.h>

#define SCHEDOP_yield           0   /* no argument */
#define SCHEDOP_block           1   /* no argument */
#define SCHEDOP_shutdown        2   /* struct sched_shutdown */
#define SCHEDOP_poll            3   /* struct sched_poll */
#define SCHEDOP_remote_shutdown 4   /* struct sched_remote_shutdown */
#define SCHEDOP_shutdown_code   5   /* struct sched_shutdown */
#define SCHEDOP_watchdog        6   /* struct sched_watchdog */
#define SCHEDOP_pin_override    7   /* struct sched_pin_override */

struct sched_shutdown {
    uint32_t reason;        /* SHUTDOWN_* */
};

struct sched_poll {
    uint64_t ports;         /* guest handle: evtchn_port_t[nr_ports] */
    uint32_t nr_ports;
    uint32_t pad;
    uint64_t timeout;       /* absolute system time (ns); 0: none */
};

struct sched_remote_shutdown {
    uint16_t domain_id;
    uint16_t pad;
    uint32_t reason;        /* SHUTDOWN_* */
};

struct sched_watchdog {
    uint32_t id;
    uint32_t timeout;       /* seconds */
};

struct sched_pin_override {
    int32_t pcpu;
};

/* Shutdown reasons. The hypervisor's <proxenos/domain.h> declares the first
 * five as enum shutdown_reason; include it before this header there. */
#ifndef PROXENOS_DOMAIN_H
#define SHUTDOWN_poweroff   0
#define SHUTDOWN_reboot     1
#define SHUTDOWN_suspend    2
#define SHUTDOWN_crash      3
#define SHUTDOWN_watchdog   4
#endif
#define SHUTDOWN_soft_reset 5
#define SHUTDOWN_MAX        5

#endif
