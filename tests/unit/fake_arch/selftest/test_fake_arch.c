/* Checks of the host fakes other tests rely on. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <proxenos/printk.h>
#include <proxenos/spinlock.h>
#include <proxenos/errno.h>
#include <proxenos/arch/cpu.h>
#include <proxenos/arch/mm.h>
#include <proxenos/arch/time.h>
#include <proxenos/arch/context.h>
#include <proxenos/arch/domain.h>
#include <fake_arch.h>
#include <fake_domain.h>
#include <fake_p2m.h>

static int setup(void **state)
{
    (void)state;
    fake_reset();
    return 0;
}

static void test_printk_is_logged(void **state)
{
    (void)state;
    pr_info("hello %d", 42);
    pr_info(" world\n");
    pr_err("bad %s\n", "thing");
    assert_string_equal(fake_log(), "(PXN) [INFO] hello 42 world\n(PXN) [ERR ] bad thing\n");
    assert_true(fake_log_contains("bad thing"));
    fake_log_clear();
    assert_string_equal(fake_log(), "");
}

static void test_quiet_still_logs(void **state)
{
    (void)state;
    fake_console_quiet(true);
    pr_debug("silent\n");
    assert_true(fake_log_contains("[DBG ] silent"));
}

static void panics_twice(int x)
{
    if (x > 1) {
        panic("value %d too big", x);
    }
}

static void test_panic_is_caught(void **state)
{
    volatile int reached = 0;

    (void)state;
    fake_expect_panic(panics_twice(7), reached = 1);
    assert_int_equal(reached, 0);
    assert_string_equal(fake_panic_msg(), "value 7 too big");
    assert_int_equal(fake_panic_count(), 1);
    fake_expect_panic(BUG_ON(1 + 1 == 2));
    assert_non_null(strstr(fake_panic_msg(), "BUG at"));
    assert_int_equal(fake_panic_count(), 2);
}

static void test_halt_and_off_are_caught(void **state)
{
    (void)state;
    fake_expect_stop(FAKE_STOP_HALT, arch_halt());
    fake_expect_stop(FAKE_STOP_OFF, arch_machine_off());
    /* The real panic() ends in arch_halt(): that counts as a panic. */
    fake_expect_panic(arch_halt());
    assert_int_equal(fake_panic_count(), 0);
}

static void test_cpu_and_irqs(void **state)
{
    spinlock_t l = SPINLOCK_INIT;
    unsigned long flags;

    (void)state;
    assert_int_equal(arch_cpu_id(), 0);
    assert_false(arch_irqs_enabled());
    arch_irq_enable();
    flags = spin_lock_irqsave(&l);
    assert_false(arch_irqs_enabled());
    assert_true(spin_is_locked(&l));
    spin_unlock_irqrestore(&l, flags);
    assert_true(arch_irqs_enabled());
    /* The mask is per CPU. */
    fake_set_cpu(3);
    assert_int_equal(arch_cpu_id(), 3);
    assert_false(arch_irqs_enabled());
    fake_set_cpu(0);
    assert_true(arch_irqs_enabled());

    assert_int_equal(fake_last_ipi(), -1);
    arch_send_ipi(2);
    arch_send_ipi(2);
    arch_send_ipi(5);
    assert_int_equal(fake_ipi_count(2), 2);
    assert_int_equal(fake_ipi_count(5), 1);
    assert_int_equal(fake_last_ipi(), 5);
    fake_expect_panic(arch_send_ipi(CONFIG_NR_CPUS));
}

static unsigned int hook_runs;
static void wfi_hook(void)
{
    hook_runs++;
}

static void test_wfi_hook(void **state)
{
    (void)state;
    hook_runs = 0U;
    arch_wait_for_interrupt();
    fake_set_wfi_hook(wfi_hook);
    arch_wait_for_interrupt();
    assert_int_equal(fake_wfi_count(), 2);
    assert_int_equal(hook_runs, 1);
}

static void test_time(void **state)
{
    (void)state;
    assert_int_equal(arch_now(), 0);
    fake_set_now(1000);
    fake_advance(234);
    assert_int_equal(arch_now(), 1234);
    arch_timer_program(5000);
    assert_int_equal(fake_timer_deadline(), 5000);
    arch_timer_program(0);
    assert_int_equal(fake_timer_deadline(), 0);
    assert_int_equal(fake_timer_program_count(), 2);
}

