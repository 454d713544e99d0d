/* Stage-2 aborts from a guest (arch/arm64/trap_dabt.c) on a real stage 2
 * (p2m.c): a translation fault on an IPA that is mapped by the time the
 * handler looks (another CPU was splitting the block that maps it) is
 * retried with nothing injected and the PC left alone, for data accesses,
 * stage-1 table walks and instruction fetches alike; a missing page gets
 * a data or prefetch abort; a permission fault on a mapped page is the
 * guest's and gets one too; emulated device accesses reach their device
 * and step the PC; and the log of bad accesses is bounded per domain.
 * A device access without a syndrome (ISV clear) is decoded from the
 * instruction as Xen 4.17 does: a post-indexed LDR/STR is emulated with
 * its base register (or SP) written back; anything else (LDP/STP), an
 * instruction that cannot be read, a stage-1 walk on the device, or an
 * access the device model refuses gets a data abort, never a crash; a
 * cache maintenance instruction on a device is stepped over. */
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
#include <proxenos/errno.h>
#include <proxenos/lib.h>
#include <proxenos/page_alloc.h>
#include <fake_arch.h>
#include "fake_guest_sp.h"
#include "fake_inject.h"
#include "fake_ioreq_mmio.h"
#include "fake_shutdown.h"

#define RAM0        0x40000000ULL
#define RAM_SIZE    MiB(16)
#define GUEST_RAM   0x40000000ULL   /* IPA of the guest's RAM */
#define GUEST_PAGES 1024ULL         /* 4 MiB: two 2 MiB blocks */
#define HOLE        0x50000000ULL   /* IPA nothing maps */
#define DEVICE      0x09000000ULL   /* an emulated device's IPA */
#define CODE_VA     0x60000000ULL   /* where the guest's trapping code is */
#define CODE_PA     0x80000000ULL   /* ... in fake RAM (stage 1 is 1:1 here) */

#define EC_DABT     0x24U
#define EC_IABT     0x20U
#define FSC_TRANS_L3    0x07U
#define FSC_TRANS_L2    0x06U
#define FSC_PERM_L3     0x0fU
#define ISS_S1PTW       (1U << 7)
#define ISS_ISV         (1U << 24)
#define ISS_WNR         (1U << 6)
#define ISS_CM          (1U << 8)
#define PSR_EL1H        0x3c5U
#define PSR_EL0T        0x0U
#define PSR_AARCH32_SVC 0x13U

static uint64_t device_reg;
static unsigned int device_calls;   /* reads and writes that reached it */

static int dev_read(struct vcpu *v, const struct mmio_access *a, uint64_t *val, void *priv)
{
    (void)v;
    (void)priv;
    device_calls++;
    *val = device_reg + a->offset;
    return 0;
}

static int dev_write(struct vcpu *v, const struct mmio_access *a, uint64_t val, void *priv)
{
    (void)v;
    (void)priv;
    device_calls++;
    /* As the vGIC's registers: bytes are refused. */
    if (a->size == 1U) {
        return -EINVAL;
    }
    device_reg = val;
    return 0;
}

static const struct mmio_ops dev_ops = { .read = dev_read, .write = dev_write };

/* ---- Set-up --------------------------------------------------------------- */

static struct domain dom;
static struct arch_domain arch_dom;  /* arch_domain_create's, given here */
static struct vcpu vcpu;
static struct trap_frame frame;
static uint32_t *code;      /* the guest's instructions at CODE_VA */

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
    fake_guest_sp_reset();
    device_reg = 0U;
    device_calls = 0U;
    code = fake_ram_alloc(CODE_PA, PAGE_SIZE);
    fake_guest_map(&dom, CODE_VA, CODE_PA, PAGE_SIZE);
    fake_guest_set_vcpu(&vcpu);
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
    /* ldr w3, [x?]: with a syndrome, so it can be described to a server. */
    struct trap_info t = abort_at(EC_DABT, gone, ISS_ISV | (2U << 22) | (3U << 16) | FSC_TRANS_L3);
    struct trap_info next = abort_at(EC_DABT, gone + PAGE_SIZE, FSC_TRANS_L3);
    unsigned int offered = fake_ioreq_mmio_offers();

    (void)state;
    assert_int_equal(p2m_unmap(&dom.arch->p2m, gfn(gone >> PAGE_SHIFT), 1U), 0);
    trap_dabt(&vcpu, &frame, &t);
    assert_int_equal(fake_injections(FAKE_INJECT_DABT), 1);
    assert_int_equal(injected_at(), t.far);
    assert_true(fake_log_contains("d3v0: data abort at IPA 0x40005000"));
    /* Offered to the domain's IOREQ servers first (none claimed it). */
    assert_int_equal(fake_ioreq_mmio_offers(), offered + 1U);
    trap_dabt(&vcpu, &frame, &next);
    assert_int_equal(fake_injections(FAKE_INJECT_DABT), 1);
    /* No syndrome and no load or store at the PC: nothing to describe to
     * a server, so not offered; retried. */
    assert_int_equal(fake_ioreq_mmio_offers(), offered + 1U);
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


