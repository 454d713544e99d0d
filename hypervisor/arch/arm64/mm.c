/* The hypervisor's own stage-1 page tables (EL2, TTBR0, 4 KiB granule).
 *
 * head.S left us: the image mapped RWX with 4 KiB pages, the boot DTB, the
 * early UART and a 2 MiB identity block. Here we add the direct map of all
 * RAM (large blocks), device mappings, and give the image's sections their
 * final permissions. Intermediate tables come from a small pool inside the
 * image, so no allocator is needed to build the map the allocators use. */
#include <asm/arm64.h>
#include <asm/memlayout.h>
#include <asm/pgtable.h>
#include <asm/sysregs.h>
#include <proxenos/arch/mm.h>
#include <proxenos/errno.h>
#include <proxenos/printk.h>
#include <proxenos/spinlock.h>
#include <proxenos/string.h>

#define PT_POOL_PAGES 64U

typedef uint64_t pte_t;

static pte_t pt_pool[PT_POOL_PAGES][PT_ENTRIES] __aligned(4096);
static unsigned int pt_pool_used;
static int64_t phys_offset;     /* pa = va + phys_offset inside the image */
static vaddr_t ioremap_next = IOREMAP_VIRT_BASE;
static spinlock_t map_lock = SPINLOCK_INIT;

paddr_t image_phys_start(void)
{
    return (paddr_t)((int64_t)(uintptr_t)_start_image + phys_offset);
}

paddr_t image_phys_end(void)
{
    return (paddr_t)((int64_t)(uintptr_t)_end + phys_offset);
}

static bool in_image(vaddr_t va)
{
    return (va >= (vaddr_t)(uintptr_t)_start_image) && (va < (vaddr_t)(uintptr_t)_end);
}

void *arch_maddr_to_virt(paddr_t pa)
{
    BUG_ON(pa >= DIRECTMAP_PA_LIMIT);
    return (void *)(uintptr_t)(DIRECTMAP_VIRT_BASE + pa);
}

paddr_t arch_virt_to_maddr(const void *p)
{
    vaddr_t va = (vaddr_t)(uintptr_t)p;
    uint64_t par;

    if (in_image(va)) {
        return (paddr_t)((int64_t)va + phys_offset);
    }
    if ((va >= DIRECTMAP_VIRT_BASE) && (va < (DIRECTMAP_VIRT_BASE + DIRECTMAP_PA_LIMIT))) {
        return va - DIRECTMAP_VIRT_BASE;
    }
    __asm__ volatile("at s1e2r, %0" :: "r"(va) : "memory");
    isb();
    par = READ_SYSREG(par_el1);
    BUG_ON((par & 1U) != 0U);
    return (par & PT_ADDR_MASK) | (va & 0xfffU);
}

/* Tables are either in the image (boot tables, the pool) or, in the
 * future, in the direct map. */
static pte_t *table_va(paddr_t pa)
{
    int64_t va = (int64_t)pa - phys_offset;

    if (in_image((vaddr_t)va)) {
        return (pte_t *)(uintptr_t)va;
    }
    return arch_maddr_to_virt(pa);
}

static pte_t *alloc_table(void)
{
    pte_t *t;

    if (pt_pool_used >= PT_POOL_PAGES) {
        return NULL;
    }
    t = pt_pool[pt_pool_used];
    pt_pool_used++;
    (void)memset(t, 0, PAGE_SIZE);
    return t;
}

static unsigned int pt_index(vaddr_t va, unsigned int level)
{
    return (unsigned int)(va >> PT_LEVEL_SHIFT(level)) & (PT_ENTRIES - 1U);
}

/* The entry for va at level, creating tables on the way. NULL when out of
 * table pages or when a block already covers va at a higher level. */
static pte_t *walk_create(vaddr_t va, unsigned int level)
{
    pte_t *table = (pte_t *)(uintptr_t)boot_l0;

    for (unsigned int l = 0U; l < level; l++) {
        pte_t *e = &table[pt_index(va, l)];

        if ((*e & PT_VALID) == 0U) {
            pte_t *next = alloc_table();

            if (next == NULL) {
                return NULL;
            }
            *e = arch_virt_to_maddr(next) | PT_TABLE;
        } else if ((*e & 3U) != PT_TABLE) {
            return NULL;
        } else {
            /* descend */
        }
        table = table_va(*e & PT_ADDR_MASK);
    }
    return &table[pt_index(va, level)];
}

