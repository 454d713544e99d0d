/* The machine as the control interface reports it (see hostinfo.h). */
#include <proxenos/hostinfo.h>

static struct host_info host;

void hostinfo_set(const struct host_info *hi)
{
    host = *hi;
}

const struct host_info *hostinfo(void)
{
    return &host;
}
