/* Fake domain, vCPU and context-switch hooks: see <fake_domain.h>. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <proxenos/printk.h>
#include <proxenos/arch/context.h>
#include <proxenos/arch/cpu.h>
#include <proxenos/arch/domain.h>
#include <public/arch-arm.h>
#include <public/domctl.h>
#include <fake_arch.h>
#include <fake_domain.h>
#include <fake_p2m.h>
#include "fake_internal.h"

/* The scheduler's, when the test links it (weak reference: a test without
 * the scheduler leaves it NULL). */
extern void sched_context_saved(struct vcpu *v) __attribute__((weak));

#define FAKE_CONTEXTS 16U

struct fake_failure {
    unsigned int countdown;     /* 0: none armed */
    int rc;
};

struct saved_context {
    const struct vcpu *v;
    struct vcpu_guest_context ctxt;
};

static unsigned int calls[FAKE_HOOK_COUNT];
static const void *last[FAKE_HOOK_COUNT];
static struct fake_failure failures[FAKE_HOOK_COUNT];
static struct fake_switch switches[FAKE_SWITCH_LOG];
static void (*switch_hook)(struct vcpu *prev, struct vcpu *next);
static unsigned int nr_spis = FAKE_DEFAULT_NR_SPIS;
static struct vcpu *entry_vcpu;
static uint64_t entry_pc, entry_x0;
static struct saved_context contexts[FAKE_CONTEXTS];

void fake_domain_reset(void)
{
    memset(calls, 0, sizeof(calls));
    memset(last, 0, sizeof(last));
    memset(failures, 0, sizeof(failures));
    memset(switches, 0, sizeof(switches));
    switch_hook = NULL;
    nr_spis = FAKE_DEFAULT_NR_SPIS;
    entry_vcpu = NULL;
    entry_pc = 0U;
    entry_x0 = 0U;
    memset(contexts, 0, sizeof(contexts));
}

/* Count a call about obj; the rc an armed failure asks for, else 0. */
static int called(enum fake_hook hook, const void *obj)
{
    struct fake_failure *f = &failures[hook];

    calls[hook]++;
    last[hook] = obj;
    if (f->countdown == 0U) {
        return 0;
    }
    f->countdown--;
    return (f->countdown == 0U) ? f->rc : 0;
}

unsigned int fake_hook_calls(enum fake_hook hook)
{
    return calls[hook];
}

void fake_hook_fail(enum fake_hook hook, unsigned int nth, int rc)
{
    failures[hook] = (struct fake_failure){ (rc != 0) ? nth : 0U, rc };
}

const void *fake_hook_last(enum fake_hook hook)
{
    return last[hook];
}

const struct fake_switch *fake_switch(unsigned int i)
{
    return (i < FAKE_SWITCH_LOG) ? &switches[i] : NULL;
}

void fake_set_switch_hook(void (*fn)(struct vcpu *prev, struct vcpu *next))
{
    switch_hook = fn;
}

void fake_set_default_nr_spis(unsigned int n)
{
    nr_spis = n;
}

void fake_vcpu_entry(struct vcpu **v, uint64_t *pc, uint64_t *x0)
{
    if (v != NULL) {
        *v = entry_vcpu;
    }
    if (pc != NULL) {
        *pc = entry_pc;
    }
    if (x0 != NULL) {
        *x0 = entry_x0;
    }
}

__attribute__((weak)) int arch_domain_create(struct domain *d,
                                             const struct domain_create_args *args)
{
    (void)args;
    return called(FAKE_ARCH_DOMAIN_CREATE, d);
}

__attribute__((weak)) void arch_domain_destroy(struct domain *d)
{
    (void)called(FAKE_ARCH_DOMAIN_DESTROY, d);
    /* Its stage 2 goes with it, as the real one's p2m_destroy. */
    fake_p2m_forget_domain(d);
}

__attribute__((weak)) int arch_vcpu_create(struct vcpu *v)
{
    return called(FAKE_ARCH_VCPU_CREATE, v);
}

__attribute__((weak)) void arch_vcpu_destroy(struct vcpu *v)
{
    (void)called(FAKE_ARCH_VCPU_DESTROY, v);
}

