#include "mmio.h"
#include "pl011.h"
#include "sysreg.h"

#define UARTDR      0x000U
#define UARTFR      0x018U
#define UARTFR_TXFF (1U << 5)
#define UARTFR_RXFE (1U << 4)

/*
 * Waits for room in the transmit FIFO. The bound only stops a broken
 * emulation from hanging the guest forever; characters are then written
 * anyway and may be lost.
 */
static void wait_tx_room(uintptr_t base)
{
    uint32_t spins = 0U;

    while (((mmio_read32(base + UARTFR) & UARTFR_TXFF) != 0U) && (spins < 1000000U)) {
        cpu_relax();
        spins++;
    }
}

void pl011_write(uintptr_t base, const char *s, size_t n)
{
    size_t i;

    for (i = 0U; i < n; i++) {
        wait_tx_room(base);
        mmio_write32(base + UARTDR, (uint32_t)(unsigned char)s[i]);
    }
}

int pl011_getc(uintptr_t base)
{
    if ((mmio_read32(base + UARTFR) & UARTFR_RXFE) != 0U) {
        return -1;
    }
    return (int)(mmio_read32(base + UARTDR) & 0xffU);
}
