/* One pass over the boot device tree into struct boot_info.
 *
 * What is recognised, and where (Xen 4.17's early scan, bootfdt.c, is the
 * reference for boot modules and command lines):
 *   depth 1   memory nodes, /reserved-memory, /chosen, /cpus
 *   depth 2   /reserved-memory/x, /cpus/cpu@x, /chosen/<xen,domain>
 *   depth 2-3 boot modules: /chosen/x and /chosen/<domain>/x
 *   anywhere  what the architecture describes (arch_bootinfo_scan_node;
 *             arm64: the first available GICv3, generic timer and PSCI
 *             node, in arch/arm64/bootinfo_devices.c)
 * Device descriptions that are present but malformed are errors: the
 * hypervisor stops with the reason rather than guess. Boot modules (and
 * /chosen's linux,initrd-start/-end) are the exception: a bad one is kept,
 * marked unusable, so that only the domain owning it is not built
 * (boot_ranges.h).
 */
#include <proxenos/arch/bootinfo.h>
#include <proxenos/bootinfo.h>
#include <proxenos/errno.h>
#include <proxenos/lib.h>
#include <proxenos/string.h>

struct scan {
    struct boot_info *bi;
    const struct fdt *fdt;
    int path[FDT_MAX_DEPTH];      /* path[d]: the current node's ancestor at depth d */
    int reserved_memory;
    int cpus;
    uint32_t untyped_modules;     /* Xen's kind_guess counter */
};

static const char empty_string[] = "";

int bootinfo_error(struct boot_info *bi, int rc, const char *why, int node)
{
    bi->error = why;
    bi->error_node = node;
    return rc;
}

static int scan_error(struct scan *s, int rc, const char *why, int node)
{
    return bootinfo_error(s->bi, rc, why, node);
}

/* A string property: *out = NULL if absent, the string otherwise ("" for a
 * zero-length property). -EINVAL if it does not end in a NUL. */
static int string_prop(const struct fdt *fdt, int node, const char *name, const char **out)
{
    uint32_t len = 0U;
    const char *v = fdt_getprop(fdt, node, name, &len);

    *out = NULL;
    if (v == NULL) {
        return 0;
    }
    if (len == 0U) {
        *out = empty_string;
        return 0;
    }
    if (v[len - 1U] != '\0') {
        return -EINVAL;
    }
    *out = v;
    return 0;
}

static bool string_prop_is(const struct fdt *fdt, int node, const char *name, const char *value)
{
    const char *v = fdt_getprop_string(fdt, node, name);

    return (v != NULL) && (strcmp(v, value) == 0);
}

static bool range_wraps(uint64_t start, uint64_t size)
{
    return (size != 0U) && ((start + (size - 1U)) < start);
}

/* ---- Memory ------------------------------------------------------------ */

static int add_ram(struct scan *s, int node, uint64_t start, uint64_t size)
{
    struct boot_info *bi = s->bi;

    if (range_wraps(start, size)) {
        return scan_error(s, -EINVAL, "memory range wraps around", node);
    }
    if (bi->nr_ram >= BOOTINFO_MAX_RAM_BANKS) {
        return scan_error(s, -ENOSPC, "too many RAM banks (at most 64)", node);
    }
    bi->ram[bi->nr_ram].start = start;
    bi->ram[bi->nr_ram].size = size;
    bi->ram_node[bi->nr_ram] = node;
    bi->nr_ram++;
    return 0;
}

static int add_reserved(struct scan *s, int node, uint64_t start, uint64_t size,
                        enum boot_reserved_source source)
{
    struct boot_info *bi = s->bi;
    struct boot_reserved *r;

    if (range_wraps(start, size)) {
        return scan_error(s, -EINVAL, "reserved range wraps around", node);
    }
    if (bi->nr_reserved >= BOOTINFO_MAX_RESERVED) {
        return scan_error(s, -ENOSPC, "too many reserved memory ranges (at most 64)", node);
    }
    r = &bi->reserved[bi->nr_reserved];
    r->start = start;
    r->size = size;
    r->source = source;
    r->node = node;
    bi->nr_reserved++;
    return 0;
}

