/*
 * What the guest learns from its device tree, read once at boot into a
 * plain struct (the rest of the library never walks the tree again).
 */
#ifndef GUEST_PLATFORM_H
#define GUEST_PLATFORM_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "fdt.h"

#define PLAT_MAX_MEM_BANKS 4U
#define PLAT_MAX_EXT_REGIONS 8U

struct mem_bank {
    uint64_t base;
    uint64_t size;
};

struct platform {
    const void *dtb;
    struct fdt fdt;
    uint64_t load_addr;             /* where the image runs (Xen: 0x40000000) */

    const char *bootargs;           /* /chosen/bootargs, "" when absent */

    struct mem_bank mem[PLAT_MAX_MEM_BANKS];
    uint32_t mem_count;
    uint64_t mem_total;

    uint32_t cpu_count;             /* vCPU nodes in /cpus */
    uint64_t cpu_mpidr[GUEST_LIB_MAX_VCPUS]; /* their reg (MPIDR affinity), first ones only */

    bool has_uart;                  /* "arm,sbsa-uart" or "arm,pl011" */
    uint64_t uart_base;
    uint32_t uart_intid;            /* 0 if the node has no usable interrupt */

    uint32_t gic_version;           /* 3, 2, or 0 when none found */
    uint64_t gicd_base;
    uint64_t gicd_size;
    uint64_t gicr_base;             /* first redistributor region */
    uint64_t gicr_size;
    uint64_t gicr_stride;           /* 0: use the GICR_TYPER-based default */

    uint32_t vtimer_intid;          /* from the arm,armv8-timer node, 27 if absent */
    uint32_t timer_dt_freq;         /* its clock-frequency, 0 if absent */

    bool psci_hvc;                  /* /psci method is "hvc" */
    bool has_hypervisor;            /* /hypervisor compatible "xen,xen" */
    const char *hypervisor_compat;  /* first compatible string, e.g. "xen,xen-4.17" */
    uint64_t gnttab_base;           /* /hypervisor reg[0] */
    uint64_t gnttab_size;
    uint32_t evtchn_intid;          /* /hypervisor interrupts */
    /* /hypervisor reg[1..]: the extended regions, guest-physical space with
     * nothing behind it where foreign pages or grants may be mapped */
    struct mem_bank ext_region[PLAT_MAX_EXT_REGIONS];
    uint32_t ext_count;
};

/* 0 on success, negative when the tree cannot be read at all. */
int platform_probe(struct platform *p, const void *dtb);

/* INTID of interrupt specifier `index` of a node (3-cell GIC binding), 0 if none. */
uint32_t platform_irq(const struct platform *p, int node, uint32_t index);

/* Index of the vCPU with this MPIDR affinity in cpu_mpidr[], or -1. */
int platform_cpu_index(const struct platform *p, uint64_t mpidr);

#endif
