/* Stage-2 aborts from a guest (arch/arm64/trap_dabt.c) on a real stage 2
 * (p2m.c): a translation fault on an IPA that is mapped by the time the
 * handler looks (another CPU was splitting the block that maps it) is
 * retried with nothing injected and the PC left alone, for data accesses,
 * stage-1 table walks and instruction fetches alike; a missing page gets
 * a data or prefetch abort; a permission fault on a mapped page is the
 * guest's and gets one too; emulated device accesses reach their device
 * and step the PC; and the log of bad accesses is bounded per domain. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <asm/domain.h>
#include <asm/mmio.h>
#include <asm/p2m.h>
#include <asm/traps.h>
#include <proxenos/bootmem.h>
#include <proxenos/domain.h>
#include <proxenos/lib.h>
#include <proxenos/page_alloc.h>
#include <fake_arch.h>
#include "fake_inject.h"
#include "fake_shutdown.h"

#define RAM0        0x40000000ULL
#define RAM_SIZE    MiB(16)
#define GUEST_RAM   0x40000000ULL   /* IPA of the guest's RAM */
#define GUEST_PAGES 1024ULL         /* 4 MiB: two 2 MiB blocks */
#define HOLE        0x50000000ULL   /* IPA nothing maps */
#define DEVICE      0x09000000ULL   /* an emulated device's IPA */

#define EC_DABT     0x24U
#define EC_IABT     0x20U
#define FSC_TRANS_L3    0x07U
#define FSC_TRANS_L2    0x06U
#define FSC_PERM_L3     0x0fU
#define ISS_S1PTW       (1U << 7)
#define ISS_ISV         (1U << 24)
#define ISS_WNR         (1U << 6)

static uint64_t device_reg;

static int dev_read(struct vcpu *v, const struct mmio_access *a, uint64_t *val, void *priv)
{
    (void)v;
    (void)priv;
    *val = device_reg + a->offset;
    return 0;
}

static int dev_write(struct vcpu *v, const struct mmio_access *a, uint64_t val, void *priv)
{
    (void)v;
    (void)a;
    (void)priv;
    device_reg = val;
    return 0;
}

static const struct mmio_ops dev_ops = { .read = dev_read, .write = dev_write };

/* ---- Set-up --------------------------------------------------------------- */

static struct domain dom;
static struct arch_domain arch_dom;  /* arch_domain_create's, given here */
static struct vcpu vcpu;
static struct trap_frame frame;

static int setup(void **state)
{
    (void)state;
    fake_reset();
    fake_console_quiet(true);
    bootmem_reset();
    (void)fake_ram_alloc(RAM0, (size_t)RAM_SIZE);
    assert_int_equal(bootmem_add_ram(RAM0, RAM0 + RAM_SIZE), 0);
    assert_int_equal(page_alloc_init(), 0);
    vmid_init(8U);
    assert_int_equal(p2m_configure(PARANGE_40), 0);
    memset(&dom, 0, sizeof(dom));
    memset(&arch_dom, 0, sizeof(arch_dom));
    memset(&vcpu, 0, sizeof(vcpu));
    memset(&frame, 0, sizeof(frame));
    fake_inject_reset();
    fake_shutdown_reset();
    dom.domain_id = 3U;
    dom.arch = &arch_dom;
    vcpu.domain = &dom;
    assert_int_equal(p2m_init(&dom.arch->p2m, 16U), 0);
    /* Guest RAM in 2 MiB blocks, as a domain's RAM is mapped. */
    assert_int_equal(p2m_map(&dom.arch->p2m, gfn(GUEST_RAM >> PAGE_SHIFT),
                             mfn(RAM0 >> PAGE_SHIFT), GUEST_PAGES, P2M_RAM_RW), 0);
    assert_int_equal(domain_register_mmio(&dom, DEVICE, 0x1000U, &dev_ops, NULL), 0);
    frame.elr = 0xffff000000100000ULL;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    p2m_destroy(&dom.arch->p2m);
    return 0;
}

/* Injections are recorded by fake_inject.c: the fault address the last
 * injected abort reported, checked to be for the vCPU that took it. */
static uint64_t injected_at(void)
{
    struct vcpu *v;
    uint64_t addr;

    fake_last_injection(&v, &addr);
    assert_ptr_equal(v, &vcpu);
    return addr;
}

static struct trap_info abort_at(unsigned int ec, paddr_t gpa, uint32_t iss)
{
    struct trap_info t = {
        .ec = ec,
        .iss = iss,
        .il32 = true,
        .far = 0xffff800000000000ULL | gpa,
        .gpa = gpa,
    };

    t.esr = ((uint64_t)ec << 26) | (1ULL << 25) | iss;
    return t;
}

static void expect_retried(void)
{
    assert_int_equal(fake_injections(FAKE_INJECT_DABT), 0);
    assert_int_equal(fake_injections(FAKE_INJECT_IABT), 0);
    assert_int_equal(fake_crashes(NULL, NULL, NULL), 0);
    assert_int_equal(frame.elr, 0xffff000000100000ULL);
    assert_false(fake_log_contains("injected"));
}

/* ---- Tests ---------------------------------------------------------------- */

/* The walk missed an entry that the lookup finds: a concurrent change. */
static void test_translation_fault_on_mapped_ram_is_retried(void **state)
{
    struct trap_info t = abort_at(EC_DABT, GUEST_RAM + 0x1234U, FSC_TRANS_L3 | ISS_WNR);

    (void)state;
    trap_dabt(&vcpu, &frame, &t);
    expect_retried();
}

