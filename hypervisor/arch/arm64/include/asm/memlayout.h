/* The hypervisor's EL2 virtual address space (TTBR0_EL2, 48-bit VA, 4 KiB
 * granule). Kept free of C so head.S and the linker script can use it. */
#ifndef ASM_MEMLAYOUT_H
#define ASM_MEMLAYOUT_H

/* The image is linked here and mapped wherever it was loaded, so loaders may
 * place it at any 2 MiB-aligned address. L0 slot 20: far from RAM's
 * identity-mapped boot trampoline on any board we know. */
#define HYP_VIRT_BASE       0x00000a0000000000
#define HYP_IMAGE_MAX       0x00400000          /* 4 MiB: two L3 tables */
/* Last 2 MiB of the image's first GiB: single pages mapped at fixed VAs
 * (the early UART). */
#define FIXMAP_VIRT_BASE    0x00000a003fe00000
#define FIXMAP_EARLY_UART   0
/* The boot DTB, mapped read-only in 2 MiB blocks until it is reserved and
 * reachable through the direct map. */
#define BOOT_FDT_VIRT       0x00000a0040000000
#define BOOT_FDT_MAX        0x00200000          /* 2 MiB, as on Xen */
/* Device mappings handed out by ioremap(). */
#define IOREMAP_VIRT_BASE   0x00000a0080000000
#define IOREMAP_VIRT_SIZE   0x0000000040000000
/* All host RAM at PA + DIRECTMAP_VIRT_BASE (covers 128 TiB of PA). */
#define DIRECTMAP_VIRT_BASE 0x0000800000000000
#define DIRECTMAP_PA_LIMIT  0x0000800000000000

#define STACK_SIZE          0x4000              /* 16 KiB per CPU */

#endif
