/* Basic types shared by all hypervisor code. */
#ifndef PROXENOS_TYPES_H
#define PROXENOS_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A host physical address. */
typedef uint64_t paddr_t;
/* A hypervisor virtual address. */
typedef uint64_t vaddr_t;

/* Machine frame number: a host physical page. A struct so that frame
 * numbers, guest frame numbers and addresses cannot be mixed silently. */
typedef struct { uint64_t mfn; } mfn_t;

static inline mfn_t mfn(uint64_t n) { return (mfn_t){ n }; }
static inline uint64_t mfn_x(mfn_t m) { return m.mfn; }

#define PAGE_SHIFT 12U
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1UL))

/* Guest frame number: a page of a guest's physical (IPA) space. */
typedef struct { uint64_t gfn; } gfn_t;

static inline gfn_t gfn(uint64_t n) { return (gfn_t){ n }; }
static inline uint64_t gfn_x(gfn_t g) { return g.gfn; }

static inline paddr_t mfn_to_paddr(mfn_t m) { return m.mfn << PAGE_SHIFT; }
static inline mfn_t paddr_to_mfn(paddr_t pa) { return mfn(pa >> PAGE_SHIFT); }

#endif
