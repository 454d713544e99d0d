/* dom0less domains (common/boot/dom0less_build.c) and how they stop
 * (common/domain/domain_shutdown.c), with the real code between the
 * xen,domain nodes and the reaper. Building: the nodes are read in order
 * (ids follow them, bad ones skipped), each domain gets its RAM in Xen's
 * first guest bank, its arm64 Image at the header's text offset, its
 * device tree and ramdisk high in the bank, vCPU 0 entering the kernel
 * with x0 = the device tree; all start once all are built. A domain with
 * xen,enhanced and xenstore gets an unbound port to dom0 in
 * HVM_PARAM_STORE_EVTCHN and STORE_PFN ~0, and needs a dom0; static
 * event channels are bound before any starts, static shared memory mapped
 * (and mapped again on a reboot); a domain's virtio devices are reserved
 * for dom0 and the domain held paused for it, or skipped without it.
 * Stopping:
 * the vCPUs stop at once; CPU 0's reaper then rebuilds a rebooted domain
 * from its node, destroys the others, leaves a toolstack-built one to the
 * control domain while one runs, and powers the machine off when the last
 * domain is gone. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "dom0less_env.h"
#include "heap_env.h"
#include "fake_console_api.h"
#include "fake_sched.h"
#include "domain_internal.h"
#include <proxenos/cpupool.h>
#include <proxenos/dom0less.h>
#include <proxenos/domain_create.h>
#include <proxenos/domain_watchdog.h>
#include <proxenos/errno.h>
#include <proxenos/evtchn.h>
#include <proxenos/fdt.h>
#include <proxenos/ioreq_reserve.h>
#include <proxenos/smp.h>
#include <proxenos/softirq.h>
#include <proxenos/static_shm.h>
#include <proxenos/timer.h>
#include <proxenos/arch/domain.h>
#include <public/hvm_params.h>
#include <fake_arch.h>
#include <fake_dom0less.h>
#include <fake_domain.h>
#include <fake_p2m.h>

#define HEAP_BASE   0x80000000ULL
#define HEAP_SIZE   (64ULL << 20)
#define MODS        ENV_MODS
#define KERNEL_LEN  ENV_KERNEL_LEN
#define TEXT_OFFSET ENV_TEXT_OFFSET
#define INITRD_AT   0x10000U            /* offsets in the modules' RAM */
#define INITRD_LEN  0x2000U
#define MIB         ENV_MIB

/* ---- The boot modules and the tree --------------------------------------- */

/* /chosen with domU1 (8 MiB, 2 vCPUs, vpl011, no-xenstore, a ramdisk),
 * domU2 (4 MiB, 1 vCPU), two bad nodes and domU5 (xenstore, needing a
 * dom0); with_dom0 adds dom0's kernel module. The boot info as
 * bootinfo_scan would leave it. */
static void make_boot_info(bool with_dom0)
{
    env_begin_chosen(2U, 0U);
    env_domain_node("domU1", 8192U, 2U, "no-xenstore");
    fb_prop_empty(env_fb, "vpl011");
    fb_end(env_fb);
    env_domain_node("domU2", 4096U, 1U, NULL);
    fb_end(env_fb);
    fb_begin(env_fb, "domU-no-memory");
    fb_prop_str(env_fb, "compatible", "xen,domain");
    fb_prop_u32(env_fb, "cpus", 1U);
    fb_end(env_fb);
    env_domain_node("domU-no-kernel", 4096U, 1U, NULL);
    fb_end(env_fb);
    env_domain_node("domU5", 4096U, 1U, "enabled");
    fb_end(env_fb);
    env_boot_info_from_tree();
    assert_int_equal(env_bi.nr_domain_nodes, 5U);
    env_add_module(BOOTMOD_KERNEL, MODS, KERNEL_LEN, env_chosen_child("domU1"), "console=ttyAMA0");
    env_add_module(BOOTMOD_RAMDISK, MODS + INITRD_AT, INITRD_LEN, env_chosen_child("domU1"), NULL);
    env_kernel_for("domU2");
    env_kernel_for("domU5");
    if (with_dom0) {
        env_add_module(BOOTMOD_KERNEL, MODS, KERNEL_LEN, -1, NULL);
    }
}

/* make_boot_info(false), its pools made, built: domU1 and domU2 run. */
static void build_standard(void)
{
    make_boot_info(false);
    cpupools_init(&env_bi);
    assert_int_equal(dom0less_build_all(&env_bi, NULL), 2U);
}

