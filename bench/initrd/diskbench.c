/*
 * diskbench DEVICE SEQ_MIB SEQ_KIB RAND_READS: reads a block device with
 * O_DIRECT (no page cache in the way: each read is a request to the
 * device) and times it with the virtual counter (CNTVCT_EL0, which Linux
 * lets user space read), for the virtio disk rows of `make bench`:
 *
 *   sequential: SEQ_MIB MiB from offset 0 in reads of SEQ_KIB KiB, one at a time
 *   random:     RAND_READS reads of 4 KiB at 4 KiB-aligned offsets over the
 *               whole device, one at a time (queue depth 1), from a fixed
 *               pseudo-random sequence (the same offsets on every run)
 *
 * Prints "DISKBENCH freq hz=<CNTFRQ>", "DISKBENCH size bytes=<n>",
 * "DISKBENCH seq bytes=<n> ticks=<t>", "DISKBENCH rand reads=<n> ticks=<t>",
 * or "DISKBENCH error <what> <errno>"; exits 0 when all of it ran.
 * No libc: a static arm64 binary for the domU's initramfs (bench/bench.py).
 */
#include <stdint.h>

#define SYS_OPENAT 56
#define SYS_LSEEK 62
#define SYS_WRITE 64
#define SYS_PREAD64 67
#define SYS_EXIT 93

#define AT_FDCWD (-100)
#define O_RDONLY 0
#define O_DIRECT 0200000    /* arm64's value (asm/fcntl.h), not the generic one */
#define SEEK_END 2

#define BUF_BYTES (1024U * 1024U)
#define PAGE 4096U

static unsigned char buf[BUF_BYTES] __attribute__((aligned(4096)));

static long sys4(long nr, long a0, long a1, long a2, long a3)
{
    register long x0 __asm__("x0") = a0;
    register long x1 __asm__("x1") = a1;
    register long x2 __asm__("x2") = a2;
    register long x3 __asm__("x3") = a3;
    register long x8 __asm__("x8") = nr;

    __asm__ volatile("svc #0" : "+r"(x0) : "r"(x1), "r"(x2), "r"(x3), "r"(x8) : "memory");
    return x0;
}

static uint64_t counter(void)
{
    uint64_t v;

    __asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v) : : "memory");
    return v;
}

static uint64_t frequency(void)
{
    uint64_t v;

    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
    return v;
}

static unsigned long length(const char *s)
{
    unsigned long n = 0;

    while (s[n] != '\0') {
        n++;
    }
    return n;
}

static void put(const char *s)
{
    (void)sys4(SYS_WRITE, 1, (long)s, (long)length(s), 0);
}

static void put_u64(uint64_t v)
{
    char digits[24];
    char out[24];
    int n = 0;
    int len = 0;

    do {
        digits[n++] = (char)('0' + (v % 10U));
        v /= 10U;
    } while (v != 0U);
    while (n > 0) {
        out[len++] = digits[--n];
    }
    out[len] = '\0';
    put(out);
}

static uint64_t parse_u64(const char *s)
{
    uint64_t v = 0;

    while (*s >= '0' && *s <= '9') {
        v = v * 10U + (uint64_t)(*s - '0');
        s++;
    }
    return v;
}

static int fail(const char *what, long ret)
{
    put("DISKBENCH error ");
    put(what);
    put(" ");
    put_u64((uint64_t)-ret);
    put("\n");
    return 1;
}

/* A full read of len bytes at off; 0 or the (negative) error. */
static long read_at(long fd, unsigned long len, uint64_t off)
{
    long got = sys4(SYS_PREAD64, fd, (long)buf, (long)len, (long)off);

    if (got < 0) {
        return got;
    }
    return (unsigned long)got == len ? 0 : -5;     /* a short read: EIO */
}

static int run(int argc, char **argv)
{
    if (argc != 5) {
        put("usage: diskbench DEVICE SEQ_MIB SEQ_KIB RAND_READS\n");
        return 2;
    }
    uint64_t seq_bytes = parse_u64(argv[2]) * 1024U * 1024U;
    uint64_t chunk = parse_u64(argv[3]) * 1024U;
    uint64_t reads = parse_u64(argv[4]);
    if (chunk == 0U || chunk > BUF_BYTES || chunk % PAGE != 0U) {
        put("diskbench: SEQ_KIB must be a multiple of 4 up to 1024\n");
        return 2;
    }

    long fd = sys4(SYS_OPENAT, AT_FDCWD, (long)argv[1], O_RDONLY | O_DIRECT, 0);
    if (fd < 0) {
        return fail("open", fd);
    }
    long size = sys4(SYS_LSEEK, fd, 0, SEEK_END, 0);
    if (size < (long)PAGE) {
        return fail("size", size < 0 ? size : -22);
    }
    put("DISKBENCH freq hz=");
    put_u64(frequency());
    put("\nDISKBENCH size bytes=");
    put_u64((uint64_t)size);
    put("\n");
    if (seq_bytes > (uint64_t)size) {
        seq_bytes = (uint64_t)size / chunk * chunk;
    }

    /* One request first, untimed: the device's first use is not a read's cost. */
    long ret = read_at(fd, PAGE, 0);
    if (ret != 0) {
        return fail("read", ret);
    }

    uint64_t t0 = counter();
    for (uint64_t off = 0; off + chunk <= seq_bytes; off += chunk) {
        ret = read_at(fd, (unsigned long)chunk, off);
        if (ret != 0) {
            return fail("seq", ret);
        }
    }
    uint64_t t1 = counter();
    put("DISKBENCH seq bytes=");
    put_u64(seq_bytes / chunk * chunk);
    put(" ticks=");
    put_u64(t1 - t0);
    put("\n");

    uint64_t pages = (uint64_t)size / PAGE;
    uint64_t x = 0x9e3779b97f4a7c15U;
    t0 = counter();
    for (uint64_t i = 0; i < reads; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        ret = read_at(fd, PAGE, (x % pages) * PAGE);
        if (ret != 0) {
            return fail("rand", ret);
        }
    }
    t1 = counter();
    put("DISKBENCH rand reads=");
    put_u64(reads);
    put(" ticks=");
    put_u64(t1 - t0);
    put("\n");
    return 0;
}

void start_c(long *sp) __attribute__((noreturn, used));

void start_c(long *sp)
{
    int status = run((int)sp[0], (char **)(sp + 1));

    (void)sys4(SYS_EXIT, status, 0, 0, 0);
    for (;;) {
    }
}

/* The kernel leaves argc at sp, argv after it. */
__asm__(".global _start\n"
        "_start:\n"
        "\tmov x0, sp\n"
        "\tbl start_c\n");
