/* Boot-time CPU pools, as Xen 4.17 reads them (BOOT_TIME_CPUPOOLS):
 * compatible "xen,cpupool", "cpupool-cpus" = phandles of /cpus nodes,
 * optional "cpupool-sched". Pool IDs follow device-tree order; the pool
 * holding the boot CPU becomes Pool-0; online CPUs in no pool form one more
 * pool (Pool-0 when that includes the boot CPU). Where Xen panics on a bad
 * node we report it and leave its CPUs in the default pool. */
#include <proxenos/arch/cpu.h>
#include <proxenos/cpupool.h>
#include <proxenos/printk.h>
#include <proxenos/sched.h>
#include <proxenos/sched_ops.h>
#include <proxenos/sched_params.h>
#include <proxenos/smp.h>
#include <proxenos/string.h>

struct cpupool {
    int node;               /* -1: the pool of CPUs named by no node */
    uint64_t cpus;
    const char *sched;
};

static struct cpupool pools[MAX_CPUPOOLS];
static unsigned int nr_pools;

static bool sched_name_ok(const char *name)
{
    return sched_ops_by_name(name) != NULL;
}

/* The CPUs a pool node names, or 0 after reporting why it is unusable. */
static uint64_t read_pool_cpus(const struct fdt *fdt, int node, uint64_t taken)
{
    uint32_t len = 0U;
    const uint8_t *list = fdt_getprop(fdt, node, "cpupool-cpus", &len);
    const char *name = fdt_node_name(fdt, node);
    uint64_t cpus = 0U;

    if ((list == NULL) || (len == 0U) || ((len % 4U) != 0U)) {
        pr_err("cpupool %s: missing or empty cpupool-cpus: ignored\n", name);
        return 0U;
    }
    for (uint32_t off = 0U; off < len; off += 4U) {
        int cpu_node = fdt_node_by_phandle(fdt, fdt_be32(&list[off]));
        uint64_t addr;
        uint64_t size;
        int cpu;

        /* A cpu "reg" is a hardware id (arm64: an MPIDR), not a bus
         * address: read it untranslated. */
        if ((cpu_node < 0) || (fdt_reg_raw(fdt, cpu_node, 0U, &addr, &size) != 0)) {
            pr_err("cpupool %s: entry %u is not a cpu node with reg: ignored\n", name, off / 4U);
            return 0U;
        }
        cpu = arch_cpu_by_hw_id(addr);
        if (cpu < 0) {
            pr_err("cpupool %s: CPU with id 0x%llx is not online: ignored\n", name,
                   (unsigned long long)addr);
            return 0U;
        }
        if ((((taken | cpus) >> (unsigned int)cpu) & 1U) != 0U) {
            pr_err("cpupool %s: CPU %d is in two pools: ignored\n", name, cpu);
            return 0U;
        }
        cpus |= 1ULL << (unsigned int)cpu;
    }
    return cpus;
}

static void add_pool(int node, uint64_t cpus, const char *sched)
{
    pools[nr_pools] = (struct cpupool){ node, cpus, sched };
    nr_pools++;
}

static void print_pool(unsigned int id, const struct cpupool *p)
{
    char list[3U * NR_CPUS + 1U];
    size_t used = 0U;

    list[0] = '\0';
    for (unsigned int cpu = 0U; cpu < NR_CPUS; cpu++) {
        if (((p->cpus >> cpu) & 1U) != 0U) {
            used += (size_t)snprintf(&list[used], sizeof(list) - used, "%s%u",
                                     (used != 0U) ? "," : "", cpu);
        }
    }
    pr_info("Pool-%u: CPUs %s, scheduler %s\n", id, list, p->sched);
}

/* Replace sched_init's Pool-0 (every CPU, the default scheduler) with the
 * pools read: no domain exists yet, so CPUs move freely. */
