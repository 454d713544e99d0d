/* Checking the addresses a boot description gives before anything is read
 * there (see boot_ranges.h). Ranges are [start, start + size) with the end
 * computed only once the range is known not to wrap. */
#include <proxenos/boot_ranges.h>
#include <proxenos/printk.h>

#define PATH_MAX_LEN 128U

static bool wraps(paddr_t start, uint64_t size)
{
    return (size - 1U) > (UINT64_MAX - start);
}

/* Both ranges are non-empty and do not wrap. */
static bool overlaps(paddr_t start, uint64_t size, paddr_t other, uint64_t other_size)
{
    return (start < (other + other_size)) && (other < (start + size));
}

static bool inside_ram(const struct boot_info *bi, paddr_t start, uint64_t size)
{
    for (uint32_t i = 0U; i < bi->nr_ram; i++) {
        const struct boot_range *r = &bi->ram[i];

        /* The scan refused banks that wrap, so r->start + r->size holds. */
        if ((start >= r->start) && (size <= r->size) && ((start - r->start) <= (r->size - size))) {
            return true;
        }
    }
    return false;
}

static bool overlaps_owned(const struct boot_range *r, paddr_t start, uint64_t size)
{
    return (r->size != 0U) && !wraps(r->start, r->size) &&
           overlaps(start, size, r->start, r->size);
}

/* Only /reserved-memory children: a /memreserve/ entry is often the
 * loader's note of where it put a module (U-Boot reserves the initrd so),
 * not a claim of its own. */
static bool overlaps_reserved_node(const struct boot_info *bi, paddr_t start, uint64_t size,
                                   uint32_t *which)
{
    for (uint32_t i = 0U; i < bi->nr_reserved; i++) {
        const struct boot_reserved *r = &bi->reserved[i];

        if ((r->source == BOOT_RESERVED_NODE) && (r->size != 0U) && !wraps(r->start, r->size) &&
            overlaps(start, size, r->start, r->size)) {
            *which = i;
            return true;
        }
    }
    return false;
}

enum boot_range_verdict boot_range_check(const struct boot_info *bi,
                                         const struct boot_owned *owned, paddr_t start,
                                         uint64_t size, uint32_t before, uint32_t *other)
{
    uint32_t which = 0U;

    if (size == 0U) {
        return BOOT_RANGE_EMPTY;
    }
    if (wraps(start, size)) {
        return BOOT_RANGE_WRAPS;
    }
    if (!inside_ram(bi, start, size)) {
        return BOOT_RANGE_NOT_RAM;
    }
    if (overlaps_owned(&owned->image, start, size)) {
        return BOOT_RANGE_IMAGE;
    }
    if (overlaps_owned(&owned->dtb, start, size)) {
        return BOOT_RANGE_DTB;
    }
    if (overlaps_reserved_node(bi, start, size, &which)) {
        if (other != NULL) {
            *other = which;
        }
        return BOOT_RANGE_RESERVED;
    }
    for (uint32_t i = 0U; (i < before) && (i < bi->nr_modules); i++) {
        const struct boot_module *m = &bi->modules[i];
        bool same = (m->start == start) && (m->size == size);

        /* Only modules that passed count: an unusable one is never read
         * nor reserved, so it holds nothing. */
        if ((m->unusable == NULL) && !same && overlaps(start, size, m->start, m->size)) {
            if (other != NULL) {
                *other = i;
            }
            return BOOT_RANGE_MODULE;
        }
    }
    return BOOT_RANGE_OK;
}

const char *boot_range_verdict_text(enum boot_range_verdict v)
{
    switch (v) {
    case BOOT_RANGE_OK:
        return "is usable";
    case BOOT_RANGE_EMPTY:
        return "is empty";
    case BOOT_RANGE_WRAPS:
        return "wraps around the end of the address space";
    case BOOT_RANGE_NOT_RAM:
        return "is not in RAM";
    case BOOT_RANGE_IMAGE:
        return "overlaps the hypervisor";
    case BOOT_RANGE_DTB:
        return "overlaps the boot device tree";
    case BOOT_RANGE_RESERVED:
        return "overlaps reserved memory";
    case BOOT_RANGE_STATIC:
        return "overlaps another static memory bank";
    case BOOT_RANGE_SHM:
        return "overlaps static shared memory";
    default:
        return "overlaps another boot module";
    }
}

/* The node's path; when that does not fit, its name and its domain's, the
 * module's first so that a truncation cuts the domain's. */
void boot_module_path(const struct boot_info *bi, const struct boot_module *m, char *buf,
                      size_t size)
{
    const char *name = (m->name != NULL) ? m->name : "?";

    if ((m->node >= 0) && (fdt_node_path(bi->fdt, m->node, buf, size) >= 0)) {
        return;
    }
    if (m->domain_name != NULL) {
        (void)snprintf(buf, size, "%s (in %s)", name, m->domain_name);
    } else {
        (void)snprintf(buf, size, "%s", name);
    }
}

void boot_reserved_path(const struct boot_info *bi, uint32_t i, char *buf, size_t size)
{
    const struct boot_reserved *r = &bi->reserved[i];

    if ((r->node >= 0) && (fdt_node_path(bi->fdt, r->node, buf, size) >= 0)) {
        return;
    }
    (void)snprintf(buf, size, "/reserved-memory [0x%llx, +0x%llx)", (unsigned long long)r->start,
                   (unsigned long long)r->size);
}

static void module_path(const struct boot_info *bi, const struct boot_module *m, char *buf)
{
    boot_module_path(bi, m, buf, PATH_MAX_LEN);
}

uint32_t boot_modules_check(struct boot_info *bi, const struct boot_owned *owned)
{
    uint32_t refused = 0U;

    for (uint32_t i = 0U; i < bi->nr_modules; i++) {
        struct boot_module *m = &bi->modules[i];
        char path[PATH_MAX_LEN];
        char other_path[PATH_MAX_LEN];
        uint32_t other = 0U;
        enum boot_range_verdict v;

        module_path(bi, m, path);
        if (m->unusable != NULL) {
            /* The scan could not read where it is. */
            pr_err("Boot module %s: %s\n", path, m->unusable);
            refused++;
            continue;
        }
        v = boot_range_check(bi, owned, m->start, m->size, i, &other);
        if (v == BOOT_RANGE_OK) {
            continue;
        }
        m->unusable = boot_range_verdict_text(v);
        refused++;
        if (v == BOOT_RANGE_MODULE) {
            module_path(bi, &bi->modules[other], other_path);
            pr_err("Boot module %s: [0x%llx, +0x%llx) overlaps boot module %s\n", path,
                   (unsigned long long)m->start, (unsigned long long)m->size, other_path);
        } else {
            pr_err("Boot module %s: [0x%llx, +0x%llx) %s\n", path, (unsigned long long)m->start,
                   (unsigned long long)m->size, m->unusable);
        }
    }
    return refused;
}

bool boot_module_usable_by(const struct boot_info *bi, const struct boot_module *m,
                           const char *domain)
{
    char path[PATH_MAX_LEN];

    if ((m == NULL) || (m->unusable == NULL)) {
        return true;
    }
    module_path(bi, m, path);
    if (domain != NULL) {
        pr_err("dom0less: %s: %s module %s is unusable (%s): domain skipped\n", domain,
               boot_module_kind_name(m->kind), path, m->unusable);
    } else {
        pr_err("dom0: %s module %s is unusable (%s): dom0 not built\n",
               boot_module_kind_name(m->kind), path, m->unusable);
    }
    return false;
}
