/*
 * sibling: the well-behaved neighbour of guests/hostile. It owns memory,
 * event channels, grants and shared-info state that it sets up once, uses
 * all the time and checks for changes it did not make.
 */
#ifndef SIBLING_H
#define SIBLING_H

#include <stdbool.h>
#include <stdint.h>

#include "hypercall.h"

#define SIB_PATTERN_PAGES   256U    /* 1 MiB of our RAM under a known pattern */
#define SIB_UNBOUND_PORTS   4U      /* offered to ourselves, never to the hostile guest */
#define SIB_FIRST_REF       8U
#define SIB_REFS            8U      /* refs 8..15: pattern pages granted to ourselves */
#define SIB_FOREIGN_REF     16U     /* granted to a domain id nobody has */
#define SIB_MASK_FIRST      512U    /* 2-level mask bits we set in shared info */
#define SIB_MASK_COUNT      512U

/* state.c: what we set up, and the checks that nothing else changed it. */
bool sib_state_setup(uint16_t self, uint32_t *ipi_port);
uint32_t sib_pattern_errors(uint32_t first_page, uint32_t pages);
uint32_t sib_grant_errors(uint16_t self);
uint32_t sib_mask_errors(void);
uint32_t sib_port_errors(uint16_t self, uint32_t ipi_port);
/* One round of real work: an event to ourselves and a copy through our own grant. */
bool sib_event_round(uint32_t ipi_port);
bool sib_copy_round(uint16_t self, uint32_t n);

#endif
