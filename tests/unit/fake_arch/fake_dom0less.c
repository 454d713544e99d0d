/* A dom0less domain on the host: the architecture reads nothing of its
 * node and adds nothing to its creation arguments or device tree unless a
 * test says so: see fake_dom0less.h. Weak, so a test of the arm64 hooks
 * links the real ones. */
#include <stddef.h>

#include <proxenos/arch/dom0less.h>
#include <proxenos/dom0less_virtio.h>
#include "fake_dom0less.h"
#include "fake_internal.h"

static const char *parse_error;
static unsigned int parses;
static const char *built_note = "";

void fake_dom0less_reset(void)
{
    parse_error = NULL;
    parses = 0U;
    built_note = "";
}

void fake_dom0less_set_parse_error(const char *why)
{
    parse_error = why;
}

unsigned int fake_dom0less_parses(void)
{
    return parses;
}

void fake_dom0less_set_built_note(const char *note)
{
    built_note = note;
}

__attribute__((weak)) const char *arch_dom0less_parse(const struct fdt *fdt, int node,
                                                      unsigned int slot,
                                                      const struct arch_dom0less_config **out)
{
    (void)fdt;
    (void)node;
    (void)slot;
    parses++;
    *out = NULL;
    return parse_error;
}

__attribute__((weak)) void arch_dom0less_create_args(const struct dom0less_config *c,
                                                     struct domain_create_args *a)
{
    (void)c;
    (void)a;
}

__attribute__((weak)) const struct arch_domain_fdt_config *
arch_dom0less_fdt_config(const struct boot_info *bi, const struct dom0less_config *c,
                         const struct domain *d)
{
    (void)bi;
    (void)c;
    (void)d;
    return NULL;
}

__attribute__((weak)) const char *arch_dom0less_built_note(const struct dom0less_config *c)
{
    (void)c;
    return built_note;
}

/* Arm's virtio-mmio window and SPIs, as the real hook answers. */
__attribute__((weak)) void arch_dom0less_virtio_window(struct dom0less_virtio_window *win)
{
    win->base = 0x02000000ULL;
    win->size = 0x00100000ULL;
    win->first_intid = 33U;
    win->last_intid = 43U;
}
