/*
 * Small formatted output. Conversions: %d %i %u %x %X %p %s %c %%, flags
 * '-' and '0', a decimal field width, length modifiers l, ll and z.
 * Output is always NUL-terminated and truncated to the buffer.
 */
#ifndef GUEST_PRINTF_H
#define GUEST_PRINTF_H

#include <stdarg.h>
#include <stddef.h>

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
int snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Formats one chunk (at most PRINTF_MAX bytes) and writes it to the console in one go. */
#define PRINTF_MAX 240
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

#endif
