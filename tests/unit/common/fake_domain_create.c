/* Domains built and killed for host tests: see fake_domain_create.h. */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include <proxenos/domain.h>
#include <proxenos/domain_create.h>
#include "fake_domain_create.h"
#include "fake_domains.h"

#define HANDLE_BYTES 16U

static struct domain made;
static struct vcpu made_vcpu;
static struct vcpu *made_vcpus[1];
static bool made_live;
static struct arch_vcpu *vcpu_arch;
static struct domain_create_args last_args;
static uint8_t last_handle[HANDLE_BYTES];
static unsigned int creates;
static unsigned int kills;
static int answer;

void fake_domain_create_reset(void)
{
    made_live = false;
    vcpu_arch = NULL;
    memset(&last_args, 0, sizeof(last_args));
    memset(last_handle, 0, sizeof(last_handle));
    creates = 0U;
    kills = 0U;
    answer = 0;
}

void fake_domain_create_fail(int rc)
{
    answer = rc;
}

void fake_domain_create_set_vcpu_arch(struct arch_vcpu *arch)
{
    vcpu_arch = arch;
}

unsigned int fake_domain_creates(void)
{
    return creates;
}

const struct domain_create_args *fake_domain_create_args(void)
{
    return &last_args;
}

const uint8_t *fake_domain_create_handle(void)
{
    return last_handle;
}

struct domain *fake_domain_created(void)
{
    return made_live ? &made : NULL;
}

void fake_domain_create_forget(void)
{
    creates = 0U;
    if (made_live) {
        fake_domain_unlist(&made);
        made_live = false;
    }
}

unsigned int fake_domain_kills(void)
{
    return kills;
}

__attribute__((weak)) int domain_create(domid_t id, const struct domain_create_args *args,
                                        struct domain **out)
{
    last_args = *args;
    memset(last_handle, 0, sizeof(last_handle));
    if (args->handle != NULL) {
        memcpy(last_handle, args->handle, sizeof(last_handle));
    }
    last_args.handle = NULL;
    last_args.name = NULL;
    if (answer != 0) {
        return answer;
    }
    memset(&made, 0, sizeof(made));
    memset(&made_vcpu, 0, sizeof(made_vcpu));
    made.domain_id = id;
    made.max_vcpus = 1U;
    made_vcpus[0] = &made_vcpu;
    made.vcpu = made_vcpus;
    made_vcpu.domain = &made;
    made_vcpu.state = VCPU_OFFLINE;
    made_vcpu.arch = vcpu_arch;
    made_live = true;
    creates++;
    fake_domain_list(&made);
    *out = &made;
    return 0;
}

__attribute__((weak)) int domain_kill(struct domain *d)
{
    kills++;
    d->dying = true;
    return 0;
}
