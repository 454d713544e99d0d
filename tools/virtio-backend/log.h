/* One line per event on stderr, each prefixed with the program and the
 * domain it concerns (several domains' children share the log). */
#ifndef VBE_LOG_H
#define VBE_LOG_H

void log_set_prefix(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
