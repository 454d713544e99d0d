# dom0less domains with xen,static-mem, through the same real code as
# test_dom0less_build: the node reader, static_mem.c, the page allocator's
# static blocks, domain creation and the reaper that reboots them.
include $(UNIT_DIR)/common/boot/dom0less_world.mk
test_dom0less_static_mem-src := $(dom0less-world-src)
# The private header of common/domain/.
test_dom0less_static_mem-cppflags := -I$(HYP)/common/domain
$(O)/unit/common/boot/test_dom0less_static_mem: $(UNIT_DIR)/common/heap_env.h \
	$(UNIT_DIR)/common/fdt_builder.h $(UNIT_DIR)/common/fake_sched.h \
	$(UNIT_DIR)/common/fake_console_api.h \
	$(UNIT_DIR)/common/boot/dom0less_env.h
