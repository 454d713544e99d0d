#include <stdarg.h>
#include <stdio.h>

#include "log.h"

static char prefix[64] = "virtio-blk";

void log_set_prefix(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(prefix, sizeof(prefix), fmt, ap);
    va_end(ap);
}

void log_msg(const char *fmt, ...)
{
    char line[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    /* One write per line, so that lines of several processes do not mix. */
    fprintf(stderr, "%s: %s\n", prefix, line);
    fflush(stderr);
}
