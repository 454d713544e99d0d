/*
 * static_shm: one user of a static shared memory region (a
 * xen,domain-shared-memory-v1 node in the boot device tree). What it is
 * told, from bootargs:
 *
 *   id=<xen,shm-id> gaddr=<guest address> size=<bytes> first=<0|1> [reboot=1]
 *
 * It checks that its device tree describes the region as Xen 4.17 does
 * (/reserved-memory with the root's cells and an empty ranges, a child
 * xen-shmem@<gaddr> with compatible "xen,shared-memory-v1", reg, xen,id
 * and a u64 xen,offset of 0), that neither its memory node nor its
 * extended regions cover it, and then exchanges data with the other
 * domain through it: the guest with first=1 writes a pattern and a flag,
 * the other checks the pattern and answers with its own pattern and flag,
 * which the first checks in turn. With reboot=1 it works alone: it counts
 * its boots in the region and asks for PSCI SYSTEM_RESET after the first,
 * so that the second boot finds the count the first left: the rebuilt
 * domain has the same host pages mapped again.
 */
#include "guest.h"
#include "sysreg.h"

#define WAIT_MS     30000U
#define WORDS       256U            /* per pattern */
#define FLAG_FIRST  0x53484d31U     /* "SHM1": the first pattern is there */
#define FLAG_REPLY  0x53484d32U     /* "SHM2": the answer is there */
#define ID_MAX      16U

struct layout {                     /* the start of the region */
    uint32_t flag_first;
    uint32_t flag_reply;
    uint32_t boots;                 /* reboot=1: boots counted so far */
    uint32_t pad[13];
    uint32_t first[WORDS];
    uint32_t reply[WORDS];
};

static uint32_t pattern(uint32_t seed, uint32_t i)
{
    return (seed * 0x9e3779b9U) ^ (i * 0x01000193U) ^ 0xa5a5a5a5U;
}

static bool overlaps(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
    return (a < b + bs) && (b < a + as);
}

static bool check_node(const struct platform *p, const char *id, uint64_t gaddr, uint64_t size)
{
    const struct fdt *f = &p->fdt;
    int resv = fdt_path(f, "/reserved-memory");
    int shm = FDT_NONE;
    uint32_t len = 0U;
    const void *ranges;
    const void *offset;
    const char *xid;
    uint64_t base = 0U;
    uint64_t sz = 0U;

    if (!test_check("shm_reserved_memory", resv != FDT_NONE, "no /reserved-memory")) {
        return false;
    }
    ranges = fdt_prop(f, resv, "ranges", &len);
    test_check("shm_cells", (fdt_prop_u32(f, resv, "#address-cells", 0U) == 2U) &&
               (fdt_prop_u32(f, resv, "#size-cells", 0U) == 2U) && (ranges != NULL) &&
               (len == 0U), "cells %u/%u ranges %s len %u",
               fdt_prop_u32(f, resv, "#address-cells", 0U),
               fdt_prop_u32(f, resv, "#size-cells", 0U), ranges ? "present" : "absent", len);
    for (int n = fdt_first_child(f, resv); n != FDT_NONE; n = fdt_next_sibling(f, n)) {
        if (fdt_is_compatible(f, n, "xen,shared-memory-v1")) {
            shm = n;
            break;
        }
    }
    if (!test_check("shm_node", shm != FDT_NONE, "no xen,shared-memory-v1 child")) {
        return false;
    }
    (void)fdt_reg(f, shm, 0U, &base, &sz);
    xid = fdt_prop_string(f, shm, "xen,id");
    offset = fdt_prop(f, shm, "xen,offset", &len);
    printf("static_shm: %s: %s reg 0x%llx size 0x%llx\n", fdt_node_name(f, shm),
           xid ? xid : "(no id)", (unsigned long long)base, (unsigned long long)sz);
    test_check("shm_reg", (base == gaddr) && (sz == size), "reg 0x%llx+0x%llx",
               (unsigned long long)base, (unsigned long long)sz);
    test_check("shm_id", (xid != NULL) && (strcmp(xid, id) == 0), "xen,id %s", xid ? xid : "-");
    test_check("shm_offset", (offset != NULL) && (len == 8U) &&
               (fdt_cells_value(offset, 2U) == 0U), "xen,offset len %u", len);
    return true;
}

