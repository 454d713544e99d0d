/* Console options of Xen's command line: loglvl=, guest_loglvl=,
 * conswitch=, and options we accept because our console already behaves
 * that way (sync_console: output is always synchronous). */
#include <proxenos/cmdline.h>
#include <proxenos/console.h>
#include <proxenos/errno.h>
#include <proxenos/printk.h>
#include <proxenos/string.h>

struct level_name {
    const char *name;
    int level;
};

static const struct level_name level_names[] = {
    { "none", -1 },
    { "error", LOG_ERR },
    { "warning", LOG_WARNING },
    { "info", LOG_INFO },
    { "debug", LOG_DEBUG },
    { "all", LOG_DEBUG },
};

/* "<level>[/<rate-limited level>]": we do not rate-limit, so the part
 * after '/' is checked and otherwise ignored. */
static int parse_level(const char *s, int *out)
{
    const char *slash = strchr(s, '/');
    size_t len = (slash != NULL) ? (size_t)(slash - s) : strlen(s);
    int level = -2;

    for (unsigned int i = 0U; i < ARRAY_SIZE(level_names); i++) {
        if ((strlen(level_names[i].name) == len) && (strncmp(s, level_names[i].name, len) == 0)) {
            level = level_names[i].level;
        }
    }
    if (level == -2) {
        return -EINVAL;
    }
    if (slash != NULL) {
        int ignored;

        if (strchr(slash + 1, '/') != NULL) {
            return -EINVAL;
        }
        if (parse_level(slash + 1, &ignored) != 0) {
            return -EINVAL;
        }
    }
    *out = level;
    return 0;
}

static int parse_loglvl(const char *s)
{
    int level;
    int rc = parse_level(s, &level);

    if (rc == 0) {
        console_set_loglvl(level);
    }
    return rc;
}
PARAM_CUSTOM("loglvl", parse_loglvl);

static int guest_loglvl = LOG_WARNING;

int console_guest_loglvl(void)
{
    return guest_loglvl;
}

static int parse_guest_loglvl(const char *s)
{
    return parse_level(s, &guest_loglvl);
}
PARAM_CUSTOM("guest_loglvl", parse_guest_loglvl);

/* conswitch=<char>[x]: the switch key; a trailing 'x' (do not switch to
 * dom0 at boot) is accepted, as input starts with the hypervisor anyway. */
static int parse_conswitch(const char *s)
{
    if ((s[0] < 'a') || (s[0] > 'z') || ((s[1] != '\0') && ((s[1] != 'x') || (s[2] != '\0')))) {
        return -EINVAL;
    }
    console_set_switch_char(s[0]);
    return 0;
}
PARAM_CUSTOM("conswitch", parse_conswitch);

static bool sync_console;
PARAM_BOOL("sync_console", sync_console);

