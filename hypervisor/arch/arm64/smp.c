/* Secondary CPU bring-up through PSCI CPU_ON. Each CPU comes up in head.S
 * with the MMU off, joins the boot page tables and arrives here. */
#include <asm/arm64.h>
#include <asm/spectre.h>
#include <asm/sysregs.h>
#include <proxenos/arch/mm.h>
#include <proxenos/idle.h>
#include <proxenos/printk.h>
#include <proxenos/smp.h>
#include <proxenos/timer.h>

#define MPIDR_AFF_MASK 0xff00ffffffULL
#define CPU_UP_TIMEOUT SECONDS(1)

static uint64_t logical_mpidr[NR_CPUS];

/* On arm64 a CPU's hardware id is its MPIDR (affinity fields). */
int arch_cpu_by_hw_id(uint64_t hw_id)
{
    for (unsigned int cpu = 0U; cpu < NR_CPUS; cpu++) {
        if (cpu_online(cpu) && (logical_mpidr[cpu] == (hw_id & MPIDR_AFF_MASK))) {
            return (int)cpu;
        }
    }
    return -1;
}

/* MPIDR_EL1.MT: the lowest affinity level numbers threads of one core. */
#define MPIDR_MT (1ULL << 24)

/* From the MPIDR affinity levels: with MT, Aff0 is the thread, Aff1 the
 * core and Aff2 up the cluster; without it (QEMU virt, most cores without
 * SMT) Aff0 is the core and Aff1 up the cluster. A cluster is what credit2
 * calls a socket. No NUMA: one node. logical_mpidr keeps the affinity
 * fields only; MT is read on this CPU (it is the same on every CPU of a
 * system). */
void arch_cpu_topology(unsigned int cpu, struct arch_cpu_topology *topo)
{
    uint64_t mpidr = logical_mpidr[cpu];
    /* Aff3 (39:32) packed above Aff2.Aff1.Aff0 into 32 bits. */
    uint32_t aff = (uint32_t)(((mpidr >> 8) & 0xff000000ULL) | (mpidr & 0xffffffULL));
    unsigned int core_shift = ((READ_SYSREG(mpidr_el1) & MPIDR_MT) != 0U) ? 8U : 0U;

    topo->core = aff >> core_shift;
    topo->socket = aff >> (core_shift + 8U);
    topo->node = 0U;
}

/* Register state every CPU sets for itself before doing anything else.
 * Physical IRQs, FIQs and SErrors must be routed to EL2 (IMO/FMO/AMO):
 * otherwise they target EL1 and stay masked while we run at EL2. */
void cpu_init_el2(unsigned int cpu)
{
    WRITE_SYSREG(hcr_el2, HCR_EL2_AMO | HCR_EL2_IMO | HCR_EL2_FMO);
    WRITE_SYSREG(tpidr_el2, cpu);
    WRITE_SYSREG(vbar_el2, (uintptr_t)hyp_vectors);
    isb();
}

void start_secondary(unsigned int cpu)
{
    cpu_init_el2(cpu);
    spectre_cpu_init(cpu);
    if (gic_cpu_init() != 0) {
        /* Without an interrupt controller this CPU is of no use. */
        arch_halt();
    }
    time_cpu_init();
    arch_cpu_init_virt();
    cpu_set_online(cpu);
    arch_enter_idle();
}

static bool wait_online(unsigned int cpu)
{
    s_time_t deadline = NOW() + CPU_UP_TIMEOUT;

    while (!cpu_online(cpu)) {
        if (NOW() > deadline) {
            return false;
        }
        arch_cpu_relax();
    }
    return true;
}

/* Start every CPU in mpidrs except ourselves; returns how many are online
 * in total. CPUs are numbered in device-tree order after the boot CPU. */
unsigned int smp_bring_up(const uint64_t *mpidrs, unsigned int nr, const void *secondary_va)
{
    uint64_t self = READ_SYSREG(mpidr_el1) & MPIDR_AFF_MASK;
    paddr_t entry = arch_virt_to_maddr(secondary_va);
    unsigned int next = 1U;

    logical_mpidr[0] = self;

    for (unsigned int i = 0U; i < nr; i++) {
        uint64_t mpidr = mpidrs[i] & MPIDR_AFF_MASK;
        int rc;

        if (mpidr == self) {
            continue;
        }
        if (next >= NR_CPUS) {
            pr_warn("CPU with MPIDR 0x%llx ignored: only %u CPUs supported\n",
                    (unsigned long long)mpidr, (unsigned int)NR_CPUS);
            continue;
        }
        gic_set_cpu_mpidr(next, mpidr);
        rc = psci_cpu_on(mpidr, entry, next);
        if (rc != 0) {
            pr_warn("CPU with MPIDR 0x%llx did not start: PSCI CPU_ON error %d\n",
                    (unsigned long long)mpidr, rc);
            continue;
        }
        if (!wait_online(next)) {
            pr_warn("CPU %u (MPIDR 0x%llx) started but never came online\n", next,
                    (unsigned long long)mpidr);
            next++;     /* the late CPU may still use this number */
            continue;
        }
        logical_mpidr[next] = mpidr;
        pr_info("CPU %u online (MPIDR 0x%llx)\n", next, (unsigned long long)mpidr);
        next++;
    }
    return num_online_cpus();
}
