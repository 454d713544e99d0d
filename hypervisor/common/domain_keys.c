/* The 'q' debug key: the domain list. Domains are not built yet (the
 * domain builder is a later change), so the list is honestly empty. */
#include <proxenos/keyhandler.h>
#include <proxenos/printk.h>

static void dump_domains(char key)
{
    (void)key;
    pr_info("Domains: none (this build runs no guests yet)\n");
}
KEYHANDLER('q', dump_domains, "dump domain (and guest debug) info");
