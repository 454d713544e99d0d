/* Stand-ins for the hypervisor console as its neighbours see it, shared by
 * the host tests that do not link the real file behind a function:
 *
 *   common/console/console.c     console_write (raw bytes) and console_write_line
 *                        (a prefixed line) append to two logs a test reads;
 *                        console_register_input_sink records the sink (a
 *                        test can then type into it) and answers 0 unless
 *                        the test asked for an error;
 *                        console_unregister_input_sink forgets it;
 *                        console_input_drained counts its calls.
 *   common/console/keyhandler.c  handle_keypress, which the console calls for a
 *                        key meant for the hypervisor, records the key.
 *
 * All weak: a test that links the real file gets it. Link this file by
 * naming ../tests/unit/common/fake_console_api.c in a test's -src, and
 * call fake_console_api_reset() in each test's setup. */
#ifndef FAKE_CONSOLE_API_H
#define FAKE_CONSOLE_API_H

#include <stddef.h>
#include <proxenos/console.h>

#define FAKE_CONSOLE_LOG 8192U

void fake_console_api_reset(void);

/* What console_write (raw) and console_write_line (prefix then text)
 * received since the reset, NUL-terminated; *len (may be NULL) its length.
 * More than FAKE_CONSOLE_LOG bytes fails the test. fake_console_raw_clear
 * empties the first. */
const char *fake_console_raw(size_t *len);
const char *fake_console_lines(size_t *len);
void fake_console_raw_clear(void);

/* Registrations and unregistrations since the reset. */
unsigned int fake_sinks_registered(void);
unsigned int fake_sinks_removed(void);
/* The function registered for id and not removed since (NULL if none),
 * and its name. */
console_sink_fn fake_sink(unsigned int id, const char **name);
/* The room function registered with it (NULL if none). */
console_room_fn fake_sink_room(unsigned int id);
/* Calls of console_input_drained since the reset. */
unsigned int fake_console_drained(void);
/* What the next registrations answer (0: they succeed; else they fail with
 * rc and register nothing). */
void fake_sink_answer(int rc);

/* The keys handle_keypress received since the reset, in order (the first
 * 63; the count goes on). */
const char *fake_keys(unsigned int *count);
/* Called by handle_keypress with each key, after it is recorded (NULL:
 * none): a test that must see keys in order with other events. */
void fake_set_key_hook(void (*fn)(char key));

#endif
