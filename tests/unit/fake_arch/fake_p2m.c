/* Fake stage 2 for the Xen PV memory code: see <fake_p2m.h>. */
#include <proxenos/errno.h>
#include <fake_arch.h>
#include <fake_p2m.h>

/* From <proxenos/arch/domain.h>, which needs an <asm/domain.h> that not
 * every test has; the values must match its enum guest_frame_type. */
#define FRAME_NONE     0
#define FRAME_RAM      1
#define FRAME_GRANT_RW 3
#define FRAME_GRANT_RO 4
int arch_guest_ram_to_maddr(struct domain *d, paddr_t gpa, paddr_t *ma);

#define FAKE_P2M_MAX 8192U

struct p2m_entry {
    const struct domain *d;
    uint64_t gfn;
    uint64_t mfn;
    int type;               /* FRAME_NONE: a hole */
};

static struct p2m_entry table[FAKE_P2M_MAX];
static unsigned int nr_entries;
static unsigned int map_calls;
static unsigned int fail_maps;

void fake_p2m_reset(void)
{
    nr_entries = 0U;
    map_calls = 0U;
    fail_maps = 0U;
}

unsigned int fake_p2m_entries(void)
{
    return nr_entries;
}

unsigned int fake_p2m_map_calls(void)
{
    return map_calls;
}

void fake_p2m_fail_maps(unsigned int n)
{
    fail_maps = n;
}

static struct p2m_entry *find(const struct domain *d, uint64_t g)
{
    for (unsigned int i = 0U; i < nr_entries; i++) {
        if ((table[i].d == d) && (table[i].gfn == g)) {
            return &table[i];
        }
    }
    return NULL;
}

static int set(const struct domain *d, uint64_t g, uint64_t m, int t)
{
    struct p2m_entry *e = find(d, g);

    if (e == NULL) {
        if (nr_entries >= FAKE_P2M_MAX) {
            return -ENOMEM;
        }
        e = &table[nr_entries];
        nr_entries++;
    }
    *e = (struct p2m_entry){ d, g, m, t };
    return 0;
}

__attribute__((weak)) int arch_guest_map_page(struct domain *d, gfn_t g, mfn_t m, int t)
{
    map_calls++;
    if (fail_maps > 0U) {
        fail_maps--;
        return -ENOMEM;
    }
    if ((t != FRAME_RAM) && (t != FRAME_GRANT_RW) && (t != FRAME_GRANT_RO)) {
        return -EINVAL;
    }
    return set(d, gfn_x(g), mfn_x(m), t);
}

__attribute__((weak)) int arch_guest_unmap_page(struct domain *d, gfn_t g)
{
    return set(d, gfn_x(g), 0U, FRAME_NONE);
}

__attribute__((weak)) int arch_guest_lookup_page(struct domain *d, gfn_t g, mfn_t *m, int *t)
{
    const struct p2m_entry *e = find(d, gfn_x(g));
    paddr_t ma;

    if (e != NULL) {
        *t = e->type;
        *m = mfn(e->mfn);
        return (e->type == FRAME_NONE) ? -ENOENT : 0;
    }
    if (arch_guest_ram_to_maddr(d, gfn_x(g) << PAGE_SHIFT, &ma) == 0) {
        *m = paddr_to_mfn(ma);
        *t = FRAME_RAM;
        return 0;
    }
    *t = FRAME_NONE;
    return -ENOENT;
}
