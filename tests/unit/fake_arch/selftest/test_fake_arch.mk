# The fakes themselves: no hypervisor sources. The minimal <asm/domain.h>
# lets the domain fakes be checked against the real prototypes.
test_fake_arch-src :=
test_fake_arch-cppflags := -I$(UNIT_DIR)/common/sched_test_include
