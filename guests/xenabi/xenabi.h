/* xenabi: one test file per hypercall family, run in order by main.c. */
#ifndef XENABI_H
#define XENABI_H

#include "guest.h"
#include "evtchn.h"
#include "gnttab.h"
#include "hypercall.h"

extern uint16_t xenabi_domid;

void test_version_console(const struct platform *p);
void test_memory(const struct platform *p);
void test_vcpu(const struct platform *p);
void test_evtchn_2l(const struct platform *p);
void test_evtchn_fifo(const struct platform *p);
void test_grant(const struct platform *p);
void test_misc(const struct platform *p);

#endif
