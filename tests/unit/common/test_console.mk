test_console-src := common/console.c common/console_input.c common/lib/vsnprintf.c