/* A stage-1 table walk that missed, and an instruction fetch. */
static void test_walk_and_fetch_on_mapped_ram_are_retried(void **state)
{
    struct trap_info walk = abort_at(EC_DABT, GUEST_RAM + 0x200000U, FSC_TRANS_L2 | ISS_S1PTW);
    struct trap_info fetch = abort_at(EC_IABT, GUEST_RAM + 0x3ff000U, FSC_TRANS_L3);

    (void)state;
    trap_dabt(&vcpu, &frame, &walk);
    trap_iabt(&vcpu, &frame, &fetch);
    expect_retried();
}

/* A page split out of a block and unmapped is a real hole: the retry
 * only covers pages the lookup finds. */
static void test_unmapped_page_in_split_block_gets_data_abort(void **state)
{
    paddr_t gone = GUEST_RAM + 0x5000U;
    struct trap_info t = abort_at(EC_DABT, gone, FSC_TRANS_L3);
    struct trap_info next = abort_at(EC_DABT, gone + PAGE_SIZE, FSC_TRANS_L3);

    (void)state;
    assert_int_equal(p2m_unmap(&dom.arch->p2m, gfn(gone >> PAGE_SHIFT), 1U), 0);
    trap_dabt(&vcpu, &frame, &t);
    assert_int_equal(fake_injections(FAKE_INJECT_DABT), 1);
    assert_int_equal(injected_at(), t.far);
    assert_true(fake_log_contains("d3v0: data abort at IPA 0x40005000"));
    trap_dabt(&vcpu, &frame, &next);
    assert_int_equal(fake_injections(FAKE_INJECT_DABT), 1);
    assert_int_equal(fake_crashes(NULL, NULL, NULL), 0);
}

static void test_fetch_outside_ram_gets_prefetch_abort(void **state)
{
    struct trap_info t = abort_at(EC_IABT, HOLE, FSC_TRANS_L3);

    (void)state;
    trap_iabt(&vcpu, &frame, &t);
    assert_int_equal(fake_injections(FAKE_INJECT_IABT), 1);
    assert_int_equal(fake_injections(FAKE_INJECT_DABT), 0);
    assert_int_equal(fake_crashes(NULL, NULL, NULL), 0);
    assert_int_equal(injected_at(), t.far);
    assert_true(fake_log_contains("d3v0: instruction abort at IPA 0x50000000"));
}

/* Writing a read-only page: mapped, but the fault is the guest's. */
static void test_permission_fault_on_mapped_page_is_injected(void **state)
{
    paddr_t ro = GUEST_RAM + 0x7000U;
    struct trap_info t = abort_at(EC_DABT, ro, FSC_PERM_L3 | ISS_WNR);

    (void)state;
    assert_int_equal(p2m_map(&dom.arch->p2m, gfn(ro >> PAGE_SHIFT), mfn((RAM0 + 0x7000U) >> PAGE_SHIFT),
                             1U, P2M_RAM_RO), 0);
    trap_dabt(&vcpu, &frame, &t);
    assert_int_equal(fake_injections(FAKE_INJECT_DABT), 1);
    assert_int_equal(frame.elr, 0xffff000000100000ULL);
}

static void test_device_access_reaches_device_and_steps_pc(void **state)
{
    /* ldr w3, [x?]: ISV, 4 bytes (SAS 2), Rt 3. */
    struct trap_info rd = abort_at(EC_DABT, DEVICE + 8U, ISS_ISV | (2U << 22) | (3U << 16) |
                                                         FSC_TRANS_L3);
    struct trap_info wr = abort_at(EC_DABT, DEVICE, ISS_ISV | (3U << 22) | (4U << 16) | ISS_WNR |
                                                    FSC_TRANS_L3);

    (void)state;
    frame.x[4] = 0x1122334455667788ULL;
    trap_dabt(&vcpu, &frame, &wr);
    assert_int_equal(device_reg, 0x1122334455667788ULL);
    trap_dabt(&vcpu, &frame, &rd);
    assert_int_equal(frame.x[3], 0x55667790ULL);    /* 32 bits, zero-extended */
    assert_int_equal(frame.elr, 0xffff000000100008ULL);
    assert_int_equal(fake_injections(FAKE_INJECT_DABT) + fake_injections(FAKE_INJECT_IABT) +
                     fake_crashes(NULL, NULL, NULL), 0);
}

/* A guest looping on bad accesses: each one injected, few lines logged. */
static void test_bad_access_log_is_bounded(void **state)
{
    struct trap_info t = abort_at(EC_DABT, HOLE, FSC_TRANS_L3);
    const char *p;
    unsigned int lines = 0U;

    (void)state;
    for (unsigned int i = 0U; i < 100U; i++) {
        trap_dabt(&vcpu, &frame, &t);
    }
    assert_int_equal(fake_injections(FAKE_INJECT_DABT), 100);
    for (p = strstr(fake_log(), "outside its"); p != NULL; p = strstr(p + 1, "outside its")) {
        lines++;
    }
    assert_int_equal(lines, 8);
    assert_true(fake_log_contains("(no more such lines)"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_translation_fault_on_mapped_ram_is_retried, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_walk_and_fetch_on_mapped_ram_are_retried, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_unmapped_page_in_split_block_gets_data_abort, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_fetch_outside_ram_gets_prefetch_abort, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_permission_fault_on_mapped_page_is_injected, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_device_access_reaches_device_and_steps_pc, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_bad_access_log_is_bounded, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
