/* A stand-in for arch/arm64/p2m_hw.c, the TLB and barrier instructions
 * behind stage-2 changes (p2m_flush_tlb, p2m_tables_sync of <asm/p2m.h>),
 * for the host tests that link the real p2m.c (test_p2m*, test_trap_dabt):
 * the host has no TLB to flush, so each call is counted, and a flush
 * calls the test's hook, at the moment the hardware would act (a test can
 * walk the tables then: break-before-make). Weak, as every fake. Link it
 * by naming ../tests/unit/arch/arm64/fake_p2m_hw.c in a test's -src. */
#ifndef FAKE_P2M_HW_H
#define FAKE_P2M_HW_H

#include <stdint.h>

struct p2m_domain;

/* Forget the counts and the hook (call it in each test's setup). */
void fake_p2m_hw_reset(void);
/* p2m_flush_tlb calls since the reset, and the VMID of the last one
 * (0 when none). */
unsigned int fake_tlb_flushes(void);
uint16_t fake_last_flush_vmid(void);
/* p2m_tables_sync calls since the reset. */
unsigned int fake_tables_syncs(void);
/* Called by every p2m_flush_tlb after it is counted (NULL: none). */
void fake_set_flush_hook(void (*fn)(struct p2m_domain *p2m));

#endif