/* ---- Set-up ------------------------------------------------------------------ */

static int group_setup(void **state)
{
    (void)state;
    env_group_setup(2U);
    return 0;
}

/* The shared world, the heap, and a ramdisk beside the Image. */
static int setup(void **state)
{
    (void)state;
    env_setup();
    heap_env_init(HEAP_BASE, (size_t)HEAP_SIZE);
    for (unsigned int i = 0U; i < INITRD_LEN; i++) {
        env_mods[INITRD_AT + i] = (uint8_t)(0xa0U + (i % 16U));
    }
    return 0;
}


/* ---- Building ---------------------------------------------------------------- */

static void valid_nodes_are_built_and_started(void **state)
{
    struct domain *d1;
    struct domain *d2;
    struct vcpu *v;
    uint64_t pc;
    uint64_t x0;
    struct fdt gfdt;
    int chosen;
    const char *bootargs;

    (void)state;
    make_boot_info(false);
    cpupools_init(&env_bi);
    fake_dom0less_set_built_note(", arch-note");
    assert_int_equal(dom0less_build_all(&env_bi, NULL), 2U);
    /* ids follow the nodes, the skipped ones too. */
    d1 = env_get(1U);
    d2 = env_get(2U);
    assert_non_null(d1);
    assert_non_null(d2);
    assert_null(env_get(3U));
    assert_null(env_get(4U));
    assert_null(env_get(5U));
    assert_true(fake_log_contains("dom0less: domU-no-memory: \"memory\" must be two cells "
                                  "(KiB): domain skipped\n"));
    assert_true(fake_log_contains("dom0less: domU-no-kernel: no multiboot,kernel module: "
                                  "domain skipped\n"));
    assert_true(fake_log_contains("dom0less: domU5: xen,enhanced with xenstore needs a dom0 "
                                  "(use \"no-xenstore\"): domain skipped\n"));

    assert_string_equal(d1->name, "domU1");
    assert_int_equal(d1->state, DOMAIN_RUNNING);
    assert_int_equal(d1->max_vcpus, 2U);
    assert_true(d1->xen_enhanced);
    assert_true(d1->console_input);
    assert_int_equal(d1->tot_pages, (8U * MIB) >> PAGE_SHIFT);
    assert_int_equal(d2->tot_pages, (4U * MIB) >> PAGE_SHIFT);
    /* Started once built: vCPU 0 of each woken, once. */
    assert_int_equal(fake_sched_calls(FAKE_SCHED_WAKE, d1->vcpu[0]), 1U);
    assert_int_equal(fake_sched_calls(FAKE_SCHED_WAKE, d1->vcpu[1]), 0U);
    assert_int_equal(fake_sched_calls(FAKE_SCHED_WAKE, d2->vcpu[0]), 1U);

    /* The Image at the base of RAM plus its text offset, copied whole. */
    assert_memory_equal(env_guest(d1, GUEST_RAM0_BASE + TEXT_OFFSET), env_mods, KERNEL_LEN);
    /* The last arch_vcpu_set_entry was d2's; its device tree above the
     * kernel, 2 MiB aligned, the entry the kernel's first byte. */
    fake_vcpu_entry(&v, &pc, &x0);
    assert_ptr_equal(v, d2->vcpu[0]);
    assert_int_equal(pc, GUEST_RAM0_BASE + TEXT_OFFSET);
    assert_int_equal(x0 % (2U * MIB), 0U);
    assert_true(x0 >= GUEST_RAM0_BASE + 2U * MIB);
    assert_true(x0 < GUEST_RAM0_BASE + 4U * MIB);
    assert_int_equal(fdt_check(&gfdt, env_guest(d2, x0), PAGE_SIZE), 0);
    assert_true(fake_log_contains("Domain 1 (domU1): 2 vCPU(s), 8 MiB, kernel at 0x40080000"));
    /* The architecture's note ends the line (arm64's ", vpl011" is tested
     * with its hook). */
    {
        const char *line = strstr(fake_log(), "Domain 1 (domU1)");
        const char *end = strchr(line, '\n');

        assert_non_null(end);
        assert_true((size_t)(end - line) > strlen(", arch-note"));
        assert_memory_equal(end - strlen(", arch-note"), ", arch-note", strlen(", arch-note"));
    }
    assert_true(fake_log_contains("Domain 2 (domU2): 1 vCPU(s), 4 MiB, kernel at 0x40080000"));

    /* domU1's tree gives the kernel its bootargs and the ramdisk, which
     * is in its RAM. */
    (void)memset(&gfdt, 0, sizeof(gfdt));
    {
        const char *line = strstr(fake_log(), "Domain 1 (domU1)");
        const char *at = strstr(line, "device tree at 0x");
        unsigned long long dtb = strtoull(at + 17, NULL, 16);
        uint64_t start;
        uint64_t end;

        assert_int_equal(fdt_check(&gfdt, env_guest(d1, dtb), 64U * 1024U), 0);
        chosen = fdt_path_offset(&gfdt, "/chosen", 7U);
        assert_true(chosen >= 0);
        bootargs = fdt_getprop_string(&gfdt, chosen, "bootargs");
        assert_non_null(bootargs);
        assert_string_equal(bootargs, "console=ttyAMA0");
        assert_int_equal(fdt_getprop_u64(&gfdt, chosen, "linux,initrd-start", &start), 0);
        assert_int_equal(fdt_getprop_u64(&gfdt, chosen, "linux,initrd-end", &end), 0);
        assert_int_equal(end - start, INITRD_LEN);
        assert_memory_equal(env_guest(d1, start), &env_mods[INITRD_AT], INITRD_LEN);
        /* (The /hypervisor node of xen,enhanced is the architecture's to
         * write: the fake arch writes none.) */
    }
    /* no-xenstore: no xenstore port. */
    assert_int_equal(d1->hvm_params[HVM_PARAM_STORE_PFN], 0U);
}

