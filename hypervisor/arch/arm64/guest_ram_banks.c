/* arm64 guests' RAM banks: Xen 4.17's guest memory map (public/arch-arm.h),
 * 3 GiB at 1 GiB then 1016 GiB at 8 GiB, which guests and toolstacks made
 * for Xen expect. */
#include <proxenos/arch/guest_ram.h>
#include <public/arch-arm.h>

static const struct guest_ram_bank banks[GUEST_RAM_BANKS] = {
    { GUEST_RAM0_BASE, GUEST_RAM0_SIZE },
    { GUEST_RAM1_BASE, GUEST_RAM1_SIZE },
};

_Static_assert(GUEST_RAM_BANKS <= GUEST_RAM_MAX_BANKS, "guest RAM banks");

unsigned int arch_guest_ram_banks(const struct guest_ram_bank **out)
{
    *out = banks;
    return GUEST_RAM_BANKS;
}
