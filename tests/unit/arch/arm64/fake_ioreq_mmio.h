/* A stand-in for the forwarding of guest accesses to IOREQ servers
 * (arch/arm64/ioreq_mmio.c), for host tests of the abort path without
 * servers: every access is unclaimed, and each offer is counted.
 *
 * Weak: a test that links ioreq_mmio.c gets the real one. Link it by
 * naming ../tests/unit/arch/arm64/fake_ioreq_mmio.c in a test's -src. */
#ifndef FAKE_IOREQ_MMIO_H
#define FAKE_IOREQ_MMIO_H

#include <asm/ioreq_mmio.h>

/* ioreq_mmio_forward calls so far. */
unsigned int fake_ioreq_mmio_offers(void);

#endif
