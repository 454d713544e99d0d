/* The C string and memory functions, for the freestanding hypervisor. The
 * compiler may also emit calls to memcpy/memset for struct copies. */
#include <proxenos/string.h>
#include <stdint.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    /* Word copies when both sides are aligned alike: the common case for
     * page and structure copies. */
    if ((((uintptr_t)d | (uintptr_t)s) & 7U) == 0U) {
        /* Four words a step: about half the instructions of a word loop
         * for page and structure copies. */
        while (n >= 32U) {
            uint64_t *dw = (uint64_t *)(void *)d;
            const uint64_t *sw = (const uint64_t *)(const void *)s;
            uint64_t w0 = sw[0];
            uint64_t w1 = sw[1];
            uint64_t w2 = sw[2];
            uint64_t w3 = sw[3];

            dw[0] = w0;
            dw[1] = w1;
            dw[2] = w2;
            dw[3] = w3;
            d += 32;
            s += 32;
            n -= 32U;
        }
        while (n >= 8U) {
            *(uint64_t *)(void *)d = *(const uint64_t *)(const void *)s;
            d += 8;
            s += 8;
            n -= 8U;
        }
    }
    while (n > 0U) {
        *d = *s;
        d++;
        s++;
        n--;
    }
    return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    if ((d < s) || (d >= (s + n))) {
        return memcpy(dst, src, n);
    }
    while (n > 0U) {
        n--;
        d[n] = s[n];
    }
    return dst;
}

void *memset(void *dst, int c, size_t n)
{
    unsigned char *d = dst;
    unsigned char b = (unsigned char)c;

    if ((((uintptr_t)d) & 7U) == 0U) {
        uint64_t w = (uint64_t)b * 0x0101010101010101ULL;

        while (n >= 8U) {
            *(uint64_t *)(void *)d = w;
            d += 8;
            n -= 8U;
        }
    }
    while (n > 0U) {
        *d = b;
        d++;
        n--;
    }
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a;
    const unsigned char *y = b;
    size_t i;

    for (i = 0U; i < n; i++) {
        if (x[i] != y[i]) {
            return (x[i] < y[i]) ? -1 : 1;
        }
    }
    return 0;
}

void *memchr(const void *s, int c, size_t n)
{
    const unsigned char *p = s;
    size_t i;

    for (i = 0U; i < n; i++) {
        if (p[i] == (unsigned char)c) {
            return (void *)(uintptr_t)&p[i];
        }
    }
    return NULL;
}

size_t strlen(const char *s)
{
    size_t n = 0U;

    while (s[n] != '\0') {
        n++;
    }
    return n;
}

size_t strnlen(const char *s, size_t max)
{
    size_t n = 0U;

    while ((n < max) && (s[n] != '\0')) {
        n++;
    }
    return n;
}

int strncmp(const char *a, const char *b, size_t n)
{
    size_t i;

    for (i = 0U; i < n; i++) {
        unsigned char x = (unsigned char)a[i];
        unsigned char y = (unsigned char)b[i];

        if (x != y) {
            return (x < y) ? -1 : 1;
        }
        if (x == 0U) {
            break;
        }
    }
    return 0;
}

int strcmp(const char *a, const char *b)
{
    return strncmp(a, b, SIZE_MAX);
}

char *strchr(const char *s, int c)
{
    const char ch = (char)c;

    for (;;) {
        if (*s == ch) {
            return (char *)(uintptr_t)s;
        }
        if (*s == '\0') {
            return NULL;
        }
        s++;
    }
}
