/*
 * hostile: a guest that calls every hypercall family with structures that
 * look right but carry fields at, just past and far past their limits, on
 * all its vCPUs at once, and that aims the cross-domain calls at a sibling
 * domain. It checks no result; it only has to come back from every call.
 * What the hypervisor writes for it lands only in pages the guest itself
 * never reads or executes (the scratch arena below), so whatever a call
 * does to our own domain cannot stop the run.
 */
#ifndef HOSTILE_H
#define HOSTILE_H

#include <stdbool.h>
#include <stdint.h>

#include <public/event_channel.h>
#include <public/grant_table.h>

#include "hypercall.h"
#include "platform.h"

#define HOSTILE_MAX_VCPUS 4U

/* Pages each vCPU builds its structures in (the CPU reads and writes them). */
#define HOSTILE_BUILD_PAGES 2U
/* Pages only the hypervisor touches: given away, moved, mapped over. */
#define HOSTILE_VICTIM_PAGES 16U
/* The buffer each sibling-aimed call builds its structure in. */
#define CROSS_BUF_SIZE 128U
/* Structures one call builds at most (a structure and its lists). */
#define HOSTILE_MAX_SLOTS 8U

/* The cross-domain attempts, counted apart so a success names its call. */
enum cross_op {
    CROSS_BIND_INTERDOMAIN,
    CROSS_EVTCHN_STATUS,
    CROSS_ALLOC_UNBOUND,
    CROSS_EVTCHN_RESET,
    CROSS_GRANT_MAP,
    CROSS_COPY_FROM_REF,
    CROSS_COPY_FROM_GMFN,
    CROSS_COPY_TO_REF,
    CROSS_COPY_TO_GMFN,
    CROSS_SETUP_TABLE,
    CROSS_QUERY_SIZE,
    CROSS_RESERVATION,
    CROSS_RESERVATION_READ,
    CROSS_ADD_TO_PHYSMAP,
    CROSS_FOREIGN_MAP,
    CROSS_REMOVE_FROM_PHYSMAP,
    CROSS_ACQUIRE_RESOURCE,
    CROSS_EXCHANGE,
    CROSS_REMOTE_SHUTDOWN,
    CROSS_HVM_PARAM,
    CROSS_NR
};

/* One vCPU's run: its generator and its counts. */
struct hctx {
    uint64_t rng;
    uint32_t vcpu;
    uint32_t calls;
    uint32_t accepted;          /* calls that returned >= 0 */
    uint32_t cross_tries;
    uint8_t *build;             /* HOSTILE_BUILD_PAGES of our own */
    uint32_t nr_slots;          /* slots handed out since arena_clear */
    uint32_t slot_start[HOSTILE_MAX_SLOTS];
    uint32_t slot_end[HOSTILE_MAX_SLOTS];
};

/* What every vCPU shares, filled in by vCPU 0 before the others start. */
struct hostile_env {
    uint16_t self;              /* our domain id */
    uint16_t sibling;           /* the neighbour's */
    uint32_t nr_vcpus;
    uint64_t ram_base, ram_end;
    uint64_t gnttab_base, gnttab_size;  /* the /hypervisor grant window */
    uint64_t ext_base, ext_size;        /* first extended region (free GPAs) */
    uint64_t gicd_base;
    uint8_t *victim;            /* HOSTILE_VICTIM_PAGES */
};

extern struct hostile_env henv;
extern uint32_t cross_success[CROSS_NR];

/* A name for each cross_op, for the summary. */
const char *cross_name(enum cross_op op);
/* Counts one cross-domain call and whether it got through; returns the latter. */
bool cross_count(struct hctx *c, enum cross_op op, bool succeeded);

/* arena.c: points c at its vCPU's build pages. */
void arena_init(struct hctx *c);
/* At start, once: the guard pages after the build and victim pages go
 * back to the hypervisor, so that a walk off their end faults. 0 or -1. */
int arena_give_back_guards(struct hctx *c);
/* Before each call: what a count past its structures reaches is zeros. */
void arena_clear(struct hctx *c);

/* prng.c: splitmix64, and values the fields are drawn from. */
uint64_t rnd(struct hctx *c);
uint32_t rnd_below(struct hctx *c, uint32_t n);
bool rnd_chance(struct hctx *c, uint32_t one_in);
/* A number close to limit: limit-2 .. limit+2, 0, limit*2 or all ones. */
uint64_t rnd_near(struct hctx *c, uint64_t limit);

/* arena.c: where pointers and frames point. */
/* A buffer of `size` bytes in our build pages: at their start, across the
 * boundary between them, or flush with the end of the last one. */
void *build_slot(struct hctx *c, uint32_t size);
/* A guest address the hypervisor may be handed to write to, read from or
 * unmap: a victim page (at its start, its end or across two), the grant
 * window, a free GPA, MMIO, a hole, past the end of RAM or the VA space. */
uint64_t wild_addr(struct hctx *c, uint32_t size);
/* The frame of such an address: never one our code, data or stacks use. */
uint64_t wild_gfn(struct hctx *c);
/* Either a real buffer of ours (most of the time) or a wild address. */
uint64_t arg_addr(struct hctx *c, void **buf, uint32_t size);
/* A domain id: ours, DOMID_SELF, the sibling's, a reserved one or unused. */
uint16_t any_domid(struct hctx *c);

/* The families; each makes one call with fields drawn from c and returns
 * its result, so that the summary can say how many were accepted. */
long fuzz_evtchn(struct hctx *c);
long fuzz_gnttab(struct hctx *c);
long fuzz_memory(struct hctx *c);
long fuzz_vcpu(struct hctx *c);
long fuzz_sched(struct hctx *c);
long fuzz_misc(struct hctx *c);
long fuzz_multicall(struct hctx *c);
/* One call against the sibling, counted by cross_count (cross.c), and
 * the memory, shutdown and parameter ones (cross_memory.c). */
long fuzz_cross(struct hctx *c);
void cross_memory(struct hctx *c, void *b, uint64_t a);
void cross_control(struct hctx *c, void *b, uint64_t a);

/* Fills entry idx of a batch with a call of a random family; its
 * argument block follows the batch's eight entries (fuzz_multicall.c). */
void multicall_fill(struct hctx *c, struct multicall_entry *list, uint32_t idx);

#endif
