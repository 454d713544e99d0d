/*
 * The slice of Xen's guest ABI (xen/include/public/xen.h, arch-arm.h,
 * sched.h; numbers as of Xen 4.17) the test guests use. Hypercall: HVC
 * with immediate 0xEA1, number in x16, arguments in x0-x4, result in x0.
 */
#ifndef GUEST_XEN_H
#define GUEST_XEN_H

#include <stdint.h>

#define XEN_HYPERCALL_TAG       0xEA1

/* __HYPERVISOR_* numbers, renamed: names starting with "__" are reserved in C. */
#define XEN_HC_CONSOLE_IO       18
#define XEN_HC_SCHED_OP         29

#define CONSOLEIO_write         0

#define SCHEDOP_shutdown        2
#define SHUTDOWN_poweroff       0
#define SHUTDOWN_reboot         1
#define SHUTDOWN_crash          3

long xen_hypercall(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2);

/* HYPERVISOR_console_io(CONSOLEIO_write, n, s): >= 0 or a negative Xen errno. */
long xen_console_write(const char *s, uint64_t n);

/* HYPERVISOR_sched_op(SCHEDOP_shutdown, {reason}); returns only on failure. */
long xen_shutdown(uint32_t reason);

#endif
