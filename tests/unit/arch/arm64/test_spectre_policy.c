/* The speculation-mitigation decisions: the branch-history mitigation per
 * core and ID registers (including the paths QEMU cannot show: ECBHB,
 * CLRBHB, CSV2_3 and firmware that offers workarounds), what Xen 4.17
 * advertises to guests by MIDR, spec-ctrl=ssbd= parsing and the SSBD state
 * machine against each firmware answer. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <asm/spectre.h>
#include <proxenos/errno.h>

#define ECBHB   (UINT64_C(1) << ID_AA64MMFR1_ECBHB_SHIFT)
#define CLRBHB  (UINT64_C(1) << ID_AA64ISAR2_CLRBHB_SHIFT)
#define CSV2(n) ((uint64_t)(n) << ID_AA64PFR0_CSV2_SHIFT)

/* MIDRs: implementer 0x41, architecture 0xf, variant/revision as noted. */
#define A53_R0P4   0x410fd034U
#define A57_R1P0   0x411fd070U      /* QEMU cortex-a57 */
#define A72_R0P3   0x410fd083U      /* QEMU cortex-a72 */
#define A72_R1P0   0x411fd080U
#define A72_R1P1   0x411fd081U
#define A73_R0P2   0x410fd092U
#define A75_R3P1   0x413fd0a1U
#define A76_R4P1   0x414fd0b1U
#define A77_R1P1   0x411fd0d1U
#define N1_R4P1    0x414fd0c1U
#define A78_R1P2   0x411fd412U
#define A78AE_R0P1 0x410fd421U
#define A78C_R0P0  0x410fd4b0U
#define X1_R1P2    0x411fd442U
#define X2_R2P0    0x412fd480U
#define A710_R2P0  0x412fd470U
#define N2_R0P3    0x410fd493U
#define V1_R1P1    0x411fd401U
#define QEMU_MAX   0x000f0510U

static const struct spectre_fw no_fw = { false, -1, -1, -1 };

static struct spectre_fw fw(int32_t wa1, int32_t wa2, int32_t wa3)
{
    struct spectre_fw f = { true, wa1, wa2, wa3 };

    return f;
}

static struct bhb_choice choose(uint64_t midr, uint64_t pfr0, uint64_t mmfr1, uint64_t isar2,
                                const struct spectre_fw *f)
{
    struct spectre_cpu_regs r = { midr, pfr0, mmfr1, isar2 };

    return spectre_bhb_choose(&r, f);
}

static void expect(uint64_t midr, const struct spectre_fw *f, enum bhb_kind kind, uint32_t loops)
{
    struct bhb_choice c = choose(midr, CSV2(0), 0U, 0U, f);

    if ((c.kind != kind) || ((kind == BHB_LOOP) && (c.loops != loops))) {
        fail_msg("MIDR 0x%08llx: got %s x%u, want %s x%u", (unsigned long long)midr,
                 spectre_bhb_kind_name(c.kind), c.loops, spectre_bhb_kind_name(kind), loops);
    }
}

