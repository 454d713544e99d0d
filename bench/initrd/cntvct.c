/*
 * Prints "CNTVCT <value>" : the virtual counter as Linux user space sees it
 * (EL0 access to CNTVCT_EL0 is enabled by Linux's arch timer driver). Both
 * Xen 4.17 and Proxenos offset it to the domain's creation. No libc: a
 * static arm64 binary for the bench initramfs.
 */
#include <stdint.h>

#define SYS_WRITE 64
#define SYS_EXIT 93

static long sys3(long nr, long a0, long a1, long a2)
{
    register long x0 __asm__("x0") = a0;
    register long x1 __asm__("x1") = a1;
    register long x2 __asm__("x2") = a2;
    register long x8 __asm__("x8") = nr;

    __asm__ volatile("svc #0" : "+r"(x0) : "r"(x1), "r"(x2), "r"(x8) : "memory");
    return x0;
}

void _start(void) __attribute__((noreturn));

void _start(void)
{
    char buf[40] = "CNTVCT ";
    char digits[24];
    uint64_t v;
    int n = 0;
    int len = 7;

    __asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v));
    do {
        digits[n++] = (char)('0' + (v % 10U));
        v /= 10U;
    } while (v != 0U);
    while (n > 0) {
        buf[len++] = digits[--n];
    }
    buf[len++] = '\n';
    (void)sys3(SYS_WRITE, 1, (long)buf, len);
    (void)sys3(SYS_EXIT, 0, 0, 0);
    for (;;) {
    }
}