static void xenstore_domains_get_a_port_to_dom0(void **state)
{
    struct domain *d5;

    (void)state;
    make_boot_info(true);
    cpupools_init(&env_bi);
    assert_int_equal(dom0less_build_all(&env_bi, NULL), 3U);
    d5 = env_get(5U);
    assert_non_null(d5);
    /* "xenstore comes later": Linux waits for the page. */
    assert_int_equal(d5->hvm_params[HVM_PARAM_STORE_PFN], ~0ULL);
    assert_int_not_equal(d5->hvm_params[HVM_PARAM_STORE_EVTCHN], 0U);
}

static void a_domain_that_does_not_fit_is_undone(void **state)
{
    struct page_alloc_stats st;

    (void)state;
    make_boot_info(false);
    cpupools_init(&env_bi);
    /* Leave too little memory for domU1's 8 MiB: it is skipped, domU2 is
     * built in what is left, and nothing of domU1 stays behind. */
    page_alloc_stats(&st);
    {
        uint64_t n = st.free_pages - ((6U * MIB) >> PAGE_SHIFT);
        mfn_t held[64];
        unsigned int orders[64];
        unsigned int nr = 0U;
        unsigned int order = MAX_ORDER;

        while ((n > 0U) && (nr < 64U)) {
            if ((1ULL << order) > n) {
                order--;
                continue;
            }
            held[nr] = alloc_pages(order, 0U);
            if (mfn_eq(held[nr], INVALID_MFN)) {
                order--;
                continue;
            }
            orders[nr] = order;
            n -= 1ULL << order;
            nr++;
        }
        assert_int_equal(n, 0U);
        assert_int_equal(dom0less_build_all(&env_bi, NULL), 1U);
        assert_true(fake_log_contains("dom0less: domU1: cannot populate 8192 KiB of RAM (-12): "
                                      "out of memory or of stage-2 pool: domain skipped\n"));
        assert_null(env_get(1U));
        assert_non_null(env_get(2U));
        while (nr > 0U) {
            nr--;
            free_pages(held[nr], orders[nr]);
        }
    }
}

/* Nodes Xen 4.17 would refuse or fail to build, each reported and
 * skipped, the others built. */