static void test_loop_counts_by_core(void **state)
{
    static const struct { uint32_t midr; uint32_t loops; } t[] = {
        { A57_R1P0, 8 }, { A72_R0P3, 8 }, { A72_R1P0, 8 }, { A72_R1P1, 8 },
        { A76_R4P1, 24 }, { A77_R1P1, 24 }, { N1_R4P1, 24 },
        { A78_R1P2, 32 }, { A78AE_R0P1, 32 }, { A78C_R0P0, 32 }, { X1_R1P2, 32 },
        { X2_R2P0, 32 }, { A710_R2P0, 32 }, { N2_R0P3, 32 }, { V1_R1P1, 32 },
    };

    (void)state;
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        expect(t[i].midr, &no_fw, BHB_LOOP, t[i].loops);
        /* Firmware offering WORKAROUND_3 does not replace a loop. */
        struct spectre_fw f = fw(-1, -1, 0);
        if ((t[i].midr != A57_R1P0) && (t[i].midr != A72_R0P3)) {
            expect(t[i].midr, &f, BHB_LOOP, t[i].loops);
        }
    }
}

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(spectre_core_name(A57_R1P0), "Cortex-A57");
    assert_string_equal(spectre_core_name(A72_R0P3), "Cortex-A72");
    assert_string_equal(spectre_core_name(N1_R4P1), "Neoverse-N1");
    assert_null(spectre_core_name(QEMU_MAX));
    /* Same part number, another implementer or architecture field: not Arm's. */
    assert_null(spectre_core_name(0x511fd070U));
    assert_null(spectre_core_name(0x411ed070U));
    for (int k = BHB_NOT_AFFECTED; k <= BHB_UNMITIGATED; k++) {
        for (int j = BHB_NOT_AFFECTED; j < k; j++) {
            assert_string_not_equal(spectre_bhb_kind_name((enum bhb_kind)k),
                                    spectre_bhb_kind_name((enum bhb_kind)j));
        }
    }
}

/* The ID registers win over the MIDR tables, in the order CSV2_3, ECBHB,
 * CLRBHB. */
static void test_id_registers_first(void **state)
{
    (void)state;
    assert_int_equal(choose(A76_R4P1, CSV2(3), ECBHB, CLRBHB, &no_fw).kind, BHB_NONE_CSV2_3);
    assert_int_equal(choose(A76_R4P1, CSV2(2), ECBHB, CLRBHB, &no_fw).kind, BHB_NONE_ECBHB);
    assert_int_equal(choose(A78_R1P2, CSV2(2), 0U, CLRBHB, &no_fw).kind, BHB_CLRBHB);
    assert_int_equal(choose(QEMU_MAX, CSV2(2), 0U, CLRBHB, &no_fw).kind, BHB_CLRBHB);
    assert_int_equal(choose(QEMU_MAX, CSV2(0), ECBHB, 0U, &no_fw).kind, BHB_NONE_ECBHB);
    /* Other fields of the same registers do not count. */
    assert_int_equal(choose(A76_R4P1, CSV2(2) | 0x222U, 0x0fffffffffffffffU, 0xffffffff0fffffffU,
                            &no_fw).kind, BHB_LOOP);
}

/* Cortex-A57/A72 (no CSV2): firmware's WORKAROUND_1 when offered, else the loop. */
static void test_a57_a72_firmware_wa1(void **state)
{
    struct spectre_fw wa1 = fw(0, -1, -1);
    struct spectre_fw wa1_wa3 = fw(0, -1, 0);
    struct spectre_fw none = fw(-1, -1, -1);

    (void)state;
    expect(A57_R1P0, &wa1, BHB_FW_WA1, 0U);
    expect(A72_R0P3, &wa1_wa3, BHB_FW_WA1, 0U);
    expect(A72_R1P1, &wa1, BHB_FW_WA1, 0U);
    expect(A57_R1P0, &none, BHB_LOOP, 8U);
    /* With CSV2 the firmware call is not needed for Spectre v2: loop. */
    assert_int_equal(choose(A57_R1P0, CSV2(1), 0U, 0U, &wa1).kind, BHB_LOOP);
}

/* Cortex-A73/A75: firmware only. */
static void test_firmware_only_cores(void **state)
{
    struct spectre_fw wa3 = fw(-1, -1, 0);
    struct spectre_fw wa1 = fw(0, -1, -1);
    struct spectre_fw wa3_not_required = fw(0, -1, -2);

    (void)state;
    expect(A73_R0P2, &wa3, BHB_FW_WA3, 0U);
    expect(A75_R3P1, &wa3, BHB_FW_WA3, 0U);
    expect(A73_R0P2, &wa1, BHB_FW_WA1, 0U);
    expect(A73_R0P2, &wa3_not_required, BHB_NOT_AFFECTED, 0U);
    expect(A75_R3P1, &no_fw, BHB_UNMITIGATED, 0U);
}

