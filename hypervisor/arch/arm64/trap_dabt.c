/* Stage-2 data aborts: an access to an emulated device is decoded from the
 * syndrome and handed to the device model that registered the address.
 * An access outside RAM and devices gets a data abort injected, as Xen
 * 4.17 does: the guest's kernel decides (Linux kills the process that
 * touched it, or oopses), so one bad access in dom0's user space does not
 * take dom0 down. An instruction fetch outside RAM gets a prefetch abort
 * the same way. A device access the syndrome cannot describe crashes
 * the domain. Either way nothing else is touched. */
#include <asm/domain.h>
#include <asm/esr.h>
#include <asm/mmio.h>
#include <asm/p2m.h>
#include <asm/traps.h>
#include <proxenos/domain.h>
#include <proxenos/printk.h>

/* Lines logged per domain about aborts outside RAM and devices: a guest
 * that loops on them must not flood the console. */
#define ABORT_LOG_LIMIT 8U

/* v holds bytes * 8 significant bits: flip and subtract the sign bit. */
static uint64_t sign_extend(uint64_t v, unsigned int bytes)
{
    uint64_t sign = 1ULL << ((bytes * 8U) - 1U);

    return (v ^ sign) - sign;
}

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
                           const char *outside)
{
    uint32_t n = __atomic_fetch_add(&v->domain->arch->aborts_logged, 1U, __ATOMIC_RELAXED);

    if (n < ABORT_LOG_LIMIT) {
        pr_warn("d%uv%u: %s at IPA %#llx (VA %#llx) outside its %s: injected%s\n",
                v->domain->domain_id, v->vcpu_id, what, (unsigned long long)t->gpa,
                (unsigned long long)t->far, outside,
                ((n + 1U) == ABORT_LOG_LIMIT) ? " (no more such lines)" : "");
    } else {
        /* counted only; the counter stops short of wrapping */
        __atomic_store_n(&v->domain->arch->aborts_logged, ABORT_LOG_LIMIT, __ATOMIC_RELAXED);
    }
}

void trap_dabt(struct vcpu *v, struct trap_frame *f, const struct trap_info *t)
{
    const struct mmio_region *r = domain_find_mmio(v->domain, t->gpa);
    struct mmio_access a;
    unsigned int rt = abort_reg(t->iss);
    int rc;

    if (r == NULL) {
        if (!fault_was_transient(v, t)) {
            log_bad_access(v, t, "data abort", "RAM and devices");
            inject_dabt(v, f, t->far);
        }
        return;
    }
    if (!abort_isv(t->iss)) {
        domain_crash(v->domain, v, "device access the syndrome does not describe");
        return;
    }
    a.gpa = t->gpa;
    a.offset = t->gpa - r->base;
    a.size = abort_access_bytes(t->iss);
    a.write = abort_write(t->iss);
    if (a.write) {
        uint64_t val = (rt == 31U) ? 0U : f->x[rt];

        if (a.size < 8U) {
            val &= (1ULL << (a.size * 8U)) - 1U;
        }
        rc = r->ops->write(v, &a, val, r->priv);
    } else {
        uint64_t val = 0U;

        rc = r->ops->read(v, &a, &val, r->priv);
        if ((rc == 0) && (rt != 31U)) {
            if (abort_sign_extend(t->iss) && (a.size < 8U)) {
                val = sign_extend(val, a.size);
            }
            if (!abort_reg64(t->iss)) {
                val &= 0xffffffffU;
            }
            f->x[rt] = val;
        }
    }
    if (rc != 0) {
        inject_dabt(v, f, t->far);
        return;
    }
    advance_pc(f, t);
}

/* An instruction fetch (or the stage-1 walk for one) that stage 2 does
 * not map: retried if the gap was transient, otherwise the guest gets a
 * prefetch abort, as on Xen 4.17, and its kernel decides. */
void trap_iabt(struct vcpu *v, struct trap_frame *f, const struct trap_info *t)
{
    if (fault_was_transient(v, t)) {
        return;
    }
    log_bad_access(v, t, "instruction abort", "RAM");
    inject_iabt(v, f, t->far);
}