/* Every non-empty reg entry of an available node goes to 'ram' or to the
 * reserved list. */
static int scan_reg_ranges(struct scan *s, int node, bool ram)
{
    int count;

    if (!fdt_node_is_available(s->fdt, node)) {
        return 0;
    }
    count = fdt_reg_count(s->fdt, node);
    if (count < 0) {
        return scan_error(s, -EINVAL, "malformed reg", node);
    }
    for (uint32_t i = 0U; i < (uint32_t)count; i++) {
        uint64_t start;
        uint64_t size;
        int rc = fdt_reg_raw(s->fdt, node, i, &start, &size);

        if (rc != 0) {
            return scan_error(s, -EINVAL, "reg with more than two address or size cells",
                              node);
        }
        if (size == 0U) {
            continue;
        }
        rc = ram ? add_ram(s, node, start, size)
                 : add_reserved(s, node, start, size, BOOT_RESERVED_NODE);
        if (rc != 0) {
            return rc;
        }
    }
    return 0;
}

static int scan_memreserve(struct scan *s)
{
    uint32_t n = fdt_rsv_count(s->fdt);

    for (uint32_t i = 0U; i < n; i++) {
        uint64_t start;
        uint64_t size;
        int rc = fdt_rsv_entry(s->fdt, i, &start, &size);

        if ((rc == 0) && (size != 0U)) {
            rc = add_reserved(s, -1, start, size, BOOT_RESERVED_MEMRESERVE);
        }
        if (rc != 0) {
            return rc;
        }
    }
    return 0;
}

/* ---- CPUs -------------------------------------------------------------- */

static int scan_cpu(struct scan *s, int node)
{
    struct boot_info *bi = s->bi;
    struct boot_cpu *cpu;
    const char *why;
    uint64_t hw_id;
    uint64_t unused;

    if (fdt_reg_raw(s->fdt, node, 0U, &hw_id, &unused) != 0) {
        return scan_error(s, -EINVAL, "cpu node without a usable reg", node);
    }
    why = arch_bootinfo_cpu_id_error(hw_id);
    if (why != NULL) {
        return scan_error(s, -EINVAL, why, node);
    }
    for (uint32_t i = 0U; i < bi->nr_cpus; i++) {
        if (bi->cpus[i].hw_id == hw_id) {
            return scan_error(s, -EINVAL, "two cpu nodes with the same reg", node);
        }
    }
    if (bi->nr_cpus >= (uint32_t)CONFIG_NR_CPUS) {
        bi->nr_cpus_ignored++;
        return 0;
    }
    cpu = &bi->cpus[bi->nr_cpus];
    cpu->hw_id = hw_id;
    cpu->enable_method = fdt_getprop_string(s->fdt, node, "enable-method");
    cpu->node = node;
    bi->nr_cpus++;
    return 0;
}

/* ---- Boot modules ------------------------------------------------------ */

static int add_module(struct scan *s, const struct boot_module *m)
{
    struct boot_info *bi = s->bi;

    if (bi->nr_modules >= BOOTINFO_MAX_MODULES) {
        return scan_error(s, -ENOSPC, "too many boot modules (at most 32)", m->node);
    }
    bi->modules[bi->nr_modules] = *m;
    bi->nr_modules++;
    return 0;
}

/* Xen's order of tests: the first that matches decides. */
static enum boot_module_kind module_kind(const struct fdt *fdt, int node)
{
    if (fdt_node_is_compatible(fdt, node, "multiboot,kernel") ||
        fdt_node_is_compatible(fdt, node, "xen,linux-zimage")) {
        return BOOTMOD_KERNEL;
    }
    if (fdt_node_is_compatible(fdt, node, "multiboot,ramdisk") ||
        fdt_node_is_compatible(fdt, node, "xen,linux-initrd")) {
        return BOOTMOD_RAMDISK;
    }
    if (fdt_node_is_compatible(fdt, node, "xen,xsm-policy")) {
        return BOOTMOD_XSM;
    }
    if (fdt_node_is_compatible(fdt, node, "multiboot,device-tree")) {
        return BOOTMOD_GUEST_DTB;
    }
    return BOOTMOD_UNKNOWN;
}