/* Cores the tables do not list: firmware decides. */
static void test_unlisted_cores(void **state)
{
    struct spectre_fw wa3 = fw(-1, -1, 0);
    struct spectre_fw wa1 = fw(0, -1, -1);

    (void)state;
    expect(QEMU_MAX, &no_fw, BHB_NOT_AFFECTED, 0U);
    expect(A53_R0P4, &no_fw, BHB_NOT_AFFECTED, 0U);
    expect(QEMU_MAX, &wa3, BHB_FW_WA3, 0U);
    expect(A53_R0P4, &wa1, BHB_NOT_AFFECTED, 0U);
}

static void caps(uint64_t midr, bool want_wa1, bool want_wa3)
{
    bool wa1 = !want_wa1;
    bool wa3 = !want_wa3;

    spectre_xen_guest_caps(midr, &wa1, &wa3);
    if ((wa1 != want_wa1) || (wa3 != want_wa3)) {
        fail_msg("MIDR 0x%08llx: WA1 %d WA3 %d", (unsigned long long)midr, wa1, wa3);
    }
}

/* Xen 4.17 by MIDR alone: A57 all and A72 up to r1p0 advertise WA1; A73
 * and A75 advertise WA1 and WA3; nothing else. */
static void test_xen_guest_caps(void **state)
{
    (void)state;
    caps(A57_R1P0, true, false);
    caps(0x410fd070U, true, false);
    caps(A72_R0P3, true, false);
    caps(A72_R1P0, true, false);
    caps(A72_R1P1, false, false);
    caps(A73_R0P2, true, true);
    caps(A75_R3P1, true, true);
    caps(A76_R4P1, false, false);
    caps(A53_R0P4, false, false);
    caps(QEMU_MAX, false, false);
    caps(0x511fd070U, false, false);
}

static void parse(const char *s, int want_rc, enum ssbd_state before, enum ssbd_state after)
{
    enum ssbd_state st = before;
    int rc = spectre_parse_spec_ctrl(s, &st);

    if ((rc != want_rc) || (st != after)) {
        fail_msg("\"%s\": rc %d state %d, want rc %d state %d", s, rc, st, want_rc, after);
    }
}

static void test_parse_spec_ctrl(void **state)
{
    (void)state;
    parse("ssbd=force-disable", 0, SSBD_RUNTIME, SSBD_FORCE_DISABLE);
    parse("ssbd=force-enable", 0, SSBD_RUNTIME, SSBD_FORCE_ENABLE);
    parse("ssbd=runtime", 0, SSBD_FORCE_ENABLE, SSBD_RUNTIME);
    parse("ssbd=force-enable,ssbd=runtime", 0, SSBD_RUNTIME, SSBD_RUNTIME);
    parse("ssbd=sometimes", -EINVAL, SSBD_RUNTIME, SSBD_RUNTIME);
    parse("ssbd=force-enabled", -EINVAL, SSBD_RUNTIME, SSBD_RUNTIME);
    parse("ssbd=", -EINVAL, SSBD_RUNTIME, SSBD_RUNTIME);
    parse("", -EINVAL, SSBD_RUNTIME, SSBD_RUNTIME);
    parse("no", -EINVAL, SSBD_RUNTIME, SSBD_RUNTIME);
    parse("bhb=on", -EINVAL, SSBD_RUNTIME, SSBD_RUNTIME);
    /* Like Xen: every item is applied, a bad one only sets the error. */
    parse("bogus,ssbd=force-enable", -EINVAL, SSBD_RUNTIME, SSBD_FORCE_ENABLE);
    parse("ssbd=force-disable,", -EINVAL, SSBD_RUNTIME, SSBD_FORCE_DISABLE);
}

static void ssbd_step(enum ssbd_state before, const struct spectre_fw *f, enum ssbd_state after,
                      bool call, uint64_t arg, bool callback)
{
    enum ssbd_state st = before;
    struct ssbd_action a = spectre_ssbd_cpu(&st, f);

    if ((st != after) || (a.call_firmware != call) || (call && (a.arg != arg)) ||
        (a.runtime_callback != callback)) {
        fail_msg("state %d, WA2 %d: state %d call %d(%llu) callback %d", before, f->wa2, st,
                 a.call_firmware, (unsigned long long)a.arg, a.runtime_callback);
    }
}