static void flush_tlb_all(void)
{
    dsb_ishst();
    __asm__ volatile("tlbi alle2is" ::: "memory");
    dsb_ish();
    isb();
}

/* Map [va, va+size) to pa with attributes attr, using the largest blocks
 * alignment allows. Only fills invalid entries: no break-before-make needed. */
static int map_range(vaddr_t va, paddr_t pa, uint64_t size, uint64_t attr)
{
    while (size > 0U) {
        unsigned int level = 3U;
        uint64_t block = PAGE_SIZE;
        pte_t *e;

        if ((((va | pa) & (GiB(1) - 1U)) == 0U) && (size >= GiB(1))) {
            level = 1U;
            block = GiB(1);
        } else if ((((va | pa) & (MiB(2) - 1U)) == 0U) && (size >= MiB(2))) {
            level = 2U;
            block = MiB(2);
        } else {
            /* 4 KiB page */
        }
        e = walk_create(va, level);
        if (e == NULL) {
            return -ENOMEM;
        }
        if ((*e & PT_VALID) != 0U) {
            return -EEXIST;
        }
        *e = pa | attr | ((level == 3U) ? PT_PAGE : PT_BLOCK);
        va += block;
        pa += block;
        size -= block;
    }
    return 0;
}

void mm_init_early(paddr_t load_pa)
{
    phys_offset = (int64_t)load_pa - (int64_t)HYP_VIRT_BASE;
}

int mm_map_directmap(paddr_t start, uint64_t size)
{
    unsigned long flags;
    int rc;

    if ((start >= DIRECTMAP_PA_LIMIT) || (size > (DIRECTMAP_PA_LIMIT - start))) {
        return -ERANGE;
    }
    flags = spin_lock_irqsave(&map_lock);
    rc = map_range(DIRECTMAP_VIRT_BASE + start, start, size, PTE_NORMAL_RW | PT_XN);
    spin_unlock_irqrestore(&map_lock, flags);
    flush_tlb_all();
    return rc;
}

void *arch_ioremap(paddr_t pa, size_t size)
{
    paddr_t base = pa & PAGE_MASK;
    uint64_t len = ALIGN_UP((pa - base) + size, PAGE_SIZE);
    unsigned long flags = spin_lock_irqsave(&map_lock);
    vaddr_t va = ioremap_next;
    void *result = NULL;

    if ((len <= (IOREMAP_VIRT_BASE + IOREMAP_VIRT_SIZE - va)) &&
        (map_range(va, base, len, PTE_DEVICE) == 0)) {
        ioremap_next += len;
        result = (void *)(uintptr_t)(va + (pa - base));
    }
    spin_unlock_irqrestore(&map_lock, flags);
    flush_tlb_all();
    return result;
}

/* Text read-only and executable, everything else never executable, and
 * nothing mapped past the end of the image. */
void mm_protect_image(void)
{
    vaddr_t image_map_end = HYP_VIRT_BASE + HYP_IMAGE_MAX;

    for (vaddr_t va = HYP_VIRT_BASE; va < image_map_end; va += PAGE_SIZE) {
        pte_t *e = walk_create(va, 3U);
        paddr_t pa;

        BUG_ON(e == NULL);
        pa = *e & PT_ADDR_MASK;
        if (va >= (vaddr_t)(uintptr_t)_end) {
            *e = 0U;
        } else if (va < (vaddr_t)(uintptr_t)__text_end) {
            *e = pa | PTE_NORMAL_RW | PT_AP_RO | PT_PAGE;
        } else if (va < (vaddr_t)(uintptr_t)__rodata_end) {
            *e = pa | PTE_NORMAL_RO_XN | PT_PAGE;
        } else {
            *e = pa | PTE_NORMAL_RW | PT_XN | PT_PAGE;
        }
    }
    flush_tlb_all();
}
