/* Shared set-up for the tests of common/control/ (included by each
 * test_*.c here; not built alone).
 *
 * Three hand-built domains: dom0 (id 0, the control domain), dom1 and
 * dom3 (domUs; there is no domain 2, so that Xen's "next domain up"
 * answers show), two vCPUs each: vCPU 0 running, vCPU 1 offline. Each has
 * ENV_PAGES of fake guest RAM at GUEST_BASE, mapped one to one from guest
 * virtual addresses. A test writes a sysctl or domctl argument block into
 * a domain's RAM (sysctl_in / domctl_in), makes a vCPU the caller (as)
 * and issues the hypercall (call_sysctl / call_domctl).
 *
 * Stand-ins: the domain list (with reference counting checked between
 * tests), the online CPUs, the scheduler's few answers and the CPU pools
 * are the shared fakes (fake_domains.c, fake_smp.c, fake_sched.c), and so
 * are domain_create and domain_kill (fake_domain_create.c) and the EL1
 * system registers a vCPU's reset sets (fake_vcpu_sysregs.c). The stage-2
 * hooks come from fake_arch's fake_p2m. Everything else is the real code
 * (control.mk). */
#ifndef CONTROL_ENV_H
#define CONTROL_ENV_H
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <proxenos/arch/domain.h>
#include <proxenos/bootmem.h>
#include <proxenos/cpupool.h>
#include <proxenos/domain_create.h>
#include <proxenos/domain.h>
#include <proxenos/errno.h>
#include <proxenos/hostinfo.h>
#include <proxenos/hypercall.h>
#include <proxenos/page_alloc.h>
#include <proxenos/sched.h>
#include <proxenos/sched_params.h>
#include <proxenos/smp.h>
#include <proxenos/xmalloc.h>
#include <public/domctl.h>
#include <public/sysctl.h>
#include <asm/domain.h>
#include <fake_arch.h>
#include <fake_domain.h>
#include "../fake_console_api.h"
#include "../fake_domain_create.h"
#include "../fake_domains.h"
#include "../fake_sched.h"
#include "../fake_smp.h"
#include <fake_p2m.h>
#include "../../arch/arm64/fake_vcpu_sysregs.h"

#define RAM0        0x40000000ULL
#define RAM_SIZE    (16ULL << 20)
#define GUEST_BASE  0x80000000ULL
#define ENV_PAGES   8U
#define ENV_DOMS    3U
#define ENV_VCPUS   2U
#define ARG_OFF     0x100U          /* where the argument block goes */
#define BUF_OFF     0x1000U         /* buffers the block points to */
#define BUF_GVA     (GUEST_BASE + BUF_OFF)
#define UNMAPPED    0x10000000ULL   /* a guest address nothing maps */

/* The machine every test starts with. */
#define ENV_RAM_START_MFN 0x40000ULL
#define ENV_RAM_END_MFN   0xc0000ULL    /* 2 GiB at 1 GiB */
#define ENV_CPU_IDS       4U
#define ENV_CPU_KHZ       62500U

static const domid_t env_ids[ENV_DOMS] = { 0U, 1U, 3U };
static struct domain doms[ENV_DOMS];
static struct vcpu vcpus[ENV_DOMS][ENV_VCPUS];
static struct vcpu *vcpu_ptrs[ENV_DOMS][ENV_VCPUS];
/* The arm64 part of each vCPU (arch/arm64/vcpu_context.c reads and writes
 * it): arch_vcpu_create would allocate it, the environment gives it. */
static struct arch_vcpu arch_vcpus[ENV_DOMS][ENV_VCPUS];
static uint8_t *gram[ENV_DOMS];     /* host view of each domain's guest RAM */

/* ---- The domain list ---------------------------------------------------- */

/* The domain table is fake_domains.c's: every domain of doms[] is listed,
 * and stays listed (in memory) once dying until a test unlists it (frees
 * it); each test must give back every reference it took. */

/* createdomain's domain_create and destroydomain's domain_kill are the
 * shared fake_domain_create.c's: calls counted, arguments kept, the made
 * domain listed in the domain table; its vCPU's arch part is new_arch_vcpu. */
static struct arch_vcpu new_arch_vcpu;

/* ---- CPUs and the scheduler ---------------------------------------------
 * The online CPUs are the shared fake_smp.c's, the scheduler's calls and
 * settings (moves, weights, idle times, the default scheduler, the CPU
 * pools) the shared fake_sched.c's. */

/* sched_move_vcpu's moves since env_restart_moves(). */
static unsigned int env_moves_base;

static inline void env_restart_moves(void)
{
    env_moves_base = fake_sched_calls(FAKE_SCHED_MOVE, NULL);
}

static inline unsigned int env_moves(void)
{
    return fake_sched_calls(FAKE_SCHED_MOVE, NULL) - env_moves_base;
}

/* ---- The architecture ------------------------------------------------------ */

/* A vCPU's reset is the real arch/arm64/vcpu_reset.c's; the EL1 system
 * registers it resets are fake_vcpu_sysregs.c's (the real save and restore
 * are AArch64 instructions), which counts the resets. */

/* The pools the toolstack sees are fake_sched.c's: pool id with the CPUs
 * of cpus, running sched. */
static inline void env_add_pool(unsigned int id, uint64_t cpus, const char *sched)
{
    fake_cpupool_add(id, cpus, sched);
}

/* ---- Debug keys (console.c and sysctl debug_keys hand them over) ----------- */

