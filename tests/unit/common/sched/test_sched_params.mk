# sched= through the real command-line parser, with the option table the
# linker gathers as the hypervisor's does.
test_sched_params-src := common/sched/sched_params.c common/boot/cmdline.c ../tests/unit/common/fake_sched.c
test_sched_params-cppflags := -Wl,-T,$(UNIT_DIR)/common/image_tables.lds
$(O)/unit/common/sched/test_sched_params: $(UNIT_DIR)/common/image_tables.lds
