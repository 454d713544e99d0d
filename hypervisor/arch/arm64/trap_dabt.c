/* Stage-2 data aborts: an access to an emulated device is decoded from the
 * syndrome (or, lacking one, from the instruction: asm/mmio_decode.h) and
 * handed to the device model that registered the address. An access
 * outside RAM and devices gets a data abort injected, as Xen 4.17 does:
 * the guest's kernel decides (Linux kills the process that touched it, or
 * oopses; a bare-metal guest probing for hardware takes it and goes on),
 * so one bad access in dom0's user space does not take dom0 down. An
 * instruction fetch outside RAM gets a prefetch abort the same way. So
 * does a device access that cannot be decoded or that the device model
 * refuses. Nothing else is touched: the hypervisor and the other domains
 * never see a guest's bad access. */
#include <asm/domain.h>
#include <asm/esr.h>
#include <asm/guest_sp.h>
#include <asm/ioreq_mmio.h>
#include <asm/mmio.h>
#include <asm/mmio_decode.h>
#include <asm/p2m.h>
#include <asm/traps.h>
#include <proxenos/domain.h>
#include <proxenos/errno.h>
#include <proxenos/guest_access.h>
#include <proxenos/printk.h>

/* Lines logged per domain about aborts outside RAM and devices: a guest
 * that loops on them must not flood the console. */
#define ABORT_LOG_LIMIT 8U

/* A stage-2 fault on an IPA that is mapped by the time we look: another
 * CPU was changing that part of the domain's stage 2 (splitting a block
 * invalidates it before the finer table goes in), and this vCPU's walk
 * fell into the gap. The access is simply retried. The lookup takes the
 * p2m lock, so it answers only once the change is complete. Only missing
 * entries qualify: a permission fault on a mapped page is the guest's. */
static bool fault_was_transient(struct vcpu *v, const struct trap_info *t)
{
    uint32_t kind = abort_fsc_kind(t->iss);

    if ((kind != FSC_TRANSLATION) && (kind != FSC_ACCESS_FLAG)) {
        return false;
    }
    return p2m_lookup(&v->domain->arch->p2m, gfn(t->gpa >> PAGE_SHIFT), NULL, NULL, NULL) == 0;
}

/* One line per bad access, up to ABORT_LOG_LIMIT per domain. */
static void log_bad_access(struct vcpu *v, const struct trap_info *t, const char *what,
                           const char *why)
{
    uint32_t n = __atomic_fetch_add(&v->domain->arch->aborts_logged, 1U, __ATOMIC_RELAXED);

    if (n < ABORT_LOG_LIMIT) {
        pr_warn("d%uv%u: %s at IPA %#llx (VA %#llx) %s: injected%s\n",
                v->domain->domain_id, v->vcpu_id, what, (unsigned long long)t->gpa,
                (unsigned long long)t->far, why,
                ((n + 1U) == ABORT_LOG_LIMIT) ? " (no more such lines)" : "");
    } else {
        /* counted only; the counter stops short of wrapping */
        __atomic_store_n(&v->domain->arch->aborts_logged, ABORT_LOG_LIMIT, __ATOMIC_RELAXED);
    }
}

/* Which load or store the guest made to the device when the hardware gave
 * no syndrome (ISV clear: a pair, an access with writeback, a SIMD
 * register...): decoded from the instruction itself, for the one form Xen
 * 4.17 decodes. 0, 1 for a cache maintenance instruction (nothing to
 * emulate, stepped over as Xen does), or a negative error: the guest then
 * gets a data abort, as on Xen. (With a syndrome, trap_dabt reads it
 * directly: that is nearly every access, and its path stays short.) */
static int describe_unsyndromed(struct trap_frame *f, const struct trap_info *t,
                                struct mmio_insn *m)
{
    uint32_t insn;

    /* The guest put its own page tables on a device. */
    if (abort_on_walk(t->iss)) {
        return -EFAULT;
    }
    if (abort_cache_maint(t->iss)) {
        return 1;
    }
    if (guest_sp_in_use(f->spsr) == GUEST_SP_NONE) {
        return -EOPNOTSUPP;     /* AArch32 code: Xen decodes no A32 either */
    }
    if (copy_from_guest(&insn, f->elr, sizeof(insn)) != 0) {
        return -EFAULT;
    }
    return mmio_insn_decode(insn, m);
}

/* Perform m on the device at r: 0, or the handler's error. */
static __force_inline int emulate(struct vcpu *v, struct trap_frame *f, const struct trap_info *t,
                   const struct mmio_region *r, const struct mmio_insn *m)
{
    struct mmio_access a = {
        .gpa = t->gpa,
        .offset = t->gpa - r->base,
        .size = m->bytes,
        .write = m->write,
    };
    int rc;

    if (a.write) {
        uint64_t val = (m->rt == 31U) ? 0U : f->x[m->rt];

        if (a.size < 8U) {
            val &= (1ULL << (a.size * 8U)) - 1U;
        }
        rc = r->ops->write(v, &a, val, r->priv);
    } else {
        uint64_t val = 0U;

        rc = r->ops->read(v, &a, &val, r->priv);
        if (rc == 0) {
            mmio_set_loaded(f, m, val);
        }
    }
    return rc;
}

