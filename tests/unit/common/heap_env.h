/* The hypervisor's own heap for a host test: fake RAM given to the boot
 * allocator, the page allocator on it and xmalloc on that, so that code
 * under test allocates through the real xmalloc.c (link common/memory/xmalloc.c,
 * common/memory/page_alloc.c and common/memory/bootmem.c) instead of a stand-in on the
 * C library's malloc. Call heap_env_init() in each test's setup, after
 * fake_reset() (which releases the RAM of the previous test). */
#ifndef HEAP_ENV_H
#define HEAP_ENV_H

#include <proxenos/bootmem.h>
#include <proxenos/page_alloc.h>
#include <proxenos/xmalloc.h>
#include <fake_arch.h>

/* size bytes of RAM at base (page multiples). */
static inline void heap_env_init(paddr_t base, size_t size)
{
    bootmem_reset();
    (void)fake_ram_alloc(base, size);
    assert_int_equal(bootmem_add_ram(base, base + size), 0);
    assert_int_equal(page_alloc_init(), 0);
    xmalloc_reset();
}

/* Objects xmalloc handed out and not freed yet: 0 at the end of a test
 * that gave everything back (the leak check ASan made of malloc). */
static inline uint64_t heap_env_objs_live(void)
{
    struct xmalloc_stats st;

    xmalloc_stats(&st);
    return st.nr_allocs - st.nr_frees;
}

#endif
