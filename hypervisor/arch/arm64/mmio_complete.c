/* What a trapped load or store does to the guest's registers once the
 * device (ours, or a device model's through an IOREQ server) has done its
 * part: the loaded value into the destination register, the base register
 * of a post-indexed access. */
#include <asm/guest_sp.h>
#include <asm/mmio_decode.h>
#include <asm/trap_frame.h>

/* v holds bytes * 8 significant bits: flip and subtract the sign bit. */
static uint64_t sign_extend(uint64_t v, unsigned int bytes)
{
    uint64_t sign = 1ULL << ((bytes * 8U) - 1U);

    return (v ^ sign) - sign;
}

void mmio_set_loaded(struct trap_frame *f, const struct mmio_insn *m, uint64_t val)
{
    if (m->rt == 31U) {
        return;     /* XZR */
    }
    if (m->bytes < 8U) {
        val &= (1ULL << (m->bytes * 8U)) - 1U;
        if (m->sign_extend) {
            val = sign_extend(val, m->bytes);
        }
    }
    if (!m->rt64) {
        val &= 0xffffffffU;
    }
    f->x[m->rt] = val;
}

/* The base register update of a post-indexed access, once it is done. */
void mmio_write_back(struct trap_frame *f, const struct mmio_insn *m)
{
    if (m->rn == 31U) {
        enum guest_sp sp = guest_sp_in_use(f->spsr);

        guest_sp_set(sp, guest_sp_get(sp) + (uint64_t)m->offset);
    } else {
        f->x[m->rn] += (uint64_t)m->offset;
    }
}