/* The device model refused the access (size, alignment, register). */
static void refused(struct vcpu *v, struct trap_frame *f, const struct trap_info *t)
{
    log_bad_access(v, t, "device access", "refused by the device");
    inject_dabt(v, f, t->far);
}

/* An access without a syndrome: decoded, emulated, its base updated. */
static void trap_dabt_unsyndromed(struct vcpu *v, struct trap_frame *f,
                                  const struct trap_info *t, const struct mmio_region *r)
{
    struct mmio_insn m;
    int rc = describe_unsyndromed(f, t, &m);

    if (rc < 0) {
        log_bad_access(v, t, "device access", "that cannot be decoded");
        inject_dabt(v, f, t->far);
        return;
    }
    if (rc == 0) {
        if (emulate(v, f, t, r, &m) != 0) {
            refused(v, f, t);
            return;
        }
        if (m.writeback) {
            mmio_write_back(f, &m);
        }
    }
    advance_pc(f, t);
}

/* An access no emulator of ours claims: to a device model's server if
 * one claims it (true), else false. */
static bool forward(struct vcpu *v, struct trap_frame *f, const struct trap_info *t)
{
    struct mmio_insn m;

    if (abort_isv(t->iss)) {
        mmio_insn_from_syndrome(t->iss, &m);
    } else if (describe_unsyndromed(f, t, &m) != 0) {
        return false;   /* undecodable, or cache maintenance: the guest's fault */
    } else {
        /* decoded */
    }
    return ioreq_mmio_forward(v, f, t, &m);
}

void trap_dabt(struct vcpu *v, struct trap_frame *f, const struct trap_info *t)
{
    const struct mmio_region *r = domain_find_mmio(v->domain, t->gpa);

    if (r == NULL) {
        /* A server's range is never RAM: offered first, it spares the
         * look-up of every forwarded access. */
        if (!forward(v, f, t) && !fault_was_transient(v, t)) {
            log_bad_access(v, t, "data abort", "outside its RAM and devices");
            inject_dabt(v, f, t->far);
        }
        return;
    }
    if (abort_isv(t->iss)) {
        /* Nearly every access: the syndrome says it all. Its description
         * stays local to this path, so that it lives in registers. */
        struct mmio_insn s;

        mmio_insn_from_syndrome(t->iss, &s);
        if (emulate(v, f, t, r, &s) != 0) {
            refused(v, f, t);
            return;
        }
        advance_pc(f, t);
    } else {
        trap_dabt_unsyndromed(v, f, t, r);
    }
}

/* The fast path's share (trap_fast.c): an access with a syndrome to one
 * of our own device models, through a register entry.S saved there
 * (x0-x18, or XZR). t holds the syndrome, FAR and IPA. FAST_DABT_NO for
 * every other abort, before anything is done; FAST_DABT_DONE once
 * emulated (the caller steps the PC: the frame holds no ELR yet);
 * FAST_DABT_REFUSED when the device model refused it, which leaves the
 * data abort to the full path (trap_dabt_refused). */
enum fast_dabt trap_dabt_fast(struct vcpu *v, struct trap_frame *f, const struct trap_info *t)
{
    struct mmio_insn s;
    const struct mmio_region *r;
    bool unsaved;

    if (!abort_isv(t->iss)) {
        return FAST_DABT_NO;
    }
    mmio_insn_from_syndrome(t->iss, &s);
    /* x19-x28 are not in the frame yet: a store's value is out of reach,
     * a load's goes into the frame for entry.S to load (trap_fast.c). */
    unsaved = (s.rt > FAST_SAVED_LAST_REG) && (s.rt != 31U);
    if (unsaved && (s.write || (s.rt > FAST_LOADED_LAST_REG))) {
        return FAST_DABT_NO;
    }
    r = domain_find_mmio(v->domain, t->gpa);
    if (r == NULL) {
        return FAST_DABT_NO;
    }
    if (emulate(v, f, t, r, &s) != 0) {
        return FAST_DABT_REFUSED;
    }
    return unsaved ? FAST_DABT_LOADED : FAST_DABT_DONE;
}

void trap_dabt_refused(struct vcpu *v, struct trap_frame *f, const struct trap_info *t)
{
    refused(v, f, t);
}

/* An instruction fetch (or the stage-1 walk for one) that stage 2 does
 * not map: retried if the gap was transient, otherwise the guest gets a
 * prefetch abort, as on Xen 4.17, and its kernel decides. */
void trap_iabt(struct vcpu *v, struct trap_frame *f, const struct trap_info *t)
{
    if (fault_was_transient(v, t)) {
        return;
    }
    log_bad_access(v, t, "instruction abort", "outside its RAM");
    inject_iabt(v, f, t->far);
}
