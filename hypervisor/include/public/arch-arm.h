/* The Arm guest ABI numbers of Xen 4.17: the guest physical memory map, the
 * interrupt numbers a guest sees, the hypercall tag and the PSCI function
 * numbers written into a guest's device tree. The constants of the guest
 * device trees themselves are in device_tree_defs.h, as in Xen.
 *
 * Every value was checked against Xen 4.17.0 (RELEASE-4.17.0):
 * xen/include/public/arch-arm.h. The names are Xen's, because they
 * are ABI names that guest and tool writers search for. Xen calls this
 * layout "not a stable ABI": guests must find devices and memory through the
 * device tree; the numbers exist so that the hypervisor and tools agree.
 *
 * Self-contained: includes nothing but <stdint.h> (for the C-only part at
 * the end); usable from C and from assembly.
 */
#ifndef PUBLIC_ARCH_ARM_H
#define PUBLIC_ARCH_ARM_H

/* A 64-bit constant that also reads in assembly (where ULL is an error). */
#if defined(__ASSEMBLY__) || defined(__ASSEMBLER__)
#define XEN_ARM_ULL(x) x
#else
#define XEN_ARM_ULL(x) x##ULL
#endif

/* ---- Hypercalls ---------------------------------------------------------- */

/* The immediate of "HVC #imm" that marks a Xen hypercall. The hypercall
 * number is in x16 (r12 for AArch32), arguments in x0..x4, result in x0. */
#define XEN_HYPERCALL_TAG 0xEA1

/* vcpu_info slots in the shared info page (the rest use VCPUOP_register_vcpu_info). */
#define XEN_LEGACY_MAX_VCPUS 1

/* ---- Guest physical memory map -------------------------------------------- */

/* virtio-mmio devices (a toolstack feature; their SPIs are below). */
#define GUEST_VIRTIO_MMIO_BASE   XEN_ARM_ULL(0x02000000)
#define GUEST_VIRTIO_MMIO_SIZE   XEN_ARM_ULL(0x00100000)

/* Virtual GICv2: distributor (4 KiB) and CPU interface (8 KiB). */
#define GUEST_GICD_BASE          XEN_ARM_ULL(0x03001000)
#define GUEST_GICD_SIZE          XEN_ARM_ULL(0x00001000)
#define GUEST_GICC_BASE          XEN_ARM_ULL(0x03002000)
#define GUEST_GICC_SIZE          XEN_ARM_ULL(0x00002000)

/* Virtual GICv3: distributor (64 KiB) and one redistributor region big
 * enough for vCPUs 0..127 (16 MiB / 128 KiB). */
#define GUEST_GICV3_GICD_BASE    XEN_ARM_ULL(0x03001000)
#define GUEST_GICV3_GICD_SIZE    XEN_ARM_ULL(0x00010000)
#define GUEST_GICV3_RDIST_REGIONS 1
#define GUEST_GICV3_GICR0_BASE   XEN_ARM_ULL(0x03020000)
#define GUEST_GICV3_GICR0_SIZE   XEN_ARM_ULL(0x01000000)
/* Not a name of Xen's public header: the size of one vCPU's redistributor
 * frames (RD_base + SGI_base, 2 x 64 KiB), Xen's internal GICV3_GICR_SIZE.
 * vCPU n's frames are at GICR0_BASE + n * stride. */
#define GUEST_GICV3_RDIST_STRIDE XEN_ARM_ULL(0x00020000)

/* vPCI host bridge configuration space (ECAM). */
#define GUEST_VPCI_ECAM_BASE     XEN_ARM_ULL(0x10000000)
#define GUEST_VPCI_ECAM_SIZE     XEN_ARM_ULL(0x10000000)

/* Where the toolstack puts ACPI tables for an ACPI guest. */
#define GUEST_ACPI_BASE          XEN_ARM_ULL(0x20000000)
#define GUEST_ACPI_SIZE          XEN_ARM_ULL(0x02000000)

/* The emulated SBSA UART (vpl011). */
#define GUEST_PL011_BASE         XEN_ARM_ULL(0x22000000)
#define GUEST_PL011_SIZE         XEN_ARM_ULL(0x00001000)

/* vPCI 32-bit memory window; the first value is the PCI "ranges" space code
 * (phys.hi) for 32-bit non-prefetchable memory. */
#define GUEST_VPCI_ADDR_TYPE_MEM XEN_ARM_ULL(0x02000000)
#define GUEST_VPCI_MEM_ADDR      XEN_ARM_ULL(0x23000000)
#define GUEST_VPCI_MEM_SIZE      XEN_ARM_ULL(0x10000000)

/* Where a guest maps its grant table: 16 MiB = 4096 frames. */
#define GUEST_GNTTAB_BASE        XEN_ARM_ULL(0x38000000)
#define GUEST_GNTTAB_SIZE        XEN_ARM_ULL(0x01000000)

/* Toolstack "magic" pages (console, xenstore, ...). */
#define GUEST_MAGIC_BASE         XEN_ARM_ULL(0x39000000)
#define GUEST_MAGIC_SIZE         XEN_ARM_ULL(0x01000000)

