/* Emulated MMIO: a device model registers a guest-physical range with its
 * domain; a stage-2 data abort in that range is decoded once (trap_dabt.c)
 * and handed to the range's handler. */
#ifndef ASM_MMIO_H
#define ASM_MMIO_H

#include <proxenos/types.h>

struct vcpu;
struct domain;

/* One decoded guest access. */
struct mmio_access {
    paddr_t gpa;            /* guest-physical address accessed */
    paddr_t offset;         /* gpa - base of the registered range */
    unsigned int size;      /* bytes: 1, 2, 4 or 8 */
    bool write;
};

/* Handlers return 0, or a negative error: the access is then refused with
 * a data abort injected into the guest (a device model never crashes the
 * hypervisor). Reads fill *val (zero-extended to 64 bits). */
struct mmio_ops {
    int (*read)(struct vcpu *v, const struct mmio_access *a, uint64_t *val, void *priv);
    int (*write)(struct vcpu *v, const struct mmio_access *a, uint64_t val, void *priv);
};

#define MAX_MMIO_REGIONS 16U

struct mmio_region {
    paddr_t base;
    paddr_t size;
    const struct mmio_ops *ops;
    void *priv;
};

struct mmio_table {
    struct mmio_region regions[MAX_MMIO_REGIONS];
    unsigned int count;
};

/* Register [base, base+size) of d. -ENOSPC when the table is full,
 * -EEXIST when it overlaps a registered range. */
int domain_register_mmio(struct domain *d, paddr_t base, paddr_t size,
                         const struct mmio_ops *ops, void *priv);

/* The region of d containing gpa, or NULL. */
const struct mmio_region *domain_find_mmio(const struct domain *d, paddr_t gpa);

#endif
