/*
 * Byte-at-a-time on purpose: the guests copy a few hundred bytes at most,
 * and byte accesses can never be misaligned. Built with
 * -fno-tree-loop-distribute-patterns so GCC does not turn these loops back
 * into calls to themselves.
 */
#include "string.h"

void *memset(void *dst, int c, size_t n)
{
    unsigned char *d = dst;
    size_t i;

    for (i = 0U; i < n; i++) {
        d[i] = (unsigned char)c;
    }
    return dst;
}

void *memcpy(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    size_t i;

    for (i = 0U; i < n; i++) {
        d[i] = s[i];
    }
    return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    size_t i;

    if (d < s) {
        for (i = 0U; i < n; i++) {
            d[i] = s[i];
        }
    } else {
        for (i = n; i > 0U; i--) {
            d[i - 1U] = s[i - 1U];
        }
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
            return (int)x[i] - (int)y[i];
        }
    }
    return 0;
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

        if ((x != y) || (x == 0U)) {
            return (int)x - (int)y;
        }
    }
    return 0;
}

int strcmp(const char *a, const char *b)
{
    size_t i = 0U;

    for (;;) {
        unsigned char x = (unsigned char)a[i];
        unsigned char y = (unsigned char)b[i];

        if ((x != y) || (x == 0U)) {
            return (int)x - (int)y;
        }
        i++;
    }
}
