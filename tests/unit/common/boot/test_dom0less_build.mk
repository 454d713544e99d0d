# dom0less domains built, started, rebooted, shut down and crashed through
# the real code from the xen,domain nodes to the reaper: the node reader,
# their static event channels, the domU device tree, CPU pools, domain
# creation and its PV state, event channels, grant tables, the PV console, the heap (heap_env.h), the timers
# that run the reaper, and the arm64 Image loader (its header is all it
# knows of the architecture). The scheduler and the debug console are the
# shared fakes; the arch hooks the fake arch's.
include $(UNIT_DIR)/common/boot/dom0less_world.mk
test_dom0less_build-src := $(dom0less-world-src)
# The private header of common/domain/.
test_dom0less_build-cppflags := -I$(HYP)/common/domain
$(O)/unit/common/boot/test_dom0less_build: $(UNIT_DIR)/common/heap_env.h \
	$(UNIT_DIR)/common/fdt_builder.h $(UNIT_DIR)/common/fake_sched.h \
	$(UNIT_DIR)/common/fake_console_api.h \
	$(UNIT_DIR)/common/boot/dom0less_env.h
