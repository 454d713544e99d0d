test_vsnprintf-src := common/lib/vsnprintf.c
