# The hypercall table over the shared fake of the families it routes to
# (fake_hypercalls.c), which records which handler a number reached.
test_hypercall-src := common/hypercall/hypercall.c ../tests/unit/common/fake_hypercalls.c
$(O)/unit/common/hypercall/test_hypercall: $(UNIT_DIR)/common/fake_hypercalls.h
