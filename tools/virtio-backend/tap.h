/* A tap interface in dom0: frames in and out of Linux's network stack, one
 * per read() or write(), with no packet-information prefix. */
#ifndef VBE_TAP_H
#define VBE_TAP_H

/* Create (or attach to) the tap called name, or one the kernel names when
 * name is NULL; the name it got goes to got (16 bytes). The descriptor, or
 * -1 with errno set. */
int tap_open(const char *name, char got[16]);

#endif
