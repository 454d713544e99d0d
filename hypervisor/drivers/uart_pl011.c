/* PL011 UART driver: polled transmit, interrupt-driven receive. */
#include <proxenos/arch/irq.h>
#include <proxenos/arch/mm.h>
#include <proxenos/console.h>
#include <proxenos/drivers/pl011.h>
#include <proxenos/errno.h>
#include <proxenos/printk.h>

#define UARTDR    0x00U
#define UARTFR    0x18U
#define UARTIMSC  0x38U
#define UARTICR   0x44U

#define FR_RXFE   (1U << 4)
#define FR_TXFF   (1U << 5)
#define INT_RX    (1U << 4)
#define INT_RT    (1U << 6)
#define INT_ALL   0x7ffU

static inline uint32_t reg_read(uintptr_t base, uint32_t off)
{
    return *(volatile const uint32_t *)(base + off);
}

static inline void reg_write(uintptr_t base, uint32_t off, uint32_t v)
{
    *(volatile uint32_t *)(base + off) = v;
}

/* The PL011 itself and the SBSA generic UART, its register subset. */
const char *const pl011_compatibles[PL011_NR_COMPATIBLES] = { "arm,pl011", "arm,sbsa-uart" };

void pl011_raw_putc(uintptr_t base, char c)
{
    while ((reg_read(base, UARTFR) & FR_TXFF) != 0U) {
        /* wait for room in the transmit FIFO */
    }
    reg_write(base, UARTDR, (uint32_t)(unsigned char)c);
}

static void pl011_putc(const struct console_driver *drv, char c)
{
    pl011_raw_putc((uintptr_t)drv->priv, c);
}

static struct console_driver pl011_console;

/* Input waits in the FIFO while the console has no room for it: a full
 * FIFO holds back the line (QEMU stops reading its character device),
 * so nothing typed ahead is lost. The receive interrupts are masked
 * meanwhile. The receive interrupt is left to clear itself as the FIFO
 * drains, not cleared here: bytes left behind keep it raised, so that
 * unmasking it (rx_resume) brings the handler back for them. */
static void pl011_interrupt(unsigned int irq, void *data)
{
    uintptr_t base = (uintptr_t)data;

    (void)irq;
    reg_write(base, UARTICR, INT_RT);
    while ((reg_read(base, UARTFR) & FR_RXFE) == 0U) {
        if (!console_input_ready()) {
            reg_write(base, UARTIMSC, 0U);
            console_input_stall(&pl011_console);
            break;
        }
        console_receive((char)(reg_read(base, UARTDR) & 0xffU));
    }
}

static void pl011_rx_resume(const struct console_driver *drv)
{
    reg_write((uintptr_t)drv->priv, UARTIMSC, INT_RX | INT_RT);
}

static struct console_driver pl011_console = { "pl011", pl011_putc, NULL, pl011_rx_resume };

int pl011_console_init(paddr_t base, size_t size)
{
    void *regs = arch_ioremap(base, MAX(size, (size_t)0x1000U));

    if (regs == NULL) {
        return -ENOMEM;
    }
    pl011_console.priv = regs;
    /* Polled output until the interrupt controller is up. */
    reg_write((uintptr_t)regs, UARTIMSC, 0U);
    console_set_driver(&pl011_console);
    return 0;
}

int pl011_console_enable_input(unsigned int irq)
{
    uintptr_t regs = (uintptr_t)pl011_console.priv;
    int rc;

    if (regs == 0U) {
        return -ENODEV;
    }
    reg_write(regs, UARTICR, INT_ALL);
    rc = arch_irq_request(irq, pl011_interrupt, pl011_console.priv);
    if (rc == 0) {
        reg_write(regs, UARTIMSC, INT_RX | INT_RT);
    }
    return rc;
}
