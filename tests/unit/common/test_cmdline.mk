test_cmdline-src := common/cmdline.c
