/*
 * probe: touches what is not there, as a guest probing for hardware does,
 * and expects to get a synchronous abort for each access and to go on.
 * Its own EL1 vector (the library's, with the hook below) counts every
 * abort and checks what a guest on Xen 4.17 reads: ESR_EL1 with the class
 * of an abort taken at EL1 (data 0x25, instruction 0x21), IL set, ISS 0
 * (no fault status code, no FnV, no WnR), and FAR_EL1 the faulting
 * address. A data abort resumes after the access; an instruction abort
 * returns to the caller of the bad branch.
 *
 *  - LDP and STP on the vGIC distributor: no syndrome, not decodable;
 *  - a halfword read of GICD_CTLR, a width the vGIC refuses;
 *  - a post-indexed LDR of GICD_TYPER, which is decoded and emulated:
 *    no abort, the value of a plain read, the base moved on;
 *  - an LDR of GICD_TYPER into each of x19-x28 (the registers a
 *    hypervisor's short exit path may not have saved): each gets the
 *    plain read's value and the other nine keep theirs;
 *  - a branch to an IPA without RAM in the normal-memory window;
 *  - loads and stores, 32 and 64 bits, at an IPA with neither RAM nor
 *    device (bootargs addr=<hex>, default 0x00100000; also 0x01000000).
 *
 * Each case prints "probe: survived <case>" once the abort was taken and
 * the guest went on, and a TEST line; then GUEST DONE. The device and
 * fetch cases come first.
 */
#include "guest.h"
#include "mmio.h"

#define DEFAULT_HOLE     0x00100000U
#define SECOND_HOLE      0x01000000U
#define FETCH_HOLE       0xb0000000U    /* in the 1-4 GiB normal, executable window */
#define GICD_TYPER       0x4U
#define ESR_EC_IABT_LOW  0x20U
#define ESR_IL           (1UL << 25)
#define ESR_ISS_MASK     0x1ffffffUL

enum expect { EXPECT_NONE, EXPECT_DATA, EXPECT_FETCH };

static volatile enum expect expecting;
static volatile uint64_t aborts;
static volatile uint64_t last_esr;
static volatile uint64_t last_far;

static bool abort_hook(struct exc_frame *f, uint64_t kind, uint64_t esr, uint64_t far)
{
    uint64_t ec = (esr >> ESR_EC_SHIFT) & 0x3fU;

    if ((kind != EXC_SYNC_SPX) || (expecting == EXPECT_NONE)) {
        return false;   /* not one of ours: the library reports it */
    }
    if ((expecting == EXPECT_DATA) && (ec == ESR_EC_DABT_CUR)) {
        f->elr += 4U;                   /* past the access */
    } else if ((expecting == EXPECT_FETCH) && (ec == ESR_EC_IABT_CUR)) {
        f->elr = f->x[30];              /* back to the caller of the bad branch */
    } else {
        return false;
    }
    last_esr = esr;
    last_far = far;
    aborts++;
    expecting = EXPECT_NONE;
    return true;
}

/* Xen's syndrome for an injected abort of class ec. */
static bool xen_syndrome(uint64_t esr, uint64_t ec)
{
    return (((esr >> ESR_EC_SHIFT) & 0x3fU) == ec) && ((esr & ESR_IL) != 0U) &&
           ((esr & ESR_ISS_MASK) == 0U);
}

/* One abort came, of class ec, at far; the guest is still here. */
static void check_abort(const char *name, uint64_t before, uint64_t ec, uint64_t far)
{
    bool ok = (aborts == (before + 1U)) && xen_syndrome(last_esr, ec) && (last_far == far);

    printf("probe: survived %s (ESR 0x%lx FAR 0x%lx, %lu aborts)\n", name, last_esr, last_far,
           aborts);
    test_check(name, ok, "%lu aborts (want %lu), ESR 0x%lx (want EC 0x%lx IL ISS 0), "
               "FAR 0x%lx (want 0x%lx)", aborts - before, 1UL, last_esr, ec, last_far, far);
}

static void hole_accesses(uint64_t hole)
{
    uint64_t before;
    uint64_t v = 0x1234U;
    char name[40];

    before = aborts;
    expecting = EXPECT_DATA;
    v = mmio_read32((uintptr_t)hole);
    (void)snprintf(name, sizeof(name), "load32_0x%lx", hole);
    check_abort(name, before, ESR_EC_DABT_CUR, hole);

    before = aborts;
    expecting = EXPECT_DATA;
    v = mmio_read64((uintptr_t)hole + 8U);
    (void)snprintf(name, sizeof(name), "load64_0x%lx", hole);
    check_abort(name, before, ESR_EC_DABT_CUR, hole + 8U);

    before = aborts;
    expecting = EXPECT_DATA;
    mmio_write32((uintptr_t)hole + 4U, (uint32_t)v);
    (void)snprintf(name, sizeof(name), "store32_0x%lx", hole);
    check_abort(name, before, ESR_EC_DABT_CUR, hole + 4U);

    before = aborts;
    expecting = EXPECT_DATA;
    mmio_write64((uintptr_t)hole + 16U, v);
    (void)snprintf(name, sizeof(name), "store64_0x%lx", hole);
    check_abort(name, before, ESR_EC_DABT_CUR, hole + 16U);
}

