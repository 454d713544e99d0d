/* The platform_op hypercall (Xen 4.17, xen/include/public/platform.h): the
 * operations Xen on Arm implements (XENPF_settime64 only) and the
 * surrounding structure. Self-contained: includes nothing but <stdint.h>. */
#ifndef PUBLIC_PLATFORM_H
#define PUBLIC_PLATFORM_H

#include <stdint.h>

#define XENPF_INTERFACE_VERSION 0x03000001U

/* Set the wall clock so that it reads secs.nsecs (since 1970-01-01 UTC)
 * when the system time is system_time. */
#define XENPF_settime32 17
struct xenpf_settime32 {
    uint32_t secs;
    uint32_t nsecs;
    uint64_t system_time;
};

#define XENPF_settime64 62
struct xenpf_settime64 {
    uint64_t secs;
    uint32_t nsecs;
    uint32_t mbz;           /* must be zero */
    uint64_t system_time;
};

/* 136 bytes: every operation's arguments share a 128-byte union. */
struct xen_platform_op {
    uint32_t cmd;
    uint32_t interface_version;     /* XENPF_INTERFACE_VERSION */
    union {
        struct xenpf_settime32 settime32;
        struct xenpf_settime64 settime64;
        uint8_t pad[128];
    } u;
};

#endif