static void make_pools(void)
{
    struct sched_pool *p0 = sched_pool_by_id(0U);

    for (unsigned int cpu = 0U; (p0 != NULL) && (cpu < NR_CPUS); cpu++) {
        if (((p0->cpus >> cpu) & 1U) != 0U) {
            (void)sched_pool_remove_cpu(p0, cpu);
        }
    }
    if (p0 != NULL) {
        (void)sched_pool_destroy(p0);
    }
    for (unsigned int i = 0U; i < nr_pools; i++) {
        struct sched_pool *p = sched_pool_create(sched_ops_by_name(pools[i].sched), i);

        if (p == NULL) {
            panic("cpupool: cannot make Pool-%u", i);
        }
        for (unsigned int cpu = 0U; cpu < NR_CPUS; cpu++) {
            if ((((pools[i].cpus >> cpu) & 1U) != 0U) && (sched_pool_add_cpu(p, cpu) != 0)) {
                pr_err("cpupool: CPU %u could not join Pool-%u: left idle\n", cpu, i);
            }
        }
    }
}

void cpupools_init(const struct boot_info *bi)
{
    const struct fdt *fdt = bi->fdt;
    uint64_t online = 0U;
    uint64_t taken = 0U;

    for (unsigned int cpu = 0U; cpu < NR_CPUS; cpu++) {
        if (cpu_online(cpu)) {
            online |= 1ULL << cpu;
        }
    }
    nr_pools = 0U;
    for (int node = (bi->chosen >= 0) ? fdt_first_child(fdt, bi->chosen) : -1; node >= 0;
         node = fdt_next_sibling(fdt, node)) {
        const char *sched;
        uint64_t cpus;

        if (!fdt_node_is_compatible(fdt, node, "xen,cpupool")) {
            continue;
        }
        if (nr_pools >= (MAX_CPUPOOLS - 1U)) {
            pr_err("cpupool: more than %u pools: the rest are ignored\n", MAX_CPUPOOLS - 1U);
            break;
        }
        sched = fdt_getprop_string(fdt, node, "cpupool-sched");
        if ((sched != NULL) && !sched_name_ok(sched)) {
            pr_err("cpupool %s: scheduler \"%s\" is not available: using %s\n",
                   fdt_node_name(fdt, node), sched, sched_default_name());
            sched = NULL;
        }
        cpus = read_pool_cpus(fdt, node, taken);
        if (cpus != 0U) {
            taken |= cpus;
            add_pool(node, cpus, (sched != NULL) ? sched : sched_default_name());
        }
    }
    if ((online & ~taken) != 0U) {
        add_pool(-1, online & ~taken, sched_default_name());
    }
    /* Pool-0 is the pool of the boot CPU. */
    for (unsigned int i = 1U; i < nr_pools; i++) {
        if ((pools[i].cpus & 1U) != 0U) {
            struct cpupool t = pools[0];

            pools[0] = pools[i];
            pools[i] = t;
        }
    }
    make_pools();
    for (unsigned int i = 0U; i < nr_pools; i++) {
        if ((nr_pools > 1U) || (pools[i].node >= 0)) {
            print_pool(i, &pools[i]);
        }
    }
}

uint64_t cpupool_cpus(int pool_node)
{
    if (nr_pools == 0U) {
        return 0U;
    }
    if (pool_node < 0) {
        return pools[0].cpus;
    }
    for (unsigned int i = 0U; i < nr_pools; i++) {
        if (pools[i].node == pool_node) {
            return pools[i].cpus;
        }
    }
    return 0U;
}

unsigned int cpupool_id_of(int pool_node)
{
    for (unsigned int i = 0U; (pool_node >= 0) && (i < nr_pools); i++) {
        if (pools[i].node == pool_node) {
            return i;
        }
    }
    return 0U;
}

bool cpupool_info(unsigned int first_id, struct cpupool_info *out)
{
    for (unsigned int id = first_id; id < MAX_CPUPOOLS; id++) {
        const struct sched_pool *p = sched_pool_by_id(id);

        if (p != NULL) {
            out->id = id;
            out->cpus = p->cpus;
            out->sched = p->ops->name;
            return true;
        }
    }
    return false;
}