static void gicd_accesses(uint64_t gicd)
{
    uint64_t before;
    uint32_t a = 0U;
    uint32_t b = 0U;
    uint64_t base = gicd;
    uint32_t typer = mmio_read32((uintptr_t)(gicd + GICD_TYPER));
    uint32_t got;

    before = aborts;
    expecting = EXPECT_DATA;
    __asm__ volatile("ldp %w0, %w1, [%2]" : "+r"(a), "+r"(b) : "r"(gicd) : "memory");
    check_abort("ldp_gicd", before, ESR_EC_DABT_CUR, gicd);

    before = aborts;
    expecting = EXPECT_DATA;
    __asm__ volatile("stp %w0, %w1, [%2]" : : "r"(a), "r"(b), "r"(gicd + 0x80U) : "memory");
    check_abort("stp_gicd", before, ESR_EC_DABT_CUR, gicd + 0x80U);

    before = aborts;
    expecting = EXPECT_DATA;
    __asm__ volatile("ldrh %w0, [%1]" : "=r"(got) : "r"(gicd) : "memory");
    check_abort("ldrh_gicd_ctlr", before, ESR_EC_DABT_CUR, gicd);

    /* Decoded, as on Xen 4.17: no abort at all. */
    before = aborts;
    base = gicd + GICD_TYPER;
    got = 0U;
    __asm__ volatile("ldr %w0, [%1], #4" : "=r"(got), "+r"(base) : : "memory");
    printf("probe: survived ldr_post_index_gicd (TYPER 0x%x, base +%lu)\n", got,
           base - gicd - GICD_TYPER);
    test_check("ldr_post_index_gicd", (aborts == before) && (got == typer) &&
               (base == (gicd + GICD_TYPER + 4U)),
               "%lu aborts, read 0x%x (want 0x%x), base 0x%lx", aborts - before, got, typer,
               base);
}

/* x19-x28 set to 19-28, then a load of the 32-bit register at addr into
 * x<n>; all ten stored to out[0..9]. */
#define LOAD_INTO(n)                                                            \
    case n:                                                                     \
        __asm__ volatile("mov x19, #19\n mov x20, #20\n mov x21, #21\n"         \
                         "mov x22, #22\n mov x23, #23\n mov x24, #24\n"         \
                         "mov x25, #25\n mov x26, #26\n mov x27, #27\n"         \
                         "mov x28, #28\n ldr w" #n ", [%0]\n"                  \
                         "stp x19, x20, [%1]\n stp x21, x22, [%1, #16]\n"        \
                         "stp x23, x24, [%1, #32]\n stp x25, x26, [%1, #48]\n"   \
                         "stp x27, x28, [%1, #64]"                               \
                         : : "r"(addr), "r"(out)                                 \
                         : "x19", "x20", "x21", "x22", "x23", "x24", "x25", "x26", \
                           "x27", "x28", "memory");                              \
        break

static void load_into(unsigned int n, uint64_t addr, uint64_t out[10])
{
    switch (n) {
    LOAD_INTO(19); LOAD_INTO(20); LOAD_INTO(21); LOAD_INTO(22); LOAD_INTO(23);
    LOAD_INTO(24); LOAD_INTO(25); LOAD_INTO(26); LOAD_INTO(27); LOAD_INTO(28);
    default: break;
    }
}

static void high_register_loads(uint64_t gicd)
{
    uint32_t typer = mmio_read32((uintptr_t)(gicd + GICD_TYPER));
    uint64_t before = aborts;
    unsigned int bad = 0U;

    for (unsigned int n = 19U; n <= 28U; n++) {
        uint64_t out[10];

        load_into(n, gicd + GICD_TYPER, out);
        for (unsigned int i = 0U; i < 10U; i++) {
            uint64_t want = ((19U + i) == n) ? typer : (19U + i);

            if (out[i] != want) {
                printf("probe: load into x%u: x%u is 0x%lx, want 0x%lx\n", n, 19U + i, out[i],
                       want);
                bad++;
            }
        }
    }
    printf("probe: survived ldr_x19_x28_gicd (TYPER 0x%x, %u wrong)\n", typer, bad);
    test_check("ldr_x19_x28_gicd", (aborts == before) && (bad == 0U), "%lu aborts, %u wrong",
               aborts - before, bad);
}

static void fetch_from_hole(void)
{
    uint64_t before = aborts;
    void (*nowhere)(void) = (void (*)(void))(uintptr_t)FETCH_HOLE;

    expecting = EXPECT_FETCH;
    /* The hook returns to the instruction after this call (x30). */
    __asm__ volatile("blr %0" : : "r"(nowhere) : "x30", "memory");
    check_abort("fetch_0xb0000000", before, ESR_EC_IABT_CUR, FETCH_HOLE);
}

void guest_main(const struct platform *p)
{
    uint64_t hole = bootarg_u64(p->bootargs, "addr", DEFAULT_HOLE);

    exceptions_set_hook(abort_hook);
    printf("probe: probing 0x%lx and 0x%x (no RAM, no device), GICD at 0x%lx\n", hole,
           SECOND_HOLE, p->gicd_base);
    /* The hypervisor logs only the first 8 bad accesses of a domain: the
     * device and fetch cases first, so that their lines show. */
    gicd_accesses(p->gicd_base);
    high_register_loads(p->gicd_base);
    fetch_from_hole();
    hole_accesses(hole);
    hole_accesses(SECOND_HOLE);
    printf("probe: %lu aborts taken, still running\n", aborts);
}