/* Guest RAM: two banks, sized so that the unused tail of each can also hold
 * the "extended regions" offered to the guest. */
#define GUEST_RAM_BANKS          2
#define GUEST_RAM0_BASE          XEN_ARM_ULL(0x40000000)   /* 3 GiB at 1 GiB */
#define GUEST_RAM0_SIZE          XEN_ARM_ULL(0xc0000000)

/* vPCI 64-bit prefetchable window: 4 GiB at 4 GiB. The space code is
 * 0x42000000 in 4.17 (Xen 4.18 changed it to 0x43000000). */
#define GUEST_VPCI_ADDR_TYPE_PREFETCH_MEM XEN_ARM_ULL(0x42000000)
#define GUEST_VPCI_PREFETCH_MEM_ADDR      XEN_ARM_ULL(0x100000000)
#define GUEST_VPCI_PREFETCH_MEM_SIZE      XEN_ARM_ULL(0x100000000)

#define GUEST_RAM1_BASE          XEN_ARM_ULL(0x0200000000)  /* 1016 GiB at 8 GiB */
#define GUEST_RAM1_SIZE          XEN_ARM_ULL(0xfe00000000)

#define GUEST_RAM_BASE           GUEST_RAM0_BASE            /* lowest RAM address */
#define GUEST_RAM_MAX            (GUEST_RAM0_SIZE + GUEST_RAM1_SIZE)
/* Initialisers: const uint64_t bases[GUEST_RAM_BANKS] = GUEST_RAM_BANK_BASES; */
#define GUEST_RAM_BANK_BASES     { GUEST_RAM0_BASE, GUEST_RAM1_BASE }
#define GUEST_RAM_BANK_SIZES     { GUEST_RAM0_SIZE, GUEST_RAM1_SIZE }

/* Most vCPUs a guest may have. */
#define GUEST_MAX_VCPUS          128

/* ---- Interrupts (GIC INTIDs) --------------------------------------------- */

#define GUEST_TIMER_VIRT_PPI     27
#define GUEST_TIMER_PHYS_S_PPI   29
#define GUEST_TIMER_PHYS_NS_PPI  30
#define GUEST_EVTCHN_PPI         31     /* event channel upcall */

#define GUEST_VPL011_SPI         32

#define GUEST_VIRTIO_MMIO_SPI_FIRST 33
#define GUEST_VIRTIO_MMIO_SPI_LAST  43

/* ---- PSCI 0.1 function numbers (the "cpu_off"/"cpu_on" DT properties) --- */

#define PSCI_cpu_suspend 0
#define PSCI_cpu_off     1
#define PSCI_cpu_on      2
#define PSCI_migrate     3

/* ---- Control interface structures (domctl) --------------------------------
 * C only. Layouts from Xen 4.17.7's arch-arm.h; sizes proven in domctl.h. */
#if !defined(__ASSEMBLY__) && !defined(__ASSEMBLER__)
#include <stdint.h>

/* gic_version of struct xen_arch_domainconfig */
#define XEN_DOMCTL_CONFIG_GIC_NATIVE 0
#define XEN_DOMCTL_CONFIG_GIC_V2     1
#define XEN_DOMCTL_CONFIG_GIC_V3     2
/* tee_type */
#define XEN_DOMCTL_CONFIG_TEE_NONE   0
#define XEN_DOMCTL_CONFIG_TEE_OPTEE  1

/* What createdomain asks of the Arm part of a new domain (12 bytes). */
struct xen_arch_domainconfig {
    uint8_t gic_version;        /* in/out: NATIVE is replaced by the host's */
    uint8_t pad;
    uint16_t tee_type;          /* in */
    uint32_t nr_spis;           /* in: SPIs of the virtual GIC */
    uint32_t clock_frequency;   /* out: the host timer node's clock-frequency, 0 if none */
};

/* A vCPU's registers as setvcpucontext/getvcpucontext carry them (312
 * bytes). Only the AArch64 names are given; AArch32 guests use the low
 * halves of the same slots. */
struct vcpu_guest_core_regs {
    uint64_t x0, x1, x2, x3, x4, x5, x6, x7;
    uint64_t x8, x9, x10, x11, x12, x13, x14, x15;
    uint64_t x16, x17, x18, x19, x20, x21, x22, x23;
    uint64_t x24, x25, x26, x27, x28, x29, x30;
    uint64_t pc64;              /* where the vCPU resumes (ELR_EL2) */
    uint64_t cpsr;              /* its PSTATE (SPSR_EL2) */
    uint64_t spsr_el1;
    uint32_t spsr_fiq, spsr_irq, spsr_und, spsr_abt;   /* AArch32 only */
    uint64_t sp_el0;
    uint64_t sp_el1;
    uint64_t elr_el1;
};

#define VGCF_online (1U << 0)   /* flags: the vCPU is up */

/* 352 bytes. */
struct vcpu_guest_context {
    uint32_t flags;             /* VGCF_* */
    uint32_t pad;
    struct vcpu_guest_core_regs user_regs;
    uint64_t sctlr;
    uint64_t ttbcr, ttbr0, ttbr1;
};
#endif

#endif
