/*
 * crash: a store to an IPA with nothing behind it (default 0x01000000,
 * in the unused 0-32 MiB hole of Xen's guest layout, below the virtio
 * window; bootargs addr=<hex> to pick another).
 *
 * Nothing may print "crash: survived the bad write". Two outcomes are
 * legitimate and both end the domain:
 *  - the hypervisor kills the domain on the stage-2 fault: the line
 *    before the store is the last one;
 *  - the hypervisor injects a data abort (what Xen 4.17 does): the guest
 *    prints "crash: data abort injected ..." and crashes itself with
 *    SCHEDOP_shutdown(SHUTDOWN_crash), as Linux does on a fatal fault,
 *    falling back to PSCI SYSTEM_OFF if that hypercall fails.
 * No GUEST DONE line in either case.
 */
#include "guest.h"
#include "mmio.h"

#define DEFAULT_BAD_IPA 0x01000000U

static uint64_t bad_ipa;

static bool abort_hook(struct exc_frame *f, uint64_t kind, uint64_t esr, uint64_t far)
{
    long rc;

    (void)f;
    if ((kind != EXC_SYNC_SPX) || (((esr >> ESR_EC_SHIFT) & 0x3fU) != ESR_EC_DABT_CUR)) {
        return false;   /* anything else is a real bug: let the library report it */
    }
    console_panic_mode();
    printf("crash: data abort injected: ESR 0x%lx FAR 0x%lx%s\n", esr, far,
           (far == bad_ipa) ? "" : " (not the bad address)");
    printf("crash: shutting down with SCHEDOP_shutdown(crash)\n");
    rc = xen_shutdown(SHUTDOWN_crash);
    printf("crash: SCHEDOP_shutdown returned %ld, powering off\n", rc);
    psci_system_off();
}

void guest_main(const struct platform *p)
{
    bad_ipa = bootarg_u64(p->bootargs, "addr", DEFAULT_BAD_IPA);
    exceptions_set_hook(abort_hook);
    printf("crash: writing to 0x%lx, outside RAM and devices\n", bad_ipa);
    mmio_write32((uintptr_t)bad_ipa, 0xdeadbeefU);
    printf("crash: survived the bad write\n");
    test_fail("crash", "the store to 0x%lx completed", bad_ipa);
}
