/*
 * firstline MARKER COMMAND [ARG...]: runs `xl create -c ...` (COMMAND, a full
 * path) for the bench's toolstack dom0 (bench/figures.py, xl_lifecycle) and
 * reads what it prints: the domU's console, as xl's console client copies it.
 *
 * The command's standard input and output are a pseudo-terminal whose other
 * end we hold (xl's console client takes keys only when both are terminals).
 * We copy what it prints to our output and read CNTVCT_EL0 the moment the
 * first line with something visible in it has arrived:
 *
 *     XLBENCH first-line cntvct=<ticks> text=<the line>
 *
 * then, at the first line containing MARKER (the domU's init is up):
 *
 *     XLBENCH marker cntvct=<ticks>
 *
 * and type Ctrl-] (the console client's escape) into the terminal, so that
 * xl create returns and leaves the domU running. At end of output:
 *
 *     XLBENCH command-status <wait status>
 *
 * Exit status 0 if both lines were seen and the command exited with 0.
 *
 * No libc: a static arm64 binary, like cntvct.c.
 */
#include <stddef.h>
#include <stdint.h>

#define SYS_DUP3 24
#define SYS_IOCTL 29
#define SYS_OPENAT 56
#define SYS_CLOSE 57
#define SYS_READ 63
#define SYS_WRITE 64
#define SYS_EXIT 93
#define SYS_CLONE 220
#define SYS_EXECVE 221
#define SYS_WAIT4 260

#define AT_FDCWD (-100)
#define O_RDWR 02
#define O_NOCTTY 0400
#define O_CLOEXEC 02000000
#define SIGCHLD 17
#define TIOCGPTN 0x80045430L        /* _IOR('T', 0x30, unsigned int) */
#define TIOCSPTLCK 0x40045431L      /* _IOW('T', 0x31, int) */

#define LINE_MAX_KEPT 200U
#define ESCAPE 0x1d                 /* Ctrl-] */

static long sys6(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
    register long x0 __asm__("x0") = a0;
    register long x1 __asm__("x1") = a1;
    register long x2 __asm__("x2") = a2;
    register long x3 __asm__("x3") = a3;
    register long x4 __asm__("x4") = a4;
    register long x5 __asm__("x5") = a5;
    register long x8 __asm__("x8") = nr;

    __asm__ volatile("svc #0"
                     : "+r"(x0)
                     : "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5), "r"(x8)
                     : "memory");
    return x0;
}

static long sys3(long nr, long a0, long a1, long a2)
{
    return sys6(nr, a0, a1, a2, 0, 0, 0);
}

static uint64_t cntvct(void)
{
    uint64_t v;

    __asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v));
    return v;
}

static size_t length(const char *s)
{
    size_t n = 0U;

    while (s[n] != '\0') {
        n++;
    }
    return n;
}

static void put(int fd, const char *s, size_t n)
{
    while (n > 0U) {
        long w = sys3(SYS_WRITE, fd, (long)s, (long)n);

        if (w <= 0) {
            return;
        }
        s += w;
        n -= (size_t)w;
    }
}

static void put_str(const char *s)
{
    put(1, s, length(s));
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
    put(1, out, (size_t)len);
}

static int contains(const char *hay, size_t n, const char *needle)
{
    size_t m = length(needle);
    size_t i;
    size_t j;

    for (i = 0U; i + m <= n; i++) {
        for (j = 0U; j < m && hay[i + j] == needle[j]; j++) {
        }
        if (j == m) {
            return 1;
        }
    }
    return 0;
}

static int visible(const char *s, size_t n)
{
    size_t i;

    for (i = 0U; i < n; i++) {
        if (s[i] > ' ' && s[i] < 0x7f) {
            return 1;
        }
    }
    return 0;
}

static void fail(const char *what, long err)
{
    put_str("XLBENCH firstline: ");
    put_str(what);
    put_str(" failed: -");
    put_u64((uint64_t)-err);
    put_str("\n");
    (void)sys3(SYS_EXIT, 2, 0, 0);
}

/* "/dev/pts/<n>" into path (at least 24 bytes). */
static void pts_path(char *path, unsigned int n)
{
    static const char prefix[] = "/dev/pts/";
    char digits[12];
    size_t len = sizeof(prefix) - 1U;
    int k = 0;
    size_t i;

    for (i = 0U; i < len; i++) {
        path[i] = prefix[i];
    }
    do {
        digits[k++] = (char)('0' + (n % 10U));
        n /= 10U;
    } while (n != 0U);
    while (k > 0) {
        path[len++] = digits[--k];
    }
    path[len] = '\0';
}

