/* The Arm part of a dom0less domain's configuration (arch/arm64/
 * dom0less_guest.c): what a xen,domain node says that only Arm reads. */
#ifndef ASM_DOM0LESS_GUEST_H
#define ASM_DOM0LESS_GUEST_H

#include <proxenos/types.h>

/* struct dom0less_config's arch, read once by arch_dom0less_parse(). */
struct arch_dom0less_config {
    bool vpl011;                /* "vpl011": an emulated SBSA UART */
    unsigned int nr_spis;       /* "nr_spis": the vGIC's SPIs; 0: as the host */
};

#endif
