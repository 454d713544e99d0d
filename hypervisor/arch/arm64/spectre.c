/* Speculation mitigations on the running system: each CPU reads its ID
 * registers, asks firmware what it offers, lets spectre_policy.c decide,
 * installs the vector table that runs the chosen branch-history mitigation
 * on every exception entry from a guest (entry.S), and says so once:
 *
 *     CPU 0: Spectre-BHB mitigation: loop x8 (Cortex-A72 r0p3, MIDR 0x410fd083)
 *
 * Guests learn through SMCCC_ARCH_FEATURES what Xen 4.17 would tell them on
 * the same CPUs, and may call the workarounds (spectre_guest.c, which this
 * file tells what each CPU offers). SSBD follows Xen 4.17's
 * spec-ctrl=ssbd=force-disable|runtime|force-enable (default runtime).
 *
 * CPUs come up one at a time (smp_bring_up waits for each), so the boot
 * state below is written by one CPU at a time and only read afterwards. */
#include <asm/arm64.h>
#include <asm/spectre.h>
#include <asm/sysregs.h>
#include <proxenos/arch/cpu.h>
#include <proxenos/cmdline.h>
#include <proxenos/printk.h>

/* Not every assembler knows ID_AA64ISAR2_EL1 (Armv8.7) by name; reading
 * it on an older CPU gives 0 (reserved ID registers read as zero). */
#define ID_AA64ISAR2_EL1 S3_0_C0_C6_2

#define SMCCC_1_1 0x10001

static bool firmware_by_smc;
static enum ssbd_state ssbd = SSBD_RUNTIME;

static int parse_spec_ctrl(const char *s)
{
    return spectre_parse_spec_ctrl(s, &ssbd);
}
PARAM_CUSTOM("spec-ctrl", parse_spec_ctrl);

/* An SMCCC call to firmware; x4-x17 may be clobbered. Only reached when
 * firmware_by_smc. */
static uint64_t firmware_call(uint32_t fid, uint64_t arg)
{
    register uint64_t x0 __asm__("x0") = fid;
    register uint64_t x1 __asm__("x1") = arg;
    register uint64_t x2 __asm__("x2") = 0U;
    register uint64_t x3 __asm__("x3") = 0U;

    __asm__ volatile("smc #0"
                     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
                     :
                     : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13",
                       "x14", "x15", "x16", "x17", "memory");
    return x0;
}

/* SMCCC answers are 32-bit signed values in w0. */
static int32_t firmware_ret(uint64_t x0)
{
    return (int32_t)(uint32_t)x0;
}

/* ARCH_FEATURES exists from SMCCC 1.1 on, which PSCI_FEATURES(SMCCC_VERSION)
 * announces; a PSCI without it (QEMU's own, SMCCC 1.0) is not asked more:
 * an unknown function might not even return. */
static void probe_firmware(struct spectre_fw *fw)
{
    fw->smccc_1_1 = false;
    fw->wa1 = SMCCC_RET_NOT_SUPPORTED;
    fw->wa2 = SMCCC_RET_NOT_SUPPORTED;
    fw->wa3 = SMCCC_RET_NOT_SUPPORTED;
    if (!firmware_by_smc) {
        return;
    }
    if (firmware_ret(firmware_call(SMCCC_PSCI_FEATURES_FID, SMCCC_VERSION_FID)) < 0) {
        return;
    }
    if (firmware_ret(firmware_call(SMCCC_VERSION_FID, 0U)) < SMCCC_1_1) {
        return;
    }
    fw->smccc_1_1 = true;
    fw->wa1 = firmware_ret(firmware_call(SMCCC_ARCH_FEATURES_FID, SMCCC_ARCH_WORKAROUND_1));
    fw->wa2 = firmware_ret(firmware_call(SMCCC_ARCH_FEATURES_FID, SMCCC_ARCH_WORKAROUND_2));
    fw->wa3 = firmware_ret(firmware_call(SMCCC_ARCH_FEATURES_FID, SMCCC_ARCH_WORKAROUND_3));
}

static const char *vectors_for(const struct bhb_choice *c)
{
    switch (c->kind) {
    case BHB_LOOP:
        if (c->loops <= 8U) {
            return hyp_vectors_bhb_loop8;
        }
        return (c->loops <= 24U) ? hyp_vectors_bhb_loop24 : hyp_vectors_bhb_loop32;
    case BHB_CLRBHB:
        return hyp_vectors_bhb_clrbhb;
    case BHB_FW_WA3:
        return hyp_vectors_fw_wa3;
    case BHB_FW_WA1:
        return hyp_vectors_fw_wa1;
    case BHB_NOT_AFFECTED:
    case BHB_NONE_CSV2_3:
    case BHB_NONE_ECBHB:
    case BHB_UNMITIGATED:
    default:
        return hyp_vectors;
    }
}