static void bad_nodes_and_failed_builds_are_skipped(void **state)
{
    static const uint8_t not_an_image[KERNEL_LEN];
    struct domain_create_args a = { .name = "squatter", .max_vcpus = 1U };
    struct domain *squatter;
    uint8_t *big;

    (void)state;
    /* A kernel module that is no Image, and one too big for 4 MiB. */
    memcpy(&env_mods[0x20000], not_an_image, KERNEL_LEN);
    big = &env_mods[0x30000];
    env_write_image(big);
    big[18] = 0x80;     /* image_size 8 MiB + 64 KiB */

    env_begin_chosen(2U, 0U);
    fb_begin(env_fb, "a-pool");
    fb_prop_str(env_fb, "compatible", "xen,cpupool");
    fb_prop_u32(env_fb, "phandle", 0x50U);
    fb_end(env_fb);
    env_domain_node("odd-memory", 4098U, 1U, NULL);        /* 1: not whole pages */
    fb_end(env_fb);
    env_domain_node("no-cpus", 4096U, 0U, NULL);           /* 2 */
    fb_end(env_fb);
    env_domain_node("static-mem", 4096U, 1U, NULL);        /* 3: banks not checked */
    fb_prop_cells(env_fb, "xen,static-mem", 2U, 0x50000000U, 0x400000U);
    fb_prop_u32(env_fb, "phandle", 0x51U);
    fb_end(env_fb);
    env_domain_node("pool-not-pool", 4096U, 1U, NULL);     /* 4: a domain's phandle */
    fb_prop_u32(env_fb, "domain-cpupool", 0x51U);
    fb_end(env_fb);
    env_domain_node("pool-unknown", 4096U, 1U, NULL);      /* 5 */
    fb_prop_u32(env_fb, "domain-cpupool", 0x99U);
    fb_end(env_fb);
    env_domain_node("pool-not-made", 4096U, 1U, NULL);     /* 6: a pool never created */
    fb_prop_u32(env_fb, "domain-cpupool", 0x50U);
    fb_end(env_fb);
    env_domain_node("not-an-image", 4096U, 1U, NULL);      /* 7 */
    fb_end(env_fb);
    env_domain_node("too-big", 4096U, 1U, NULL);           /* 8 */
    fb_end(env_fb);
    env_domain_node("taken-id", 4096U, 1U, NULL);          /* 9 */
    fb_end(env_fb);
    env_domain_node("fine", 4096U, 1U, NULL);              /* 10 */
    fb_end(env_fb);
    env_boot_info_from_tree();
    env_kernel_for("pool-not-made");
    env_add_module(BOOTMOD_KERNEL, MODS + 0x20000U, KERNEL_LEN, env_chosen_child("not-an-image"),
                   NULL);
    env_add_module(BOOTMOD_KERNEL, MODS + 0x30000U, KERNEL_LEN, env_chosen_child("too-big"),
                   NULL);
    env_kernel_for("taken-id");
    env_kernel_for("fine");
    cpupools_init(&env_bi);
    assert_int_equal(domain_create(9U, &a, &squatter), 0);

    assert_int_equal(dom0less_build_all(&env_bi, NULL), 1U);
    assert_true(fake_log_contains("dom0less: odd-memory: memory 4098 KiB is not a whole number "
                                  "of pages: domain skipped"));
    assert_true(fake_log_contains("dom0less: no-cpus: missing or bad property 'cpus': "
                                  "domain skipped\n"));
    /* Never checked at boot (static_mem_check_all), so never reserved. */
    assert_true(fake_log_contains("dom0less: static-mem: its xen,static-mem was not checked "
                                  "nor reserved at boot: domain skipped\n"));
    assert_true(fake_log_contains("dom0less: pool-not-pool: domain-cpupool is not a xen,cpupool "
                                  "node: domain skipped\n"));
    assert_true(fake_log_contains("dom0less: pool-unknown: domain-cpupool is not a xen,cpupool "
                                  "node: domain skipped\n"));
    assert_true(fake_log_contains("dom0less: pool-not-made: its cpupool was not created: "
                                  "domain skipped\n"));
    assert_true(fake_log_contains("dom0less: not-an-image: kernel: not an arm64 Image (-8): "
                                  "domain skipped\n"));
    assert_true(fake_log_contains("dom0less: too-big: kernel: does not fit (-28): "
                                  "domain skipped\n"));
    assert_true(fake_log_contains("dom0less: taken-id: cannot create domain 9 (-17): "
                                  "domain skipped\n"));
    /* Only the last one runs, under the id of its place in the tree. */
    assert_int_equal(domain_count(), 2U);
    assert_string_equal(env_get(10U)->name, "fine");
    assert_int_equal(env_get(10U)->state, DOMAIN_RUNNING);
    assert_ptr_equal(env_get(9U), squatter);
    assert_null(env_get(7U));
    assert_null(env_get(8U));
    /* A reboot rebuilds from the node: not while another domain has the
     * id; and not at all for an id no node describes. */
    assert_int_equal(dom0less_restart(9U), -EEXIST);
    assert_int_equal(dom0less_restart(99U), -ENOENT);
}

