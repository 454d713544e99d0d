/*
 * Build-time limits of the guest library. Included from C and assembly,
 * so only plain #defines.
 */
#ifndef GUEST_CONFIG_H
#define GUEST_CONFIG_H

/* vCPUs the library can run; more in /cpus are counted but left offline. */
#define GUEST_LIB_MAX_VCPUS 8

/* 16 KiB of stack per vCPU (exceptions run on the same stack). */
#define GUEST_STACK_SHIFT   14
#define GUEST_STACK_SIZE    (1 << GUEST_STACK_SHIFT)

/*
 * Where the Image is linked (guest.lds repeats it): Xen 4.17 puts a 64-bit
 * Image at the start of guest RAM bank 0 plus text_offset (0), i.e.
 * GUEST_RAM0_BASE. start.S relocates the image if it lands elsewhere.
 */
#define GUEST_LOAD_ADDR     0x40000000

#endif
