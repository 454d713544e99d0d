#include <stdarg.h>

#include "printf.h"
#include "psci.h"
#include "test.h"

static uint32_t passed;
static uint32_t failed;

void test_pass(const char *name)
{
    (void)__atomic_fetch_add(&passed, 1U, __ATOMIC_RELAXED);
    printf("TEST %s: PASS\n", name);
}

static void fail_v(const char *name, const char *why_fmt, va_list ap)
{
    char why[96];

    (void)vsnprintf(why, sizeof(why), why_fmt, ap);
    (void)__atomic_fetch_add(&failed, 1U, __ATOMIC_RELAXED);
    printf("TEST %s: FAIL %s\n", name, why);
}

void test_fail(const char *name, const char *why_fmt, ...)
{
    va_list ap;

    va_start(ap, why_fmt);
    fail_v(name, why_fmt, ap);
    va_end(ap);
}

bool test_check(const char *name, bool ok, const char *why_fmt, ...)
{
    va_list ap;

    if (ok) {
        test_pass(name);
    } else {
        va_start(ap, why_fmt);
        fail_v(name, why_fmt, ap);
        va_end(ap);
    }
    return ok;
}

uint32_t test_passed(void)
{
    return __atomic_load_n(&passed, __ATOMIC_RELAXED);
}

uint32_t test_failed(void)
{
    return __atomic_load_n(&failed, __ATOMIC_RELAXED);
}

void test_finish(void)
{
    printf("GUEST DONE %u passed %u failed\n", test_passed(), test_failed());
    psci_system_off();
}
