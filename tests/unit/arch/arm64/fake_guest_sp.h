/* A stand-in for arch/arm64/guest_sp.c (guest_sp_get/guest_sp_set of
 * <asm/guest_sp.h>) for host tests of the trap handlers: the real one
 * reads and writes the live SP_EL0 and SP_EL1, which a host has not, so
 * here they are two variables a test sets and reads back. Which one a
 * trap uses is still the real guest_sp_in_use() of the header. Weak, as
 * every fake. Link it by naming ../tests/unit/arch/arm64/fake_guest_sp.c
 * in a test's -src, and call fake_guest_sp_reset() in each test's setup. */
#ifndef FAKE_GUEST_SP_H
#define FAKE_GUEST_SP_H

#include <stdint.h>

#include <asm/guest_sp.h>

/* Both stack pointers back to 0. */
void fake_guest_sp_reset(void);

#endif
