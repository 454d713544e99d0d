/* Stand-ins for the device-tree hooks of <proxenos/arch/domain_fdt.h>: the
 * architecture's check of a domU tree's configuration and its nodes in the
 * two places the common writer leaves for them.
 *
 *   arch_domain_fdt_config_ok  counted; answers true unless a test set
 *                              false.
 *   arch_domain_fdt_nodes      counted per slot; writes nothing, or calls
 *                              the writer a test gave (with the hook's
 *                              arguments, answering for it), so that a
 *                              test of the common writer can mark the
 *                              places (the fake arch links no writer of
 *                              its own).
 *   arch_domu_direct_ext_regions  none.
 *   arch_domu_grant_window     Arm's (0x38000000, 16 MiB).
 *   arch_domu_ext_regions      none; arch_guest_ram_banks two banks in
 *                              Arm's layout (fake_domain_fdt.c).
 *
 * All weak: a test that pins the whole tree links the real arm64 writers.
 * fake_reset() restores the defaults and clears the counts. */
#ifndef FAKE_DOMAIN_FDT_H
#define FAKE_DOMAIN_FDT_H

#include <stdbool.h>
#include <proxenos/arch/domain_fdt.h>

/* What arch_domain_fdt_config_ok answers from now on. */
void fake_domain_fdt_set_config_ok(bool ok);
/* arch_domain_fdt_config_ok calls since the reset. */
unsigned int fake_domain_fdt_checks(void);

typedef int (*fake_domain_fdt_writer)(struct fdt_writer *w, const struct domain_fdt_config *cfg,
                                      enum arch_domain_fdt_slot slot);
/* What arch_domain_fdt_nodes calls (NULL: nothing, answering 0). */
void fake_domain_fdt_set_writer(fake_domain_fdt_writer fn);
/* arch_domain_fdt_nodes calls about slot since the reset. */
unsigned int fake_domain_fdt_slot_calls(enum arch_domain_fdt_slot slot);

#endif
