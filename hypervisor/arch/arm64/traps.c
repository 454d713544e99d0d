/* The one trap path: entry.S saves a frame and calls do_trap() with the
 * vector that was taken; this file picks the handler. */
#include <asm/arm64.h>
#include <asm/trap_frame.h>
#include <proxenos/printk.h>

void do_trap(struct trap_frame *f, unsigned int kind)
{
    switch (kind) {
    case TRAP_HYP_IRQ:
        gic_handle_irq();
        break;
    case TRAP_GUEST_IRQ:
        guest_trap(f, true);
        break;
    case TRAP_GUEST_SYNC:
        guest_trap(f, false);
        break;
    case TRAP_HYP_SYNC:
        crash_dump(f, "synchronous exception in the hypervisor");
        panic("unhandled synchronous exception at EL2");
    case TRAP_HYP_SERROR:
        crash_dump(f, "SError");
        panic("SError");
    case TRAP_GUEST_SERROR:
        guest_serror(f);
        break;
    default:
        crash_dump(f, "exception through an unused vector");
        panic("bad exception vector %u", kind);
    }
}
