/*
 * reboot: prints "reboot: boot" and asks for PSCI SYSTEM_RESET, every
 * time it starts. A domain reboot rebuilds guest memory from the same
 * image and bootargs, so the guest cannot tell a first boot from a later
 * one: the system test counts the "reboot: boot" lines (two or more =
 * the domain came back) and stops the run. CNTPCT (the physical counter,
 * not reset with the domain) is printed so the log shows time passing
 * between boots. bootargs mode=off asks for SYSTEM_OFF instead (a
 * control run: exactly one boot line, then GUEST DONE).
 */
#include "guest.h"

void guest_main(const struct platform *p)
{
    char mode[8] = "reset";
    int32_t rc;

    (void)bootarg_get(p->bootargs, "mode", mode, sizeof(mode));
    printf("reboot: boot (CNTVCT 0x%lx CNTPCT 0x%lx)\n", timer_now(), timer_phys_now());
    if (strcmp(mode, "off") == 0) {
        test_pass("reboot_control");
        return;
    }
    printf("reboot: calling PSCI SYSTEM_RESET\n");
    rc = psci_system_reset();
    test_fail("reboot", "SYSTEM_RESET returned %s", psci_error_name(rc));
}
