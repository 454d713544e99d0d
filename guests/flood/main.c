/*
 * flood: a hostile console writer, for the hypervisor's per-domain console
 * rate limit. For `seconds` of virtual time it writes as fast as it can,
 * bytes of every value from a buffer that cycles through 0x00-0xff:
 *   mode=hcall  CONSOLEIO_write calls of `len` bytes each (1 GiB), all
 *               starting at the buffer (what lies past it is the rest of
 *               its RAM; a hypervisor that read it all would fault);
 *   mode=uart   the buffer through its UART (the vpl011), over and over.
 * It then ends its last line, stays quiet for `quiet_ms` (long enough for
 * its limit to recover) and prints one line that the test reads:
 *   flood done: <n> calls of <len> bytes, <bad> failed, longest <ms> ms
 *   flood done: <n> writes of <size> bytes to the uart, longest <ms> ms
 * "failed" counts calls that did not return 0; "longest" is the longest
 * single call or UART write, in milliseconds of virtual time.
 *
 * bootargs: mode=hcall|uart (hcall), seconds=<n> (8), len=<bytes> (1 GiB),
 *           quiet_ms=<n> (4000)
 */
#include "guest.h"

#define PATTERN_SIZE (1U << 20)
#define UART_WRITE   4096U

static char pattern[PATTERN_SIZE];

static uint64_t ms_of(uint64_t ticks)
{
    return timer_ticks_to_ns(ticks) / 1000000U;
}

void guest_main(const struct platform *p)
{
    char mode[8] = "hcall";
    uint64_t seconds = bootarg_u64(p->bootargs, "seconds", 8U);
    uint64_t len = bootarg_u64(p->bootargs, "len", UINT64_C(1) << 30);
    uint64_t quiet = bootarg_u64(p->bootargs, "quiet_ms", 4000U);
    bool uart;
    uint64_t start, end, calls = 0U, bad = 0U, longest = 0U;
    uint32_t i;

    (void)bootarg_get(p->bootargs, "mode", mode, sizeof(mode));
    uart = strcmp(mode, "uart") == 0;
    for (i = 0U; i < PATTERN_SIZE; i++) {
        pattern[i] = (char)(i & 0xffU);
    }
    printf("flood: %s for %lu s\n", uart ? "uart" : "console_io", seconds);
    start = timer_now();
    end = start + timer_us_to_ticks(seconds * 1000000U);
    while (timer_now() < end) {
        uint64_t t0 = timer_now();

        if (uart) {
            console_write(pattern, UART_WRITE);
        } else if (xen_console_write(pattern, len) != 0) {
            bad++;
        } else {
            /* returned 0: all of it taken, as Xen 4.17 answers */
        }
        t0 = timer_now() - t0;
        if (t0 > longest) {
            longest = t0;
        }
        calls++;
    }
    /* End the line the flood left open, so that the summary starts one. */
    if (uart) {
        console_write("\n", 1U);
    } else {
        (void)xen_console_write("\n", 1U);
    }
    delay_ms(quiet);
    if (uart) {
        printf("flood done: %lu writes of %u bytes to the uart, longest %lu ms\n",
               calls, UART_WRITE, ms_of(longest));
    } else {
        printf("flood done: %lu calls of %lu bytes, %lu failed, longest %lu ms\n",
               calls, len, bad, ms_of(longest));
    }
}
