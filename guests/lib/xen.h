/*
 * Calling Xen from a test guest: the HVC itself and the two calls every
 * guest may make (console output, shutdown). The numbers and layouts are
 * Xen 4.17's public ABI as the hypervisor defines it (hypervisor/include/public/).
 * Hypercall: HVC #XEN_HYPERCALL_TAG, number in x16, arguments in x0-x4,
 * result in x0.
 */
#ifndef GUEST_XEN_H
#define GUEST_XEN_H

#include <stdint.h>

#include <public/xen.h>
#include <public/sched.h>

/* The HVC instruction of a hypercall, as an asm string. */
#define XEN_HVC_STR_(tag) #tag
#define XEN_HVC_STR(tag)  XEN_HVC_STR_(tag)
#define XEN_HVC_INSN      "hvc #" XEN_HVC_STR(XEN_HYPERCALL_TAG)

long xen_hypercall(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2);

/* HYPERVISOR_console_io(CONSOLEIO_write, n, s): >= 0 or a negative Xen errno. */
long xen_console_write(const char *s, uint64_t n);

/* HYPERVISOR_sched_op(SCHEDOP_shutdown, {reason}); returns only on failure. */
long xen_shutdown(uint32_t reason);

#endif
