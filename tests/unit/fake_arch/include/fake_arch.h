/* Host stand-ins for the architecture hooks (include/proxenos/arch/) and
 * for the console (printk, panic), linked into every host unit test.
 *
 * The fakes do the simplest thing that keeps common code honest and let a
 * test look at, or steer, what the hardware would have done:
 *
 *   console   printk/vprintk print "(PXN) <lvl> text" on stdout and keep a
 *             copy in a log a test can search; panic() longjmps back into a
 *             test that expected it, otherwise it prints and abort()s.
 *             printk, vprintk and panic are weak: a test that links the real
 *             console code gets the real ones.
 *   cpu       the running CPU number is a variable (fake_set_cpu); each fake
 *             CPU has its own interrupt-mask flag; IPIs and WFIs are counted.
 *   irq       arch_irq_request records handlers; a test fires them.
 *   time      the clock stands still until a test moves it; the last timer
 *             deadline is recorded.
 *   mm        "physical RAM" is whatever host buffers a test registers; the
 *             direct map translates between those buffers and their
 *             physical addresses, and panics on anything else; device
 *             registers for arch_ioremap are registered the same way.
 *   guest     guest memory, the running vCPU and upcalls (below).
 *   domain    <fake_domain.h>: domain and vCPU life cycle, context switch,
 *             vCPU registers, dumps; counted, and made to fail on demand.
 *   stage 2   <fake_p2m.h>: a table per domain, paging pools, cache flushes.
 *   vuart     <fake_vuart.h>: arch_vuart_init's answers.
 *   domU tree <fake_domain_fdt.h>: the architecture's check of a domU
 *             device tree and its nodes there (a test's writer, if any).
 *   dom0less  <fake_dom0less.h>: the architecture's reading of a
 *             xen,domain node (refused on demand) and its note on the
 *             "built" line.
 *
 * Between them they define every hook of include/proxenos/arch/ (except
 * nospec.h's, which is inline). Those a test may get from real arch code
 * instead are weak.
 *
 * Call fake_reset() at the start of each test (a cmocka setup function is
 * the usual place) to forget the state of the previous one.
 */
#ifndef FAKE_ARCH_H
#define FAKE_ARCH_H

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <proxenos/types.h>
#include <proxenos/arch/cpu.h>
#include <proxenos/arch/irq.h>
#include <proxenos/arch/mm.h>
#include <proxenos/arch/time.h>

/* Everything below back to its start-of-test state: CPU 0, interrupts
 * masked, clock at 0, no timer, no IPIs, empty log, no panic expected, all
 * fake RAM and devices unregistered (buffers from fake_ram_alloc are
 * released), no interrupt handlers. */
void fake_reset(void);

/* ---- console -------------------------------------------------------- */

/* Everything printk printed since the last fake_reset/fake_log_clear, as
 * one NUL-terminated string (with the "(PXN) <lvl> " prefixes). Output past
 * FAKE_LOG_SIZE bytes is dropped from the copy (stdout still gets it). */
#define FAKE_LOG_SIZE 65536U
const char *fake_log(void);
void fake_log_clear(void);
/* True when the log contains needle. */
bool fake_log_contains(const char *needle);
/* Stop (true) or restart (false) echoing printk to stdout; the log copy is
 * kept either way. Handy for tests that print thousands of lines. */
void fake_console_quiet(bool quiet);

/* ---- panic, halt and power-off --------------------------------------- */

/* Why the hypervisor stopped inside a fake_expect_panic() block. */
enum fake_stop {
    FAKE_STOP_NONE = 0,     /* it did not stop */
    FAKE_STOP_PANIC,        /* panic() */
    FAKE_STOP_HALT,         /* arch_halt() */
    FAKE_STOP_OFF,          /* arch_machine_off() */
};

/* Run the statements given as arguments and require that they panic:
 *
 *     fake_expect_panic(free_pages(m, 0));
 *     assert_true(strstr(fake_panic_msg(), "double free") != NULL);
 *
 * panic() longjmps back here, so the statements are abandoned at the panic
 * (locks the code under test holds stay held: code under test releases its
 * own locks before it panics). If they finish without panicking, the test
 * fails through cmocka. arch_machine_off() also ends the block but fails
 * the test (use fake_expect_stop() for it); arch_halt() counts as the
 * panic, because the real panic() (when a test links common/console/console.c
 * instead of the fake) ends in arch_halt() - fake_panic_msg() and
 * fake_panic_count() only see the fake panic(). Blocks do not nest. setjmp rules apply: a local variable that is assigned after the
 * block starts and read after it ends must be volatile (gcc's -Wclobbered
 * points them out); a small helper function holding just the block, with
 * the values it needs as parameters, avoids the question:
 *
 *     static void expect_free_panics(mfn_t m, unsigned int order)
 *     {
 *         fake_expect_panic(free_pages(m, order));
 *     }
 */
#define fake_expect_panic(...) \
    fake_expect_stop_(FAKE_STOP_PANIC, __FILE__, __LINE__, __VA_ARGS__)

/* Like fake_expect_panic() but for arch_halt() (FAKE_STOP_HALT) or
 * arch_machine_off() (FAKE_STOP_OFF). */
#define fake_expect_stop(kind, ...) \
    fake_expect_stop_((kind), __FILE__, __LINE__, __VA_ARGS__)

