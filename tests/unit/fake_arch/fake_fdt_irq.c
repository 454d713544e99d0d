/* Device tree interrupts for host tests: the simplest controller binding,
 * one cell per interrupt holding its number, no flags. Tests of the Arm
 * GIC binding link arch/arm64/fdt_irq_gic.c, which replaces this one
 * (weak). */
#include <proxenos/arch/fdt_irq.h>
#include <proxenos/errno.h>

__attribute__((weak)) int arch_fdt_irq_decode(const uint8_t *prop, uint32_t len, uint32_t cells,
                                              uint32_t index, uint32_t *irq, uint32_t *flags)
{
    const uint8_t *cell;

    if (cells != 1U) {
        return -EOPNOTSUPP;
    }
    if ((len % 4U) != 0U) {
        return -EINVAL;
    }
    if (index >= (len / 4U)) {
        return -ENOENT;
    }
    cell = &prop[index * 4U];
    *irq = ((uint32_t)cell[0] << 24) | ((uint32_t)cell[1] << 16) | ((uint32_t)cell[2] << 8) |
           (uint32_t)cell[3];
    *flags = 0U;
    return 0;
}
