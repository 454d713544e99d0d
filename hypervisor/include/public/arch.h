/* The architecture's half of the guest ABI, chosen in this one place: the
 * other public headers include this, never an arch-*.h header by name.
 *
 * The choice follows the compiler's target, as Xen's public headers choose
 * theirs (xen.h: __aarch64__ or __arm__ -> arch-arm.h). A build whose
 * compiler targets something else says which guest ABI it means: the host
 * unit tests and the fuzz harness run on x86_64 and test the Arm ABI, so
 * their builds define XEN_GUEST_ABI_ARM (tests/unit/unit.mk,
 * tests/fuzz/fuzz.mk). With neither, there is no ABI to take: an error
 * rather than a silent guess. An x86 port adds its own branch here.
 *
 * Self-contained: usable from C and from assembly.
 */
#ifndef PUBLIC_ARCH_H
#define PUBLIC_ARCH_H

#if defined(XEN_GUEST_ABI_ARM) || defined(__aarch64__) || defined(__arm__)
#include <public/arch-arm.h>
#else
#error "public/arch.h: no guest ABI for this target (define XEN_GUEST_ABI_ARM for Arm's)"
#endif

#endif
