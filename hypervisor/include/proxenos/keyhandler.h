/* Debug keys: single characters typed on the hypervisor console print
 * state, as on Xen. A file declares the keys it owns with KEYHANDLER(). */
#ifndef PROXENOS_KEYHANDLER_H
#define PROXENOS_KEYHANDLER_H

#include <proxenos/lib.h>

struct keyhandler {
    char key;
    const char *desc;
    void (*fn)(char key);
};

#define KEYHANDLER(k, handler, description) \
    static const struct keyhandler keyhandler_##handler \
        __section("keyhandlers") __used __aligned(8) = { (k), (description), (handler) }

/* Run the handler of key (or say that there is none). */
void handle_keypress(char key);

/* Where the table lives; the hypervisor passes its linker section, unit
 * tests their own array. */
void keyhandler_set_table(const struct keyhandler *begin, const struct keyhandler *end);

#endif