/* ---- Device accesses without a syndrome ------------------------------------- */

/* The guest at EL1h runs insn at CODE_VA and faults on the device at gpa
 * with no syndrome (ISV clear), as a write or not. */
static struct trap_info no_syndrome_at(paddr_t gpa, uint32_t insn, uint32_t extra)
{
    code[0] = insn;
    frame.elr = CODE_VA;
    frame.spsr = PSR_EL1H;
    return abort_at(EC_DABT, gpa, FSC_TRANS_L3 | extra);
}

static void expect_injected_not_crashed(const struct trap_info *t)
{
    assert_int_equal(fake_injections(FAKE_INJECT_DABT), 1);
    assert_int_equal(injected_at(), t->far);
    assert_int_equal(fake_crashes(NULL, NULL, NULL), 0);
    assert_int_equal(frame.elr, CODE_VA);       /* the guest's vector takes it from here */
}

/* ldp x0, x1, [x2] to the device: Xen 4.17 cannot decode it either. */
static void test_pair_to_device_gets_data_abort(void **state)
{
    struct trap_info t = no_syndrome_at(DEVICE + 0x10U, 0xa9400440U, 0U);

    (void)state;
    frame.x[0] = 0x1111U;
    frame.x[1] = 0x2222U;
    trap_dabt(&vcpu, &frame, &t);
    expect_injected_not_crashed(&t);
    assert_int_equal(device_calls, 0U);
    assert_int_equal(frame.x[0], 0x1111U);
    assert_int_equal(frame.x[1], 0x2222U);
    assert_true(fake_log_contains("d3v0: device access at IPA 0x9000010"));
    assert_true(fake_log_contains("that cannot be decoded: injected"));
}

/* stp x0, x1, [x2] the same, and the device keeps its value. */
static void test_store_pair_to_device_gets_data_abort(void **state)
{
    struct trap_info t = no_syndrome_at(DEVICE, 0xa9000440U, ISS_WNR);

    (void)state;
    device_reg = 0x55U;
    trap_dabt(&vcpu, &frame, &t);
    expect_injected_not_crashed(&t);
    assert_int_equal(device_reg, 0x55U);
}

/* ldr x1, [x2], #8: read from the device, x2 moved on, PC stepped. */
static void test_post_indexed_load_is_emulated(void **state)
{
    struct trap_info t = no_syndrome_at(DEVICE + 8U, 0xf8408441U, 0U);

    (void)state;
    device_reg = 0x1000U;
    frame.x[2] = 0xffff000009000008ULL;
    trap_dabt(&vcpu, &frame, &t);
    assert_int_equal(frame.x[1], 0x1008U);
    assert_int_equal(frame.x[2], 0xffff000009000010ULL);
    assert_int_equal(frame.elr, CODE_VA + 4U);
    assert_int_equal(fake_injections(FAKE_INJECT_DABT), 0);
}

/* str w3, [x4], #-4 at EL1h, and strh w7, [sp], #-256 at EL1h and at EL0:
 * the stack pointer written back is the one the guest was using. */
static void test_post_indexed_store_writes_back_base_or_sp(void **state)
{
    struct trap_info w = no_syndrome_at(DEVICE, 0xb81fc483U, ISS_WNR);
    struct trap_info h;

    (void)state;
    frame.x[3] = 0xaabbccdd11223344ULL;
    frame.x[4] = 0x9000100ULL;
    trap_dabt(&vcpu, &frame, &w);
    assert_int_equal(device_reg, 0x11223344U);      /* a word: the low half */
    assert_int_equal(frame.x[4], 0x90000fcULL);
    h = no_syndrome_at(DEVICE, 0x781007e7U, ISS_WNR);
    frame.x[7] = 0xbeefU;
    guest_sp_set(GUEST_SP_EL1, 0x40001000U);
    guest_sp_set(GUEST_SP_EL0, 0x7000U);
    trap_dabt(&vcpu, &frame, &h);
    assert_int_equal(device_reg, 0xbeefU);
    assert_int_equal(guest_sp_get(GUEST_SP_EL1), 0x40000f00U);
    assert_int_equal(guest_sp_get(GUEST_SP_EL0), 0x7000U);
    h = no_syndrome_at(DEVICE, 0x781007e7U, ISS_WNR);
    frame.spsr = PSR_EL0T;
    trap_dabt(&vcpu, &frame, &h);
    assert_int_equal(guest_sp_get(GUEST_SP_EL0), 0x6f00U);
    assert_int_equal(guest_sp_get(GUEST_SP_EL1), 0x40000f00U);
    assert_int_equal(frame.elr, CODE_VA + 4U);
    assert_int_equal(fake_injections(FAKE_INJECT_DABT) + fake_crashes(NULL, NULL, NULL), 0);
}