/* Why fdt_reg_raw's result rc leaves a module's place unknown, or NULL. */
static const char *module_reg_error(int rc)
{
    switch (rc) {
    case 0:
        return NULL;
    case -ENOENT:
        return "has no reg";
    case -EOPNOTSUPP:
        return "its reg has more than two address or size cells";
    default:
        return "its reg does not match #address-cells and #size-cells";
    }
}

static int scan_module(struct scan *s, int node, int parent)
{
    struct boot_module m;
    int rc;

    memset(&m, 0, sizeof(m));
    m.node = node;
    m.name = fdt_node_name(s->fdt, node);
    m.domain = -1;
    /* A module whose reg cannot be read is kept, marked unusable, so that
     * only its owner is skipped; where a readable reg points is checked
     * later, against RAM and the rest (boot_modules_check). */
    rc = fdt_reg_raw(s->fdt, node, 0U, &m.start, &m.size);
    m.unusable = module_reg_error(rc);
    m.kind = module_kind(s->fdt, node);
    if (m.kind == BOOTMOD_UNKNOWN) {
        /* Untyped: the first is the kernel, the second the ramdisk (Xen
         * counts them over the whole tree, domains included). */
        m.kind_guessed = true;
        if (s->untyped_modules == 0U) {
            m.kind = BOOTMOD_KERNEL;
        } else if (s->untyped_modules == 1U) {
            m.kind = BOOTMOD_RAMDISK;
        } else {
            /* stays unknown */
        }
        s->untyped_modules++;
    }
    if (fdt_node_is_compatible(s->fdt, parent, "xen,domain")) {
        m.domain = parent;
        m.domain_name = fdt_node_name(s->fdt, parent);
    }
    if ((string_prop(s->fdt, node, "bootargs", &m.cmdline) != 0) && (m.unusable == NULL)) {
        m.unusable = "its bootargs is not a NUL-terminated string";
    }
    return add_module(s, &m);
}

/* linux,initrd-start/-end in /chosen: dom0's ramdisk, each one or two cells. */
static int scan_initrd(struct scan *s, int chosen)
{
    uint32_t start_len = 0U;
    uint32_t end_len = 0U;
    const void *start = fdt_getprop(s->fdt, chosen, "linux,initrd-start", &start_len);
    const void *end = fdt_getprop(s->fdt, chosen, "linux,initrd-end", &end_len);
    struct boot_module m;

    if (start == NULL) {
        return 0;
    }
    /* A ramdisk dom0 cannot have: kept, marked unusable, so that dom0 is
     * not built and says why, while dom0less domains still boot. */
    memset(&m, 0, sizeof(m));
    m.kind = BOOTMOD_RAMDISK;
    if (end == NULL) {
        m.unusable = "linux,initrd-start without linux,initrd-end";
    } else if (((start_len != 4U) && (start_len != 8U)) ||
               ((end_len != 4U) && (end_len != 8U))) {
        m.unusable = "linux,initrd-start/-end must be 4 or 8 bytes";
    } else {
        m.start = fdt_read_cells(start, start_len / 4U);
        m.size = fdt_read_cells(end, end_len / 4U);
        if (m.start >= m.size) {
            m.unusable = "linux,initrd-start is not below linux,initrd-end";
            m.size = 0U;
        } else {
            m.size -= m.start;
        }
    }
    m.node = chosen;
    m.name = "linux,initrd";
    m.domain = -1;
    return add_module(s, &m);
}

/* Xen 4.17's rules (bootfdt.c boot_fdt_cmdline, domain_build.c):
 *   Xen:  xen,xen-bootargs; without it, /chosen/bootargs if there is a
 *         xen,dom0-bootargs or the dom0 kernel module has non-empty
 *         bootargs; otherwise nothing.
 *   dom0: xen,dom0-bootargs; else the kernel module's non-empty bootargs;
 *         else /chosen/bootargs (then not Xen's, by the rule above). */