static void print_choice(unsigned int cpu, const struct spectre_cpu_regs *r,
                         const struct bhb_choice *c)
{
    const char *core = spectre_core_name(r->midr);
    char what[64];
    char model[48];

    if (c->kind == BHB_LOOP) {
        (void)snprintf(what, sizeof(what), "loop x%u", c->loops);
    } else {
        (void)snprintf(what, sizeof(what), "%s", spectre_bhb_kind_name(c->kind));
    }
    if (core != NULL) {
        (void)snprintf(model, sizeof(model), "%s r%up%u, ", core,
                       (unsigned int)(r->midr >> 20) & 0xfU, (unsigned int)r->midr & 0xfU);
    } else {
        (void)snprintf(model, sizeof(model), "unknown core, ");
    }
    if (c->kind == BHB_UNMITIGATED) {
        pr_warn("CPU %u: Spectre-BHB mitigation: %s (%sMIDR 0x%08x)\n", cpu, what, model,
                (unsigned int)r->midr);
    } else {
        pr_info("CPU %u: Spectre-BHB mitigation: %s (%sMIDR 0x%08x)\n", cpu, what, model,
                (unsigned int)r->midr);
    }
}

static void print_firmware(const struct spectre_fw *fw)
{
    if (!firmware_by_smc) {
        pr_info("Spectre: no firmware to call (PSCI is not over SMC)\n");
    } else if (!fw->smccc_1_1) {
        pr_info("Spectre: firmware has SMCCC 1.0: no ARCH_WORKAROUND_1/2/3\n");
    } else {
        pr_info("Spectre: firmware ARCH_FEATURES: WORKAROUND_1 %d, _2 %d, _3 %d\n",
                fw->wa1, fw->wa2, fw->wa3);
    }
}

static void print_guest_view(void)
{
    pr_info("Spectre: SSBD %s; guests see ARCH_WORKAROUND_1 %d, _2 %d, _3 %d\n",
            spectre_ssbd_name(ssbd), spectre_guest_arch_features(SMCCC_ARCH_WORKAROUND_1),
            spectre_guest_arch_features(SMCCC_ARCH_WORKAROUND_2),
            spectre_guest_arch_features(SMCCC_ARCH_WORKAROUND_3));
}

/* Everything one CPU does; returns whether what guests are told changed. */
static bool cpu_setup(unsigned int cpu, struct spectre_fw *fw)
{
    struct spectre_cpu_regs r;
    struct bhb_choice c;
    struct ssbd_action a;
    enum ssbd_state before = ssbd;
    bool wa1;
    bool wa3;

    r.midr = READ_SYSREG(midr_el1);
    r.pfr0 = READ_SYSREG(id_aa64pfr0_el1);
    r.mmfr1 = READ_SYSREG(id_aa64mmfr1_el1);
    r.isar2 = READ_SYSREG(ID_AA64ISAR2_EL1);
    probe_firmware(fw);

    c = spectre_bhb_choose(&r, fw);
    WRITE_SYSREG(vbar_el2, (uintptr_t)vectors_for(&c));
    isb();
    print_choice(cpu, &r, &c);

    a = spectre_ssbd_cpu(&ssbd, fw);
    if (a.call_firmware) {
        (void)firmware_call(SMCCC_ARCH_WORKAROUND_2, a.arg);
    }
    if (a.runtime_callback) {
        pr_info("CPU %u: SSBD: firmware mitigation on, for guests too (not switched per guest)\n",
                cpu);
    }

    spectre_xen_guest_caps(r.midr, &wa1, &wa3);
    return spectre_guest_offer(wa1, wa3, ssbd) || (ssbd != before);
}

void spectre_init(bool firmware_smc)
{
    struct spectre_fw fw;

    firmware_by_smc = firmware_smc;
    (void)cpu_setup(0U, &fw);
    print_firmware(&fw);
    print_guest_view();
}

void spectre_cpu_init(unsigned int cpu)
{
    struct spectre_fw fw;

    if (cpu_setup(cpu, &fw)) {
        print_guest_view();
    }
}
