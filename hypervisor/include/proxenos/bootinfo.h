/* What the boot device tree says, read once into plain structs.
 *
 * bootinfo_scan() walks a validated DTB (fdt_check()) a single time and
 * records RAM, reserved memory, CPUs, boot modules and command lines (with
 * Xen 4.17's rules, see docs and xen-4.17-arm-config.md sections 1-2), and
 * lets the architecture record its own devices (arch_bootinfo_scan_node;
 * arm64: the GICv3, the generic timer and PSCI, whose structs are still
 * declared here). The rest of the hypervisor reads these
 * structs and never the tree; tests can write them as literals instead.
 *
 * Strings point into the DTB, which stays mapped and reserved for as long
 * as the hypervisor runs.
 */
#ifndef PROXENOS_BOOTINFO_H
#define PROXENOS_BOOTINFO_H

#include <proxenos/types.h>
#include <proxenos/fdt.h>

#define BOOTINFO_MAX_RAM_BANKS 64U
#define BOOTINFO_MAX_RESERVED  64U
#define BOOTINFO_MAX_MODULES   32U   /* Xen's MAX_MODULES */

/* Boot modules are looked for at most this deep (/chosen/x = 2,
 * /chosen/domU/x = 3), as in Xen's early scan. */
#define BOOTINFO_MODULE_MAX_DEPTH 3

struct boot_range {
    paddr_t start;
    paddr_t size;
};

enum boot_reserved_source {
    BOOT_RESERVED_MEMRESERVE,     /* /memreserve/ (the reservation block) */
    BOOT_RESERVED_NODE,           /* a child of /reserved-memory */
};

struct boot_reserved {
    paddr_t start;
    paddr_t size;
    enum boot_reserved_source source;
    int node;                     /* the /reserved-memory child, or -1 */
};

enum boot_module_kind {
    BOOTMOD_UNKNOWN,
    BOOTMOD_KERNEL,               /* multiboot,kernel / xen,linux-zimage */
    BOOTMOD_RAMDISK,              /* multiboot,ramdisk / xen,linux-initrd */
    BOOTMOD_XSM,                  /* xen,xsm-policy */
    BOOTMOD_GUEST_DTB,            /* multiboot,device-tree */
};

struct boot_module {
    enum boot_module_kind kind;
    /* The node had no specific compatible, so the kind comes from order:
     * the first such module is a kernel, the second a ramdisk, later ones
     * unknown. Xen then checks all of them but the first for the XSM policy
     * magic, which only the loader, reading the content, can do. */
    bool kind_guessed;
    paddr_t start;
    paddr_t size;
    const char *cmdline;          /* the node's "bootargs", or NULL */
    int node;                     /* the module node (/chosen for initrd props) */
    const char *name;             /* the node's name, or "linux,initrd" */
    int domain;                   /* the owning xen,domain node; -1 = dom0 */
    const char *domain_name;      /* that node's name; NULL for dom0 */
    /* Why nothing may be read from this module (its reg cannot be decoded,
     * its bootargs is no string, its range is not RAM the hypervisor may
     * read: <proxenos/boot_ranges.h>), or NULL. Its owner is skipped. */
    const char *unusable;
};

struct boot_cpu {
    uint64_t hw_id;               /* the node's reg: the CPU's hardware id
                                     (arm64: its MPIDR affinity fields) */
    const char *enable_method;    /* "psci", "spin-table", ... or NULL */
    int node;
};

/* What only the architecture understands of the tree (arm64: the GIC, the
 * generic timer, PSCI): its own struct, which common code passes around
 * (<proxenos/arch/bootinfo.h>). */
struct arch_boot_info;

/* The static shared memory nodes, read after the scan (static_shm.h). */
struct static_shm_table;

struct boot_info {
    const struct fdt *fdt;

    struct boot_range ram[BOOTINFO_MAX_RAM_BANKS];
    int ram_node[BOOTINFO_MAX_RAM_BANKS];     /* the memory node of each bank */
    uint32_t nr_ram;

    struct boot_reserved reserved[BOOTINFO_MAX_RESERVED];
    uint32_t nr_reserved;

    struct boot_module modules[BOOTINFO_MAX_MODULES];
    uint32_t nr_modules;

    struct boot_cpu cpus[CONFIG_NR_CPUS];
    uint32_t nr_cpus;
    uint32_t nr_cpus_ignored;     /* cpu nodes beyond CONFIG_NR_CPUS */

    int chosen;                   /* /chosen, or -1 */
    const char *xen_cmdline;      /* NULL when there is none */
    const char *dom0_cmdline;     /* NULL when there is none */
    uint32_t nr_domain_nodes;     /* xen,domain children of /chosen */

    struct arch_boot_info *arch;  /* set by arch_bootinfo_init() */
    const struct static_shm_table *shm;  /* static_shm_scan's, or NULL */

    /* When bootinfo_scan() fails: why, and the node concerned (or -1). */
    const char *error;
    int error_node;
};

/* Fill *bi from a validated tree. Returns 0, -ENOSPC (a fixed array is
 * full), or -EINVAL (a property is malformed); bi->error says which.
 * Exceeding CONFIG_NR_CPUS is not an error: extra CPUs are counted in
 * nr_cpus_ignored. */
int bootinfo_scan(struct boot_info *bi, const struct fdt *fdt);

/* For the architecture's scan (arch_bootinfo_scan_node): record why the
 * scan fails at node (-1: none) and return rc. */
int bootinfo_error(struct boot_info *bi, int rc, const char *why, int node);

/* "kernel", "ramdisk", "xsm", "device-tree" or "unknown". */
const char *boot_module_kind_name(enum boot_module_kind kind);

/* The first module of 'kind' belonging to 'domain' (a xen,domain node, or
 * -1 for dom0), or NULL. */
const struct boot_module *bootinfo_find_module(const struct boot_info *bi,
                                               enum boot_module_kind kind, int domain);

/* No dom0 kernel but at least one xen,domain node: Xen builds no dom0. */
bool bootinfo_is_dom0less(const struct boot_info *bi);

/* ---- Console UART (Xen's dtuart= option) -------------------------------- */

struct boot_uart {
    int node;
    const char *path;             /* what was looked up (not NUL-ended ...) */
    size_t path_len;              /* ... so use this length) */
    const char *options;          /* after the ':' ("115200n8"), or "" */
    const char *compatible;       /* "arm,pl011" or "arm,sbsa-uart" when
                                     supported, else the node's first
                                     compatible string (NULL if none) */
    paddr_t base;
    paddr_t size;
    bool has_irq;
    uint32_t intid;
};

/* Find the console UART as Xen does for dtuart=: 'dtuart' is "path" or
 * "alias", either optionally followed by ":options"; an empty or NULL value
 * means /chosen/stdout-path. The node must be compatible with one of the
 * nr_compatibles strings the console driver drives. Returns 0, or -ENOENT
 * (nothing configured), -ENODEV (no such node, or it is disabled),
 * -EOPNOTSUPP (no driver for it: uart->compatible says what it is) or
 * -EINVAL (bad reg). */
int bootinfo_find_uart(const struct fdt *fdt, const char *dtuart, const char *const *compatibles,
                       uint32_t nr_compatibles, struct boot_uart *uart);

#endif
