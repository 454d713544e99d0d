/*
 * hello: the smallest useful guest. Prints its name (bootargs "name=..."),
 * what it sees of the machine, then `count` numbered lines `interval_ms`
 * apart, so that several guests running at once interleave visibly.
 *
 * bootargs: name=<word> (default "hello"), count=<n> (5), interval_ms=<n> (100)
 *
 * With read=<n> (at most 255) it then reads n bytes typed on its UART,
 * slowly (one every read_gap_ms, default 5), and prints them on one line:
 * keys typed ahead of a guest that reads slower than they come must all
 * arrive (the console holds them back instead of dropping them).
 */
#include "guest.h"
#include "pl011.h"

/* End of the image and its .bss (guest.lds): RAM we must not scribble on. */
extern const char _end[];

static bool overlaps(uint64_t a, uint64_t a_end, uint64_t b, uint64_t b_end)
{
    return (a < b_end) && (b < a_end);
}

/*
 * Writes and reads back a word in the middle and at the very end of each
 * RAM bank (skipping the image and the device tree): every bank the tree
 * advertises must really be there, up to its last byte.
 */
static void check_memory(const struct platform *p)
{
    uint64_t img = p->load_addr;
    uint64_t img_end = (uint64_t)(uintptr_t)_end;
    uint64_t dtb = (uint64_t)(uintptr_t)p->dtb;
    uint64_t dtb_end = dtb + p->fdt.totalsize;
    uint32_t bad = 0U;
    uint32_t probed = 0U;
    uint32_t i;

    for (i = 0U; i < p->mem_count; i++) {
        uint64_t spots[2];
        uint32_t k;

        spots[0] = (p->mem[i].base + (p->mem[i].size / 2U)) & ~UINT64_C(7);
        spots[1] = p->mem[i].base + p->mem[i].size - 8U;
        for (k = 0U; k < 2U; k++) {
            volatile uint64_t *w = (volatile uint64_t *)(uintptr_t)spots[k];
            uint64_t pattern = spots[k] ^ UINT64_C(0x5a5aa5a5c3c33c3c);

            if (overlaps(spots[k], spots[k] + 8U, img, img_end) ||
                overlaps(spots[k], spots[k] + 8U, dtb, dtb_end)) {
                continue;
            }
            *w = pattern;
            if (*w != pattern) {
                bad++;
            }
            probed++;
        }
    }
    test_check("hello_memory", (bad == 0U) && (probed > 0U), "%u of %u probes read back wrong",
               bad, probed);
}

#define READ_MAX     255U
#define READ_TIMEOUT_MS 60000U

static void read_typed(const struct platform *p, const char *name, uint64_t n, uint64_t gap)
{
    char text[READ_MAX + 1U];
    uint64_t got = 0U;
    uint64_t waited = 0U;

    if (!p->has_uart || (n > READ_MAX)) {
        test_fail("hello_read", "no UART, or read=%lu over %u", n, READ_MAX);
        return;
    }
    printf("hello %s: reading %lu bytes\n", name, n);
    while ((got < n) && (waited < READ_TIMEOUT_MS)) {
        int c = pl011_getc((uintptr_t)p->uart_base);

        if (c < 0) {
            delay_ms(1U);
            waited++;
            continue;
        }
        text[got] = (char)c;
        got++;
        delay_ms(gap);
    }
    text[got] = '\0';
    printf("hello %s: read %lu bytes: %s\n", name, got, text);
    test_check("hello_read", got == n, "%lu of %lu bytes", got, n);
}

void guest_main(const struct platform *p)
{
    char name[32] = "hello";
    uint64_t count = bootarg_u64(p->bootargs, "count", 5U);
    uint64_t interval = bootarg_u64(p->bootargs, "interval_ms", 100U);
    uint64_t i;

    (void)bootarg_get(p->bootargs, "name", name, sizeof(name));
    printf("hello %s: console %s, bootargs \"%s\"\n", name, console_backend_name(), p->bootargs);
    printf("hello %s: image at 0x%lx, device tree at %p\n", name, p->load_addr, p->dtb);
    printf("hello %s: %lu MiB RAM in %u bank(s), %u vCPU(s)\n",
           name, p->mem_total >> 20, p->mem_count, p->cpu_count);
    for (i = 0U; i < p->mem_count; i++) {
        printf("hello %s: memory 0x%lx-0x%lx\n",
               name, p->mem[i].base, p->mem[i].base + p->mem[i].size - 1U);
    }
    if (p->has_hypervisor) {
        printf("hello %s: hypervisor \"%s\", grant table 0x%lx+0x%lx, evtchn INTID %u\n",
               name, p->hypervisor_compat, p->gnttab_base, p->gnttab_size, p->evtchn_intid);
    }
    for (i = 1U; i <= count; i++) {
        printf("hello %s: line %lu of %lu\n", name, i, count);
        delay_ms(interval);
    }
    check_memory(p);
    if (bootarg_u64(p->bootargs, "read", 0U) != 0U) {
        read_typed(p, name, bootarg_u64(p->bootargs, "read", 0U),
                   bootarg_u64(p->bootargs, "read_gap_ms", 5U));
    }
    test_check("hello", (p->mem_count > 0U) && (p->cpu_count > 0U),
               "saw %u memory banks and %u vCPUs", p->mem_count, p->cpu_count);
}