static void at_most_sixteen_nodes(void **state)
{
    struct dom0less_config cfgs[DOM0LESS_MAX_DOMAINS];

    (void)state;
    env_begin_chosen(0U, 0U);
    for (unsigned int i = 0U; i <= DOM0LESS_MAX_DOMAINS; i++) {
        char name[16];

        (void)snprintf(name, sizeof(name), "d%u", i);
        env_domain_node(name, 4096U, 1U, NULL);
        fb_end(env_fb);
    }
    env_boot_info_from_tree();
    for (unsigned int i = 0U; i <= DOM0LESS_MAX_DOMAINS; i++) {
        char name[16];

        (void)snprintf(name, sizeof(name), "d%u", i);
        env_kernel_for(name);
    }
    /* Sixteen are read; the seventeenth is reported and left. */
    assert_int_equal(dom0less_parse(&env_bi, cfgs, DOM0LESS_MAX_DOMAINS), DOM0LESS_MAX_DOMAINS);
    assert_true(fake_log_contains("dom0less: d16: more than 16 domains: domain skipped"));
    assert_string_equal(cfgs[15].name, "d15");
    assert_int_equal(cfgs[15].domid, 16U);
    /* Without /chosen there is nothing to read. */
    env_bi.chosen = -1;
    assert_int_equal(dom0less_build_all(&env_bi, NULL), 0U);
}

static void evtchn_node(const char *name, uint32_t phandle, uint32_t port, uint32_t peer)
{
    fb_begin(env_fb, name);
    fb_prop_str(env_fb, "compatible", "xen,evtchn-v1");
    fb_prop_u32(env_fb, "phandle", phandle);
    fb_prop_cells(env_fb, "xen,evtchn", 2U, port, peer);
    fb_end(env_fb);
}

/* domU1 <-> domU2 a good xen,evtchn-v1 pair; domU3's node names a phandle
 * no node has: it is built, refused, destroyed and never started, the
 * pair's domains start with their ports bound. */
static void static_event_channels_bound_before_start(void **state)
{
    struct domain *d1;
    struct domain *d2;

    (void)state;
    env_begin_chosen(0U, 0U);
    env_domain_node("domU1", 4096U, 1U, "no-xenstore");
    evtchn_node("ec", 1U, 5U, 2U);
    fb_end(env_fb);
    env_domain_node("domU2", 4096U, 1U, "no-xenstore");
    evtchn_node("ec", 2U, 7U, 1U);
    fb_end(env_fb);
    env_domain_node("domU3", 4096U, 1U, "no-xenstore");
    evtchn_node("ec", 3U, 9U, 0x63U);
    fb_end(env_fb);
    env_boot_info_from_tree();
    assert_int_equal(env_bi.nr_domain_nodes, 3U);
    env_kernel_for("domU1");
    env_kernel_for("domU2");
    env_kernel_for("domU3");
    cpupools_init(&env_bi);
    assert_int_equal(dom0less_build_all(&env_bi, NULL), 2U);
    assert_true(fake_log_contains("dom0less: static event channel: domU1 port 5 <-> domU2 "
                                  "port 7"));
    assert_true(fake_log_contains("dom0less: static event channel /chosen/domU3/ec -> (none): "
                                  "no node has phandle 0x63"));
    assert_true(fake_log_contains("dom0less: domU3: a static event channel is not bound: "
                                  "domain skipped"));
    d1 = env_get(1U);
    d2 = env_get(2U);
    assert_int_equal(d1->state, DOMAIN_RUNNING);
    assert_int_equal(d2->state, DOMAIN_RUNNING);
    assert_true(evtchn_port_is_valid(d1, 5U));
    /* Xen's boot-time bind_interdomain raises the second end once. */
    assert_true(evtchn_port_is_pending(d2, 7U));
    env_fire_timers();
    assert_null(env_get(3U));
}

/* domU1 with one virtio device, domU2 without; dom0's kernel given. */
static void make_virtio_boot_info(void)
{
    env_begin_chosen(0U, 0U);
    env_domain_node("domU1", 4096U, 1U, NULL);
    fb_begin(env_fb, "vdisk");
    fb_prop_str(env_fb, "compatible", "proxenos,virtio-mmio-v1");
    fb_prop_str(env_fb, "proxenos,device-type", "blk");
    fb_end(env_fb);
    fb_end(env_fb);
    env_domain_node("domU2", 4096U, 1U, NULL);
    fb_end(env_fb);
    env_boot_info_from_tree();
    env_kernel_for("domU1");
    env_kernel_for("domU2");
    env_add_module(BOOTMOD_KERNEL, MODS, KERNEL_LEN, -1, NULL);
    cpupools_init(&env_bi);
}

