/* The world the hypercall-level fuzz targets share (fuzz_control,
 * fuzz_hypercall, fuzz_evtchn_gnttab): the fake arch and the shared fakes
 * reset once, the real heap on fake RAM, then per input a dom0 and a domU
 * made by domain_create() with a little guest RAM each, and at the end of
 * the input the leak check: every domain destroyed and reaped, every page
 * and heap object back. Kept in one place so that a change to how domains
 * are made or torn down reaches all three targets at once. */
#ifndef FUZZ_ENV_H
#define FUZZ_ENV_H

#include <stdbool.h>
#include <stdint.h>
#include <proxenos/domain.h>

#define FUZZ_ENV_HEAP_BASE 0x80000000ULL
#define FUZZ_ENV_HEAP_SIZE (64ULL << 20)
#define FUZZ_ENV_GUEST_RAM 0x40000000ULL     /* where each domain's RAM starts */
#define FUZZ_ENV_GUEST_SIZE (64ULL << 10)

/* Resets the fakes and builds the heap on the first call; later calls do
 * nothing (libFuzzer runs many inputs in one process). */
void fuzz_env_init_once(void);

/* Remembers the free pages and live heap objects: what fuzz_env_end()
 * expects back. Call before the input's first domain is made. */
void fuzz_env_begin(void);

/* A domain of two vCPUs with FUZZ_ENV_GUEST_SIZE bytes of RAM at
 * FUZZ_ENV_GUEST_RAM, running, its vCPU 0 running. Traps on failure. */
struct domain *fuzz_env_domain(domid_t id, const char *name, bool privileged);

/* Reaps what the input stopped (while dom0 still runs: the reaper powers
 * the machine off once no domain is left), destroys every domain left,
 * reaps them, and traps unless no domain is in memory and the heap and the
 * free pages are as fuzz_env_begin() found them. */
void fuzz_env_end(void);

#endif