static void test_direct_map(void **state)
{
    static uint8_t buf[4 * 4096] __attribute__((aligned(4096)));
    uint8_t *big;

    (void)state;
    assert_int_equal(fake_ram_map(0x40000000ULL, buf, sizeof(buf)), 0);
    assert_ptr_equal(arch_maddr_to_virt(0x40000000ULL), buf);
    assert_ptr_equal(arch_maddr_to_virt(0x40003fffULL), &buf[0x3fff]);
    assert_int_equal(arch_virt_to_maddr(&buf[0x1234]), 0x40001234ULL);
    /* Overlap, misalignment and addresses outside every region. */
    assert_int_equal(fake_ram_map(0x40003000ULL, buf, 4096), -EINVAL);
    assert_int_equal(fake_ram_map(0x50000000ULL, &buf[1], 4096), -EINVAL);
    fake_expect_panic((void)arch_maddr_to_virt(0x40004000ULL));
    fake_expect_panic((void)arch_virt_to_maddr(&buf[sizeof(buf)]));

    big = fake_ram_alloc(0x100000000ULL, (size_t)1 << 30);
    big[(1U << 30) - 1U] = 7U;
    assert_ptr_equal(arch_maddr_to_virt(0x100000000ULL + (1ULL << 30) - 1U), &big[(1U << 30) - 1U]);
    fake_reset();
    fake_expect_panic((void)arch_maddr_to_virt(0x40000000ULL));
}

static void test_ioremap(void **state)
{
    static uint32_t regs[64];
    static uint8_t ram[4096] __attribute__((aligned(4096)));

    (void)state;
    assert_int_equal(fake_mmio_map(0x09000000ULL, regs, sizeof(regs)), 0);
    assert_ptr_equal(arch_ioremap(0x09000000ULL, 0x100), regs);
    assert_ptr_equal(arch_ioremap(0x09000010ULL, 0x10), &regs[4]);
    assert_null(arch_ioremap(0x09000010ULL, 0x100));
    assert_null(arch_ioremap(0x0a000000ULL, 4));
    assert_int_equal(fake_ioremap_count(), 4);
    /* RAM and devices never overlap, and RAM is not ioremap-able. */
    assert_int_equal(fake_ram_map(0x09000000ULL, ram, sizeof(ram)), -EINVAL);
    assert_int_equal(fake_ram_map(0x40000000ULL, ram, sizeof(ram)), 0);
    assert_int_equal(fake_mmio_map(0x40000000ULL, regs, sizeof(regs)), -EINVAL);
    assert_null(arch_ioremap(0x40000000ULL, 4));
}

static unsigned int fired_irq;
static void *fired_data;
static void irq_handler(unsigned int irq, void *data)
{
    fired_irq = irq;
    fired_data = data;
}

static void test_irq_request_and_fire(void **state)
{
    int token;

    (void)state;
    assert_false(fake_irq_fire(27));
    assert_int_equal(fake_irq_cpu(27), -1);
    fake_set_cpu(2);
    assert_int_equal(arch_irq_request(27, irq_handler, &token), 0);
    assert_int_equal(arch_irq_request(27, irq_handler, NULL), -EBUSY);
    assert_int_equal(arch_irq_request(FAKE_NR_IRQS, irq_handler, NULL), -EINVAL);
    assert_int_equal(arch_irq_request(28, NULL, NULL), -EINVAL);
    assert_int_equal(fake_irq_cpu(27), 2);
    assert_true(fake_irq_fire(27));
    assert_int_equal(fired_irq, 27);
    assert_ptr_equal(fired_data, &token);
    fake_reset();
    assert_false(fake_irq_fire(27));
}

static void test_domain_hooks_count_and_fail(void **state)
{
    struct domain d;
    struct vcpu v;

    (void)state;
    assert_int_equal(arch_domain_create(&d, NULL), 0);
    fake_hook_fail(FAKE_ARCH_VCPU_CREATE, 2, -ENOMEM);
    assert_int_equal(arch_vcpu_create(&v), 0);
    assert_int_equal(arch_vcpu_create(&v), -ENOMEM);
    assert_int_equal(arch_vcpu_create(&v), 0);
    assert_int_equal(fake_hook_calls(FAKE_ARCH_VCPU_CREATE), 3);
    arch_vcpu_destroy(&v);
    arch_domain_destroy(&d);
    assert_ptr_equal(fake_hook_last(FAKE_ARCH_DOMAIN_DESTROY), &d);
    arch_dump_domain(&d);
    assert_true(fake_log_contains("fake arch: state of domain"));
    assert_int_equal(arch_default_nr_spis(), FAKE_DEFAULT_NR_SPIS);
    fake_set_default_nr_spis(32);
    assert_int_equal(arch_default_nr_spis(), 32);
    arch_vcpu_set_entry(&v, 0x40080000U, 0x48000000U);
    {
        struct vcpu *ev;
        uint64_t pc, x0;

        fake_vcpu_entry(&ev, &pc, &x0);
        assert_ptr_equal(ev, &v);
        assert_int_equal(pc, 0x40080000U);
        assert_int_equal(x0, 0x48000000U);
    }
    fake_reset();
    assert_int_equal(fake_hook_calls(FAKE_ARCH_VCPU_CREATE), 0);
    assert_int_equal(arch_default_nr_spis(), FAKE_DEFAULT_NR_SPIS);
}