/* The message of the last panic (formatted, no prefix), "" if none. */
const char *fake_panic_msg(void);
/* How many times panic() was called since fake_reset(). */
unsigned int fake_panic_count(void);

/* Implementation of the macros above; not for direct use. */
extern jmp_buf fake_stop_env_;
void fake_stop_arm_(void);
void fake_stop_check_(enum fake_stop expected, bool returned, const char *file, int line);
#define fake_expect_stop_(kind, file, line, ...) do { \
    fake_stop_arm_(); \
    if (setjmp(fake_stop_env_) == 0) { \
        __VA_ARGS__; \
        fake_stop_check_((kind), true, (file), (line)); \
    } else { \
        fake_stop_check_((kind), false, (file), (line)); \
    } \
} while (0)

/* ---- cpu ---------------------------------------------------------------- */

/* Make arch_cpu_id() return cpu (< CONFIG_NR_CPUS) from now on, in the
 * calling host thread: a test may run one thread per fake CPU (each
 * starts as CPU 0 and should pick its own number first). The other fakes
 * are not thread safe; the code under test must bring its own locks. */
void fake_set_cpu(unsigned int cpu);
/* How many IPIs cpu received, and the target of the most recent one
 * (-1 if none since fake_reset). */
unsigned int fake_ipi_count(unsigned int cpu);
int fake_last_ipi(void);
/* How many times arch_wait_for_interrupt() ran; fn (may be NULL) is called
 * from it, so a test can make "an interrupt arrive" while a CPU idles. */
unsigned int fake_wfi_count(void);
void fake_set_wfi_hook(void (*fn)(void));
/* What arch_cpu_topology() says of cpu until fake_reset; by default each
 * CPU is its own core, all in socket 0, node 0. */
void fake_cpu_set_topology(unsigned int cpu, uint32_t core, uint32_t socket, uint32_t node);

/* ---- interrupts ------------------------------------------------------ */

/* Lines arch_irq_request accepts: 0 .. FAKE_NR_IRQS-1 (GIC SGIs, PPIs and
 * SPIs); others get -EINVAL. */
#define FAKE_NR_IRQS 1020U
/* Call the handler installed for irq as the arch interrupt path would.
 * Returns false (and calls nothing) when no handler is installed. */
bool fake_irq_fire(unsigned int irq);
/* The CPU irq was routed to (the one that requested it), -1 if none. */
int fake_irq_cpu(unsigned int irq);

/* ---- time --------------------------------------------------------------- */

void fake_set_now(s_time_t ns);
void fake_advance(s_time_t ns);
/* The deadline last passed to arch_timer_program (0: none or cancelled),
 * and how many times it was called. */
s_time_t fake_timer_deadline(void);
unsigned int fake_timer_program_count(void);

/* ---- physical memory ---------------------------------------------------- */

/* Register len bytes at buf as host RAM at physical address base, so that
 * arch_maddr_to_virt/arch_virt_to_maddr translate between them. base and
 * len must be page multiples and buf page aligned (as a real direct map
 * is), and the range must not overlap one already registered. Adjacent
 * physical ranges are separate regions: anything that may straddle them
 * (a boot allocation, a buddy block) needs them as one buffer.
 * Returns 0, -EINVAL or -ENOSPC (more than FAKE_RAM_MAX_REGIONS). */
#define FAKE_RAM_MAX_REGIONS 16U
int fake_ram_map(paddr_t base, void *buf, size_t len);
/* Register len bytes at buf as a device's registers at physical address
 * base: arch_ioremap of a range inside it returns the matching pointer,
 * of anything else NULL. Must not overlap RAM or another device.
 * Returns 0, -EINVAL or -ENOSPC. */
#define FAKE_MMIO_MAX_REGIONS 16U
int fake_mmio_map(paddr_t base, void *buf, size_t len);
/* How many times arch_ioremap was called (successfully or not). */
unsigned int fake_ioremap_count(void);

/* Allocate a zeroed, page-aligned buffer of len bytes (lazily backed, so
 * gigabytes are fine), register it at base and return it. It is released
 * by fake_reset(). Panics (through the fake panic) on failure. */
void *fake_ram_alloc(paddr_t base, size_t len);

/* ---- guest memory and upcalls (Xen PV code) --------------------------
 * The vCPU current_vcpu() returns, on every fake CPU (its table,
 * current_vcpus, is a weak definition: tests that link the scheduler's
 * current.c get the real one, which schedule() sets). Guest-physical [gpa, gpa + len) of d is
 * fake RAM at pa (register it with fake_ram_alloc first); so is RAM mapped
 * through the stage-2 hooks (fake_p2m.h) outside those ranges. Guest virtual
 * addresses are guest-physical ones, except in ranges declared faulting:
 * every access there fails, or only writes with write_only. Each
 * arch_evtchn_inject is counted per vCPU. */
struct domain;
struct vcpu;
void fake_guest_set_vcpu(struct vcpu *v);
void fake_guest_map(const struct domain *d, paddr_t gpa, paddr_t pa, uint64_t len);
void fake_guest_unmap(const struct domain *d, paddr_t gpa);
void fake_guest_fault(uint64_t gva, uint64_t len, bool write_only);
unsigned int fake_upcalls(const struct vcpu *v);
/* What arch_evtchn_default_irq() answers (0 after fake_reset()). */
void fake_set_evtchn_default_irq(unsigned int irq);

#endif
