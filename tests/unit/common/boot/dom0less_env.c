/* The dom0less build tests' shared world: see dom0less_env.h. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "dom0less_env.h"
#include "fake_console_api.h"
#include "fake_sched.h"
#include "domain_internal.h"
#include <proxenos/domain_create.h>
#include <proxenos/smp.h>
#include <proxenos/softirq.h>
#include <proxenos/timer.h>
#include <proxenos/arch/domain.h>
#include <fake_arch.h>
#include <fake_p2m.h>

struct fb *env_fb;
struct fdt env_fdt;
struct boot_info env_bi;
uint8_t *env_mods;

void env_write_image(uint8_t *p)
{
    memset(p, 0, ENV_KERNEL_LEN);
    for (unsigned int i = 0U; i < 8U; i++) {
        p[8U + i] = (uint8_t)((uint64_t)ENV_TEXT_OFFSET >> (8U * i));
        p[16U + i] = (uint8_t)((uint64_t)0x10000U >> (8U * i));
    }
    p[0x38] = 'A';
    p[0x39] = 'R';
    p[0x3a] = 'M';
    p[0x3b] = 0x64;
    for (unsigned int i = 64U; i < ENV_KERNEL_LEN; i++) {
        p[i] = (uint8_t)(i * 7U);
    }
}

void env_group_setup(unsigned int nr_cpus)
{
    timer_subsys_init();
    for (unsigned int cpu = 0U; cpu < nr_cpus; cpu++) {
        cpu_set_online(cpu);
    }
}

void env_setup(void)
{
    fake_reset();
    fake_p2m_reset();
    fake_sched_reset();
    fake_console_api_reset();
    fake_console_quiet(true);
    domain_shutdown_reset_counts();
    env_mods = fake_ram_alloc(ENV_MODS, (size_t)ENV_MODS_SIZE);
    env_write_image(env_mods);
    env_fb = fb_new();
}

int env_teardown(void **state)
{
    (void)state;
    for (struct domain *d = domain_get_next(NULL); d != NULL; d = domain_get_next(d)) {
        domain_destroy(d);
    }
    env_fire_timers();
    domain_free_queued();
    assert_int_equal(domain_count(), 0U);
    assert_int_equal(domain_count_in_memory(), 0U);
    assert_int_equal(timer_queue_length(0U), 0U);
    free(env_fb);
    env_fb = NULL;
    return 0;
}

static void cells(uint32_t n)
{
    if (n != 0U) {
        fb_prop_u32(env_fb, "#address-cells", n);
        fb_prop_u32(env_fb, "#size-cells", n);
    }
}

void env_begin_chosen(uint32_t root_cells, uint32_t chosen_cells)
{
    fb_begin(env_fb, "");
    cells(root_cells);
    fb_begin(env_fb, "chosen");
    cells(chosen_cells);
}

void env_domain_node(const char *name, uint32_t mem_kib, uint32_t cpus, const char *enhanced)
{
    fb_begin(env_fb, name);
    fb_prop_str(env_fb, "compatible", "xen,domain");
    fb_prop_cells(env_fb, "memory", 2U, 0U, mem_kib);
    fb_prop_u32(env_fb, "cpus", cpus);
    if (enhanced != NULL) {
        fb_prop_str(env_fb, "xen,enhanced", enhanced);
    }
}

void env_boot_info_from_tree(void)
{
    fb_end(env_fb);
    fb_end(env_fb);
    fb_finish(env_fb);
    assert_int_equal(fdt_check(&env_fdt, env_fb->out, env_fb->out_len), 0);
    memset(&env_bi, 0, sizeof(env_bi));
    env_bi.fdt = &env_fdt;
    env_bi.chosen = fdt_path_offset(&env_fdt, "/chosen", 7U);
    assert_true(env_bi.chosen >= 0);
    for (int n = fdt_first_child(&env_fdt, env_bi.chosen); n >= 0;
         n = fdt_next_sibling(&env_fdt, n)) {
        if (fdt_node_is_compatible(&env_fdt, n, "xen,domain")) {
            env_bi.nr_domain_nodes++;
        }
    }
}

int env_chosen_child(const char *name)
{
    char path[64];
    int n = snprintf(path, sizeof(path), "/chosen/%s", name);
    int node;

    assert_true((n > 0) && ((size_t)n < sizeof(path)));
    node = fdt_path_offset(&env_fdt, path, (size_t)n);
    assert_true(node >= 0);
    return node;
}

void env_add_module(enum boot_module_kind kind, paddr_t start, paddr_t size, int domain,
                    const char *cmdline)
{
    struct boot_module *m;

    assert_true(env_bi.nr_modules < BOOTINFO_MAX_MODULES);
    m = &env_bi.modules[env_bi.nr_modules];
    memset(m, 0, sizeof(*m));
    m->kind = kind;
    m->start = start;
    m->size = size;
    m->domain = domain;
    m->cmdline = cmdline;
    m->node = -1;
    env_bi.nr_modules++;
}

void env_kernel_for(const char *name)
{
    env_add_module(BOOTMOD_KERNEL, ENV_MODS, ENV_KERNEL_LEN, env_chosen_child(name), NULL);
}

void env_fire_timers(void)
{
    fake_set_cpu(0U);
    timer_interrupt();
    do_softirq();
}

struct domain *env_get(domid_t id)
{
    struct domain *d = domain_get_by_id(id);

    if (d != NULL) {
        domain_put(d);
    }
    return d;
}

paddr_t env_maddr_of(struct domain *d, paddr_t gpa)
{
    paddr_t ma = 0U;

    assert_int_equal(arch_guest_ram_to_maddr(d, gpa, &ma), 0);
    return ma;
}

const uint8_t *env_guest(struct domain *d, paddr_t gpa)
{
    return arch_maddr_to_virt(env_maddr_of(d, gpa));
}