static int pick_cmdlines(struct scan *s)
{
    struct boot_info *bi = s->bi;
    const char *xen_args = NULL;
    const char *dom0_args = NULL;
    const char *bootargs = NULL;
    const char *module_args = NULL;
    bool module_has_args;

    if (bi->chosen < 0) {
        return 0;
    }
    if ((string_prop(s->fdt, bi->chosen, "xen,xen-bootargs", &xen_args) != 0) ||
        (string_prop(s->fdt, bi->chosen, "xen,dom0-bootargs", &dom0_args) != 0) ||
        (string_prop(s->fdt, bi->chosen, "bootargs", &bootargs) != 0)) {
        return scan_error(s, -EINVAL, "a /chosen bootargs property is not a string",
                          bi->chosen);
    }
    /* Xen looks at the first dom0 kernel module that has bootargs. */
    for (uint32_t i = 0U; i < bi->nr_modules; i++) {
        const struct boot_module *m = &bi->modules[i];

        if ((m->kind == BOOTMOD_KERNEL) && (m->domain < 0) && (m->cmdline != NULL)) {
            module_args = m->cmdline;
            break;
        }
    }
    module_has_args = (module_args != NULL) && (module_args[0] != '\0');

    if (xen_args != NULL) {
        bi->xen_cmdline = xen_args;
    } else if ((dom0_args != NULL) || module_has_args) {
        bi->xen_cmdline = bootargs;
    } else {
        bi->xen_cmdline = NULL;
    }
    if (dom0_args != NULL) {
        bi->dom0_cmdline = dom0_args;
    } else if (module_has_args) {
        bi->dom0_cmdline = module_args;
    } else {
        bi->dom0_cmdline = bootargs;
    }
    return 0;
}

/* ---- The walk ---------------------------------------------------------- */

static bool is_memory_node(const struct fdt *fdt, int node)
{
    return fdt_node_name_is(fdt, node, "memory") ||
           string_prop_is(fdt, node, "device_type", "memory");
}

static int scan_top_level(struct scan *s, int node)
{
    const char *name = fdt_node_name(s->fdt, node);

    if (is_memory_node(s->fdt, node)) {
        return scan_reg_ranges(s, node, true);
    }
    if (strcmp(name, "reserved-memory") == 0) {
        s->reserved_memory = node;
    } else if (strcmp(name, "chosen") == 0) {
        s->bi->chosen = node;
        return scan_initrd(s, node);
    } else if (strcmp(name, "cpus") == 0) {
        s->cpus = node;
    } else {
        /* nothing else at the top level matters here */
    }
    return 0;
}

static int scan_node(struct scan *s, int node, int depth)
{
    const struct fdt *fdt = s->fdt;
    struct boot_info *bi = s->bi;
    int parent = (depth > 0) ? s->path[depth - 1] : -1;
    int rc = 0;

    if (depth == 1) {
        rc = scan_top_level(s, node);
    } else if ((depth == 2) && (parent == s->reserved_memory)) {
        rc = scan_reg_ranges(s, node, false);
    } else if ((depth == 2) && (parent == s->cpus)) {
        if (string_prop_is(fdt, node, "device_type", "cpu")) {
            rc = scan_cpu(s, node);
        }
    } else if ((depth >= 2) && (depth <= BOOTINFO_MODULE_MAX_DEPTH) &&
               (s->path[1] == bi->chosen) &&
               (fdt_node_is_compatible(fdt, node, "multiboot,module") ||
                fdt_node_is_compatible(fdt, node, "xen,multiboot-module"))) {
        rc = scan_module(s, node, parent);
    } else if ((depth == 2) && (parent == bi->chosen) &&
               fdt_node_is_compatible(fdt, node, "xen,domain")) {
        bi->nr_domain_nodes++;
    } else {
        /* not a boot-structure node */
    }
    if (rc != 0) {
        return rc;
    }
    return arch_bootinfo_scan_node(bi, fdt, node);
}

