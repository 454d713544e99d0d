/* Host RAM nobody gave a direct-mapped domain, as extended regions (see
 * asm/host_ext_regions.h). The arithmetic works on a small fixed set of
 * inclusive ranges: a cut that would need more room than the set has
 * drops the far part of the range it splits, so the answer can only be
 * smaller, never cover a cut. */
#include <asm/host_ext_regions.h>
#include <proxenos/lib.h>

/* Working room: host RAM banks plus the pieces cuts split them into. */
#define EXT_MAX_RANGES 64U

/* A set of disjoint ranges, [start, last] inclusive so that a range may
 * end at the top of the address space. */
struct range_set {
    uint64_t start[EXT_MAX_RANGES];
    uint64_t last[EXT_MAX_RANGES];
    unsigned int n;
};

static void set_add(struct range_set *s, uint64_t start, uint64_t size)
{
    if ((size != 0U) && (s->n < EXT_MAX_RANGES) && ((start + (size - 1U)) >= start)) {
        s->start[s->n] = start;
        s->last[s->n] = start + (size - 1U);
        s->n++;
    }
}

/* Remove [start, last] from every range; a range cut in the middle
 * becomes two (its upper part dropped if the set is full, as Xen stops
 * adding regions once its table is). */
static void set_remove(struct range_set *s, uint64_t start, uint64_t last)
{
    unsigned int n = s->n;

    for (unsigned int i = 0U; i < n; i++) {
        uint64_t a = s->start[i];
        uint64_t b = s->last[i];

        if ((last < a) || (start > b)) {
            continue;
        }
        if ((start > a) && (last < b) && (s->n < EXT_MAX_RANGES)) {
            s->start[s->n] = last + 1U;
            s->last[s->n] = b;
            s->n++;
        }
        if (start > a) {
            s->last[i] = start - 1U;
        } else if (last < b) {
            s->start[i] = last + 1U;
        } else {
            s->last[i] = 0U;        /* emptied: start > last marks it */
            s->start[i] = 1U;
        }
    }
}

static void remove_range(struct range_set *s, uint64_t start, uint64_t size)
{
    if ((size != 0U) && ((start + (size - 1U)) >= start)) {
        set_remove(s, start, start + (size - 1U));
    }
}

/* The lowest range left, or EXT_MAX_RANGES when none is. */
static unsigned int lowest(const struct range_set *s)
{
    unsigned int best = EXT_MAX_RANGES;

    for (unsigned int i = 0U; i < s->n; i++) {
        if ((s->start[i] <= s->last[i]) &&
            ((best == EXT_MAX_RANGES) || (s->start[i] < s->start[best]))) {
            best = i;
        }
    }
    return best;
}

unsigned int host_ext_regions(const struct boot_info *bi, const struct boot_range *cut,
                              unsigned int nr_cut, unsigned int ipa_bits,
                              struct boot_range *out, unsigned int max)
{
    static struct range_set s;  /* too big for the stack; see the header */
    unsigned int n = 0U;

    s.n = 0U;
    if ((ipa_bits == 0U) || (max == 0U)) {
        return 0U;
    }
    for (uint32_t i = 0U; i < bi->nr_ram; i++) {
        set_add(&s, bi->ram[i].start, bi->ram[i].size);
    }
    for (unsigned int i = 0U; i < nr_cut; i++) {
        remove_range(&s, cut[i].start, cut[i].size);
    }
    /* /memreserve/ entries are not among Xen's reserved_mem banks. */
    for (uint32_t i = 0U; i < bi->nr_reserved; i++) {
        if (bi->reserved[i].source == BOOT_RESERVED_NODE) {
            remove_range(&s, bi->reserved[i].start, bi->reserved[i].size);
        }
    }
    if (ipa_bits < 64U) {
        set_remove(&s, 1ULL << ipa_bits, UINT64_MAX);
    }
    /* Report in address order, as a rangeset walk does. */
    for (unsigned int best = lowest(&s); (best != EXT_MAX_RANGES) && (n < max);
         best = lowest(&s)) {
        uint64_t start = ALIGN_UP(s.start[best], HOST_EXT_REGION_ALIGN);
        uint64_t size = 0U;

        /* Rounding up may pass the range's end, or wrap at the top. */
        if ((start >= s.start[best]) && (start <= s.last[best])) {
            size = ((s.last[best] - start) + 1U) & ~(HOST_EXT_REGION_ALIGN - 1U);
        }
        if (size >= HOST_EXT_REGION_MIN) {
            out[n].start = start;
            out[n].size = size;
            n++;
        }
        s.last[best] = 0U;          /* consumed */
        s.start[best] = 1U;
    }
    return n;
}
