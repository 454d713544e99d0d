/* Stand-ins for the domain and vCPU hooks of <proxenos/arch/domain.h> and
 * <proxenos/arch/context.h> that the other fakes leave out (the stage-2
 * ones are in <fake_p2m.h>, arch_vuart_init in <fake_vuart.h>).
 *
 * Each hook does what is left of its job on a host: it counts the call,
 * remembers its arguments where a test may want them, and returns 0 unless
 * a test asked for a failure (fake_hook_fail). In detail:
 *
 *   arch_context_switch   logs (cpu, prev, next) and, as the real one does
 *                         once prev's registers are saved, calls the
 *                         scheduler's sched_context_saved(prev) when the
 *                         test links the scheduler; then calls the test's
 *                         hook, if any. It always returns (the real one
 *                         does not when idle is one side).
 *   arch_vcpu_set_context keeps a copy of the context per vCPU, which
 *                         arch_vcpu_get_context hands back (zeroes for a
 *                         vCPU never set or reset since); get sets no flags.
 *   arch_default_nr_spis  FAKE_DEFAULT_NR_SPIS unless a test sets another.
 *   arch_vcpu_set_entry   remembers the last (vCPU, pc, x0).
 *   arch_domain_create,   count, and allocate nothing: d->arch and v->arch
 *   arch_vcpu_create      stay as they were (NULL in a zeroed struct), as
 *                         common code only carries them. A test that runs
 *                         real arm64 code on its domains points them at
 *                         a struct arch_domain / arch_vcpu of its own.
 *   the rest              count only (the dump hooks print one line each,
 *                         so that a test can find it in fake_log()).
 *
 * All are weak: a test that links the real arm64 code, or that must look
 * closer than this, gets its own. fake_reset() forgets everything here.
 */
#ifndef FAKE_DOMAIN_H
#define FAKE_DOMAIN_H

#include <stdint.h>

struct domain;
struct vcpu;

/* The hooks faked here, to name one in the calls below. */
enum fake_hook {
    FAKE_ARCH_DOMAIN_CREATE,
    FAKE_ARCH_DOMAIN_DESTROY,
    FAKE_ARCH_VCPU_CREATE,
    FAKE_ARCH_VCPU_DESTROY,
    FAKE_ARCH_CONTEXT_SWITCH,
    FAKE_ARCH_DUMP_GUEST_STATE,
    FAKE_ARCH_DOMAIN_FLUSH_CONSOLE,
    FAKE_ARCH_DEFAULT_NR_SPIS,
    FAKE_ARCH_VCPU_SET_ENTRY,
    FAKE_ARCH_VCPU_MOVED,
    FAKE_ARCH_DUMP_DOMAIN,
    FAKE_ARCH_DOMAIN_CREATION_FINISHED,
    FAKE_ARCH_VCPU_SET_CONTEXT,
    FAKE_ARCH_VCPU_GET_CONTEXT,
    FAKE_ARCH_VCPU_RESET_CONTEXT,
    FAKE_HOOK_COUNT
};

/* How many times hook ran since fake_reset(). */
unsigned int fake_hook_calls(enum fake_hook hook);
/* Make the nth call of hook from now on (1: the next one) fail with rc, a
 * negative error code; 0 cancels. Only hooks that return an int can fail
 * (create, vcpu_create, set_context); the others ignore it. */
void fake_hook_fail(enum fake_hook hook, unsigned int nth, int rc);
/* The domain or vCPU the last call of hook was about (NULL if none). */
const void *fake_hook_last(enum fake_hook hook);

/* ---- arch_context_switch --------------------------------------------- */

struct fake_switch {
    unsigned int cpu;       /* arch_cpu_id() at the call */
    struct vcpu *prev;
    struct vcpu *next;
};
#define FAKE_SWITCH_LOG 8192U
/* The ith switch since fake_reset() (i < FAKE_SWITCH_LOG; older ones are
 * kept, later ones only counted). */
const struct fake_switch *fake_switch(unsigned int i);
/* Called at the end of each arch_context_switch (NULL: none). */
void fake_set_switch_hook(void (*fn)(struct vcpu *prev, struct vcpu *next));

/* ---- the rest ------------------------------------------------------------ */

#define FAKE_DEFAULT_NR_SPIS 256U   /* QEMU virt's GICv3: 288 lines, 32 private */
void fake_set_default_nr_spis(unsigned int n);
/* The last arch_vcpu_set_entry's arguments (pointers may be NULL). */
void fake_vcpu_entry(struct vcpu **v, uint64_t *pc, uint64_t *x0);

#endif
