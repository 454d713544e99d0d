/* VMID allocator: one VMID per live domain, so that TLB entries of
 * different domains never mix. First fit over a bitmap sized for the widest
 * VMID (16 bits: 8 KiB). No register access here: p2m_hw.c reads
 * ID_AA64MMFR1_EL1 and calls vmid_init(). */
#include <asm/p2m.h>
#include <proxenos/errno.h>
#include <proxenos/lib.h>
#include <proxenos/printk.h>
#include <proxenos/spinlock.h>

#define VMID_LIMIT      65536U
#define WORD_BITS       64U

/* VMID 0 is never handed out: bit 0 starts (and stays) set. */
static uint64_t vmid_map[VMID_LIMIT / WORD_BITS] = { 1U };
static unsigned int nr_vmids = 256U;
static unsigned int nr_used;
static spinlock_t vmid_lock = SPINLOCK_INIT;

void vmid_init(unsigned int bits)
{
    unsigned long flags = spin_lock_irqsave(&vmid_lock);
    unsigned int i;

    nr_vmids = (bits == 16U) ? VMID_LIMIT : 256U;
    for (i = 0U; i < ARRAY_SIZE(vmid_map); i++) {
        vmid_map[i] = 0U;
    }
    vmid_map[0] = 1U;
    nr_used = 0U;
    spin_unlock_irqrestore(&vmid_lock, flags);
}

unsigned int vmid_bits(void)
{
    return (nr_vmids == VMID_LIMIT) ? 16U : 8U;
}

int vmid_alloc(uint16_t *vmid)
{
    unsigned long flags = spin_lock_irqsave(&vmid_lock);
    unsigned int words = nr_vmids / WORD_BITS;
    unsigned int w;
    int rc = -ENOSPC;

    for (w = 0U; w < words; w++) {
        uint64_t free_bits = ~vmid_map[w];

        if (free_bits != 0U) {
            unsigned int bit = (unsigned int)__builtin_ctzll(free_bits);

            vmid_map[w] |= 1ULL << bit;
            nr_used++;
            *vmid = (uint16_t)((w * WORD_BITS) + bit);
            rc = 0;
            break;
        }
    }
    spin_unlock_irqrestore(&vmid_lock, flags);
    return rc;
}

void vmid_free(uint16_t vmid)
{
    unsigned long flags = spin_lock_irqsave(&vmid_lock);
    unsigned int w = (unsigned int)vmid / WORD_BITS;
    uint64_t bit = 1ULL << ((unsigned int)vmid % WORD_BITS);

    if ((vmid == 0U) || ((unsigned int)vmid >= nr_vmids) || ((vmid_map[w] & bit) == 0U)) {
        spin_unlock_irqrestore(&vmid_lock, flags);
        panic("vmid_free(%u): not allocated", (unsigned int)vmid);
    }
    vmid_map[w] &= ~bit;
    nr_used--;
    spin_unlock_irqrestore(&vmid_lock, flags);
}

unsigned int vmid_in_use(void)
{
    return nr_used;
}
