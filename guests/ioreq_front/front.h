/*
 * ioreq_front's parts: aborts taken on purpose (main.c), the register
 * round trips each vCPU makes (patterns.c).
 */
#ifndef IOREQ_FRONT_H
#define IOREQ_FRONT_H

#include <stdbool.h>
#include <stdint.h>

/* One vCPU's round trips over its own 64-byte block of the register file. */
struct worker {
    uint64_t block;             /* offset of the block */
    uint32_t rounds;
    uint32_t seed;
    uint32_t accesses;          /* done so far */
    uint32_t errors;
    uint64_t first_off;         /* the first mismatch */
    uint64_t first_got;
    uint64_t first_want;
    volatile bool finished;
};

void worker_run(struct worker *w);

/* The narrow loads and their registers; PASS/FAIL lines, on the boot vCPU. */
void check_lanes_and_extension(void);

#endif
