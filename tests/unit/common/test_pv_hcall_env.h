/* Shared set-up for the tests of the small hypercall families (included by
 * test_xen_version.c, test_console_io.c, test_sched_op.c, test_vcpu_op.c,
 * test_hvm_op.c, test_platform_op.c, test_physdev_op.c, test_multicall.c;
 * not built alone).
 *
 * Two hand-built domains: dom0 (id 0, privileged) and dom1 (a domU), two
 * vCPUs each (vCPU 0 running, vCPU 1 still offline). Each has ENV_PAGES of
 * fake guest RAM at GUEST_BASE, mapped one to one from guest virtual
 * addresses; a test writes hypercall arguments there through garg() and
 * calls a handler as a vCPU with as(). */
#ifndef TEST_PV_HCALL_ENV_H
#define TEST_PV_HCALL_ENV_H
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <proxenos/bootmem.h>
#include <proxenos/domain.h>
#include <proxenos/errno.h>
#include <proxenos/hypercall.h>
#include <proxenos/page_alloc.h>
#include <fake_arch.h>
#include "fake_domains.h"

#define RAM0        0x40000000ULL
#define RAM_SIZE    (8ULL << 20)
#define GUEST_BASE  0x80000000ULL
#define ENV_PAGES   8U
#define ENV_DOMS    2U
#define ENV_VCPUS   2U
#define GFN_OF(page) ((GUEST_BASE >> PAGE_SHIFT) + (page))

static struct domain doms[ENV_DOMS];
static struct vcpu vcpus[ENV_DOMS][ENV_VCPUS];
static struct vcpu *vcpu_ptrs[ENV_DOMS][ENV_VCPUS];
static uint8_t *gram[ENV_DOMS];     /* host view of each domain's guest RAM */

/* ---- What the code under test calls and the tests do not link ---------- */

/* The domain table is fake_domains.c's, every domain listed: env_setup
 * checks that the previous test gave every reference back. */

/* ---- Set-up -------------------------------------------------------------- */

static void env_setup(void)
{
    assert_int_equal(fake_domain_refs_total(), 0U);
    fake_domains_reset();
    fake_reset();
    fake_console_quiet(true);
    bootmem_reset();
    (void)fake_ram_alloc(RAM0, (size_t)RAM_SIZE);
    assert_int_equal(bootmem_add_ram(RAM0, RAM0 + RAM_SIZE), 0);
    assert_int_equal(page_alloc_init(), 0);
    memset(doms, 0, sizeof(doms));
    memset(vcpus, 0, sizeof(vcpus));
    for (unsigned int d = 0U; d < ENV_DOMS; d++) {
        mfn_t ram = alloc_pages(3U, ALLOC_ZERO);
        mfn_t si = alloc_pages(0U, ALLOC_ZERO);

        assert_false(mfn_eq(ram, INVALID_MFN));
        assert_false(mfn_eq(si, INVALID_MFN));
        gram[d] = arch_maddr_to_virt(mfn_to_paddr(ram));
        fake_guest_map(&doms[d], GUEST_BASE, mfn_to_paddr(ram), ENV_PAGES * PAGE_SIZE);
        doms[d].domain_id = (domid_t)d;
        (void)snprintf(doms[d].name, sizeof(doms[d].name), "dom%u", d);
        doms[d].state = DOMAIN_RUNNING;
        doms[d].is_privileged = (d == 0U);
        doms[d].direct_map = (d == 0U);
        doms[d].max_vcpus = ENV_VCPUS;
        doms[d].vcpu = vcpu_ptrs[d];
        doms[d].shared_info = arch_maddr_to_virt(mfn_to_paddr(si));
        doms[d].evtchn_irq = 31U;
        doms[d].next_in_list = (d + 1U < ENV_DOMS) ? &doms[d + 1U] : NULL;
        for (unsigned int i = 0U; i < ENV_VCPUS; i++) {
            struct vcpu *v = &vcpus[d][i];

            v->vcpu_id = i;
            v->domain = &doms[d];
            v->state = (i == 0U) ? VCPU_RUNNING : VCPU_OFFLINE;
            v->vcpu_info = (i == 0U) ? &doms[d].shared_info->vcpu_info[0] : &v->vcpu_info_dummy;
            vcpu_ptrs[d][i] = v;
        }
        fake_domain_list(&doms[d]);
    }
}

/* Make vCPU i of domain d the caller. */
static void as(unsigned int d, unsigned int i)
{
    fake_guest_set_vcpu(&vcpus[d][i]);
}

/* Host pointer to byte off of domain d's guest RAM. */
static void *garg(unsigned int d, uint64_t off)
{
    return gram[d] + off;
}

static inline long hc(long (*fn)(struct hcall_args *), uint64_t a0, uint64_t a1, uint64_t a2)
{
    struct hcall_args a = { { a0, a1, a2, 0U, 0U } };

    return fn(&a);
}

#endif