/* Neither the RAM nor (with /hypervisor) an extended region may cover it. */
static void check_map(const struct platform *p, uint64_t gaddr, uint64_t size)
{
    bool clear = true;
    int hyp = fdt_path(&p->fdt, "/hypervisor");

    for (uint32_t i = 0U; i < p->mem_count; i++) {
        clear = clear && !overlaps(gaddr, size, p->mem[i].base, p->mem[i].size);
    }
    test_check("shm_not_ram", clear, "the memory node covers the region");
    if (hyp != FDT_NONE) {
        uint64_t b;
        uint64_t s;

        clear = true;
        for (uint32_t i = 1U; fdt_reg(&p->fdt, hyp, i, &b, &s); i++) {
            clear = clear && !overlaps(gaddr, size, b, s);
        }
        test_check("shm_not_ext_region", clear, "an extended region covers the region");
    }
}

static bool wait_flag(volatile uint32_t *flag, uint32_t want)
{
    uint64_t t0 = timer_now();

    while (*flag != want) {
        if (timer_now() - t0 > timer_us_to_ticks(WAIT_MS * 1000U)) {
            return false;
        }
        delay_ms(1U);
    }
    dsb_sy();
    return true;
}

static uint32_t mismatches(const volatile uint32_t *w, uint32_t seed)
{
    uint32_t bad = 0U;

    for (uint32_t i = 0U; i < WORDS; i++) {
        if (w[i] != pattern(seed, i)) {
            bad++;
        }
    }
    return bad;
}

static void fill(volatile uint32_t *w, uint32_t seed, volatile uint32_t *flag, uint32_t value)
{
    for (uint32_t i = 0U; i < WORDS; i++) {
        w[i] = pattern(seed, i);
    }
    dsb_sy();
    *flag = value;
    dsb_sy();
}

static void exchange(uint64_t gaddr, bool first)
{
    volatile struct layout *l = (volatile struct layout *)(uintptr_t)gaddr;

    if (first) {
        fill(l->first, 1U, &l->flag_first, FLAG_FIRST);
        printf("static_shm: wrote the first pattern\n");
        if (test_check("shm_reply_seen", wait_flag(&l->flag_reply, FLAG_REPLY),
                       "no answer in %u ms", WAIT_MS)) {
            test_check("shm_reply_read", mismatches(l->reply, 2U) == 0U, "%u words differ",
                       mismatches(l->reply, 2U));
        }
        return;
    }
    if (!test_check("shm_first_seen", wait_flag(&l->flag_first, FLAG_FIRST),
                    "no pattern in %u ms", WAIT_MS)) {
        return;
    }
    if (test_check("shm_first_read", mismatches(l->first, 1U) == 0U, "%u words differ",
                   mismatches(l->first, 1U))) {
        fill(l->reply, 2U, &l->flag_reply, FLAG_REPLY);
        printf("static_shm: read the first pattern, wrote the answer\n");
    }
}

/* reboot=1: the first boot (count 0) resets, the second checks. */
static void reboot_once(uint64_t gaddr)
{
    volatile struct layout *l = (volatile struct layout *)(uintptr_t)gaddr;
    uint32_t boots = l->boots;

    l->boots = boots + 1U;
    dsb_sy();
    printf("static_shm: boot %u\n", boots + 1U);
    if (boots == 0U) {
        int32_t rc = psci_system_reset();

        test_fail("shm_reboot", "SYSTEM_RESET returned %d", (int)rc);
        return;
    }
    test_check("shm_kept_across_reboot", boots == 1U, "%u boots counted before this one",
               boots);
}

void guest_main(const struct platform *p)
{
    char id[ID_MAX];
    uint64_t gaddr = bootarg_u64(p->bootargs, "gaddr", 0U);
    uint64_t size = bootarg_u64(p->bootargs, "size", 0U);
    bool first = bootarg_u64(p->bootargs, "first", 0U) != 0U;

    if (!test_check("shm_args", bootarg_get(p->bootargs, "id", id, sizeof(id)) &&
                    (gaddr != 0U) && (size >= sizeof(struct layout)),
                    "bootargs: id, gaddr, size >= %u", (unsigned int)sizeof(struct layout))) {
        return;
    }
    printf("static_shm: %s at 0x%llx, 0x%llx bytes, %s\n", id, (unsigned long long)gaddr,
           (unsigned long long)size, first ? "first" : "second");
    if (!check_node(p, id, gaddr, size)) {
        return;
    }
    check_map(p, gaddr, size);
    if (bootarg_u64(p->bootargs, "reboot", 0U) != 0U) {
        reboot_once(gaddr);
    } else {
        exchange(gaddr, first);
    }
}