/* Read before dom0 is built (dom0less_prepare), built with libxl's place
 * reserved for dom0 and started held: running, but paused until dom0's
 * server claims the range (test_ioreq_reserve.c); the other domain runs. */
static void virtio_domains_are_held_for_dom0(void **state)
{
    struct domain_create_args a = { .name = "Domain-0", .max_vcpus = 1U, .privileged = true };
    struct domain *dom0;
    struct domain *d1;
    struct domain *d2;

    (void)state;
    make_virtio_boot_info();
    dom0less_prepare(&env_bi);
    assert_int_equal(domain_create(0U, &a, &dom0), 0);
    assert_int_equal(dom0less_build_all(&env_bi, dom0), 2U);
    d1 = env_get(1U);
    d2 = env_get(2U);
    assert_int_equal(d1->state, DOMAIN_RUNNING);
    assert_true(ioreq_held(d1));
    assert_int_equal(d1->pause_count, 1U);
    assert_int_equal(d1->nr_ioreq_reserved, 1U);
    assert_int_equal(d1->ioreq_reserved[0].start, 0x2000000U);
    assert_int_equal(d1->ioreq_reserved[0].end, 0x20001ffU);
    assert_int_equal(d1->ioreq_reserved[0].backend, 0U);
    assert_false(ioreq_held(d2));
    assert_int_equal(d2->pause_count, 0U);
    assert_int_equal(d2->nr_ioreq_reserved, 0U);
    assert_true(fake_log_contains("Domain 1: virtio blk vdisk at 0x2000000-0x20001ff, SPI 33, "
                                  "back end dom0"));
    assert_true(fake_log_contains("Domain 1 (domU1): held paused until dom0 claims its 1 "
                                  "virtio device(s)"));
}

/* dom0's kernel was given but dom0 was not built: nobody could serve the
 * device, so its domain is skipped rather than held for good. */
static void virtio_domains_without_dom0_are_skipped(void **state)
{
    (void)state;
    make_virtio_boot_info();
    assert_int_equal(dom0less_build_all(&env_bi, NULL), 1U);
    assert_true(fake_log_contains("dom0less: domU1: dom0, the back end of its virtio devices, "
                                  "was not built: domain skipped"));
    env_fire_timers();
    assert_null(env_get(1U));
    assert_non_null(env_get(2U));
}

/* domU1 owns a region domU2 borrows: both map the same host frames at
 * their own gaddr as neither RAM nor grant, count none of it in their
 * pages, and a reboot maps it again. (Their /reserved-memory: the tests
 * of domain_fdt.c and tests/system/test_static_shm.py.) */
static void static_shared_memory_mapped_and_mapped_again(void **state)
{
    static const struct boot_owned nothing_owned = { { 0U, 0U }, { 0U, 0U } };
    static struct static_shm_table shm;
    static const char *const role[2] = { "owner", "borrower" };
    mfn_t m;
    enum guest_frame_type t;

    (void)state;
    env_begin_chosen(0U, 0U);
    for (unsigned int i = 0U; i < 2U; i++) {
        env_domain_node((i == 0U) ? "domU1" : "domU2", 4096U, 1U, NULL);
        fb_prop_u32(env_fb, "#address-cells", 2U);
        fb_prop_u32(env_fb, "#size-cells", 2U);
        fb_begin(env_fb, "shm");
        fb_prop_str(env_fb, "compatible", "xen,domain-shared-memory-v1");
        fb_prop_str(env_fb, "role", role[i]);
        fb_prop_str(env_fb, "xen,shm-id", "my-shm");
        fb_prop_cells(env_fb, "xen,shared-mem", 6U, 0U, 0x70000000U, 0U, 0x50000000U + (i << 28U),
                      0U, 0x10000U);
        fb_end(env_fb);
        fb_end(env_fb);
    }
    env_boot_info_from_tree();
    assert_int_equal(env_bi.nr_domain_nodes, 2U);
    env_bi.ram[0] = (struct boot_range){ 0x40000000U, 0x80000000U };
    env_bi.nr_ram = 1U;
    env_kernel_for("domU1");
    env_kernel_for("domU2");
    assert_int_equal(static_shm_scan(&env_bi, &nothing_owned, &shm), 0U);
    env_bi.shm = &shm;
    cpupools_init(&env_bi);
    assert_int_equal(dom0less_build_all(&env_bi, NULL), 2U);
    for (unsigned int i = 0U; i < 2U; i++) {
        struct domain *d = env_get((domid_t)(i + 1U));

        for (uint64_t j = 0U; j < 16U; j++) {
            assert_int_equal(arch_guest_lookup_page(d, gfn(0x50000U + (i << 16U) + j), &m, &t),
                             0);
            assert_int_equal(t, GUEST_FRAME_OTHER);
            assert_int_equal(mfn_x(m), 0x70000U + j);
        }
        assert_int_equal(d->tot_pages, (4U * MIB) >> PAGE_SHIFT);
    }   /* (none of the region is counted) */
    assert_true(fake_log_contains("Domain 2: static shared memory \"my-shm\" 0x70000000-0x70010000 "
                                  "at guest 0x60000000 (borrower)"));
    /* Rebooted: a new domain, the region mapped again, the same frames. */
    domain_shutdown(env_get(1U), SHUTDOWN_reboot);
    env_fire_timers();
    assert_int_equal(env_get(1U)->state, DOMAIN_RUNNING);
    assert_int_equal(arch_guest_lookup_page(env_get(1U), gfn(0x50000U), &m, &t), 0);
    assert_int_equal(t, GUEST_FRAME_OTHER);
    assert_int_equal(mfn_x(m), 0x70000U);
}

