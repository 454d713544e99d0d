/* Host console for unit tests: printk to stdout plus a searchable copy, and
 * a panic() that a test can catch (see fake_arch.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <proxenos/printk.h>
#include <proxenos/arch/cpu.h>
#include <fake_arch.h>
#include "fake_internal.h"

jmp_buf fake_stop_env_;

static char log_buf[FAKE_LOG_SIZE];
static size_t log_len;
static bool quiet;
/* printk may be handed part of a line: the prefix goes only at line starts. */
static bool at_line_start = true;

static char panic_msg[1024];
static unsigned int panic_count;
static bool stop_armed;
static enum fake_stop stop_kind;

static const char *level_name(enum log_level level)
{
    switch (level) {
    case LOG_ERR:
        return "ERR ";
    case LOG_WARNING:
        return "WARN";
    case LOG_INFO:
        return "INFO";
    case LOG_DEBUG:
        return "DBG ";
    default:
        return "????";
    }
}

static void log_append(const char *s)
{
    size_t n = strlen(s);
    size_t room = (sizeof(log_buf) - 1U) - log_len;

    if (n > room) {
        n = room;
    }
    memcpy(&log_buf[log_len], s, n);
    log_len += n;
    log_buf[log_len] = '\0';
}

static void emit(const char *s)
{
    log_append(s);
    if (!quiet) {
        fputs(s, stdout);
    }
}

/* Print text, putting "(PXN) [LVL] " in front of every line it starts. */
static void emit_lines(enum log_level level, const char *text)
{
    char prefix[32];
    const char *p = text;

    (void)snprintf(prefix, sizeof(prefix), "(PXN) [%s] ", level_name(level));
    while (*p != '\0') {
        const char *nl = strchr(p, '\n');
        size_t n = (nl != NULL) ? (size_t)(nl - p) + 1U : strlen(p);
        char line[512];

        if (at_line_start) {
            emit(prefix);
        }
        while (n > 0U) {
            size_t chunk = (n < sizeof(line) - 1U) ? n : sizeof(line) - 1U;

            memcpy(line, p, chunk);
            line[chunk] = '\0';
            emit(line);
            p += chunk;
            n -= chunk;
        }
        at_line_start = (nl != NULL);
    }
    if (!quiet) {
        fflush(stdout);
    }
}

/* vasprintf, not vsnprintf: a test may link the hypervisor's own
 * vsnprintf, which then replaces libc's, and the fake console must not
 * depend on the code under test. */
__attribute__((weak)) void vprintk(enum log_level level, const char *fmt, va_list ap)
{
    char *text = NULL;

    if (vasprintf(&text, fmt, ap) < 0) {
        emit_lines(LOG_ERR, "(fake printk: out of memory)\n");
        return;
    }
    emit_lines(level, text);
    free(text);
}

__attribute__((weak)) void printk(enum log_level level, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vprintk(level, fmt, ap);
    va_end(ap);
}

/* Leave through the armed fake_expect_*() block, or end the program. */
static __noreturn void fake_stop(enum fake_stop kind, const char *what)
{
    if (stop_armed) {
        stop_armed = false;
        stop_kind = kind;
        longjmp(fake_stop_env_, 1);
    }
    fprintf(stderr, "fake_arch: %s outside fake_expect_panic/stop: aborting\n", what);
    fflush(stdout);
    fflush(stderr);
    abort();
}

__attribute__((weak)) void panic(const char *fmt, ...)
{
    char *text = NULL;
    va_list ap;

    va_start(ap, fmt);
    if (vasprintf(&text, fmt, ap) < 0) {
        text = NULL;
    }
    va_end(ap);
    (void)snprintf(panic_msg, sizeof(panic_msg), "%s", (text != NULL) ? text : fmt);
    free(text);
    panic_count++;
    if (!at_line_start) {
        emit("\n");
    }
    emit("(PXN) [PANIC] ");
    emit(panic_msg);
    emit("\n");
    at_line_start = true;
    if (!quiet) {
        fflush(stdout);
    }
    fake_stop(FAKE_STOP_PANIC, "panic");
}

void arch_halt(void)
{
    fake_stop(FAKE_STOP_HALT, "arch_halt");
}

void arch_machine_off(void)
{
    fake_stop(FAKE_STOP_OFF, "arch_machine_off");
}

const char *fake_log(void)
{
    return log_buf;
}

void fake_log_clear(void)
{
    log_len = 0U;
    log_buf[0] = '\0';
    at_line_start = true;
}

bool fake_log_contains(const char *needle)
{
    return strstr(log_buf, needle) != NULL;
}

void fake_console_quiet(bool q)
{
    quiet = q;
}

const char *fake_panic_msg(void)
{
    return panic_msg;
}

unsigned int fake_panic_count(void)
{
    return panic_count;
}

void fake_stop_arm_(void)
{
    stop_kind = FAKE_STOP_NONE;
    stop_armed = true;
}

static const char *stop_name(enum fake_stop kind)
{
    switch (kind) {
    case FAKE_STOP_PANIC:
        return "panic";
    case FAKE_STOP_HALT:
        return "arch_halt";
    case FAKE_STOP_OFF:
        return "arch_machine_off";
    default:
        return "no stop";
    }
}

void fake_stop_check_(enum fake_stop expected, bool returned, const char *file, int line)
{
    enum fake_stop got = returned ? FAKE_STOP_NONE : stop_kind;

    stop_armed = false;
    /* A test that links the real console gets its panic(), which ends in
     * arch_halt(): that is still the panic the test expected. */
    if ((expected == FAKE_STOP_PANIC) && (got == FAKE_STOP_HALT)) {
        got = FAKE_STOP_PANIC;
    }
    if (got != expected) {
        print_error("expected %s, got %s\n", stop_name(expected), stop_name(got));
        _fail(file, line);
    }
}

void fake_console_reset(void)
{
    fake_log_clear();
    quiet = false;
    panic_msg[0] = '\0';
    panic_count = 0U;
    stop_armed = false;
    stop_kind = FAKE_STOP_NONE;
}
