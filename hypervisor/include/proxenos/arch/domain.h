/* What common domain code needs from the architecture. */
#ifndef PROXENOS_ARCH_DOMAIN_H
#define PROXENOS_ARCH_DOMAIN_H

#include <proxenos/domain.h>

struct domain_create_args;
struct vcpu_guest_context;
struct xen_domctl_createdomain;

/* Allocate d's arch part into d->arch and set it up (stage-2 tables from
 * a pool of p2m_pool_pages, interrupt controller, emulated devices). On
 * failure everything done so far is undone and d->arch is NULL again.
 * Called before any other hook is given d; destroy after every other, and
 * it frees d->arch (a NULL d->arch: nothing to do). */
int arch_domain_create(struct domain *d, const struct domain_create_args *args);
void arch_domain_destroy(struct domain *d);

/* The same for a vCPU (v->arch; registers as at reset: EL1h, interrupts
 * masked, MMU off), after its domain's and once v->processor is chosen.
 * Destroy is called for every vCPU slot common code filled, also where
 * create failed or never ran. */
int arch_vcpu_create(struct vcpu *v);
void arch_vcpu_destroy(struct vcpu *v);

/* XEN_DOMCTL_createdomain: the architecture's checks of cfg (flags it
 * requires or allows, cfg->arch) after the common ones, with Xen's answer
 * (-EINVAL), filling a with what cfg->arch asks of the domain; then, once
 * the domain exists, what the caller reads back in cfg->arch. */
long arch_domctl_check_config(struct xen_domctl_createdomain *cfg, struct domain_create_args *a);
void arch_domctl_config_created(struct xen_domctl_createdomain *cfg);

/* dm_op set_irq_level: the line of SPI irq (an INTID) of d's interrupt
 * controller, for a device model. -EINVAL for an INTID that is not an SPI
 * of d or that the hypervisor drives itself (Xen's allocated_irqs). */
int arch_dm_set_irq_level(struct domain *d, uint32_t irq, bool level);

/* Map nr pages of host RAM at gfn in d's stage-2 as normal memory. */
int arch_map_guest_ram(struct domain *d, gfn_t gfn, mfn_t mfn, uint64_t nr);

/* Map nr pages of host RAM that no domain owns (a static shared memory
 * region, reserved at boot) at gfn in d's stage 2: normal memory, read and
 * write, never executable. Memory operations see it as neither RAM nor a
 * grant (GUEST_FRAME_OTHER), so no hypercall can free, grant or balloon
 * it; it goes when d's stage 2 is torn down. 0, -EINVAL or -ENOMEM. */
int arch_map_static_shm(struct domain *d, gfn_t gfn, mfn_t mfn, uint64_t nr);

/* Host physical address behind guest-physical gpa if it is d's RAM:
 * 0 or -ENOENT. */
int arch_guest_ram_to_maddr(struct domain *d, paddr_t gpa, paddr_t *ma);

/* What a guest frame maps to, as the Xen PV memory code (grant tables,
 * memory_op) sees it. */
enum guest_frame_type {
    GUEST_FRAME_NONE = 0,   /* nothing mapped */
    GUEST_FRAME_RAM,        /* RAM, read-write */
    GUEST_FRAME_RAM_RO,     /* RAM, read-only */
    GUEST_FRAME_GRANT_RW,   /* another domain's granted frame */
    GUEST_FRAME_GRANT_RO,
    GUEST_FRAME_FOREIGN_RW, /* another domain's page or grant-table frame,
                               mapped by a privileged domain: data, never code */
    GUEST_FRAME_FOREIGN_RO,
    GUEST_FRAME_OTHER,      /* device, ... */
};

/* Map one host frame at gfn in d's stage 2 as RAM, GRANT_* or FOREIGN_*,
 * replacing what was there. 0, -EINVAL (other type, out of range) or
 * -ENOMEM (stage-2 pool exhausted: nothing changed). */