/* Start argv[0] with a new terminal as its input and output; returns the
 * terminal's master end, *pid is the child. */
static int start(char **argv, char **envp, long *pid)
{
    static const int unlock = 0;
    unsigned int n = 0U;
    char path[24];
    long r;
    int master;
    int slave;

    r = sys6(SYS_OPENAT, AT_FDCWD, (long)"/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC, 0, 0, 0);
    if (r < 0) {
        fail("open /dev/ptmx", r);
    }
    master = (int)r;
    r = sys3(SYS_IOCTL, master, TIOCSPTLCK, (long)&unlock);
    if (r < 0) {
        fail("unlock pty", r);
    }
    r = sys3(SYS_IOCTL, master, TIOCGPTN, (long)&n);
    if (r < 0) {
        fail("pty number", r);
    }
    pts_path(path, n);
    r = sys6(SYS_OPENAT, AT_FDCWD, (long)path, O_RDWR | O_NOCTTY | O_CLOEXEC, 0, 0, 0);
    if (r < 0) {
        fail("open pty", r);
    }
    slave = (int)r;
    r = sys6(SYS_CLONE, SIGCHLD, 0, 0, 0, 0, 0);
    if (r < 0) {
        fail("fork", r);
    }
    if (r == 0) {
        /* dup3 without O_CLOEXEC: these two survive the exec, nothing else. */
        (void)sys3(SYS_DUP3, slave, 0, 0);
        (void)sys3(SYS_DUP3, slave, 1, 0);
        r = sys3(SYS_EXECVE, (long)argv[0], (long)argv, (long)envp);
        fail("exec", r);
    }
    *pid = r;
    (void)sys3(SYS_CLOSE, slave, 0, 0);
    return master;
}

static int run(const char *marker, char **argv, char **envp)
{
    static char buf[4096];
    static char line[LINE_MAX_KEPT];
    static const char escape = ESCAPE;
    size_t kept = 0U;
    int first = 0;
    int marked = 0;
    int status = 0;
    long pid;
    int master = start(argv, envp, &pid);

    for (;;) {
        /* -EIO once no process has the terminal open any more. */
        long got = sys3(SYS_READ, master, (long)buf, (long)sizeof(buf));
        uint64_t now = cntvct();
        long i;

        if (got <= 0) {
            break;
        }
        put(1, buf, (size_t)got);
        for (i = 0; i < got; i++) {
            char c = buf[i];

            if (c != '\n') {
                if (c != '\r' && kept < LINE_MAX_KEPT) {
                    line[kept++] = c;
                }
                continue;
            }
            if (!first && visible(line, kept)) {
                first = 1;
                put_str("\nXLBENCH first-line cntvct=");
                put_u64(now);
                put_str(" text=");
                put(1, line, kept);
                put_str("\n");
            }
            if (first && !marked && contains(line, kept, marker)) {
                marked = 1;
                put_str("\nXLBENCH marker cntvct=");
                put_u64(now);
                put_str("\n");
                put(master, &escape, 1U);
            }
            kept = 0U;
        }
    }
    if (!first) {
        put_str("\nXLBENCH no-first-line\n");
    } else if (!marked) {
        put_str("\nXLBENCH no-marker\n");
    }
    if (sys6(SYS_WAIT4, pid, (long)&status, 0, 0, 0, 0) < 0) {
        status = -1;
    }
    put_str("XLBENCH command-status ");
    put_u64((uint64_t)(unsigned int)status);
    put_str("\n");
    return (first && marked && status == 0) ? 0 : 1;
}

/* The kernel starts us with sp at argc, then argv[], NULL, envp[]. */
int firstline_main(long argc, char **argv) __attribute__((noreturn, used));

int firstline_main(long argc, char **argv)
{
    int rc = 2;

    if (argc >= 3) {
        rc = run(argv[1], &argv[2], &argv[argc + 1]);
    } else {
        put_str("usage: firstline MARKER COMMAND [ARG...]\n");
    }
    (void)sys3(SYS_EXIT, rc, 0, 0);
    for (;;) {
    }
}

__asm__(".text\n"
        ".global _start\n"
        "_start:\n"
        "    ldr x0, [sp]\n"
        "    add x1, sp, #8\n"
        "    bl firstline_main\n");
