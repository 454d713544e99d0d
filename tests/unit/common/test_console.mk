test_console-src := common/console.c common/lib/vsnprintf.c
