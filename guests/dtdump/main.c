/*
 * dtdump: prints the device tree the hypervisor built for this guest, as
 * hex lines "DTB <offset> <up to 32 bytes>", between "DTB BEGIN <size>"
 * and "DTB END". To turn a console log back into a .dtb:
 *   sed -n 's/.*DTB [0-9a-f]\{8\} //p' console.log | xxd -r -p > guest.dtb
 * Used to document (and diff) what Xen 4.17 and Proxenos give a domU.
 */
#include "guest.h"

#define BYTES_PER_LINE 32U

void guest_main(const struct platform *p)
{
    const uint8_t *b = p->dtb;
    uint32_t size = p->fdt.totalsize;
    uint32_t off;

    printf("DTB BEGIN %u\n", size);
    for (off = 0U; off < size; off += BYTES_PER_LINE) {
        char line[2U * BYTES_PER_LINE + 1U];
        uint32_t n = ((size - off) < BYTES_PER_LINE) ? (size - off) : BYTES_PER_LINE;
        uint32_t i;

        for (i = 0U; i < n; i++) {
            (void)snprintf(&line[2U * i], 3U, "%02x", b[off + i]);
        }
        printf("DTB %08x %s\n", off, line);
    }
    printf("DTB END\n");
    test_pass("dtdump");
}
