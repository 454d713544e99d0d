/* Debug key dispatch. Keys are declared next to the state they print, with
 * KEYHANDLER(); this file only finds and runs them. */
#include <proxenos/keyhandler.h>
#include <proxenos/printk.h>

static const struct keyhandler *table_begin;
static const struct keyhandler *table_end;

void keyhandler_set_table(const struct keyhandler *begin, const struct keyhandler *end)
{
    table_begin = begin;
    table_end = end;
}

static const struct keyhandler *find_key(char key)
{
    for (const struct keyhandler *k = table_begin; k < table_end; k++) {
        if (k->key == key) {
            return k;
        }
    }
    return NULL;
}

void handle_keypress(char key)
{
    const struct keyhandler *k = find_key(key);

    if (k == NULL) {
        /* Stray input is common (terminal noise): say so quietly. */
        pr_debug("no handler for key '%c' (0x%02x)\n",
                 ((key >= ' ') && (key <= '~')) ? key : '?', (unsigned int)(unsigned char)key);
        return;
    }
    pr_info("'%c' pressed -> %s\n", key, k->desc);
    k->fn(key);
}

static void show_help(char key)
{
    (void)key;
    for (char c = ' '; c <= '~'; c++) {
        const struct keyhandler *k = find_key(c);

        if (k != NULL) {
            pr_info(" key '%c' (ascii '%02x') => %s\n", c, (unsigned int)c, k->desc);
        }
    }
}
KEYHANDLER('h', show_help, "showing installed handlers");