/* How many keys reached handle_keypress (fake_console_api.c's). */
static inline unsigned int env_nr_keys(void)
{
    unsigned int n;

    (void)fake_keys(&n);
    return n;
}

/* ---- Set-up ---------------------------------------------------------------- */

static inline void env_setup(void)
{
    const struct host_info hi = {
        .ram_pages = ENV_RAM_END_MFN - ENV_RAM_START_MFN,
        .ram_start_mfn = ENV_RAM_START_MFN,
        .ram_end_mfn = ENV_RAM_END_MFN,
        .nr_cpu_ids = ENV_CPU_IDS,
        .cpu_khz = ENV_CPU_KHZ,
        .has_pmu = true,
        .gpaddr_bits = 40U,
    };

    assert_int_equal(fake_domain_refs_total(), 0U);
    fake_domains_reset();
    fake_domain_create_reset();
    memset(&new_arch_vcpu, 0, sizeof(new_arch_vcpu));
    fake_domain_create_set_vcpu_arch(&new_arch_vcpu);
    fake_reset();
    fake_p2m_reset();
    fake_vcpu_sysregs_reset();
    fake_console_quiet(true);
    bootmem_reset();
    (void)fake_ram_alloc(RAM0, (size_t)RAM_SIZE);
    assert_int_equal(bootmem_add_ram(RAM0, RAM0 + RAM_SIZE), 0);
    assert_int_equal(page_alloc_init(), 0);
    xmalloc_reset();
    hostinfo_set(&hi);
    fake_smp_reset();
    fake_set_online_cpus(0xfU);
    fake_sched_reset();
    fake_sched_set_default_name("credit2");
    env_restart_moves();
    fake_console_api_reset();
    env_add_pool(0U, 0xfU, "credit2");
    memset(doms, 0, sizeof(doms));
    memset(vcpus, 0, sizeof(vcpus));
    memset(arch_vcpus, 0, sizeof(arch_vcpus));
    for (unsigned int d = 0U; d < ENV_DOMS; d++) {
        mfn_t ram = alloc_pages(3U, ALLOC_ZERO);
        mfn_t si = alloc_pages(0U, ALLOC_ZERO);

        assert_false(mfn_eq(ram, INVALID_MFN));
        assert_false(mfn_eq(si, INVALID_MFN));
        gram[d] = arch_maddr_to_virt(mfn_to_paddr(ram));
        fake_guest_map(&doms[d], GUEST_BASE, mfn_to_paddr(ram), ENV_PAGES * PAGE_SIZE);
        doms[d].domain_id = env_ids[d];
        (void)snprintf(doms[d].name, sizeof(doms[d].name), "dom%u", env_ids[d]);
        doms[d].state = DOMAIN_RUNNING;
        doms[d].is_privileged = (d == 0U);
        doms[d].max_vcpus = ENV_VCPUS;
        doms[d].vcpu = vcpu_ptrs[d];
        doms[d].shared_info = arch_maddr_to_virt(mfn_to_paddr(si));
        doms[d].tot_pages = 1024U * (d + 1U);
        for (unsigned int i = 0U; i < ENV_VCPUS; i++) {
            struct vcpu *v = &vcpus[d][i];

            v->vcpu_id = i;
            v->domain = &doms[d];
            v->arch = &arch_vcpus[d][i];
            v->processor = i;
            v->state = (i == 0U) ? VCPU_RUNNING : VCPU_OFFLINE;
            v->on_cpu = (i == 0U);          /* running: on its CPU */
            v->hard_affinity = ~0ULL;
            v->soft_affinity = ~0ULL;
            v->vcpu_info = &v->vcpu_info_dummy;
            vcpu_ptrs[d][i] = v;
        }
        fake_domain_list(&doms[d]);
    }
}

/* Make vCPU i of domain d (an index of doms[]) the caller. */
static inline void as(unsigned int d, unsigned int i)
{
    fake_guest_set_vcpu(&vcpus[d][i]);
}

/* Host pointer to byte off of domain d's guest RAM. */
static inline void *garg(unsigned int d, uint64_t off)
{
    return gram[d] + off;
}

/* A fresh sysctl block of the current version in domain d's RAM. */
static inline struct xen_sysctl *sysctl_in(unsigned int d, uint32_t cmd)
{
    struct xen_sysctl *op = garg(d, ARG_OFF);

    memset(op, 0, sizeof(*op));
    op->cmd = cmd;
    op->interface_version = XEN_SYSCTL_INTERFACE_VERSION;
    return op;
}

/* A fresh domctl block of the current version naming domain dom. */
static inline struct xen_domctl *domctl_in(unsigned int d, uint32_t cmd, domid_t dom)
{
    struct xen_domctl *op = garg(d, ARG_OFF);

    memset(op, 0, sizeof(*op));
    op->cmd = cmd;
    op->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
    op->domain = dom;
    return op;
}

static inline long call(long (*fn)(struct hcall_args *), uint64_t arg)
{
    struct hcall_args a = { { arg, 0U, 0U, 0U, 0U } };

    return fn(&a);
}

/* Issue the block at ARG_OFF of the caller's RAM. */
static inline long call_sysctl(void)
{
    return call(do_sysctl, GUEST_BASE + ARG_OFF);
}

static inline long call_domctl(void)
{
    return call(do_domctl, GUEST_BASE + ARG_OFF);
}

/* cmocka set-up: the environment, dom0's vCPU 0 calling. */
static inline int env_test_setup(void **state)
{
    (void)state;
    env_setup();
    as(0U, 0U);
    return 0;
}

#endif
