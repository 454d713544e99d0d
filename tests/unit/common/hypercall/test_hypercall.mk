test_hypercall-src := common/hypercall/hypercall.c
