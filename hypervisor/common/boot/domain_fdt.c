/* A dom0less domU's device tree, node for node as Xen 4.17 writes it (see
 * domain_fdt.h for the tree and where each value comes from). This file
 * writes the root, /chosen, the memory node and /reserved-memory; the architecture writes
 * the CPUs, the interrupt controller and the devices in the two places
 * <proxenos/arch/domain_fdt.h> gives it, and finds the extended regions
 * (arch_domu_ext_regions).
 *
 * The configuration is checked completely before the first byte is
 * written, so the only failures left while writing are the writer's own
 * (-ENOSPC). Those stick in the writer, so the node builders below make
 * their calls one after another and report the writer's state at the end.
 */
#include <proxenos/arch/domain_fdt.h>
#include <proxenos/domain_fdt.h>
#include <proxenos/errno.h>
#include <proxenos/fdt.h>
#include <proxenos/fdt_write.h>
#include <proxenos/lib.h>
#include <proxenos/string.h>
#include <public/device_tree_defs.h>

/* ---- Small helpers --------------------------------------------------------- */

void domain_fdt_unit_name(char buf[DOMAIN_FDT_UNIT_NAME_MAX], const char *prefix, uint64_t unit)
{
    static const char hex[] = "0123456789abcdef";
    char digits[16];
    size_t n = 0U;
    size_t len = strnlen(prefix, (size_t)DOMAIN_FDT_UNIT_NAME_MAX - 18U);
    uint64_t v = unit;

    memcpy(buf, prefix, len);
    buf[len] = '@';
    len++;
    do {
        digits[n] = hex[v & 0xfU];
        n++;
        v >>= 4;
    } while ((v != 0U) && (n < sizeof(digits)));
    while (n > 0U) {
        n--;
        buf[len] = digits[n];
        len++;
    }
    buf[len] = '\0';
}

bool domain_fdt_region_ok(const struct domain_fdt_region *r)
{
    return (r->size != 0U) && (r->base <= (UINT64_MAX - r->size));
}

bool domain_fdt_regions_ok(const struct domain_fdt_region *r, unsigned int n)
{
    unsigned int i;

    if ((r == NULL) && (n != 0U)) {
        return false;
    }
    for (i = 0U; i < n; i++) {
        if (!domain_fdt_region_ok(&r[i])) {
            return false;
        }
    }
    return true;
}

void domain_fdt_append_region(struct fdt_writer *w, const struct domain_fdt_region *r)
{
    (void)fdt_writer_prop_append_cells(w, r->base, GUEST_ROOT_ADDRESS_CELLS);
    (void)fdt_writer_prop_append_cells(w, r->size, GUEST_ROOT_SIZE_CELLS);
}

/* ---- Configuration check ------------------------------------------------------ */

/* What this file reads; the architecture checks the rest. */
static bool config_ok(const struct domain_fdt_config *cfg)
{
    bool ok = (cfg->nr_vcpus >= 1U) && (cfg->nr_vcpus <= MAX_VCPUS_PER_DOMAIN) &&
              (cfg->nr_mem >= 1U) && domain_fdt_regions_ok(cfg->mem, cfg->nr_mem);

    for (unsigned int i = 0U; ok && (i < cfg->nr_shm); i++) {
        const struct domain_fdt_region r = { cfg->shm[i].base, cfg->shm[i].size };

        ok = domain_fdt_region_ok(&r) && (cfg->shm[i].id != NULL);
    }
    if (ok && (cfg->nr_virtio != 0U)) {
        ok = cfg->virtio != NULL;
    }
    for (unsigned int i = 0U; ok && (i < cfg->nr_virtio); i++) {
        const struct domain_fdt_region r = { cfg->virtio[i].base, cfg->virtio[i].size };

        ok = domain_fdt_region_ok(&r);
    }
    if (ok && (cfg->initrd_size != 0U)) {
        ok = cfg->initrd_start <= (UINT64_MAX - cfg->initrd_size);
    }
    return ok && arch_domain_fdt_config_ok(cfg);
}

/* ---- Nodes, in Xen's order ------------------------------------------------------ */

static int make_chosen(struct fdt_writer *w, const struct domain_fdt_config *cfg)
{
    (void)fdt_writer_begin_node(w, "chosen");
    if ((cfg->bootargs != NULL) && (cfg->bootargs[0] != '\0')) {
        (void)fdt_writer_prop_string(w, "bootargs", cfg->bootargs);
    }
    if (cfg->initrd_size != 0U) {
        /* Always two cells, whatever #address-cells says: what Xen and
         * Linux use for these two. */
        (void)fdt_writer_prop_u64(w, "linux,initrd-start", cfg->initrd_start);
        (void)fdt_writer_prop_u64(w, "linux,initrd-end", cfg->initrd_start + cfg->initrd_size);
    }
    return fdt_writer_end_node(w);
}

/* One node named after the first bank, holding every bank (Xen 4.17's
 * make_memory_node; the spec would allow one node per bank too). */
