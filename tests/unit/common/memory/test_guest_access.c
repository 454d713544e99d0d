/* Checked guest copies and pinned guest pages: page-crossing copies,
 * faults on either page, RAM-only targets, pins. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <proxenos/bootmem.h>
#include <proxenos/domain.h>
#include <proxenos/errno.h>
#include <proxenos/guest_access.h>
#include <proxenos/page_alloc.h>
#include <fake_arch.h>

#define RAM0      0x40000000ULL
#define RAM_SIZE  (4ULL << 20)
#define GUEST_IPA 0x80000000ULL     /* where the test's guest sees its RAM */

static struct domain dom;
static struct vcpu vcpu;
static uint8_t *guest_ram;          /* host view of the guest's 4 pages */
static paddr_t guest_pa;

static int setup(void **state)
{
    mfn_t m;

    (void)state;
    fake_reset();
    bootmem_reset();
    (void)fake_ram_alloc(RAM0, (size_t)RAM_SIZE);
    assert_int_equal(bootmem_add_ram(RAM0, RAM0 + RAM_SIZE), 0);
    assert_int_equal(page_alloc_init(), 0);
    memset(&dom, 0, sizeof(dom));
    memset(&vcpu, 0, sizeof(vcpu));
    vcpu.domain = &dom;
    m = alloc_pages(2U, ALLOC_ZERO);
    assert_false(mfn_eq(m, INVALID_MFN));
    guest_pa = mfn_to_paddr(m);
    guest_ram = arch_maddr_to_virt(guest_pa);
    fake_guest_map(&dom, GUEST_IPA, guest_pa, 4U * PAGE_SIZE);
    fake_guest_set_vcpu(&vcpu);
    return 0;
}

static void copy_across_pages(void **state)
{
    uint8_t in[300];
    uint8_t out[300];
    uint64_t gva = GUEST_IPA + PAGE_SIZE - 100U;

    (void)state;
    for (unsigned int i = 0U; i < sizeof(in); i++) {
        in[i] = (uint8_t)(i * 7U);
    }
    assert_int_equal(copy_to_guest(gva, in, sizeof(in)), 0);
    assert_memory_equal(guest_ram + PAGE_SIZE - 100U, in, sizeof(in));
    memset(out, 0, sizeof(out));
    assert_int_equal(copy_from_guest(out, gva, sizeof(out)), 0);
    assert_memory_equal(out, in, sizeof(in));
}

static void zero_length_touches_nothing(void **state)
{
    (void)state;
    /* Not even an unmapped address is looked at. */
    assert_int_equal(copy_to_guest(0x1000U, "x", 0U), 0);
    assert_int_equal(copy_from_guest(NULL, 0x1000U, 0U), 0);
}

static void unmapped_ipa_faults(void **state)
{
    uint8_t buf[8] = { 0 };

    (void)state;
    assert_int_equal(copy_from_guest(buf, 0x1000U, sizeof(buf)), -EFAULT);
    assert_int_equal(copy_to_guest(GUEST_IPA + 4U * PAGE_SIZE, buf, 1U), -EFAULT);
    /* A buffer that runs off the end of RAM fails, after the part that fit. */
    assert_int_equal(copy_to_guest(GUEST_IPA + 4U * PAGE_SIZE - 4U, buf, sizeof(buf)), -EFAULT);
}

static void stage1_fault_on_second_page(void **state)
{
    uint8_t buf[64];

    (void)state;
    memset(buf, 0xaa, sizeof(buf));
    fake_guest_fault(GUEST_IPA + PAGE_SIZE, PAGE_SIZE, false);
    assert_int_equal(copy_to_guest(GUEST_IPA + PAGE_SIZE - 32U, buf, sizeof(buf)), -EFAULT);
    assert_int_equal(copy_from_guest(buf, GUEST_IPA + PAGE_SIZE + 8U, 8U), -EFAULT);
}

static void read_only_stage1_refuses_writes_only(void **state)
{
    uint8_t b = 0x5a;

    (void)state;
    guest_ram[0] = 0x11;
    fake_guest_fault(GUEST_IPA, PAGE_SIZE, true);
    assert_int_equal(copy_from_guest(&b, GUEST_IPA, 1U), 0);
    assert_int_equal(b, 0x11);
    assert_int_equal(copy_to_guest(GUEST_IPA, &b, 1U), -EFAULT);
}

static void no_current_vcpu_faults(void **state)
{
    uint8_t b = 0;

    (void)state;
    fake_guest_set_vcpu(NULL);
    assert_int_equal(copy_from_guest(&b, GUEST_IPA, 1U), -EFAULT);
}

static void guest_page_pins_and_unpins(void **state)
{
    struct guest_page a;
    struct guest_page b;

    (void)state;
    assert_int_equal(guest_page_get(&dom, gfn((GUEST_IPA >> PAGE_SHIFT) + 1U), &a), 0);
    assert_ptr_equal(a.va, guest_ram + PAGE_SIZE);
    assert_int_equal(mfn_x(a.mfn), (guest_pa >> PAGE_SHIFT) + 1U);
    assert_true(guest_page_pinned(a.pg));
    assert_int_equal(guest_page_get(&dom, gfn((GUEST_IPA >> PAGE_SHIFT) + 1U), &b), 0);
    guest_page_put(&a);
    assert_null(a.pg);
    assert_true(guest_page_pinned(b.pg));
    guest_page_put(&b);
    assert_false(guest_page_pinned(mfn_to_page(mfn((guest_pa >> PAGE_SHIFT) + 1U))));
    /* Putting an empty handle is harmless. */
    guest_page_put(&b);
}

static void guest_page_refuses_non_ram(void **state)
{
    struct guest_page gp;
    struct domain other;

    (void)state;
    memset(&other, 0, sizeof(other));
    assert_int_equal(guest_page_get(&dom, gfn(0x10U), &gp), -EINVAL);
    assert_null(gp.pg);
    /* Another domain's mapping is not this domain's RAM. */
    assert_int_equal(guest_page_get(&other, gfn(GUEST_IPA >> PAGE_SHIFT), &gp), -EINVAL);
    /* A frame number whose address overflows. */
    assert_int_equal(guest_page_get(&dom, gfn(UINT64_MAX), &gp), -EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(copy_across_pages, setup),
        cmocka_unit_test_setup(zero_length_touches_nothing, setup),
        cmocka_unit_test_setup(unmapped_ipa_faults, setup),
        cmocka_unit_test_setup(stage1_fault_on_second_page, setup),
        cmocka_unit_test_setup(read_only_stage1_refuses_writes_only, setup),
        cmocka_unit_test_setup(no_current_vcpu_faults, setup),
        cmocka_unit_test_setup(guest_page_pins_and_unpins, setup),
        cmocka_unit_test_setup(guest_page_refuses_non_ram, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