/* Xen 4.17's has_ssbd_mitigation, one firmware answer at a time. */
static void test_ssbd_state_machine(void **state)
{
    struct spectre_fw required = fw(-1, 0, -1);
    struct spectre_fw not_here = fw(-1, 1, -1);
    struct spectre_fw unsupported = fw(-1, -1, -1);
    struct spectre_fw always_on = fw(-1, -2, -1);
    struct spectre_fw odd = fw(-1, 7, -1);

    (void)state;
    /* SMCCC 1.0 firmware: nothing asked, the command line stands. */
    for (int s = SSBD_UNKNOWN; s <= SSBD_MITIGATED; s++) {
        ssbd_step((enum ssbd_state)s, &no_fw, (enum ssbd_state)s, false, 0, false);
    }
    ssbd_step(SSBD_RUNTIME, &required, SSBD_RUNTIME, true, 1, true);
    ssbd_step(SSBD_FORCE_DISABLE, &required, SSBD_FORCE_DISABLE, true, 0, false);
    ssbd_step(SSBD_FORCE_ENABLE, &required, SSBD_FORCE_ENABLE, true, 1, false);
    ssbd_step(SSBD_RUNTIME, &not_here, SSBD_RUNTIME, false, 0, false);
    ssbd_step(SSBD_FORCE_DISABLE, &not_here, SSBD_FORCE_DISABLE, true, 0, false);
    ssbd_step(SSBD_FORCE_ENABLE, &not_here, SSBD_FORCE_ENABLE, true, 1, false);
    ssbd_step(SSBD_FORCE_ENABLE, &unsupported, SSBD_UNKNOWN, false, 0, false);
    ssbd_step(SSBD_RUNTIME, &always_on, SSBD_MITIGATED, false, 0, false);
    ssbd_step(SSBD_FORCE_DISABLE, &always_on, SSBD_MITIGATED, false, 0, false);
    /* A later CPU cannot undo what an earlier one settled. */
    ssbd_step(SSBD_UNKNOWN, &required, SSBD_UNKNOWN, false, 0, false);
    ssbd_step(SSBD_MITIGATED, &required, SSBD_MITIGATED, false, 0, false);
    ssbd_step(SSBD_RUNTIME, &odd, SSBD_RUNTIME, false, 0, false);
}

static void test_ssbd_guest_answers(void **state)
{
    (void)state;
    assert_int_equal(spectre_ssbd_guest_answer(SSBD_RUNTIME), 0);
    assert_int_equal(spectre_ssbd_guest_answer(SSBD_FORCE_DISABLE), -1);
    assert_int_equal(spectre_ssbd_guest_answer(SSBD_UNKNOWN), -1);
    assert_int_equal(spectre_ssbd_guest_answer(SSBD_FORCE_ENABLE), -2);
    assert_int_equal(spectre_ssbd_guest_answer(SSBD_MITIGATED), -2);
    assert_string_equal(spectre_ssbd_name(SSBD_RUNTIME), "runtime");
    assert_string_equal(spectre_ssbd_name(SSBD_FORCE_DISABLE), "force-disable");
    assert_string_equal(spectre_ssbd_name(SSBD_FORCE_ENABLE), "force-enable");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_loop_counts_by_core),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_id_registers_first),
        cmocka_unit_test(test_a57_a72_firmware_wa1),
        cmocka_unit_test(test_firmware_only_cores),
        cmocka_unit_test(test_unlisted_cores),
        cmocka_unit_test(test_xen_guest_caps),
        cmocka_unit_test(test_parse_spec_ctrl),
        cmocka_unit_test(test_ssbd_state_machine),
        cmocka_unit_test(test_ssbd_guest_answers),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
