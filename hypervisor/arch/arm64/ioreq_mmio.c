/* Guest accesses forwarded to IOREQ servers, on Arm: an access with a
 * syndrome (or one decoded from the instruction) that no emulator of ours
 * claims is offered to the domain's servers. The vCPU then waits off its
 * CPU, its PC still on the load or store; when it next enters the guest
 * with the answer taken, the instruction is completed as Xen 4.17 does
 * (arch/arm/ioreq.c handle_ioserv): the loaded value extended as the
 * instruction says, the base register of a post-indexed access updated,
 * the PC moved past it. */
#include <asm/domain.h>
#include <asm/ioreq_mmio.h>
#include <proxenos/domain.h>
#include <proxenos/ioreq.h>

bool ioreq_mmio_forward(struct vcpu *v, struct trap_frame *f, const struct trap_info *t,
                        const struct mmio_insn *m)
{
    struct ioreq_access a = {
        .gpa = t->gpa,
        .data = 0U,
        .size = m->bytes,
        .write = m->write,
    };
    enum ioreq_forward_result res;

    if (m->write && (m->rt != 31U)) {
        a.data = f->x[m->rt];
        if (a.size < 8U) {
            a.data &= (1ULL << (a.size * 8U)) - 1U;
        }
    }
    /* Kept before the request goes out: the answer may come at once. */
    v->arch->io_insn = *m;
    v->arch->io_il32 = t->il32;
    res = ioreq_forward(v, &a);
    return res == IOREQ_SENT;
}

void ioreq_mmio_complete(struct vcpu *v, struct trap_frame *f)
{
    const struct mmio_insn *m = &v->arch->io_insn;
    uint64_t data;

    if ((v->domain->ioreq == NULL) || !ioreq_take_answer(v, &data)) {
        return;
    }
    if (!m->write) {
        mmio_set_loaded(f, m, data);
    }
    if (m->writeback) {
        mmio_write_back(f, m);
    }
    f->elr += v->arch->io_il32 ? 4U : 2U;
}
