/* Debug-key dispatch (common/console/keyhandler.c) over the table the
 * linker gathers from KEYHANDLER() declarations: a key runs its handler
 * after Xen's "'<k>' pressed -> <description>" line, 'h' lists every key
 * in character order, a key without a handler is only noted at debug
 * level; and the debug build's '!' key (debug_crash_key.c) really faults,
 * caught here as the host's SIGSEGV. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <cmocka.h>

#include <proxenos/keyhandler.h>
#include <fake_arch.h>

extern const struct keyhandler __keyhandler_start[], __keyhandler_end[];

static int setup(void **state)
{
    (void)state;
    fake_reset();
    keyhandler_set_table(__keyhandler_start, __keyhandler_end);
    return 0;
}

static void the_image_table_holds_the_keys_of_the_linked_files(void **state)
{
    (void)state;
    /* keyhandler.c's 'h' and debug_crash_key.c's '!', nothing else. */
    assert_int_equal(__keyhandler_end - __keyhandler_start, 2);
}

static void help_lists_every_key_in_character_order(void **state)
{
    const char *log;
    const char *bang;
    const char *help;

    (void)state;
    handle_keypress('h');
    log = fake_log();
    assert_non_null(strstr(log, "'h' pressed -> showing installed handlers"));
    bang = strstr(log, " key '!' (ascii '21') => fault in the hypervisor on purpose");
    help = strstr(log, " key 'h' (ascii '68') => showing installed handlers");
    assert_non_null(bang);
    assert_non_null(help);
    assert_true(bang < help);
}

static void a_key_without_handler_is_noted_quietly(void **state)
{
    (void)state;
    handle_keypress('z');
    assert_true(fake_log_contains("no handler for key 'z' (0x7a)"));
    assert_true(fake_log_contains("DBG"));
    assert_false(fake_log_contains("pressed"));
    /* A control character is shown as '?' with its code. */
    handle_keypress('\x03');
    assert_true(fake_log_contains("no handler for key '?' (0x03)"));
}

static void an_empty_table_has_no_keys(void **state)
{
    (void)state;
    keyhandler_set_table(__keyhandler_start, __keyhandler_start);
    handle_keypress('h');
    assert_true(fake_log_contains("no handler for key 'h'"));
    assert_false(fake_log_contains("installed handlers"));
}

static sigjmp_buf fault_env;

static void on_fault(int sig)
{
    siglongjmp(fault_env, sig);
}

static void the_crash_key_faults_on_purpose(void **state)
{
    struct sigaction sa;
    struct sigaction old;
    volatile int caught = 0;

    (void)state;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_fault;
    sigemptyset(&sa.sa_mask);
    assert_int_equal(sigaction(SIGSEGV, &sa, &old), 0);
    if (sigsetjmp(fault_env, 1) == 0) {
        handle_keypress('!');
    } else {
        caught = 1;
    }
    assert_int_equal(sigaction(SIGSEGV, &old, NULL), 0);
    assert_int_equal(caught, 1);
    assert_true(fake_log_contains("'!' pressed -> fault in the hypervisor on purpose"));
    assert_true(fake_log_contains("Reading from address 0 on purpose"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(the_image_table_holds_the_keys_of_the_linked_files, setup),
        cmocka_unit_test_setup(help_lists_every_key_in_character_order, setup),
        cmocka_unit_test_setup(a_key_without_handler_is_noted_quietly, setup),
        cmocka_unit_test_setup(an_empty_table_has_no_keys, setup),
        cmocka_unit_test_setup(the_crash_key_faults_on_purpose, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
