test_cmdline-src := common/boot/cmdline.c
