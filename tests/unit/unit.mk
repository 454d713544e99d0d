# Host unit tests (cmocka). Each test is tests/unit/<dir>/test_<name>.c with
# a fragment tests/unit/<dir>/test_<name>.mk that names the hypervisor
# sources it links, relative to hypervisor/:
#     test_<name>-src := common/foo.c common/bar.c
# and, optionally, extra preprocessor flags (e.g. an arch include path for
# host-testable arch code):
#     test_<name>-cppflags := -I$(HYP)/arch/arm64/include
# (they come after the common flags, so that a test may also turn one of
# the sanitizers' checks off: -fno-sanitize=<check>).
# Every test also links tests/unit/fake_arch/*.c, which implements the arch
# hooks for the host. Binaries go to $(O)/unit/<dir>/test_<name>.
#
# make coverage builds the same tests with gcov into $(O)/coverage, runs
# them and prints the line coverage of each hypervisor/common/ source file
# (scripts/unit-coverage.sh).

UNIT_DIR := $(SRCDIR)/tests/unit
UNIT_CC ?= gcc
UNIT_CFLAGS := -std=c11 -O1 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
UNIT_CPPFLAGS := -I$(UNIT_DIR)/fake_arch/include -I$(UNIT_DIR)/common -I$(HYP)/include -I$(O)/include \
	-include $(CONFIG_H) -DPROXENOS_HOST_TEST -D_GNU_SOURCE
UNIT_LDLIBS := -lcmocka
# The tests run on the build machine (x86_64) but exercise the configured
# architecture's guest ABI: say which, rather than let include/public/arch.h
# guess from the host compiler (it refuses to).
UNIT_GUEST_ABI_arm64 := -DXEN_GUEST_ABI_ARM
UNIT_CPPFLAGS += $(UNIT_GUEST_ABI_$(ARCH))
# The coverage build (make coverage, below) is the same build with gcov's
# instrumentation; -O0 so that every line keeps its own code.
ifeq ($(UNIT_COVERAGE),1)
UNIT_CFLAGS += -O0 --coverage
endif

unit-mk := $(shell find $(UNIT_DIR) -name 'test_*.mk' | sort)
unit-fake := $(wildcard $(UNIT_DIR)/fake_arch/*.c)
unit-hdrs := $(shell find $(HYP)/include $(UNIT_DIR)/fake_arch -name "*.h")
UNIT_BINS :=

define unit_test_rule
$(1)-name := $(basename $(notdir $(2)))
$(1)-dir := $(patsubst $(UNIT_DIR)/%,%,$(dir $(2)))
include $(2)
$(1)-bin := $(O)/unit/$$($(1)-dir)$$($(1)-name)
$$($(1)-bin): $(basename $(2)).c $$(addprefix $(HYP)/,$$($$($(1)-name)-src)) $(unit-fake) $(CONFIG_H) $(unit-hdrs)
	@mkdir -p $$(dir $$@)
	$$(call say,HOSTCC,$$(patsubst $(O)/%,%,$$@))
	$(Q)$(UNIT_CC) $(UNIT_CPPFLAGS) $(UNIT_CFLAGS) $$($$($(1)-name)-cppflags) $$(filter %.c,$$^) -o $$@ $(UNIT_LDLIBS)
UNIT_BINS += $$($(1)-bin)
endef
$(foreach m,$(unit-mk),$(eval $(call unit_test_rule,$(subst /,_,$(patsubst $(UNIT_DIR)/%.mk,%,$(m))),$(m))))

.PHONY: unit unit-build
unit-build: $(UNIT_BINS)
unit: unit-build
	@sh $(SRCDIR)/scripts/run-unit.sh $(O) $(UNIT_BINS)

# A build directory of its own, on the configuration of $(O): instrumented
# objects never mix with the plain ones. The tests are rebuilt each run and
# their counts start from zero, so that the figures are this run's alone.
COVERAGE_O := $(O)/coverage
.PHONY: coverage
coverage: $(CONFIG_H)
	@mkdir -p $(COVERAGE_O)
	@cmp -s $(O)/.config $(COVERAGE_O)/.config || cp $(O)/.config $(COVERAGE_O)/.config
	@# Notes (.gcno) of tests since removed or renamed would still be read:
	@# every run rebuilds the tests from nothing.
	@rm -rf $(COVERAGE_O)/unit
	@$(MAKE) --no-print-directory O=$(COVERAGE_O) UNIT_COVERAGE=1 unit-build
	@find $(COVERAGE_O)/unit -name '*.gcda' -exec rm -f {} +
	@sh $(SRCDIR)/scripts/run-unit.sh $(COVERAGE_O) $(patsubst $(O)/%,$(COVERAGE_O)/%,$(UNIT_BINS))
	@sh $(SRCDIR)/scripts/unit-coverage.sh $(SRCDIR) $(COVERAGE_O)
