/* GIC interrupt specifiers in a device tree (the arch_fdt_irq_decode
 * hook): <type number flags>, where the type cell says which INTID range
 * the number indexes, and a GICv3 may add a 4th cell (the PPI partition)
 * that we do not use. */
#include <proxenos/arch/fdt_irq.h>
#include <proxenos/errno.h>
#include <proxenos/fdt.h>

#define GIC_SPEC_SPI   0U
#define GIC_SPEC_PPI   1U
#define GIC_SPEC_ESPI  2U
#define GIC_SPEC_EPPI  3U
#define GIC_SPI_BASE   32U
#define GIC_SPI_COUNT  988U     /* INTIDs 32..1019 */
#define GIC_PPI_BASE   16U
#define GIC_PPI_COUNT  16U
#define GIC_ESPI_BASE  4096U
#define GIC_ESPI_COUNT 1024U
#define GIC_EPPI_BASE  1056U
#define GIC_EPPI_COUNT 64U

static int gic_intid(uint32_t type, uint32_t number, uint32_t *intid)
{
    uint32_t base;
    uint32_t count;

    switch (type) {
    case GIC_SPEC_SPI:
        base = GIC_SPI_BASE;
        count = GIC_SPI_COUNT;
        break;
    case GIC_SPEC_PPI:
        base = GIC_PPI_BASE;
        count = GIC_PPI_COUNT;
        break;
    case GIC_SPEC_ESPI:
        base = GIC_ESPI_BASE;
        count = GIC_ESPI_COUNT;
        break;
    case GIC_SPEC_EPPI:
        base = GIC_EPPI_BASE;
        count = GIC_EPPI_COUNT;
        break;
    default:
        return -EINVAL;
    }
    if (number >= count) {
        return -EINVAL;
    }
    *intid = base + number;
    return 0;
}

int arch_fdt_irq_decode(const uint8_t *prop, uint32_t len, uint32_t cells, uint32_t index,
                        uint32_t *irq, uint32_t *flags)
{
    const uint8_t *spec;
    uint32_t entry;

    /* 3 cells, or a GICv3's 4 of which we read the first 3. */
    if ((cells != 3U) && (cells != 4U)) {
        return -EOPNOTSUPP;
    }
    entry = cells * 4U;
    if ((len % entry) != 0U) {
        return -EINVAL;
    }
    if (index >= (len / entry)) {
        return -ENOENT;
    }
    spec = &prop[index * entry];
    if (gic_intid(fdt_be32(spec), fdt_be32(&spec[4]), irq) != 0) {
        return -EINVAL;
    }
    *flags = fdt_be32(&spec[8]);
    return 0;
}
