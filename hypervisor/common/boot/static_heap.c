/* /chosen's xen,static-heap: read once, each bank checked, and the boot
 * allocator kept to the banks that pass (see static_heap.h). */
#include <proxenos/bootmem.h>
#include <proxenos/errno.h>
#include <proxenos/fdt.h>
#include <proxenos/lib.h>
#include <proxenos/printk.h>
#include <proxenos/static_heap.h>

#define HEAP_PROP "xen,static-heap"

/* Both non-empty and not wrapping. */
static bool overlaps(const struct boot_range *a, paddr_t start, uint64_t size)
{
    return (start < (a->start + a->size)) && (a->start < (start + size));
}

/* Insert keeping the banks sorted by address; the caller checked there is
 * room and that the bank overlaps none already there. */
static void insert_sorted(struct static_heap *sh, paddr_t start, uint64_t size)
{
    uint32_t i = sh->nr_banks;

    while ((i > 0U) && (sh->banks[i - 1U].start > start)) {
        sh->banks[i] = sh->banks[i - 1U];
        i--;
    }
    sh->banks[i].start = start;
    sh->banks[i].size = size;
    sh->nr_banks++;
}

/* Why bank [start, +size) cannot be heap, or NULL if it can. */
static const char *bank_refusal(const struct boot_info *bi, const struct boot_owned *owned,
                                const struct static_heap *sh, paddr_t start, uint64_t size)
{
    /* Modules are checked below: boot_range_check lets a module repeat
     * another's exact range, which a heap bank may not. */
    enum boot_range_verdict v = boot_range_check(bi, owned, start, size, 0U, NULL);

    if (v != BOOT_RANGE_OK) {
        return boot_range_verdict_text(v);
    }
    for (uint32_t i = 0U; i < bi->nr_modules; i++) {
        const struct boot_module *m = &bi->modules[i];
        struct boot_range r = { m->start, m->size };

        /* An unusable module is never reserved nor read. */
        if ((m->unusable == NULL) && (m->size != 0U) && overlaps(&r, start, size)) {
            return "overlaps a boot module";
        }
    }
    for (uint32_t i = 0U; i < sh->nr_banks; i++) {
        if (overlaps(&sh->banks[i], start, size)) {
            return "overlaps an earlier heap bank";
        }
    }
    return NULL;
}

int static_heap_scan(const struct boot_info *bi, const struct boot_owned *owned,
                     struct static_heap *sh, const char **why)
{
    const struct fdt *fdt = bi->fdt;
    uint32_t ac;
    uint32_t sc;
    uint32_t len = 0U;
    uint32_t bank_bytes;
    const uint8_t *p;

    sh->present = false;
    sh->nr_banks = 0U;
    sh->nr_refused = 0U;
    *why = NULL;
    if ((fdt == NULL) || (bi->chosen < 0)) {
        return 0;
    }
    p = fdt_getprop(fdt, bi->chosen, HEAP_PROP, &len);
    if (p == NULL) {
        return 0;
    }
    sh->present = true;
    ac = fdt_address_cells(fdt, fdt_root(fdt));
    sc = fdt_size_cells(fdt, fdt_root(fdt));
    if ((ac < 1U) || (ac > 2U) || (sc < 1U) || (sc > 2U)) {
        *why = "the root's #address-cells and #size-cells must each be 1 or 2";
        return -EINVAL;
    }
    bank_bytes = (ac + sc) * 4U;
    if ((len == 0U) || ((len % bank_bytes) != 0U)) {
        *why = "its length is not a whole number of <address size> banks";
        return -EINVAL;
    }
    for (uint32_t off = 0U; off < len; off += bank_bytes) {
        paddr_t start = fdt_read_cells(&p[off], ac);
        uint64_t size = fdt_read_cells(&p[off + (ac * 4U)], sc);
        const char *bad;

        /* Empty banks mean nothing, as in Xen. */
        if (size == 0U) {
            continue;
        }
        bad = bank_refusal(bi, owned, sh, start, size);
        if (bad != NULL) {
            pr_err("/chosen/" HEAP_PROP ": bank [0x%llx, +0x%llx) %s: left out of the heap\n",
                   (unsigned long long)start, (unsigned long long)size, bad);
            sh->nr_refused++;
            continue;
        }
        if (sh->nr_banks >= STATIC_HEAP_MAX_BANKS) {
            *why = "more than 32 banks";
            return -ENOSPC;
        }
        if (!IS_ALIGNED(start | size, KiB(64))) {
            /* Xen's binding asks for 64 KiB but does not check: warn only. */
            pr_warn("/chosen/" HEAP_PROP ": bank [0x%llx, +0x%llx) is not 64 KiB aligned\n",
                    (unsigned long long)start, (unsigned long long)size);
        }
        insert_sorted(sh, start, size);
    }
    return 0;
}

/* Reserve [start, end) if it is not empty. */
static int reserve_gap(paddr_t start, paddr_t end)
{
    return (start < end) ? bootmem_reserve(start, end) : 0;
}

int static_heap_reserve_rest(const struct boot_info *bi, const struct static_heap *sh)
{
    for (uint32_t i = 0U; i < bi->nr_ram; i++) {
        paddr_t pos = bi->ram[i].start;
        paddr_t end = bi->ram[i].start + bi->ram[i].size;
        int rc;

        /* The banks are sorted and each lies inside one RAM bank. */
        for (uint32_t j = 0U; j < sh->nr_banks; j++) {
            const struct boot_range *h = &sh->banks[j];

            if ((h->start < pos) || (h->start >= end)) {
                continue;
            }
            rc = reserve_gap(pos, h->start);
            if (rc != 0) {
                return rc;
            }
            pos = h->start + h->size;
        }
        rc = reserve_gap(pos, end);
        if (rc != 0) {
            return rc;
        }
    }
    return 0;
}

uint64_t static_heap_bytes(const struct static_heap *sh)
{
    uint64_t total = 0U;

    for (uint32_t i = 0U; i < sh->nr_banks; i++) {
        total += sh->banks[i].size;
    }
    return total;
}