static int make_memory(struct fdt_writer *w, const struct domain_fdt_config *cfg)
{
    char name[DOMAIN_FDT_UNIT_NAME_MAX];
    unsigned int i;

    domain_fdt_unit_name(name, "memory", cfg->mem[0].base);
    (void)fdt_writer_begin_node(w, name);
    (void)fdt_writer_prop_string(w, "device_type", "memory");
    (void)fdt_writer_prop_begin(w, "reg");
    for (i = 0U; i < cfg->nr_mem; i++) {
        domain_fdt_append_region(w, &cfg->mem[i]);
    }
    (void)fdt_writer_prop_end(w);
    return fdt_writer_end_node(w);
}

void domain_fdt_shm_nodes(struct fdt_writer *w, const struct domain_fdt_shm *shm, unsigned int n,
                          uint32_t ac, uint32_t sc)
{
    char name[DOMAIN_FDT_UNIT_NAME_MAX];

    for (unsigned int i = 0U; i < n; i++) {
        domain_fdt_unit_name(name, "xen-shmem", shm[i].base);
        (void)fdt_writer_begin_node(w, name);
        (void)fdt_writer_prop_string(w, "compatible", "xen,shared-memory-v1");
        (void)fdt_writer_prop_begin(w, "reg");
        (void)fdt_writer_prop_append_cells(w, shm[i].base, ac);
        (void)fdt_writer_prop_append_cells(w, shm[i].size, sc);
        (void)fdt_writer_prop_end(w);
        (void)fdt_writer_prop_string(w, "xen,id", shm[i].id);
        /* Where the borrower's view starts in the owner's region: always
         * 0 in Xen 4.17. */
        (void)fdt_writer_prop_u64(w, "xen,offset", 0U);
        (void)fdt_writer_end_node(w);
    }
}

/* Xen 4.17's make_resv_memory_node and make_shm_memory_node: the guest's
 * root cells, one child per region named after its guest address. */
static int make_reserved_memory(struct fdt_writer *w, const struct domain_fdt_config *cfg)
{
    if (cfg->nr_shm == 0U) {
        return 0;
    }
    (void)fdt_writer_begin_node(w, "reserved-memory");
    (void)fdt_writer_prop_empty(w, "ranges");
    (void)fdt_writer_prop_u32(w, "#address-cells", GUEST_ROOT_ADDRESS_CELLS);
    (void)fdt_writer_prop_u32(w, "#size-cells", GUEST_ROOT_SIZE_CELLS);
    domain_fdt_shm_nodes(w, cfg->shm, cfg->nr_shm, GUEST_ROOT_ADDRESS_CELLS,
                         GUEST_ROOT_SIZE_CELLS);
    return fdt_writer_end_node(w);
}

/* ---- Entry points --------------------------------------------------------------- */

int domain_fdt_build_domu(const struct domain_fdt_config *cfg, void *buf, size_t size,
                          uint32_t *out_size)
{
    struct fdt_writer w;
    int rc;

    if ((cfg == NULL) || (buf == NULL) || !config_ok(cfg)) {
        return -EINVAL;
    }
    rc = fdt_writer_init(&w, buf, size);
    if (rc != 0) {
        return rc;
    }
    (void)fdt_writer_begin_node(&w, "");
    (void)fdt_writer_prop_u32(&w, "#address-cells", GUEST_ROOT_ADDRESS_CELLS);
    (void)fdt_writer_prop_u32(&w, "#size-cells", GUEST_ROOT_SIZE_CELLS);
    (void)make_chosen(&w, cfg);
    (void)arch_domain_fdt_nodes(&w, cfg, ARCH_DOMAIN_FDT_CPUS);
    (void)make_memory(&w, cfg);
    (void)make_reserved_memory(&w, cfg);
    (void)arch_domain_fdt_nodes(&w, cfg, ARCH_DOMAIN_FDT_DEVICES);
    (void)fdt_writer_end_node(&w);
    rc = fdt_writer_finish(&w);
    if ((rc == 0) && (out_size != NULL)) {
        *out_size = fdt_writer_size(&w);
    }
    return rc;
}

int domain_fdt_set_initrd(void *blob, size_t size, uint64_t start, uint64_t end)
{
    static const char chosen[] = "/chosen";
    uint8_t *b = blob;
    struct fdt fdt;
    const uint8_t *vs;
    const uint8_t *ve;
    uint32_t ls = 0U;
    uint32_t le = 0U;
    int node;
    unsigned int i;

    if ((end < start) || (fdt_check(&fdt, blob, size) != 0)) {
        return -EINVAL;
    }
    node = fdt_path_offset(&fdt, chosen, sizeof(chosen) - 1U);
    if (node < 0) {
        return -ENOENT;
    }
    vs = fdt_getprop(&fdt, node, "linux,initrd-start", &ls);
    ve = fdt_getprop(&fdt, node, "linux,initrd-end", &le);
    if ((vs == NULL) || (ve == NULL) || (ls != 8U) || (le != 8U)) {
        return -ENOENT;
    }
    /* The reader hands out const pointers into the blob; write through
     * the caller's own pointer at the same offsets. */
    for (i = 0U; i < 8U; i++) {
        uint32_t shift = 56U - (8U * i);

        b[(size_t)(vs - b) + i] = (uint8_t)(start >> shift);
        b[(size_t)(ve - b) + i] = (uint8_t)(end >> shift);
    }
    return 0;
}
