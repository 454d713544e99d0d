/* Host direct map: tests register host buffers as physical RAM; the hooks
 * translate between the two and panic on addresses outside every buffer
 * (which on hardware would be a wild access). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <proxenos/arch/mm.h>
#include <proxenos/errno.h>
#include <proxenos/printk.h>
#include <fake_arch.h>
#include "fake_internal.h"

struct fake_region {
    paddr_t base;
    uint64_t len;
    uintptr_t va;
    bool owned;     /* mapped by fake_ram_alloc: unmapped at reset */
};

static struct fake_region regions[FAKE_RAM_MAX_REGIONS];
static unsigned int nr_regions;

/* Device registers: a separate list, so that RAM translation never
 * reaches them and ioremap never reaches RAM. */
static struct fake_region mmio[FAKE_MMIO_MAX_REGIONS];
static unsigned int nr_mmio;
static unsigned int ioremap_count;

void *arch_maddr_to_virt(paddr_t pa)
{
    unsigned int i;

    for (i = 0U; i < nr_regions; i++) {
        if ((pa >= regions[i].base) && ((pa - regions[i].base) < regions[i].len)) {
            return (void *)(regions[i].va + (uintptr_t)(pa - regions[i].base));
        }
    }
    panic("fake arch_maddr_to_virt: %#llx is not fake RAM", (unsigned long long)pa);
}

paddr_t arch_virt_to_maddr(const void *va)
{
    uintptr_t v = (uintptr_t)va;
    unsigned int i;

    for (i = 0U; i < nr_regions; i++) {
        if ((v >= regions[i].va) && ((uint64_t)(v - regions[i].va) < regions[i].len)) {
            return regions[i].base + (paddr_t)(v - regions[i].va);
        }
    }
    panic("fake arch_virt_to_maddr: %p is not in fake RAM", va);
}

static bool overlaps(const struct fake_region *r, unsigned int n, paddr_t base, size_t len)
{
    unsigned int i;

    for (i = 0U; i < n; i++) {
        if ((base < (r[i].base + r[i].len)) && (r[i].base < (base + len))) {
            return true;
        }
    }
    return false;
}

static int add_region(paddr_t base, void *buf, size_t len, bool owned)
{
    if ((len == 0U) || ((base % PAGE_SIZE) != 0U) || ((len % PAGE_SIZE) != 0U) ||
        (((uintptr_t)buf % PAGE_SIZE) != 0U) || ((base + len) < base)) {
        return -EINVAL;
    }
    if (overlaps(regions, nr_regions, base, len) || overlaps(mmio, nr_mmio, base, len)) {
        return -EINVAL;
    }
    if (nr_regions >= FAKE_RAM_MAX_REGIONS) {
        return -ENOSPC;
    }
    regions[nr_regions] = (struct fake_region){ base, len, (uintptr_t)buf, owned };
    nr_regions++;
    return 0;
}

int fake_ram_map(paddr_t base, void *buf, size_t len)
{
    return add_region(base, buf, len, false);
}

void *fake_ram_alloc(paddr_t base, size_t len)
{
    /* mmap, not malloc: lazily backed (a test may ask for gigabytes of
     * which it touches a few pages) and page aligned. */
    void *buf = mmap(NULL, len, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    int rc;

    if (buf == MAP_FAILED) {
        panic("fake_ram_alloc: cannot map %zu bytes", len);
    }
    rc = add_region(base, buf, len, true);
    if (rc != 0) {
        (void)munmap(buf, len);
        panic("fake_ram_alloc: cannot register %#llx+%#zx (%d)",
              (unsigned long long)base, len, rc);
    }
    return buf;
}

int fake_mmio_map(paddr_t base, void *buf, size_t len)
{
    if ((len == 0U) || (buf == NULL) || ((base + len) < base) ||
        overlaps(regions, nr_regions, base, len) || overlaps(mmio, nr_mmio, base, len)) {
        return -EINVAL;
    }
    if (nr_mmio >= FAKE_MMIO_MAX_REGIONS) {
        return -ENOSPC;
    }
    mmio[nr_mmio] = (struct fake_region){ base, len, (uintptr_t)buf, false };
    nr_mmio++;
    return 0;
}

void *arch_ioremap(paddr_t pa, size_t size)
{
    unsigned int i;

    ioremap_count++;
    for (i = 0U; i < nr_mmio; i++) {
        uint64_t off = pa - mmio[i].base;

        if ((pa >= mmio[i].base) && (off < mmio[i].len) && (size <= (mmio[i].len - off))) {
            return (void *)(mmio[i].va + (uintptr_t)off);
        }
    }
    return NULL;
}

unsigned int fake_ioremap_count(void)
{
    return ioremap_count;
}

void fake_mm_reset(void)
{
    unsigned int i;

    for (i = 0U; i < nr_regions; i++) {
        if (regions[i].owned) {
            (void)munmap((void *)regions[i].va, (size_t)regions[i].len);
        }
    }
    nr_regions = 0U;
    nr_mmio = 0U;
    ioremap_count = 0U;
}

/* The host has no DC ZVA to stand for: plain stores. */
void arch_clear_memory(void *va, size_t len)
{
    memset(va, 0, len);
}
