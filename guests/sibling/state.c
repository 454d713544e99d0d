/*
 * What the sibling owns and how it checks it: a pattern over 1 MiB of its
 * RAM, grants of pattern pages to itself and one to an unused domain id,
 * 2-level mask bits it set in its shared info page, unbound ports offered
 * to itself and an IPI port. A hostile neighbour must not have read or
 * changed any of it: a map or copy of our grants would leave GTF_reading
 * or GTF_writing behind or fail our copy check; a bind would turn an
 * unbound port interdomain.
 */
#include "guest.h"
#include "evtchn.h"
#include "gnttab.h"
#include "sibling.h"

#define WAIT_MS 5000U
#define NOBODY  0x7fe0U     /* a domain id no domain has */

static uint8_t pattern[SIB_PATTERN_PAGES * XEN_PAGE_SIZE] __attribute__((aligned(XEN_PAGE_SIZE)));
static uint8_t copy_page[XEN_PAGE_SIZE] __attribute__((aligned(XEN_PAGE_SIZE)));
static uint32_t unbound[SIB_UNBOUND_PORTS];

/* The word at index i of the pattern: depends on i only, so any change shows. */
static uint64_t pattern_word(uint64_t i)
{
    uint64_t z = (i + 1U) * UINT64_C(0x9e3779b97f4a7c15);

    return z ^ (z >> 29);
}

static uint64_t pattern_gfn(uint32_t page)
{
    return ((uint64_t)(uintptr_t)&pattern[page * XEN_PAGE_SIZE]) >> XEN_PAGE_SHIFT;
}

bool sib_state_setup(uint16_t self, uint32_t *ipi_port)
{
    uint64_t *w = (uint64_t *)(void *)pattern;
    uint64_t i;
    uint32_t r;

    for (i = 0U; i < sizeof(pattern) / 8U; i++) {
        w[i] = pattern_word(i);
    }
    for (r = 0U; r < SIB_REFS; r++) {
        gnttab_grant(SIB_FIRST_REF + r, self, pattern_gfn(r), (r & 1U) != 0U);
    }
    gnttab_grant(SIB_FOREIGN_REF, NOBODY, pattern_gfn(SIB_REFS), false);
    for (i = SIB_MASK_FIRST; i < SIB_MASK_FIRST + SIB_MASK_COUNT; i++) {
        evtchn_2l_mask((uint32_t)i, (i % 3U) == 0U);
    }
    for (r = 0U; r < SIB_UNBOUND_PORTS; r++) {
        if (!xen_expect("sibling_alloc_unbound", evtchn_alloc_unbound(XEN_DOMID_SELF, &unbound[r]), 0)) {
            return false;
        }
    }
    if (!xen_expect("sibling_bind_ipi", evtchn_bind_ipi(0U, ipi_port), 0)) {
        return false;
    }
    evtchn_2l_mask(*ipi_port, false);
    printf("sibling: ports %u-%u unbound, IPI port %u, refs %u-%u\n", unbound[0],
           unbound[SIB_UNBOUND_PORTS - 1U], *ipi_port, SIB_FIRST_REF, SIB_FOREIGN_REF);
    return true;
}

uint32_t sib_pattern_errors(uint32_t first_page, uint32_t pages)
{
    const uint64_t *w = (const uint64_t *)(const void *)pattern;
    const uint64_t per_page = XEN_PAGE_SIZE / 8U;
    uint64_t i;
    uint32_t bad = 0U;

    for (i = first_page * per_page; i < (uint64_t)(first_page + pages) * per_page; i++) {
        if (w[i] != pattern_word(i)) {
            bad++;
        }
    }
    return bad;
}

uint32_t sib_grant_errors(uint16_t self)
{
    uint32_t bad = 0U;
    uint32_t r;

    for (r = 0U; r <= SIB_REFS; r++) {
        uint32_t ref = SIB_FIRST_REF + r;
        uint16_t want_flags = (uint16_t)GTF_permit_access;
        uint16_t want_dom = self;

        if (ref == SIB_FOREIGN_REF) {
            want_dom = NOBODY;
        } else if ((r & 1U) != 0U) {
            want_flags |= (uint16_t)GTF_readonly;
        }
        /* exact flags: GTF_reading or GTF_writing would mean someone mapped it */
        if ((gnttab_entries[ref].flags != want_flags) || (gnttab_entries[ref].domid != want_dom) ||
            (gnttab_entries[ref].frame != (uint32_t)pattern_gfn(r))) {
            printf("sibling: grant %u is flags 0x%x dom %u frame 0x%x\n", ref,
                   gnttab_entries[ref].flags, gnttab_entries[ref].domid, gnttab_entries[ref].frame);
            bad++;
        }
    }
    return bad;
}

uint32_t sib_mask_errors(void)
{
    uint32_t bad = 0U;
    uint32_t i;

    for (i = SIB_MASK_FIRST; i < SIB_MASK_FIRST + SIB_MASK_COUNT; i++) {
        if (evtchn_2l_masked(i) != ((i % 3U) == 0U)) {
            bad++;
        }
    }
    return bad;
}

uint32_t sib_port_errors(uint16_t self, uint32_t ipi_port)
{
    struct evtchn_status st;
    uint32_t bad = 0U;
    uint32_t r;

    for (r = 0U; r < SIB_UNBOUND_PORTS; r++) {
        if ((evtchn_get_status(XEN_DOMID_SELF, unbound[r], &st) != 0) ||
            (st.status != EVTCHNSTAT_unbound) || (st.u.unbound.dom != self)) {
            printf("sibling: port %u is status %u dom %u\n", unbound[r], st.status, st.u.unbound.dom);
            bad++;
        }
    }
    if ((evtchn_get_status(XEN_DOMID_SELF, ipi_port, &st) != 0) || (st.status != EVTCHNSTAT_ipi) ||
        (st.vcpu != 0U)) {
        printf("sibling: IPI port %u is status %u vcpu %u\n", ipi_port, st.status, st.vcpu);
        bad++;
    }
    return bad;
}

bool sib_event_round(uint32_t ipi_port)
{
    uint32_t before = evtchn_count(ipi_port);

    return (evtchn_send(ipi_port) == 0) && evtchn_wait(ipi_port, before + 1U, WAIT_MS);
}

bool sib_copy_round(uint16_t self, uint32_t n)
{
    struct gnttab_copy c;
    uint32_t r = n % SIB_REFS;
    int16_t status = 0;
    long rc;

    memset(&c, 0, sizeof(c));
    c.source.u.ref = SIB_FIRST_REF + r;
    c.source.domid = self;
    c.dest.u.gmfn = (uint64_t)(uintptr_t)copy_page >> XEN_PAGE_SHIFT;
    c.dest.domid = XEN_DOMID_SELF;
    c.len = (uint16_t)XEN_PAGE_SIZE;
    c.flags = GNTCOPY_source_gref;
    memset(copy_page, 0, sizeof(copy_page));
    rc = gnttab_copy_one(&c, &status);
    return (rc == 0) && (status == GNTST_okay) &&
           (memcmp(copy_page, &pattern[r * XEN_PAGE_SIZE], XEN_PAGE_SIZE) == 0);
}
