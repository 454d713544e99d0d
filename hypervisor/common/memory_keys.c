/* The 'm' debug key: what the page and small-object allocators hold, and
 * the domains still in memory (a destroyed domain someone still holds
 * shows here with its pages). */
#include <proxenos/domain.h>
#include <proxenos/keyhandler.h>
#include <proxenos/page_alloc.h>
#include <proxenos/xmalloc.h>

static void dump_memory(char key)
{
    (void)key;
    page_alloc_dump();
    xmalloc_dump();
    domain_dump_dying();
}
KEYHANDLER('m', dump_memory, "memory info");