/* strb w5, [x6], #1 is decoded, but the device refuses bytes: an abort,
 * and the base register is left as it was. */
static void test_refused_access_gets_data_abort(void **state)
{
    struct trap_info t = no_syndrome_at(DEVICE, 0x380014c5U, ISS_WNR);

    (void)state;
    frame.x[6] = 0x9000000U;
    trap_dabt(&vcpu, &frame, &t);
    expect_injected_not_crashed(&t);
    assert_int_equal(device_calls, 1U);
    assert_int_equal(frame.x[6], 0x9000000U);
    assert_true(fake_log_contains("refused by the device: injected"));
}

/* The same refusal with a syndrome (strb w5, [x6]: ISV, SAS 0). */
static void test_refused_access_with_syndrome_gets_data_abort(void **state)
{
    struct trap_info t = abort_at(EC_DABT, DEVICE, ISS_ISV | (5U << 16) | ISS_WNR | FSC_TRANS_L3);

    (void)state;
    trap_dabt(&vcpu, &frame, &t);
    assert_int_equal(fake_injections(FAKE_INJECT_DABT), 1);
    assert_int_equal(frame.elr, 0xffff000000100000ULL);
    assert_int_equal(fake_crashes(NULL, NULL, NULL), 0);
}

/* The instruction cannot be read (its page faults in stage 1), the guest
 * runs AArch32 code, or its stage-1 walk touched the device: aborts. */
static void test_undecodable_situations_get_data_abort(void **state)
{
    struct trap_info t = no_syndrome_at(DEVICE, 0xf8408441U, 0U);

    (void)state;
    frame.spsr = PSR_AARCH32_SVC;
    trap_dabt(&vcpu, &frame, &t);
    assert_int_equal(fake_injections(FAKE_INJECT_DABT), 1);
    t = no_syndrome_at(DEVICE, 0xf8408441U, ISS_S1PTW);
    trap_dabt(&vcpu, &frame, &t);
    assert_int_equal(fake_injections(FAKE_INJECT_DABT), 2);
    t = no_syndrome_at(DEVICE, 0xf8408441U, 0U);
    fake_guest_fault(CODE_VA, 4U, false);
    trap_dabt(&vcpu, &frame, &t);
    assert_int_equal(fake_injections(FAKE_INJECT_DABT), 3);
    assert_int_equal(device_calls, 0U);
    assert_int_equal(fake_crashes(NULL, NULL, NULL), 0);
    assert_int_equal(frame.elr, CODE_VA);
}

/* dc civac on the device: nothing to emulate, stepped over (Xen too). */
static void test_cache_maintenance_on_device_is_skipped(void **state)
{
    struct trap_info t = no_syndrome_at(DEVICE, 0xd50b7e20U, ISS_CM | ISS_WNR);

    (void)state;
    trap_dabt(&vcpu, &frame, &t);
    assert_int_equal(frame.elr, CODE_VA + 4U);
    assert_int_equal(device_calls, 0U);
    assert_int_equal(fake_injections(FAKE_INJECT_DABT), 0);
}

/* An LDP (no syndrome) outside RAM and devices: the same abort as any. */
static void test_pair_outside_devices_gets_data_abort(void **state)
{
    struct trap_info t = no_syndrome_at(HOLE, 0xa9400440U, 0U);

    (void)state;
    trap_dabt(&vcpu, &frame, &t);
    expect_injected_not_crashed(&t);
    assert_true(fake_log_contains("outside its RAM and devices: injected"));
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
        cmocka_unit_test_setup_teardown(test_pair_to_device_gets_data_abort, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_pair_to_device_gets_data_abort, setup, teardown),
        cmocka_unit_test_setup_teardown(test_post_indexed_load_is_emulated, setup, teardown),
        cmocka_unit_test_setup_teardown(test_post_indexed_store_writes_back_base_or_sp, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_refused_access_gets_data_abort, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refused_access_with_syndrome_gets_data_abort, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_undecodable_situations_get_data_abort, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_cache_maintenance_on_device_is_skipped, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_pair_outside_devices_gets_data_abort, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
