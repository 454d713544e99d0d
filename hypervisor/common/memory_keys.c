/* The 'm' debug key: what the page and small-object allocators hold. */
#include <proxenos/keyhandler.h>
#include <proxenos/page_alloc.h>
#include <proxenos/xmalloc.h>

static void dump_memory(char key)
{
    (void)key;
    page_alloc_dump();
    xmalloc_dump();
}
KEYHANDLER('m', dump_memory, "memory info");