int bootinfo_scan(struct boot_info *bi, const struct fdt *fdt)
{
    struct scan s;
    int depth = 0;
    int node;
    int rc;

    memset(bi, 0, sizeof(*bi));
    bi->fdt = fdt;
    bi->chosen = -1;
    bi->error_node = -1;
    arch_bootinfo_init(bi);
    memset(&s, 0, sizeof(s));
    s.bi = bi;
    s.fdt = fdt;
    s.reserved_memory = -1;
    s.cpus = -1;

    rc = scan_memreserve(&s);
    if (rc != 0) {
        return rc;
    }
    node = fdt_root(fdt);
    while (node >= 0) {
        if ((depth < 0) || (depth >= FDT_MAX_DEPTH)) {
            return scan_error(&s, -EINVAL, "device tree nested too deeply", node);
        }
        s.path[depth] = node;
        rc = scan_node(&s, node, depth);
        if (rc != 0) {
            return rc;
        }
        node = fdt_next_node(fdt, node, &depth);
    }
    if (node != -ENOENT) {
        return scan_error(&s, -EINVAL, "corrupt structure block", -1);
    }
    return pick_cmdlines(&s);
}

const char *boot_module_kind_name(enum boot_module_kind kind)
{
    switch (kind) {
    case BOOTMOD_KERNEL:
        return "kernel";
    case BOOTMOD_RAMDISK:
        return "ramdisk";
    case BOOTMOD_XSM:
        return "xsm";
    case BOOTMOD_GUEST_DTB:
        return "device-tree";
    default:
        return "unknown";
    }
}

const struct boot_module *bootinfo_find_module(const struct boot_info *bi,
                                               enum boot_module_kind kind, int domain)
{
    for (uint32_t i = 0U; i < bi->nr_modules; i++) {
        const struct boot_module *m = &bi->modules[i];

        if ((m->kind == kind) && (m->domain == domain)) {
            return m;
        }
    }
    return NULL;
}

bool bootinfo_is_dom0less(const struct boot_info *bi)
{
    return (bootinfo_find_module(bi, BOOTMOD_KERNEL, -1) == NULL) &&
           (bi->nr_domain_nodes > 0U);
}

/* ---- Console UART ------------------------------------------------------ */

int bootinfo_find_uart(const struct fdt *fdt, const char *dtuart, const char *const *compatibles,
                       uint32_t nr_compatibles, struct boot_uart *uart)
{
    const char *spec = dtuart;
    const char *colon;
    uint32_t flags;
    int rc;

    memset(uart, 0, sizeof(*uart));
    uart->node = -1;
    uart->options = empty_string;
    if ((spec == NULL) || (spec[0] == '\0')) {
        int chosen = fdt_path_offset(fdt, "/chosen", 7U);

        spec = (chosen >= 0) ? fdt_getprop_string(fdt, chosen, "stdout-path") : NULL;
        if (spec == NULL) {
            return -ENOENT;
        }
    }
    colon = strchr(spec, ':');
    uart->path = spec;
    uart->path_len = (colon != NULL) ? (size_t)(colon - spec) : strlen(spec);
    if (colon != NULL) {
        uart->options = colon + 1;
    }
    if (uart->path_len == 0U) {
        return -ENODEV;
    }
    uart->node = fdt_path_offset(fdt, spec, uart->path_len);
    if ((uart->node < 0) || !fdt_node_is_available(fdt, uart->node)) {
        return -ENODEV;
    }
    for (uint32_t i = 0U; i < nr_compatibles; i++) {
        if (fdt_node_is_compatible(fdt, uart->node, compatibles[i])) {
            uart->compatible = compatibles[i];
            break;
        }
    }
    if (uart->compatible == NULL) {
        uint32_t len = 0U;
        const char *list = fdt_getprop(fdt, uart->node, "compatible", &len);

        /* Name the device in the error: its first compatible string. */
        if ((list != NULL) && (len > 0U) && (memchr(list, 0, len) != NULL)) {
            uart->compatible = list;
        }
        return -EOPNOTSUPP;
    }
    if (fdt_reg(fdt, uart->node, 0U, &uart->base, &uart->size) != 0) {
        return -EINVAL;
    }
    rc = fdt_irq(fdt, uart->node, 0U, &uart->intid, &flags);
    if (rc == 0) {
        uart->has_irq = true;
    } else if (rc != -ENOENT) {
        return -EINVAL;
    } else {
        uart->intid = 0U;
    }
    return 0;
}