/* Regression (fuzz_hypercall, a FIFO control block on heap memory): the
 * fake stage 2 outlived its domain, so the next input's domU, allocated
 * at the same address, found the old one's grant frame still mapped at
 * its gfn, by then a page of the heap. The stage 2 goes with the domain;
 * other domains' entries stay. */
static void test_stage2_goes_with_the_domain(void **state)
{
    struct domain d;
    struct domain other;
    mfn_t m = mfn(0U);
    enum guest_frame_type t = GUEST_FRAME_NONE;

    (void)state;
    fake_p2m_reset();
    assert_int_equal(arch_guest_map_page(&d, gfn(0x41000U), mfn(0x80123U), GUEST_FRAME_RAM), 0);
    assert_int_equal(arch_guest_map_page(&other, gfn(0x41000U), mfn(0x80456U), GUEST_FRAME_RAM), 0);
    assert_int_equal(fake_p2m_entries(), 2);

    arch_domain_destroy(&d);

    /* A domain at d's address now starts with nothing mapped. */
    assert_int_equal(arch_guest_lookup_page(&d, gfn(0x41000U), &m, &t), -ENOENT);
    assert_int_equal(t, GUEST_FRAME_NONE);
    assert_int_equal(arch_guest_lookup_page(&other, gfn(0x41000U), &m, &t), 0);
    assert_int_equal(mfn_x(m), 0x80456U);
    assert_int_equal(t, GUEST_FRAME_RAM);
    assert_int_equal(fake_p2m_entries(), 1);
}

static void test_vcpu_context_round_trip(void **state)
{
    struct vcpu v;
    struct vcpu_guest_context in, out;

    (void)state;
    memset(&in, 0, sizeof(in));
    in.user_regs.pc64 = 0x1000U;
    arch_vcpu_get_context(&v, &out);
    assert_int_equal(out.user_regs.pc64, 0);
    assert_int_equal(arch_vcpu_set_context(&v, &in), 0);
    arch_vcpu_get_context(&v, &out);
    assert_memory_equal(&in, &out, sizeof(in));
    fake_hook_fail(FAKE_ARCH_VCPU_SET_CONTEXT, 1, -EINVAL);
    in.user_regs.pc64 = 0x2000U;
    assert_int_equal(arch_vcpu_set_context(&v, &in), -EINVAL);
    arch_vcpu_get_context(&v, &out);
    assert_int_equal(out.user_regs.pc64, 0x1000U);
    arch_vcpu_reset_context(&v);
    arch_vcpu_get_context(&v, &out);
    assert_int_equal(out.user_regs.pc64, 0);
}

static struct vcpu *hooked_prev;

static void switch_hook(struct vcpu *prev, struct vcpu *next)
{
    (void)next;
    hooked_prev = prev;
}

static void test_context_switch_is_logged(void **state)
{
    struct vcpu a, b;

    (void)state;
    fake_set_switch_hook(switch_hook);
    fake_set_cpu(1);
    arch_context_switch(NULL, &a);
    arch_context_switch(&a, &b);
    assert_int_equal(fake_hook_calls(FAKE_ARCH_CONTEXT_SWITCH), 2);
    assert_int_equal(fake_switch(1)->cpu, 1);
    assert_ptr_equal(fake_switch(1)->prev, &a);
    assert_ptr_equal(fake_switch(1)->next, &b);
    assert_ptr_equal(hooked_prev, &a);
    assert_null(fake_switch(FAKE_SWITCH_LOG));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_printk_is_logged, setup),
        cmocka_unit_test_setup(test_quiet_still_logs, setup),
        cmocka_unit_test_setup(test_panic_is_caught, setup),
        cmocka_unit_test_setup(test_halt_and_off_are_caught, setup),
        cmocka_unit_test_setup(test_cpu_and_irqs, setup),
        cmocka_unit_test_setup(test_wfi_hook, setup),
        cmocka_unit_test_setup(test_time, setup),
        cmocka_unit_test_setup(test_direct_map, setup),
        cmocka_unit_test_setup(test_ioremap, setup),
        cmocka_unit_test_setup(test_irq_request_and_fire, setup),
        cmocka_unit_test_setup(test_domain_hooks_count_and_fail, setup),
        cmocka_unit_test_setup(test_stage2_goes_with_the_domain, setup),
        cmocka_unit_test_setup(test_vcpu_context_round_trip, setup),
        cmocka_unit_test_setup(test_context_switch_is_logged, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