/* ---- Stopping ---------------------------------------------------------------- */

static void reboot_poweroff_and_crash_until_the_machine_is_off(void **state)
{
    struct domain *d1;
    struct domain *d2;
    struct domain *again;

    (void)state;
    build_standard();
    d1 = env_get(1U);
    d2 = env_get(2U);

    /* A reboot: the vCPUs stop at once, paused; the reaper rebuilds the
     * domain from its node under the same id. */
    domain_shutdown(d1, SHUTDOWN_reboot);
    assert_int_equal(d1->state, DOMAIN_SHUTDOWN);
    assert_int_equal(d1->shutdown_code, SHUTDOWN_reboot);
    assert_int_equal(d1->vcpu[0]->state, VCPU_OFFLINE);
    assert_true(d1->vcpu[1]->pause_flags);
    /* What was up stays counted online (getdomaininfo), as on Xen. */
    assert_true(d1->vcpu[0]->up_at_shutdown);
    assert_false(d1->vcpu[1]->up_at_shutdown);
    assert_true(fake_log_contains("Domain 1 (domU1) shut down: reboot"));
    /* A second request changes nothing. */
    domain_shutdown(d1, SHUTDOWN_poweroff);
    assert_int_equal(d1->shutdown_code, SHUTDOWN_reboot);
    env_fire_timers();
    again = env_get(1U);
    assert_non_null(again);
    assert_int_equal(again->state, DOMAIN_RUNNING);
    assert_int_equal(again->tot_pages, (8U * MIB) >> PAGE_SHIFT);
    assert_int_equal(fake_hook_calls(FAKE_ARCH_DOMAIN_FLUSH_CONSOLE), 1U);

    /* A crash: reported with the vCPU's state, then destroyed. */
    domain_crash(again, again->vcpu[0], "test fault");
    assert_int_equal(again->state, DOMAIN_CRASHED);
    assert_true(fake_log_contains("Domain 1 (domU1) crashed: test fault"));
    assert_int_equal(fake_hook_calls(FAKE_ARCH_DUMP_GUEST_STATE), 1U);
    domain_crash(again, NULL, "twice");
    assert_false(fake_log_contains("crashed: twice"));
    env_fire_timers();
    assert_null(env_get(1U));
    assert_int_equal(domain_count(), 1U);

    /* The last one powers off: so does the machine, with the counts. */
    domain_shutdown(d2, SHUTDOWN_poweroff);
    fake_expect_stop(FAKE_STOP_OFF, env_fire_timers());
    assert_true(fake_log_contains("All domains have stopped: 1 powered off, 1 crashed, "
                                  "1 reboots. Powering off."));
    assert_int_equal(domain_count(), 0U);
}

static void the_reaper_waits_for_running_vcpus(void **state)
{
    struct domain *d2;

    (void)state;
    build_standard();
    d2 = env_get(2U);
    /* Its CPU has not switched away from vCPU 0 yet. */
    d2->vcpu[0]->on_cpu = true;
    domain_shutdown(d2, SHUTDOWN_poweroff);
    env_fire_timers();
    assert_non_null(env_get(2U));
    /* The reaper looks again a little later. */
    assert_int_equal(timer_queue_length(0U), 1U);
    d2->vcpu[0]->on_cpu = false;
    fake_advance(MILLISECS(1));
    env_fire_timers();
    assert_null(env_get(2U));
    assert_non_null(env_get(1U));
}

