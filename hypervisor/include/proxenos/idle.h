#ifndef PROXENOS_IDLE_H
#define PROXENOS_IDLE_H

#include <proxenos/lib.h>

/* Run softirqs and sleep in WFI, forever. */
void idle_loop(void) __noreturn;

#endif