__attribute__((weak)) void arch_context_switch(struct vcpu *prev, struct vcpu *next)
{
    unsigned int n = calls[FAKE_ARCH_CONTEXT_SWITCH];

    (void)called(FAKE_ARCH_CONTEXT_SWITCH, next);
    if (n < FAKE_SWITCH_LOG) {
        switches[n] = (struct fake_switch){ arch_cpu_id(), prev, next };
    }
    /* The hook first: it may want to see prev still on its CPU. */
    if (switch_hook != NULL) {
        switch_hook(prev, next);
    }
    if ((prev != NULL) && (sched_context_saved != NULL)) {
        sched_context_saved(prev);
    }
}

__attribute__((weak)) void arch_dump_guest_state(struct vcpu *v)
{
    (void)called(FAKE_ARCH_DUMP_GUEST_STATE, v);
    printk(LOG_INFO, "fake arch: guest state of vCPU %p\n", (void *)v);
}

__attribute__((weak)) void arch_domain_flush_console(struct domain *d)
{
    (void)called(FAKE_ARCH_DOMAIN_FLUSH_CONSOLE, d);
}

__attribute__((weak)) unsigned int arch_default_nr_spis(void)
{
    (void)called(FAKE_ARCH_DEFAULT_NR_SPIS, NULL);
    return nr_spis;
}

__attribute__((weak)) void arch_vcpu_set_entry(struct vcpu *v, uint64_t pc, uint64_t x0)
{
    (void)called(FAKE_ARCH_VCPU_SET_ENTRY, v);
    entry_vcpu = v;
    entry_pc = pc;
    entry_x0 = x0;
}

__attribute__((weak)) void arch_vcpu_moved(struct vcpu *v)
{
    (void)called(FAKE_ARCH_VCPU_MOVED, v);
}

__attribute__((weak)) void arch_dump_domain(const struct domain *d)
{
    (void)called(FAKE_ARCH_DUMP_DOMAIN, d);
    printk(LOG_INFO, "fake arch: state of domain %p\n", (const void *)d);
}

__attribute__((weak)) void arch_domain_creation_finished(struct domain *d)
{
    (void)called(FAKE_ARCH_DOMAIN_CREATION_FINISHED, d);
}

/* createdomain's architecture checks: the host fake has no requirement of
 * its own and takes every configuration; nothing is read back. */
__attribute__((weak)) long arch_domctl_check_config(struct xen_domctl_createdomain *cfg,
                                                    struct domain_create_args *a)
{
    (void)cfg;
    (void)a;
    return 0;
}

__attribute__((weak)) void arch_domctl_config_created(struct xen_domctl_createdomain *cfg)
{
    (void)cfg;
}

/* v's slot, a free one when create (NULL when there is none). */
static struct saved_context *context_of(const struct vcpu *v, bool create)
{
    for (unsigned int i = 0U; i < FAKE_CONTEXTS; i++) {
        if (contexts[i].v == v) {
            return &contexts[i];
        }
    }
    for (unsigned int i = 0U; create && (i < FAKE_CONTEXTS); i++) {
        if (contexts[i].v == NULL) {
            contexts[i].v = v;
            return &contexts[i];
        }
    }
    if (create) {
        fprintf(stderr, "fake_domain: more than %u vCPUs have a context\n", FAKE_CONTEXTS);
        abort();
    }
    return NULL;
}

__attribute__((weak)) int arch_vcpu_set_context(struct vcpu *v,
                                                const struct vcpu_guest_context *ctxt)
{
    int rc = called(FAKE_ARCH_VCPU_SET_CONTEXT, v);

    if (rc == 0) {
        context_of(v, true)->ctxt = *ctxt;
    }
    return rc;
}

__attribute__((weak)) void arch_vcpu_get_context(struct vcpu *v, struct vcpu_guest_context *ctxt)
{
    const struct saved_context *s = context_of(v, false);

    (void)called(FAKE_ARCH_VCPU_GET_CONTEXT, v);
    if (s != NULL) {
        *ctxt = s->ctxt;
    } else {
        memset(ctxt, 0, sizeof(*ctxt));
    }
}

__attribute__((weak)) void arch_vcpu_reset_context(struct vcpu *v)
{
    struct saved_context *s = context_of(v, false);

    (void)called(FAKE_ARCH_VCPU_RESET_CONTEXT, v);
    if (s != NULL) {
        memset(&s->ctxt, 0, sizeof(s->ctxt));
    }
}
