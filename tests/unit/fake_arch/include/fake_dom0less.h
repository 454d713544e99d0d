/* Stand-ins for the dom0less hooks of <proxenos/arch/dom0less.h>
 * (fake_dom0less.c):
 *
 *   arch_dom0less_parse        counted; reads nothing, gives no arch
 *                              record (NULL) and accepts the node, unless a
 *                              test set a reason to refuse it.
 *   arch_dom0less_create_args  adds nothing.
 *   arch_dom0less_fdt_config   NULL: the architecture's defaults.
 *   arch_dom0less_built_note   "" unless a test set a note, so that a test
 *                              can see where the architecture's part of
 *                              the "built" line goes.
 *   arch_dom0less_virtio_window  Arm's (0x2000000, 1 MiB, INTIDs 33..43).
 *
 * All weak: a test of the arm64 hooks links the real ones. fake_reset()
 * restores the defaults and clears the count. */
#ifndef FAKE_DOM0LESS_H
#define FAKE_DOM0LESS_H

/* What arch_dom0less_parse answers from now on (NULL: the node is fine).
 * The string must outlive its use. */
void fake_dom0less_set_parse_error(const char *why);
/* arch_dom0less_parse calls since the reset. */
unsigned int fake_dom0less_parses(void);
/* What arch_dom0less_built_note answers from now on. */
void fake_dom0less_set_built_note(const char *note);

#endif
