/* Guest accesses forwarded to IOREQ servers (common/ioreq/): the trapped
 * instruction is kept with the vCPU while it waits, and completed from
 * the answer when the vCPU next enters the guest. */
#ifndef ASM_IOREQ_MMIO_H
#define ASM_IOREQ_MMIO_H

#include <asm/mmio_decode.h>
#include <asm/traps.h>

/* The access m of the current vCPU v, which no emulator of ours claims:
 * true when a server took it (v waits, its PC still on the instruction),
 * false when none claims it. */
bool ioreq_mmio_forward(struct vcpu *v, struct trap_frame *f, const struct trap_info *t,
                        const struct mmio_insn *m);

/* On the way into v, whose registers are in f: finish its forwarded
 * access if the server has answered (load, base update, next PC). */
void ioreq_mmio_complete(struct vcpu *v, struct trap_frame *f);

#endif
