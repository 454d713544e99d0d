/* Declarations shared inside arch/arm64 only. */
#ifndef ASM_ARM64_H
#define ASM_ARM64_H

#include <proxenos/types.h>
#include <proxenos/lib.h>
#include <proxenos/arch/irq.h>
#include <proxenos/arch/time.h>

/* From the linker script (_start_image is _start, the Image header, as the
 * script asserts: C takes the image's bounds from the script, not from
 * head.S). */
extern char _start_image[], _end[];
extern char __text_start[], __text_end[];
extern char __rodata_start[], __rodata_end[];
extern char __data_start[], __bss_start[], __bss_end[];
extern char cpu_stacks[];
extern char hyp_vectors[];
extern char boot_l0[], boot_l1[], boot_l2[];

/* head.S */
void halt_forever(void) __noreturn;

/* early_boot.c */
void early_wrong_el(uint64_t el, paddr_t dtb) __noreturn;
void early_puts(const char *s);
void early_console_enable(void);

/* mm.c */
void mm_init_early(paddr_t load_pa);
int mm_map_directmap(paddr_t start, uint64_t size);
void mm_protect_image(void);
paddr_t image_phys_start(void);
paddr_t image_phys_end(void);

/* gic_v3.c */
int gic_init(paddr_t dist, uint64_t dist_size, paddr_t redist, uint64_t redist_size);
int gic_cpu_init(void);
void gic_handle_irq(void);
void gic_send_sgi(unsigned int cpu, unsigned int sgi);
void gic_enable_ppi(unsigned int intid);
void gic_set_cpu_mpidr(unsigned int cpu, uint64_t mpidr);
unsigned int gic_nr_lines(void);
/* An SPI a guest gets: handler runs when it fires, trigger set (edge or
 * level), routed to the calling CPU, left disabled. -EINVAL for a line
 * that is no SPI, -EBUSY when the hypervisor or another guest has it. */
int gic_guest_spi_claim(unsigned int irq, bool edge, irq_handler_t handler, void *data);
/* Disable the SPI, clear its pending and active state, forget its handler. */
void gic_guest_spi_release(unsigned int irq);
/* The data a claimed SPI's handler gets (its owner), NULL once released. */
void *gic_guest_spi_owner(unsigned int irq);
/* Unmask or mask one SPI (masking waits until the distributor has done it). */
void gic_spi_set_enabled(unsigned int irq, bool on);
void arch_cpu_init_virt(void);
void arch_enter_idle(void) __noreturn;

/* time.c */
void time_init(uint32_t dt_frequency, unsigned int hyp_timer_ppi);
void time_cpu_init(void);
/* System time (ns) at which the physical counter reads count. */
s_time_t counter_to_stime(uint64_t count);

/* psci.c */
int psci_init(bool use_smc);
int psci_cpu_on(uint64_t mpidr, paddr_t entry, uint64_t context);
uint32_t psci_version(void);

/* smp.c */
/* secondary_va: the entry point (head.S's, as start_hypervisor got it). */
unsigned int smp_bring_up(const uint64_t *mpidrs, unsigned int nr, const void *secondary_va);
void cpu_init_el2(unsigned int cpu);
void start_secondary(unsigned int cpu) __noreturn;

/* setup.c */
void start_hypervisor(paddr_t dtb, paddr_t load_pa, const void *secondary_va) __noreturn;

/* crash.c */
void crash_dump(const void *frame, const char *why);

#endif
