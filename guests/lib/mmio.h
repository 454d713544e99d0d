/*
 * MMIO accessors.
 *
 * Every access is one plain LDR/STR with a base register and no offset or
 * write-back: a hypervisor that emulates the device (vGIC, vpl011) can only
 * decode an access whose syndrome is valid (ESR.ISV = 1), and write-back
 * forms leave it invalid. Inline assembly keeps the compiler from choosing
 * another addressing mode.
 */
#ifndef GUEST_MMIO_H
#define GUEST_MMIO_H

#include <stdint.h>

static inline uint32_t mmio_read32(uintptr_t addr)
{
    uint32_t val;

    __asm__ volatile("ldr %w0, [%1]" : "=r"(val) : "r"(addr) : "memory");
    return val;
}

static inline void mmio_write32(uintptr_t addr, uint32_t val)
{
    __asm__ volatile("str %w0, [%1]" : : "rZ"(val), "r"(addr) : "memory");
}

static inline uint64_t mmio_read64(uintptr_t addr)
{
    uint64_t val;

    __asm__ volatile("ldr %x0, [%1]" : "=r"(val) : "r"(addr) : "memory");
    return val;
}

static inline void mmio_write64(uintptr_t addr, uint64_t val)
{
    __asm__ volatile("str %x0, [%1]" : : "rZ"(val), "r"(addr) : "memory");
}

#endif