static void toolstack_domains_are_left_to_the_control_domain(void **state)
{
    struct domain_create_args a = { .name = "Domain-0", .max_vcpus = 1U, .privileged = true };
    struct domain *dom0;
    struct domain *d2;

    (void)state;
    build_standard();
    assert_int_equal(domain_create(0U, &a, &dom0), 0);
    dom0->state = DOMAIN_RUNNING;
    d2 = env_get(2U);
    d2->toolstack_built = true;
    domain_shutdown(d2, SHUTDOWN_reboot);
    env_fire_timers();
    /* xl destroys or rebuilds it: here it stays, shut down, reported. */
    assert_ptr_equal(env_get(2U), d2);
    assert_int_equal(d2->state, DOMAIN_SHUTDOWN);
    assert_true(d2->stop_reported);
    assert_int_equal(fake_hook_calls(FAKE_ARCH_DOMAIN_FLUSH_CONSOLE), 0U);

    /* No control domain left: the reaper takes it too, and a
     * toolstack-built domain is not rebuilt from a node. */
    domain_shutdown(dom0, SHUTDOWN_poweroff);
    env_fire_timers();
    assert_null(env_get(0U));
    assert_null(env_get(2U));
    assert_false(fake_log_contains("Domain 2: reboot failed"));
    assert_non_null(env_get(1U));
}

/* A watchdog the domain stopped re-arming: it shuts down with reason
 * watchdog and, like a power-off (only a reboot is rebuilt), is destroyed
 * for good, its timers with it; the other domain runs on. */
static void a_watchdog_expiry_stops_the_domain_for_good(void **state)
{
    struct domain *d2;

    (void)state;
    build_standard();
    d2 = env_get(2U);
    assert_int_equal(domain_watchdog_op(d2, 0U, 5U, domain_shutdown), 1);
    fake_advance(SECONDS(4));
    assert_int_equal(domain_watchdog_op(d2, 1U, 5U, domain_shutdown), 0);
    fake_advance(SECONDS(4));
    env_fire_timers();
    assert_non_null(env_get(2U));
    fake_advance(SECONDS(1));
    env_fire_timers();
    assert_true(fake_log_contains("Watchdog timer fired for domain 2"));
    assert_true(fake_log_contains("Domain 2 (domU2) shut down: watchdog"));
    env_fire_timers();
    assert_null(env_get(2U));
    assert_int_equal(domain_count_in_memory(), 1U);
    assert_non_null(env_get(1U));
    assert_int_equal(env_get(1U)->state, DOMAIN_RUNNING);
    assert_int_equal(timer_queue_length(0U), 0U);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(valid_nodes_are_built_and_started, setup, env_teardown),
        cmocka_unit_test_setup_teardown(xenstore_domains_get_a_port_to_dom0, setup, env_teardown),
        cmocka_unit_test_setup_teardown(a_domain_that_does_not_fit_is_undone, setup, env_teardown),
        cmocka_unit_test_setup_teardown(bad_nodes_and_failed_builds_are_skipped, setup,
                                        env_teardown),
        cmocka_unit_test_setup_teardown(at_most_sixteen_nodes, setup, env_teardown),
        cmocka_unit_test_setup_teardown(virtio_domains_are_held_for_dom0, setup, env_teardown),
        cmocka_unit_test_setup_teardown(virtio_domains_without_dom0_are_skipped, setup,
                                        env_teardown),
        cmocka_unit_test_setup_teardown(static_event_channels_bound_before_start, setup,
                                        env_teardown),
        /* Before the test that counts the stops: its own are all it counts
         * (env_setup resets the counts), whatever ran before. */
        cmocka_unit_test_setup_teardown(static_shared_memory_mapped_and_mapped_again, setup,
                                        env_teardown),
        cmocka_unit_test_setup_teardown(reboot_poweroff_and_crash_until_the_machine_is_off, setup,
                                        env_teardown),
        cmocka_unit_test_setup_teardown(the_reaper_waits_for_running_vcpus, setup, env_teardown),
        cmocka_unit_test_setup_teardown(toolstack_domains_are_left_to_the_control_domain, setup,
                                        env_teardown),
        cmocka_unit_test_setup_teardown(a_watchdog_expiry_stops_the_domain_for_good, setup,
                                        env_teardown),
    };

    return cmocka_run_group_tests(tests, group_setup, NULL);
}
