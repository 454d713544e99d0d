/* Hypervisor log output. Every line goes to the console ring and, when its
 * level passes loglvl=, to the console drivers with a "(PXN) " prefix. */
#ifndef PROXENOS_PRINTK_H
#define PROXENOS_PRINTK_H

#include <stdarg.h>
#include <stddef.h>
#include <proxenos/lib.h>

enum log_level {
    LOG_ERR = 0,
    LOG_WARNING = 1,
    LOG_INFO = 2,
    LOG_DEBUG = 3,
};

void printk(enum log_level level, const char *fmt, ...) __printf(2, 3);
void vprintk(enum log_level level, const char *fmt, va_list ap);

#define pr_err(...) printk(LOG_ERR, __VA_ARGS__)
#define pr_warn(...) printk(LOG_WARNING, __VA_ARGS__)
#define pr_info(...) printk(LOG_INFO, __VA_ARGS__)
#define pr_debug(...) printk(LOG_DEBUG, __VA_ARGS__)

/* Formatting without output: %d %i %u %x %X %p %s %c %%, with l/ll/z
 * modifiers, width, zero padding, '-' and '#'. Returns the length the full
 * output would have (like C99), always NUL-terminates when size > 0. */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

/* Stop the machine after printing the reason: only for broken invariants of
 * the hypervisor itself or unusable boot input, never for guest input. */
void panic(const char *fmt, ...) __printf(1, 2) __noreturn;

#define BUG_ON(cond) do { \
    if (unlikely(cond)) { panic("BUG at %s:%d: %s", __FILE__, __LINE__, #cond); } \
} while (0)

#define ASSERT(cond) BUG_ON(!(cond))

#endif
