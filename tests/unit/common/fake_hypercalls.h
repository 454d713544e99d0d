/* A stand-in for the hypercall families as the table calls them (the
 * do_*_op handlers and multicall_run of <proxenos/hypercall.h>, one file
 * each under common/), for host tests of the dispatch itself
 * (common/hypercall/hypercall.c) that must see which handler a number
 * reaches and with what, without the families behind: each handler
 * records its own name and the arguments it got, and answers what the
 * test set; multicall_run also keeps the dispatcher it was handed.
 *
 * Weak: a test that links a family's file gets the real handler. Link it
 * by naming ../tests/unit/common/fake_hypercalls.c in a test's -src, and
 * call fake_hypercalls_reset() in each test's setup. */
#ifndef FAKE_HYPERCALLS_H
#define FAKE_HYPERCALLS_H

#include <proxenos/hypercall.h>

/* Forget the calls and the last one; handlers answer 0 again. */
void fake_hypercalls_reset(void);
/* What every handler answers from now on. */
void fake_hypercalls_set_answer(long rc);
/* Handler calls since the reset. */
unsigned int fake_hypercalls_calls(void);
/* The name of the last handler called ("do_sched_op", "multicall_run";
 * NULL: none since the reset), and the arguments it got (copied to *args
 * unless args is NULL). */
const char *fake_hypercall_last(struct hcall_args *args);
/* The dispatcher the last multicall_run was handed (NULL: none). */
hcall_dispatch_fn fake_multicall_dispatch(void);

#endif
