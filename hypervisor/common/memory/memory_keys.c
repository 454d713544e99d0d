/* The 'm' debug key: what the page and small-object allocators hold, and
 * what each domain holds of it, so that a leak shows: free pages that do
 * not come back after a domain is destroyed, a domain's pages, foreign
 * entries, and destroyed domains someone still holds (dying, with their
 * pages and references). */
#include <proxenos/domain.h>
#include <proxenos/gnttab.h>
#include <proxenos/keyhandler.h>
#include <proxenos/page_alloc.h>
#include <proxenos/printk.h>
#include <proxenos/xmalloc.h>

static void dump_domains(void)
{
    for (struct domain *d = domain_get_next(NULL); d != NULL; d = domain_get_next(d)) {
        pr_info("  d%u: tot_pages %llu max_pages %llu reuse %llu, "
                "foreign mappings %llu (%llu of dying domains)\n",
                d->domain_id, (unsigned long long)d->tot_pages,
                (unsigned long long)d->max_pages, (unsigned long long)xenmem_reuse_pages(d),
                (unsigned long long)xenmem_foreign_maps(d),
                (unsigned long long)xenmem_foreign_dying(d));
    }
    pr_info("  foreign mappings held: %llu\n", (unsigned long long)xenmem_foreign_total());
}

static void dump_memory(char key)
{
    (void)key;
    page_alloc_dump();
    xmalloc_dump();
    pr_info("Domains' memory:\n");
    dump_domains();
    domain_dump_dying();
}
KEYHANDLER('m', dump_memory, "memory info");
