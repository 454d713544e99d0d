/* Stage-2 data aborts: an access to an emulated device is decoded from the
 * syndrome and handed to the device model that registered the address.
 * Anything else (outside RAM and devices, or an access the syndrome cannot
 * describe) is the guest's fault: the domain is crashed, nothing else. */
#include <asm/mmio.h>
#include <asm/traps.h>
#include <proxenos/domain.h>

#define ISS_ISV     (1U << 24)
#define ISS_SSE     (1U << 21)
#define ISS_SF      (1U << 15)
#define ISS_WNR     (1U << 6)

/* v holds bytes * 8 significant bits: flip and subtract the sign bit. */
static uint64_t sign_extend(uint64_t v, unsigned int bytes)
{
    uint64_t sign = 1ULL << ((bytes * 8U) - 1U);

    return (v ^ sign) - sign;
}

void trap_dabt(struct vcpu *v, struct trap_frame *f, const struct trap_info *t)
{
    const struct mmio_region *r = domain_find_mmio(v->domain, t->gpa);
    struct mmio_access a;
    unsigned int rt = (t->iss >> 16) & 0x1fU;
    int rc;

    if (r == NULL) {
        domain_crash(v->domain, v, "data abort outside its RAM and devices");
        return;
    }
    if ((t->iss & ISS_ISV) == 0U) {
        domain_crash(v->domain, v, "device access the syndrome does not describe");
        return;
    }
    a.gpa = t->gpa;
    a.offset = t->gpa - r->base;
    a.size = 1U << ((t->iss >> 22) & 3U);
    a.write = (t->iss & ISS_WNR) != 0U;
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
            if (((t->iss & ISS_SSE) != 0U) && (a.size < 8U)) {
                val = sign_extend(val, a.size);
            }
            if ((t->iss & ISS_SF) == 0U) {
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

void trap_iabt(struct vcpu *v, struct trap_frame *f, const struct trap_info *t)
{
    (void)f;
    (void)t;
    domain_crash(v->domain, v, "instruction fetch outside its RAM");
}
