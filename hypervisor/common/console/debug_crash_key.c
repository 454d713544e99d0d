/* Debug builds only: a key that makes the hypervisor fault on purpose, so
 * the crash dump path can be seen and tested. */
#include <proxenos/keyhandler.h>
#include <proxenos/printk.h>

static void crash_on_purpose(char key)
{
    (void)key;
    pr_err("Reading from address 0 on purpose\n");
    /* A volatile read of an unmapped address: the compiler must emit it.
     * MISRA-DEV(R1.3): crash-key-null-read */
    (void)*(volatile const unsigned int *)(uintptr_t)0U;
}
KEYHANDLER('!', crash_on_purpose, "fault in the hypervisor on purpose (debug builds)");
