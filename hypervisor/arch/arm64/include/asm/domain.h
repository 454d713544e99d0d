/* The arm64 part of a domain and of a vCPU: d->arch and v->arch, which
 * arch_domain_create / arch_vcpu_create allocate (domain.c). Common code
 * only holds the pointers; arm64 code includes this header to look inside. */
#ifndef ASM_DOMAIN_H
#define ASM_DOMAIN_H

#include <proxenos/types.h>
#include <asm/mmio.h>
#include <asm/mmio_decode.h>
#include <asm/p2m.h>
#include <asm/vgic.h>
#include <asm/trap_frame.h>
#include <proxenos/smp.h>
#include <proxenos/spinlock.h>
#include <proxenos/timer.h>

/* EL1 system registers that belong to the guest and are switched with it. */
struct vcpu_sysregs {
    uint64_t sctlr_el1, actlr_el1, cpacr_el1;
    uint64_t ttbr0_el1, ttbr1_el1, tcr_el1;
    uint64_t mair_el1, amair_el1;
    uint64_t vbar_el1, contextidr_el1;
    uint64_t tpidr_el0, tpidrro_el0, tpidr_el1;
    uint64_t sp_el0, sp_el1, elr_el1, spsr_el1;
    uint64_t esr_el1, far_el1, afsr0_el1, afsr1_el1, par_el1;
    uint64_t csselr_el1, cntkctl_el1, mdscr_el1;
    uint64_t vmpidr_el2;
    uint64_t cntv_ctl_el0, cntv_cval_el0;
};

/* FP/SIMD state: V0-V31, FPSR, FPCR. */
struct vcpu_fpregs {
    __uint128_t v[32];
    uint64_t fpsr;
    uint64_t fpcr;
};

struct vpl011;

/* A vCPU's MPIDR affinity as Xen 4.17 numbers vCPUs: 16 per Aff0 cluster
 * (GICv3 SGIs can target 16 CPUs of one cluster at once), then Aff1. */
static inline uint64_t vcpu_vaffinity(unsigned int vcpu_id)
{
    return ((uint64_t)(vcpu_id & 0xfU)) | ((uint64_t)((vcpu_id >> 4) & 0xffU) << 8);
}

struct arch_domain {
    struct p2m_domain p2m;
    struct vgic_dist vgic;
    struct mmio_table mmio;
    struct vpl011 *vpl011;
    uint64_t cntvoff;           /* CNTVOFF_EL2: the domain's virtual time base */
    /* Which of its vCPUs last ran on each physical CPU (LAST_VCPU_NONE:
     * none yet). Its vCPUs share one VMID, so a vCPU that follows another
     * of them onto a CPU could find that one's stage-1 TLB entries, which
     * the guest, flushing per vCPU, does not expect. */
    uint16_t last_vcpu_ran[NR_CPUS];
    uint32_t aborts_logged;     /* trap_dabt's lines about bad accesses */
};
#define LAST_VCPU_NONE 0xffffU

struct arch_vcpu {
    struct trap_frame regs;     /* guest GPRs, PC (elr), PSTATE (spsr) */
    struct vcpu_sysregs sys;
    struct vcpu_fpregs fp;
    struct vgic_cpu vgic;
    uint64_t hcr_el2;
    /* Virtual timer: a software timer stands in for CNTV while the vCPU is
     * off its CPU; line_high is the level the vGIC sees on PPI 27. */
    struct timer vtimer;
    bool vtimer_line_high;
    /* An edge of the event-channel upcall PPI was sent for the current
     * 1 of evtchn_upcall_pending (evtchn_upcall.c). */
    bool evtchn_signalled;
    /* A fast-path load into x19-x28 (trap_fast.c), while entry.S
     * completes the frame over the register's slot. */
    uint64_t fast_loaded;
    /* PSCI CPU_ON asks for this entry point and context on next run. */
    bool reset_pending;
    uint64_t reset_pc;
    uint64_t reset_x0;
    /* The access sent to an IOREQ server, completed from its answer
     * (ioreq_mmio.c). */
    struct mmio_insn io_insn;
    bool io_il32;
};

struct vcpu;
/* Architectural reset of v (EL1h, DAIF masked, MMU off), entering at the
 * PC and x0 of arch_vcpu_set_entry (context.c): applied when v next runs,
 * or when its registers are read or replaced before that. */
void vcpu_apply_reset(struct vcpu *v);

#endif
