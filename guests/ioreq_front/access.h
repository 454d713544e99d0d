/*
 * The loads and stores the frontend makes to the device, each one
 * instruction with a plain base register (so the syndrome is valid and
 * the hypervisor can forward it), named by what the instruction does to
 * its register.
 */
#ifndef IOREQ_FRONT_ACCESS_H
#define IOREQ_FRONT_ACCESS_H

#include <stdint.h>

#include "ioreq_device.h"

static inline uintptr_t reg(uint64_t off)
{
    return (uintptr_t)(IOREQ_DEV_BASE + off);
}

static inline uint64_t rd8(uintptr_t a)
{
    uint64_t v;

    __asm__ volatile("ldrb %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
    return v;
}

static inline uint64_t rd16(uintptr_t a)
{
    uint64_t v;

    __asm__ volatile("ldrh %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
    return v;
}

static inline uint64_t rd32(uintptr_t a)
{
    uint64_t v;

    __asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
    return v;
}

static inline uint64_t rd64(uintptr_t a)
{
    uint64_t v;

    __asm__ volatile("ldr %x0, [%1]" : "=r"(v) : "r"(a) : "memory");
    return v;
}

/* Stores take the whole 64-bit register: the bytes above the access must not reach the device. */
static inline void wr8(uintptr_t a, uint64_t v)
{
    __asm__ volatile("strb %w0, [%1]" : : "r"(v), "r"(a) : "memory");
}

static inline void wr16(uintptr_t a, uint64_t v)
{
    __asm__ volatile("strh %w0, [%1]" : : "r"(v), "r"(a) : "memory");
}

static inline void wr32(uintptr_t a, uint64_t v)
{
    __asm__ volatile("str %w0, [%1]" : : "r"(v), "r"(a) : "memory");
}

static inline void wr64(uintptr_t a, uint64_t v)
{
    __asm__ volatile("str %x0, [%1]" : : "r"(v), "r"(a) : "memory");
}

/* The whole x register after a load into a register that held all ones. */
static inline uint64_t rd32_over_ones(uintptr_t a)
{
    uint64_t v;

    __asm__ volatile("mov %x0, #-1\n\tldr %w0, [%1]" : "=&r"(v) : "r"(a) : "memory");
    return v;
}

static inline uint64_t rd8_over_ones(uintptr_t a)
{
    uint64_t v;

    __asm__ volatile("mov %x0, #-1\n\tldrb %w0, [%1]" : "=&r"(v) : "r"(a) : "memory");
    return v;
}

/* LDRSB Xt: the byte sign-extended to 64 bits. */
static inline uint64_t rd8_sext64(uintptr_t a)
{
    uint64_t v;

    __asm__ volatile("ldrsb %x0, [%1]" : "=r"(v) : "r"(a) : "memory");
    return v;
}

/* LDRSB Wt: sign-extended to 32 bits; the whole x register returned. */
static inline uint64_t rd8_sext32(uintptr_t a)
{
    uint64_t v;

    __asm__ volatile("ldrsb %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
    return v;
}

/* LDRSH Xt and LDRSW Xt. */
static inline uint64_t rd16_sext64(uintptr_t a)
{
    uint64_t v;

    __asm__ volatile("ldrsh %x0, [%1]" : "=r"(v) : "r"(a) : "memory");
    return v;
}

static inline uint64_t rd32_sext64(uintptr_t a)
{
    uint64_t v;

    __asm__ volatile("ldrsw %x0, [%1]" : "=r"(v) : "r"(a) : "memory");
    return v;
}

#endif
