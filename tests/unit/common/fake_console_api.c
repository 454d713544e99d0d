/* Shared stand-ins for the console's interface: see fake_console_api.h. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <proxenos/keyhandler.h>
#include "fake_console_api.h"

#define FAKE_SINKS 8U
#define FAKE_KEYS  64U

struct fake_sink {
    unsigned int id;
    const char *name;
    console_sink_fn fn;
    console_room_fn room;
};

static char raw[FAKE_CONSOLE_LOG + 1U];
static size_t raw_len;
static char lines[FAKE_CONSOLE_LOG + 1U];
static size_t lines_len;
static struct fake_sink sinks[FAKE_SINKS];
static unsigned int registered, removed;
static int answer;
static char keys[FAKE_KEYS];
static unsigned int nr_keys;
static void (*key_hook)(char key);
static unsigned int drained;

void fake_console_api_reset(void)
{
    fake_console_raw_clear();
    lines_len = 0U;
    lines[0] = '\0';
    memset(sinks, 0, sizeof(sinks));
    registered = 0U;
    removed = 0U;
    answer = 0;
    drained = 0U;
    memset(keys, 0, sizeof(keys));
    nr_keys = 0U;
    key_hook = NULL;
}

/* The test fails (through cmocka) rather than lose output it may check. */
static void append(char *log, size_t *len, const char *s, size_t n)
{
    assert_true(*len + n <= FAKE_CONSOLE_LOG);
    memcpy(log + *len, s, n);
    *len += n;
    log[*len] = '\0';
}

__attribute__((weak)) void console_write(const char *s, size_t n)
{
    append(raw, &raw_len, s, n);
}

__attribute__((weak)) void console_write_line(const char *prefix, size_t plen,
                                              const char *text, size_t tlen)
{
    append(lines, &lines_len, prefix, plen);
    append(lines, &lines_len, text, tlen);
}

const char *fake_console_raw(size_t *len)
{
    if (len != NULL) {
        *len = raw_len;
    }
    return raw;
}

const char *fake_console_lines(size_t *len)
{
    if (len != NULL) {
        *len = lines_len;
    }
    return lines;
}

void fake_console_raw_clear(void)
{
    raw_len = 0U;
    raw[0] = '\0';
}

__attribute__((weak)) int console_register_input_sink(unsigned int id, const char *name,
                                                      console_sink_fn fn, console_room_fn room)
{
    registered++;
    if (answer != 0) {
        return answer;
    }
    for (unsigned int i = 0U; i < FAKE_SINKS; i++) {
        if (sinks[i].fn == NULL) {
            sinks[i] = (struct fake_sink){ id, name, fn, room };
            return 0;
        }
    }
    fail_msg("fake console: more than %u input sinks", FAKE_SINKS);
    return -1;
}

__attribute__((weak)) void console_unregister_input_sink(unsigned int id)
{
    removed++;
    for (unsigned int i = 0U; i < FAKE_SINKS; i++) {
        if ((sinks[i].fn != NULL) && (sinks[i].id == id)) {
            sinks[i] = (struct fake_sink){ 0U, NULL, NULL, NULL };
        }
    }
}

unsigned int fake_sinks_registered(void)
{
    return registered;
}

unsigned int fake_sinks_removed(void)
{
    return removed;
}

console_sink_fn fake_sink(unsigned int id, const char **name)
{
    for (unsigned int i = 0U; i < FAKE_SINKS; i++) {
        if ((sinks[i].fn != NULL) && (sinks[i].id == id)) {
            if (name != NULL) {
                *name = sinks[i].name;
            }
            return sinks[i].fn;
        }
    }
    return NULL;
}

console_room_fn fake_sink_room(unsigned int id)
{
    for (unsigned int i = 0U; i < FAKE_SINKS; i++) {
        if ((sinks[i].fn != NULL) && (sinks[i].id == id)) {
            return sinks[i].room;
        }
    }
    return NULL;
}

__attribute__((weak)) void console_input_drained(void)
{
    drained++;
}

unsigned int fake_console_drained(void)
{
    return drained;
}

void fake_sink_answer(int rc)
{
    answer = rc;
}

__attribute__((weak)) void handle_keypress(char key)
{
    if (nr_keys < (FAKE_KEYS - 1U)) {
        keys[nr_keys] = key;
    }
    nr_keys++;
    if (key_hook != NULL) {
        key_hook(key);
    }
}

void fake_set_key_hook(void (*fn)(char key))
{
    key_hook = fn;
}

const char *fake_keys(unsigned int *count)
{
    if (count != NULL) {
        *count = nr_keys;
    }
    return keys;
}
