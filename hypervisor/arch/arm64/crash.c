/* A readable dump of a hypervisor exception: why, where, the registers,
 * the syndrome decoded and a frame-pointer backtrace. */
#include <asm/arm64.h>
#include <asm/esr.h>
#include <asm/memlayout.h>
#include <asm/trap_frame.h>
#include <proxenos/arch/cpu.h>
#include <proxenos/printk.h>

struct ec_name {
    uint8_t ec;
    const char *name;
};

static const struct ec_name ec_names[] = {
    { 0x00U, "unknown reason (undefined instruction?)" },
    { 0x01U, "WFI/WFE" },
    { 0x07U, "FP/SIMD access" },
    { 0x0eU, "illegal execution state" },
    { 0x15U, "SVC (AArch64)" },
    { 0x16U, "HVC (AArch64)" },
    { 0x17U, "SMC (AArch64)" },
    { 0x18U, "MSR/MRS/system instruction" },
    { 0x20U, "instruction abort from a lower EL" },
    { 0x21U, "instruction abort at EL2" },
    { 0x22U, "PC alignment fault" },
    { 0x24U, "data abort from a lower EL" },
    { 0x25U, "data abort at EL2" },
    { 0x26U, "SP alignment fault" },
    { 0x2fU, "SError" },
    { 0x31U, "breakpoint at EL2" },
    { 0x33U, "software step at EL2" },
    { 0x35U, "watchpoint at EL2" },
    { 0x3cU, "BRK instruction" },
};

static const char *ec_describe(unsigned int ec)
{
    for (unsigned int i = 0U; i < ARRAY_SIZE(ec_names); i++) {
        if (ec_names[i].ec == ec) {
            return ec_names[i].name;
        }
    }
    return "other";
}

static const char *fault_status(unsigned int fsc)
{
    switch (fsc & 0x3cU) {
    case 0x00U: return "address size fault";
    case 0x04U: return "translation fault";
    case 0x08U: return "access flag fault";
    case 0x0cU: return "permission fault";
    default: break;
    }
    switch (fsc) {
    case 0x10U: return "synchronous external abort";
    case 0x21U: return "alignment fault";
    case 0x30U: return "TLB conflict abort";
    default: return "other fault";
    }
}

static void decode_esr(uint64_t esr, uint64_t far)
{
    unsigned int ec = esr_ec(esr);
    uint32_t iss = esr_iss(esr);

    pr_err("ESR_EL2: 0x%016llx  EC 0x%02x: %s, IL %u, ISS 0x%07x\n",
           (unsigned long long)esr, ec, ec_describe(ec), esr_il32(esr) ? 1U : 0U, iss);
    if ((ec == 0x20U) || (ec == 0x21U) || (ec == 0x24U) || (ec == 0x25U)) {
        unsigned int fsc = iss & 0x3fU;
        bool is_data = (ec >= 0x24U);

        pr_err("  %s: %s at level %u%s, address 0x%016llx\n",
               is_data ? "data abort" : "instruction abort", fault_status(fsc), fsc & 3U,
               (is_data && ((iss & (1U << 6)) != 0U)) ? " on a write" :
               (is_data ? " on a read" : ""),
               (unsigned long long)far);
    }
}

static void backtrace(uint64_t fp)
{
    uintptr_t lo = (uintptr_t)cpu_stacks + ((uintptr_t)arch_cpu_id() * STACK_SIZE);
    uintptr_t hi = lo + STACK_SIZE;

    pr_err("Backtrace (addr2line -e proxenos.elf):\n");
    for (unsigned int depth = 0U; depth < 32U; depth++) {
        const uint64_t *rec = (const uint64_t *)(uintptr_t)fp;

        if ((fp < lo) || ((fp + 16U) > hi) || ((fp & 7U) != 0U)) {
            break;
        }
        if (rec[1] != 0U) {
            pr_err("  [<%016llx>]\n", (unsigned long long)rec[1]);
        }
        if (rec[0] <= fp) {
            break;      /* frames grow towards higher addresses */
        }
        fp = rec[0];
    }
}

void crash_dump(const void *frame, const char *why)
{
    const struct trap_frame *f = frame;

    pr_err("----[ Proxenos crash on CPU %u: %s ]----\n", arch_cpu_id(), why);
    pr_err("PC (ELR_EL2): 0x%016llx  SPSR_EL2: 0x%08llx  SP: 0x%016llx\n",
           (unsigned long long)f->elr, (unsigned long long)f->spsr, (unsigned long long)f->sp);
    pr_err("FAR_EL2: 0x%016llx\n", (unsigned long long)f->far);
    decode_esr(f->esr, f->far);
    for (unsigned int i = 0U; i < 30U; i += 3U) {
        pr_err("x%-2u %016llx  x%-2u %016llx  x%-2u %016llx\n",
               i, (unsigned long long)f->x[i], i + 1U, (unsigned long long)f->x[i + 1U],
               i + 2U, (unsigned long long)f->x[i + 2U]);
    }
    pr_err("x30 %016llx\n", (unsigned long long)f->x[30]);
    backtrace((uint64_t)(uintptr_t)f->fp_record);
}