int arch_guest_map_page(struct domain *d, gfn_t gfn, mfn_t mfn, enum guest_frame_type t);
/* Unmap gfn (nothing mapped: 0). 0, -EINVAL or -ENOMEM. */
int arch_guest_unmap_page(struct domain *d, gfn_t gfn);
/* What gfn maps to: 0, or -ENOENT (nothing, *t = GUEST_FRAME_NONE). */
int arch_guest_lookup_page(struct domain *d, gfn_t gfn, mfn_t *mfn, enum guest_frame_type *t);
/* Whether nothing is mapped at gfn .. gfn + nr - 1, in one walk. */
bool arch_guest_range_unmapped(struct domain *d, gfn_t gfn, uint64_t nr);

/* Print v's registers after a fault (the live frame if v runs here). */
void arch_dump_guest_state(struct vcpu *v);
/* Print what d's emulated console holds without a final newline. */
void arch_domain_flush_console(struct domain *d);
/* SPIs a domain's virtual GIC offers by default (as Xen: the host's). */
unsigned int arch_default_nr_spis(void);
/* Where vCPU v starts: PC and x0, applied at its next run. */
void arch_vcpu_set_entry(struct vcpu *v, uint64_t pc, uint64_t x0);

/* v moved to another physical CPU (v->processor): its per-vCPU timers
 * go with it. */
void arch_vcpu_moved(struct vcpu *v);

/* Print d's arch state for the 'q' key. */
void arch_dump_domain(const struct domain *d);

/* ---- For the toolstack (domctl) ---------------------------------------- */

/* d's build is over and it is about to run for the first time (the
 * toolstack's first unpause): what may only change while it is built is
 * fixed from now on (the paging pool is sealed). */
void arch_domain_creation_finished(struct domain *d);

/* setvcpucontext: check ctxt as Xen's arch_set_info_guest does (AArch64
 * PSTATE at EL1h, EL1t or EL0t, the same for a non-zero SPSR_EL1: else
 * -EINVAL, nothing changed), then make it v's registers (general
 * registers, PC, PSTATE, SP_EL0/EL1, ELR_EL1, SPSR_EL1, SCTLR, TCR,
 * TTBR0/1), replacing any entry PSCI CPU_ON left pending. v is off its CPU
 * with its state saved (its domain paused). */
int arch_vcpu_set_context(struct vcpu *v, const struct vcpu_guest_context *ctxt);
/* getvcpucontext: the reverse, with flags VGCF_online for a vCPU that is
 * not offline. Same condition on v. */
void arch_vcpu_get_context(struct vcpu *v, struct vcpu_guest_context *ctxt);
/* setvcpucontext without a context: v's registers as at reset. */
void arch_vcpu_reset_context(struct vcpu *v);

/* Pages in d's paging pool (its stage-2 tables' pages), and resizing it:
 * 0, -ENOMEM (not enough memory, or more pages in use than asked for:
 * nothing changed) or -EPERM (the pool is sealed). */
uint64_t arch_paging_pool_pages(struct domain *d);
int arch_paging_pool_resize(struct domain *d, uint64_t pages);

/* Clean and invalidate the data cache to the point of coherency over
 * whatever RAM (own, granted or foreign) is mapped in d's stage 2 at
 * [gfn, gfn + nr); other frames are skipped. What the toolstack wrote
 * there through its own mapping then reaches memory before the guest
 * reads it with its caches off. */
void arch_guest_cache_flush(struct domain *d, gfn_t gfn, uint64_t nr);

/* XEN_DOMCTL_vuart_op INIT: give d, being built, the emulated UART of
 * the given type (XEN_DOMCTL_VUART_TYPE_*) whose back end is the console
 * ring on d's RAM page ring, served by domain backend (xenconsoled's). 0
 * and *port, the unbound port of d that backend binds; -EOPNOTSUPP for a
 * type the architecture does not emulate (checked first); -EINVAL when d
 * has one already or ring is not d's RAM; -ENOMEM, -ENOSPC. On Arm: type
 * VPL011 only, a vpl011 at GUEST_PL011_BASE with SPI GUEST_VPL011_SPI. */
int arch_vuart_init(struct domain *d, uint32_t type, gfn_t ring, domid_t backend,
                    evtchn_port_t *port);

#endif
