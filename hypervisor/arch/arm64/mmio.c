/* The per-domain table of emulated MMIO ranges. */
#include <asm/domain.h>
#include <asm/mmio.h>
#include <proxenos/domain.h>
#include <proxenos/errno.h>

int domain_register_mmio(struct domain *d, paddr_t base, paddr_t size,
                         const struct mmio_ops *ops, void *priv)
{
    struct mmio_table *t = &d->arch->mmio;

    if ((size == 0U) || ((base + size) < base) || (ops == NULL)) {
        return -EINVAL;
    }
    for (unsigned int i = 0U; i < t->count; i++) {
        const struct mmio_region *r = &t->regions[i];

        if ((base < (r->base + r->size)) && (r->base < (base + size))) {
            return -EEXIST;
        }
    }
    if (t->count >= MAX_MMIO_REGIONS) {
        return -ENOSPC;
    }
    t->regions[t->count] = (struct mmio_region){ base, size, ops, priv };
    t->count++;
    return 0;
}

const struct mmio_region *domain_find_mmio(const struct domain *d, paddr_t gpa)
{
    const struct mmio_table *t = &d->arch->mmio;

    for (unsigned int i = 0U; i < t->count; i++) {
        if ((gpa >= t->regions[i].base) && ((gpa - t->regions[i].base) < t->regions[i].size)) {
            return &t->regions[i];
        }
    }
    return NULL;
}
