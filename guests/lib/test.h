/*
 * The console result protocol the system tests parse, one line each:
 *   TEST <name>: PASS
 *   TEST <name>: FAIL <why>
 *   GUEST DONE <n> passed <m> failed      (last line before SYSTEM_OFF)
 */
#ifndef GUEST_TEST_H
#define GUEST_TEST_H

#include <stdbool.h>
#include <stdint.h>

void test_pass(const char *name);
void test_fail(const char *name, const char *why_fmt, ...) __attribute__((format(printf, 2, 3)));

/* PASS when ok, else FAIL with the formatted reason; returns ok. */
bool test_check(const char *name, bool ok, const char *why_fmt, ...)
    __attribute__((format(printf, 3, 4)));

uint32_t test_passed(void);
uint32_t test_failed(void);

/* Prints GUEST DONE and powers the guest off (PSCI SYSTEM_OFF). */
void test_finish(void) __attribute__((noreturn));

#endif
