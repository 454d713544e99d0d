/*
 * Everything a test guest needs, and the one function it must define.
 *
 * Boot flow: start.S (Image header, MMU on, .bss, stack, vectors) ->
 * guest_boot() reads the device tree and opens the console ->
 * guest_main(platform) -> test_finish() (GUEST DONE, PSCI SYSTEM_OFF).
 */
#ifndef GUEST_GUEST_H
#define GUEST_GUEST_H

#include "bootargs.h"
#include "console.h"
#include "exceptions.h"
#include "gicv3.h"
#include "irq.h"
#include "platform.h"
#include "printf.h"
#include "psci.h"
#include "smccc.h"
#include "smp.h"
#include "string.h"
#include "sysreg.h"
#include "test.h"
#include "timer.h"
#include "xen.h"

/* The guest's own code; returning ends the run through test_finish(). */
void guest_main(const struct platform *p);

/* Called from start.S on the boot vCPU; load_addr is where _start really is. */
void guest_boot(const void *dtb, uintptr_t load_addr) __attribute__((noreturn));

#endif
