/* Guest memory and upcalls for host tests of the Xen PV code.
 *
 * A test chooses the vCPU that "made the hypercall" (fake_guest_set_vcpu)
 * and maps guest-physical ranges of a domain onto fake RAM
 * (fake_guest_map). Guest virtual addresses translate one to one to
 * guest-physical ones, except inside ranges a test declares faulting
 * (fake_guest_fault), which stand for an unmapped or read-only stage 1.
 * Upcall interrupts are counted per vCPU. */
#include <proxenos/arch/domain.h>
#include <proxenos/arch/evtchn.h>
#include <proxenos/arch/guest_access.h>
#include <proxenos/current.h>
#include <proxenos/errno.h>
#include <fake_arch.h>
#include "fake_internal.h"

#define FAKE_GUEST_MAPS   16U
#define FAKE_GUEST_FAULTS 8U
#define FAKE_UPCALL_LOG   64U

struct guest_map {
    const struct domain *d;
    paddr_t gpa;
    paddr_t pa;
    uint64_t len;
};

struct fault_range {
    uint64_t lo;
    uint64_t hi;            /* exclusive */
    bool write_only;        /* reads succeed (a read-only page) */
};

static struct guest_map maps[FAKE_GUEST_MAPS];
static unsigned int nr_maps;
static struct fault_range faults[FAKE_GUEST_FAULTS];
static unsigned int nr_faults;
static const struct vcpu *upcalls[FAKE_UPCALL_LOG];
static unsigned int nr_upcalls;
static unsigned int default_evtchn_irq;

void fake_guest_reset(void)
{
    fake_guest_set_vcpu(NULL);
    nr_maps = 0U;
    nr_faults = 0U;
    nr_upcalls = 0U;
    default_evtchn_irq = 0U;
}

/* current_vcpu() reads this table inline (<proxenos/current.h>); weak, so a
 * test that links common/sched/current.c gets the real one. */
__attribute__((weak)) struct vcpu *current_vcpus[NR_CPUS];

/* Whatever CPU the test then says it runs on: a hypercall's vCPU is the
 * test's choice, not the scheduler's. */
void fake_guest_set_vcpu(struct vcpu *v)
{
    for (unsigned int cpu = 0U; cpu < NR_CPUS; cpu++) {
        current_vcpus[cpu] = v;
    }
}

void fake_guest_map(const struct domain *d, paddr_t gpa, paddr_t pa, uint64_t len)
{
    if (nr_maps < FAKE_GUEST_MAPS) {
        maps[nr_maps] = (struct guest_map){ d, gpa, pa, len };
        nr_maps++;
    }
}

void fake_guest_unmap(const struct domain *d, paddr_t gpa)
{
    for (unsigned int i = 0U; i < nr_maps; i++) {
        if ((maps[i].d == d) && (maps[i].gpa == gpa)) {
            maps[i] = maps[nr_maps - 1U];
            nr_maps--;
            return;
        }
    }
}

void fake_guest_fault(uint64_t gva, uint64_t len, bool write_only)
{
    if (nr_faults < FAKE_GUEST_FAULTS) {
        faults[nr_faults] = (struct fault_range){ gva, gva + len, write_only };
        nr_faults++;
    }
}

int arch_guest_va_to_ipa(uint64_t gva, bool write, paddr_t *ipa)
{
    for (unsigned int i = 0U; i < nr_faults; i++) {
        if ((gva >= faults[i].lo) && (gva < faults[i].hi) && (write || !faults[i].write_only)) {
            return -EFAULT;
        }
    }
    *ipa = gva;
    return 0;
}

__attribute__((weak)) int arch_guest_ram_to_maddr(struct domain *d, paddr_t gpa, paddr_t *ma)
{
    uint64_t m;

    for (unsigned int i = 0U; i < nr_maps; i++) {
        if ((maps[i].d == d) && (gpa >= maps[i].gpa) && ((gpa - maps[i].gpa) < maps[i].len)) {
            *ma = maps[i].pa + (gpa - maps[i].gpa);
            return 0;
        }
    }
    /* RAM the domain was given through the stage-2 hooks (domain.c's
     * domain_populate_ram), as the real stage 2 would translate it. */
    if (fake_p2m_ram_frame(d, gpa >> PAGE_SHIFT, &m)) {
        *ma = (m << PAGE_SHIFT) | (gpa & (PAGE_SIZE - 1U));
        return 0;
    }
    return -ENOENT;
}

__attribute__((weak)) void arch_evtchn_inject(struct vcpu *v)
{
    if (nr_upcalls < FAKE_UPCALL_LOG) {
        upcalls[nr_upcalls] = v;
    }
    nr_upcalls++;
}

/* The host has no upcall interrupt line. */
__attribute__((weak)) unsigned int arch_evtchn_default_irq(void)
{
    return default_evtchn_irq;
}

void fake_set_evtchn_default_irq(unsigned int irq)
{
    default_evtchn_irq = irq;
}

/* The host fake's encoding: the interrupt number alone. */
__attribute__((weak)) uint64_t arch_evtchn_callback_via(unsigned int irq)
{
    return irq;
}

unsigned int fake_upcalls(const struct vcpu *v)
{
    unsigned int n = 0U;

    for (unsigned int i = 0U; (i < nr_upcalls) && (i < FAKE_UPCALL_LOG); i++) {
        n += (upcalls[i] == v) ? 1U : 0U;
    }
    return n;
}
