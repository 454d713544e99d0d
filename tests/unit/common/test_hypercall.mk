test_hypercall-src := common/hypercall.c
