/* What the discovery mode does with each listed device: serve it (with
 * what, and said where), or not (and why), decided before any process
 * starts so that the decision can be tested and logged whole. */
#ifndef VBE_DOM0LESS_PLAN_H
#define VBE_DOM0LESS_PLAN_H

#include "devargs.h"
#include "dom0less_conf.h"
#include "dom0less_dt.h"

enum d0l_action {
    D0L_SERVE,
    D0L_REFUSED,            /* the node, its words or its configuration are wrong */
    D0L_UNCONFIGURED,       /* nothing says what backs it */
    D0L_ELSEWHERE,          /* the configuration leaves it to another back end */
};

struct d0l_plan {
    enum d0l_action action;
    struct devargs args;    /* D0L_SERVE: what backs it */
    unsigned conf_line;     /* where args come from: a line, or 0 for backend-args */
    char why[256];          /* for all but D0L_SERVE */
};

/* One plan per device of devs; marks the configuration's entries used. */
void d0l_plan(const struct d0l_dev *devs, unsigned n, struct d0l_conf *conf,
              struct d0l_plan *plans);

#endif
