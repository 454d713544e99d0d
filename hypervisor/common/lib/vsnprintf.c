/* printf-style formatting into a bounded buffer. Supports what the
 * hypervisor's messages use: %d %i %u %x %X %o %p %s %c %%, flags '-' '0'
 * '#' ' ' '+', width and precision (numbers or '*'), and the hh h l ll z t j
 * length modifiers. Unknown conversions are printed literally. */
#include <proxenos/printk.h>
#include <proxenos/string.h>

struct out {
    char *buf;
    size_t size;
    size_t len;     /* what the whole output would need */
};

struct spec {
    bool left;
    bool zero;
    bool alt;
    bool plus;
    bool space;
    int width;
    int precision;  /* -1: none */
};

static void put(struct out *o, char c)
{
    if ((o->len + 1U) < o->size) {
        o->buf[o->len] = c;
    }
    o->len++;
}

static void pad(struct out *o, char c, int n)
{
    while (n > 0) {
        put(o, c);
        n--;
    }
}

static void put_str(struct out *o, const char *s, const struct spec *sp)
{
    size_t max = (sp->precision >= 0) ? (size_t)sp->precision : SIZE_MAX;
    int len;

    if (s == NULL) {
        s = "(null)";
    }
    len = (int)strnlen(s, MIN(max, (size_t)0x7fffffff));
    if (!sp->left) {
        pad(o, ' ', sp->width - len);
    }
    for (int i = 0; i < len; i++) {
        put(o, s[i]);
    }
    if (sp->left) {
        pad(o, ' ', sp->width - len);
    }
}

static void put_num(struct out *o, uint64_t v, bool negative, unsigned int base,
                    bool upper, const struct spec *sp)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    int n = 0;
    int zeros;
    int total;
    const char *prefix = "";
    int prefix_len;

    if ((v != 0U) || (sp->precision != 0)) {
        do {
            tmp[n] = digits[v % base];
            n++;
            v /= base;
        } while (v != 0U);
    }
    if (negative) {
        prefix = "-";
    } else if (sp->plus) {
        prefix = "+";
    } else if (sp->space) {
        prefix = " ";
    } else if (sp->alt && (base == 16U) && (n > 0)) {
        prefix = upper ? "0X" : "0x";
    } else if (sp->alt && (base == 8U)) {
        prefix = "0";
    } else {
        /* no prefix */
    }
    prefix_len = (int)strlen(prefix);
    zeros = (sp->precision > n) ? (sp->precision - n) : 0;
    total = prefix_len + zeros + n;
    if (sp->zero && !sp->left && (sp->precision < 0) && (sp->width > total)) {
        zeros += sp->width - total;
        total = sp->width;
    }
    if (!sp->left) {
        pad(o, ' ', sp->width - total);
    }
    for (int i = 0; i < prefix_len; i++) {
        put(o, prefix[i]);
    }
    pad(o, '0', zeros);
    while (n > 0) {
        n--;
        put(o, tmp[n]);
    }
    if (sp->left) {
        pad(o, ' ', sp->width - total);
    }
}

static int parse_int(const char **p)
{
    int v = 0;

    while ((**p >= '0') && (**p <= '9')) {
        if (v < 100000) {
            v = (v * 10) + (**p - '0');
        }
        (*p)++;
    }
    return v;
}

/* Length modifiers, counted in "l"s: hh=-2 h=-1 none=0 l=1 ll/z/t/j=2. */
static int parse_length(const char **p)
{
    int l = 0;

    if (**p == 'h') {
        (*p)++;
        l = -1;
        if (**p == 'h') {
            (*p)++;
            l = -2;
        }
    } else if (**p == 'l') {
        (*p)++;
        l = 1;
        if (**p == 'l') {
            (*p)++;
            l = 2;
        }
    } else if ((**p == 'z') || (**p == 't') || (**p == 'j')) {
        (*p)++;
        l = 2;
    } else {
        /* no modifier */
    }
    return l;
}

static uint64_t arg_unsigned(va_list *ap, int l)
{
    uint64_t v;

    if (l >= 1) {
        v = va_arg(*ap, unsigned long long);
    } else {
        v = va_arg(*ap, unsigned int);
        if (l == -1) {
            v &= 0xffffU;
        } else if (l == -2) {
            v &= 0xffU;
        } else {
            /* int */
        }
    }
    return v;
}

static int64_t arg_signed(va_list *ap, int l)
{
    int64_t v;

    if (l >= 1) {
        v = va_arg(*ap, long long);
    } else {
        v = va_arg(*ap, int);
        if (l == -1) {
            v = (int16_t)v;
        } else if (l == -2) {
            v = (int8_t)v;
        } else {
            /* int */
        }
    }
    return v;
}

static void parse_flags(const char **p, struct spec *sp)
{
    for (;;) {
        switch (**p) {
        case '-': sp->left = true; break;
        case '0': sp->zero = true; break;
        case '#': sp->alt = true; break;
        case '+': sp->plus = true; break;
        case ' ': sp->space = true; break;
        default: return;
        }
        (*p)++;
    }
}

static void convert(struct out *o, char c, struct spec *sp, int l, va_list *ap)
{
    switch (c) {
    case 'd':
    case 'i': {
        int64_t v = arg_signed(ap, l);
        uint64_t mag = (v < 0) ? (0U - (uint64_t)v) : (uint64_t)v;

        put_num(o, mag, v < 0, 10U, false, sp);
        break;
    }
    case 'u':
        put_num(o, arg_unsigned(ap, l), false, 10U, false, sp);
        break;
    case 'x':
    case 'X':
        put_num(o, arg_unsigned(ap, l), false, 16U, c == 'X', sp);
        break;
    case 'o':
        put_num(o, arg_unsigned(ap, l), false, 8U, false, sp);
        break;
    case 'p':
        sp->alt = true;
        put_num(o, (uint64_t)(uintptr_t)va_arg(*ap, void *), false, 16U, false, sp);
        break;
    case 's':
        put_str(o, va_arg(*ap, const char *), sp);
        break;
    case 'c': {
        char ch[2] = { (char)va_arg(*ap, int), '\0' };

        sp->precision = 1;
        put_str(o, ch, sp);
        break;
    }
    case '%':
        put(o, '%');
        break;
    default:
        put(o, '%');
        put(o, c);
        break;
    }
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct out o = { buf, size, 0U };
    const char *p = fmt;
    va_list args;

    va_copy(args, ap);
    while (*p != '\0') {
        struct spec sp = { false, false, false, false, false, 0, -1 };
        int l;

        if (*p != '%') {
            put(&o, *p);
            p++;
            continue;
        }
        p++;
        parse_flags(&p, &sp);
        if (*p == '*') {
            sp.width = va_arg(args, int);
            if (sp.width < 0) {
                sp.left = true;
                sp.width = -sp.width;
            }
            p++;
        } else {
            sp.width = parse_int(&p);
        }
        if (*p == '.') {
            p++;
            if (*p == '*') {
                sp.precision = va_arg(args, int);
                p++;
            } else {
                sp.precision = parse_int(&p);
            }
        }
        l = parse_length(&p);
        if (*p == '\0') {
            break;
        }
        convert(&o, *p, &sp, l, &args);
        p++;
    }
    va_end(args);
    if (size > 0U) {
        buf[(o.len < size) ? o.len : (size - 1U)] = '\0';
    }
    return (o.len > 0x7fffffffU) ? 0x7fffffff : (int)o.len;
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
