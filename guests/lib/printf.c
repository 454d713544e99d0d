/*
 * vsnprintf and friends, written for the guests' needs only: integers,
 * strings and characters. Returns the number of characters written (not
 * the number that would have been written, as C's does).
 */
#include <stdbool.h>
#include <stdint.h>

#include "console.h"
#include "printf.h"

struct out {
    char *buf;
    size_t size;    /* room for characters, the NUL excluded */
    size_t len;
};

static void put(struct out *o, char c)
{
    if (o->len < o->size) {
        o->buf[o->len] = c;
        o->len++;
    }
}

static void put_padding(struct out *o, char c, unsigned int n)
{
    unsigned int i;

    for (i = 0U; i < n; i++) {
        put(o, c);
    }
}

struct spec {
    bool left;          /* '-' */
    bool zero;          /* '0' */
    unsigned int width;
};

static void put_string(struct out *o, const char *s, const struct spec *sp)
{
    unsigned int n = 0U;
    unsigned int i;

    while (s[n] != '\0') {
        n++;
    }
    if (!sp->left && (sp->width > n)) {
        put_padding(o, ' ', sp->width - n);
    }
    for (i = 0U; i < n; i++) {
        put(o, s[i]);
    }
    if (sp->left && (sp->width > n)) {
        put_padding(o, ' ', sp->width - n);
    }
}

static void put_number(struct out *o, uint64_t v, bool negative, unsigned int base,
                       bool upper, const struct spec *sp)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    unsigned int n = 0U;
    unsigned int total;

    do {
        tmp[n] = digits[v % base];
        n++;
        v /= base;
    } while (v != 0U);
    total = n + (negative ? 1U : 0U);

    if (!sp->left && !sp->zero && (sp->width > total)) {
        put_padding(o, ' ', sp->width - total);
    }
    if (negative) {
        put(o, '-');
    }
    if (!sp->left && sp->zero && (sp->width > total)) {
        put_padding(o, '0', sp->width - total);
    }
    while (n > 0U) {
        n--;
        put(o, tmp[n]);
    }
    if (sp->left && (sp->width > total)) {
        put_padding(o, ' ', sp->width - total);
    }
}

/* Reads one integer argument of the given length class (0 int, 1 long, 2 long long / size_t). */
static uint64_t arg_unsigned(va_list *ap, int len)
{
    if (len == 0) {
        return (uint64_t)va_arg(*ap, unsigned int);
    }
    return (uint64_t)va_arg(*ap, unsigned long);   /* LP64: long == long long == size_t */
}

static int64_t arg_signed(va_list *ap, int len)
{
    if (len == 0) {
        return (int64_t)va_arg(*ap, int);
    }
    return (int64_t)va_arg(*ap, long);
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap_in)
{
    struct out o = { buf, (size > 0U) ? (size - 1U) : 0U, 0U };
    va_list ap;
    size_t i = 0U;

    va_copy(ap, ap_in);
    while (fmt[i] != '\0') {
        struct spec sp = { false, false, 0U };
        int len = 0;
        char c = fmt[i];

        i++;
        if (c != '%') {
            put(&o, c);
            continue;
        }
        while ((fmt[i] == '-') || (fmt[i] == '0')) {
            if (fmt[i] == '-') {
                sp.left = true;
            } else {
                sp.zero = true;
            }
            i++;
        }
        while ((fmt[i] >= '0') && (fmt[i] <= '9')) {
            sp.width = (sp.width * 10U) + (unsigned int)(fmt[i] - '0');
            i++;
        }
        while ((fmt[i] == 'l') || (fmt[i] == 'z')) {
            len = (fmt[i] == 'z') ? 2 : (len + 1);
            i++;
        }
        c = fmt[i];
        if (c == '\0') {
            break;
        }
        i++;
        switch (c) {
        case 'd':
        case 'i': {
            int64_t v = arg_signed(&ap, len);
            bool neg = v < 0;
            uint64_t mag = neg ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

            put_number(&o, mag, neg, 10U, false, &sp);
            break;
        }
        case 'u':
            put_number(&o, arg_unsigned(&ap, len), false, 10U, false, &sp);
            break;
        case 'x':
        case 'X':
            put_number(&o, arg_unsigned(&ap, len), false, 16U, c == 'X', &sp);
            break;
        case 'p':
            put(&o, '0');
            put(&o, 'x');
            put_number(&o, (uint64_t)(uintptr_t)va_arg(ap, void *), false, 16U, false, &sp);
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);

            put_string(&o, (s != NULL) ? s : "(null)", &sp);
            break;
        }
        case 'c':
            put(&o, (char)va_arg(ap, int));
            break;
        case '%':
            put(&o, '%');
            break;
        default:
            /* unknown conversion: show it rather than guess */
            put(&o, '%');
            put(&o, c);
            break;
        }
    }
    va_end(ap);
    if (size > 0U) {
        buf[o.len] = '\0';
    }
    return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

int vprintf(const char *fmt, va_list ap)
{
    char buf[PRINTF_MAX + 1];
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);

    console_write(buf, (size_t)n);
    return n;
}

int printf(const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vprintf(fmt, ap);
    va_end(ap);
    return n;
}
