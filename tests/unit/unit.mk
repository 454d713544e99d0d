# Host unit tests (cmocka). Each test is tests/unit/<dir>/test_<name>.c with
# a fragment tests/unit/<dir>/test_<name>.mk that names the hypervisor
# sources it links, relative to hypervisor/:
#     test_<name>-src := common/foo.c common/bar.c
# and, optionally, extra preprocessor flags (e.g. an arch include path for
# host-testable arch code):
#     test_<name>-cppflags := -I$(HYP)/arch/arm64/include
# Every test also links tests/unit/fake_arch/*.c, which implements the arch
# hooks for the host. Binaries go to $(O)/unit/<dir>/test_<name>.

UNIT_DIR := $(SRCDIR)/tests/unit
UNIT_CC ?= gcc
UNIT_CFLAGS := -std=c11 -O1 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
UNIT_CPPFLAGS := -I$(UNIT_DIR)/fake_arch/include -I$(HYP)/include -I$(O)/include \
	-include $(CONFIG_H) -DPROXENOS_HOST_TEST -D_GNU_SOURCE
UNIT_LDLIBS := -lcmocka

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
	$(Q)$(UNIT_CC) $(UNIT_CPPFLAGS) $$($$($(1)-name)-cppflags) $(UNIT_CFLAGS) $$(filter %.c,$$^) -o $$@ $(UNIT_LDLIBS)
UNIT_BINS += $$($(1)-bin)
endef
$(foreach m,$(unit-mk),$(eval $(call unit_test_rule,$(subst /,_,$(patsubst $(UNIT_DIR)/%.mk,%,$(m))),$(m))))

.PHONY: unit unit-build
unit-build: $(UNIT_BINS)
unit: unit-build
	@sh $(SRCDIR)/scripts/run-unit.sh $(O) $(UNIT_BINS)
