/* The world the dom0less build tests share (test_dom0less_build,
 * test_dom0less_static_mem; link dom0less_env.c through dom0less_world.mk):
 * a boot module area in fake RAM holding an arm64 Image, a tree builder for
 * /chosen and its xen,domain nodes, the boot info as bootinfo_scan would
 * leave it, and the timer, lookup and teardown steps every test repeats.
 * The includer has included <cmocka.h>. One world per process: the state
 * below is global, as the code under test's is. */
#ifndef TEST_DOM0LESS_ENV_H
#define TEST_DOM0LESS_ENV_H

#include <stdbool.h>
#include <stdint.h>
#include "fdt_builder.h"
#include <proxenos/bootinfo.h>
#include <proxenos/domain.h>
#include <proxenos/fdt.h>

#define ENV_MODS        0x60000000ULL   /* the boot modules, in host RAM */
#define ENV_MODS_SIZE   (1ULL << 20)
#define ENV_KERNEL_LEN  0x1000U         /* the Image written at ENV_MODS */
#define ENV_TEXT_OFFSET 0x80000U        /* its header's text offset */
#define ENV_MIB         (1ULL << 20)

extern struct fb *env_fb;           /* the tree being built */
extern struct fdt env_fdt;          /* the tree once built */
extern struct boot_info env_bi;     /* what the boot scan would have read */
extern uint8_t *env_mods;           /* ENV_MODS, as the host sees it */

/* An arm64 Image of ENV_KERNEL_LEN bytes at p: the 64-byte header with its
 * text offset, image size and magic, then a recognisable body. */
void env_write_image(uint8_t *p);

/* Once per group: the timers, and CPUs 0 to nr_cpus - 1 online. */
void env_group_setup(unsigned int nr_cpus);

/* Before each test: the fakes reset and the console quiet, the stop
 * counts of domain_shutdown.c back to 0, the module area in fake RAM with
 * the Image at its start, an empty tree builder. The heap is the test's
 * own (heap_env_init, or its static banks). */
void env_setup(void);

/* After each test (a cmocka teardown): every domain destroyed and freed,
 * no timer left. */
int env_teardown(void **state);

/* The root opened with root_cells address and size cells (0: none), then
 * /chosen with chosen_cells (0: none): the test adds its domain nodes, and
 * env_boot_info_from_tree() closes both. */
void env_begin_chosen(uint32_t root_cells, uint32_t chosen_cells);

/* A xen,domain node opened with its memory (KiB) and cpus, and
 * xen,enhanced when enhanced is not NULL; the test adds more properties
 * and closes it with fb_end(). */
void env_domain_node(const char *name, uint32_t mem_kib, uint32_t cpus, const char *enhanced);

/* Closes /chosen and the root, checks the tree and points env_bi at it
 * with no RAM and no modules yet, its xen,domain nodes counted. */
void env_boot_info_from_tree(void);

/* The offset of /chosen/<name>, which must exist. */
int env_chosen_child(const char *name);

/* A boot module of env_bi for the node at offset domain (-1: dom0). */
void env_add_module(enum boot_module_kind kind, paddr_t start, paddr_t size, int domain,
                    const char *cmdline);

/* The multiboot,kernel module of /chosen/<name>: the Image at ENV_MODS. */
void env_kernel_for(const char *name);

/* CPU 0's timer interrupt and softirqs: the reaper and deferred frees. */
void env_fire_timers(void);

/* Domain id, or NULL; the table keeps its reference, the test only looks. */
struct domain *env_get(domid_t id);

/* The host address of d's guest-physical gpa (which must be RAM). */
paddr_t env_maddr_of(struct domain *d, paddr_t gpa);

/* The same, as a pointer the test can read. */
const uint8_t *env_guest(struct domain *d, paddr_t gpa);

#endif
