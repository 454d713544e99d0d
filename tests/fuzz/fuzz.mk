# libFuzzer targets, built for the host with ASan and UBSan. Not part of
# `make test` (but `make fuzz-smoke` is run by tests/system/test_build.py):
#     make fuzz                   build all, run each for FUZZ_SECONDS (600)
#     make fuzz FUZZ_SECONDS=60   shorter
#     make fuzz FUZZ_TARGETS=fuzz_hypercall   only some of them
#     make fuzz-build             only build $(O)/fuzz/<target>/<target>
#     make fuzz-smoke             each for FUZZ_SMOKE_SECONDS (5); fails on a crash
#
# Each target is tests/fuzz/<target>.c with a fragment <target>.mk beside
# it, which names (like a unit test's) the hypervisor sources it links,
# relative to hypervisor/ (shared fakes as ../tests/unit/<dir>/fake_<x>.c):
#     <target>-src := common/foo.c ../tests/unit/common/fake_sched.c
#     <target>-cppflags := extra preprocessor flags
#     <target>-fakes := no      (optional: do not link tests/unit/fake_arch)
#     <target>-dict := a libFuzzer dictionary   <target>-maxlen := bytes
# Unless told otherwise a target links tests/unit/fake_arch/*.c and sees the
# unit tests' include paths, as a unit test does (docs/testing.md).
#
# Seeds are tests/fuzz/corpus/<target>/ (read only to the fuzzer); what it
# finds grows in $(O)/fuzz/<target>/corpus. Crashes are written to
# $(O)/fuzz/<target>/crash-* and reproduce with
#     $(O)/fuzz/<target>/<target> $(O)/fuzz/<target>/crash-<id>
# See docs/fuzzing.md.

FUZZ_CC ?= clang
FUZZ_SECONDS ?= 600
FUZZ_SMOKE_SECONDS ?= 5
# One input running longer than this (seconds) is a finding (a hang).
FUZZ_TIMEOUT ?= 10
# Extra libFuzzer flags, e.g. FUZZ_ARGS="-jobs=4 -workers=4".
FUZZ_ARGS ?=
FUZZ_DIR := $(O)/fuzz
FUZZ_SRC := $(SRCDIR)/tests/fuzz
FUZZ_CPPFLAGS := -I$(HYP)/include -I$(O)/include -include $(CONFIG_H) \
	-DPROXENOS_HOST_TEST -D_GNU_SOURCE -DXEN_GUEST_ABI_ARM
FUZZ_FAKE_CPPFLAGS := -I$(UNIT_DIR)/fake_arch/include -I$(UNIT_DIR)/common
FUZZ_CFLAGS := -std=c11 -g -O1 -Wall -Wextra -Werror -Wno-unused-parameter \
	-fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_LDLIBS := -lcmocka

fuzz-mk := $(sort $(wildcard $(FUZZ_SRC)/fuzz_*.mk))
FUZZ_ALL := $(basename $(notdir $(fuzz-mk)))
FUZZ_TARGETS ?= $(FUZZ_ALL)
fuzz-hdrs := $(shell find $(HYP)/include $(UNIT_DIR)/fake_arch $(UNIT_DIR)/common -maxdepth 1 -name '*.h') \
	$(wildcard $(FUZZ_SRC)/*.h)

# $(1): the target's name.
define fuzz_target_rule
include $(FUZZ_SRC)/$(1).mk
$(1)-bin := $(FUZZ_DIR)/$(1)/$(1)
$(1)-link := $$(addprefix $(HYP)/,$$($(1)-src)) $$(if $$(filter no,$$($(1)-fakes)),,$(unit-fake))
$$($(1)-bin): $(FUZZ_SRC)/$(1).c $$($(1)-link) $(CONFIG_H) $(fuzz-hdrs)
	@mkdir -p $$(dir $$@)
	$$(call say,FUZZCC,$$(patsubst $(O)/%,%,$$@))
	$(Q)$(FUZZ_CC) $(FUZZ_CPPFLAGS) $$(if $$(filter no,$$($(1)-fakes)),,$(FUZZ_FAKE_CPPFLAGS)) \
		$$($(1)-cppflags) $(FUZZ_CFLAGS) $$(filter %.c,$$^) -o $$@ \
		$$(if $$(filter no,$$($(1)-fakes)),,$(FUZZ_LDLIBS))
$(1)-run = $$($(1)-bin) $$(if $$($(1)-dict),-dict=$$($(1)-dict)) \
	$$(if $$($(1)-maxlen),-max_len=$$($(1)-maxlen)) \
	-artifact_prefix=$(FUZZ_DIR)/$(1)/ -print_final_stats=1 -timeout=$(FUZZ_TIMEOUT)
endef
$(foreach t,$(FUZZ_ALL),$(eval $(call fuzz_target_rule,$(t))))

.PHONY: fuzz fuzz-build fuzz-smoke
fuzz-build: $(foreach t,$(FUZZ_TARGETS),$($(t)-bin))

# One target after the other, each for FUZZ_SECONDS: the first directory
# is the corpus the fuzzer writes, the second the seeds it only reads.
fuzz: fuzz-build
	@set -e; $(foreach t,$(FUZZ_TARGETS),\
		mkdir -p $(FUZZ_DIR)/$(t)/corpus; \
		echo "== $(t) for $(FUZZ_SECONDS) s"; \
		$($(t)-run) -max_total_time=$(FUZZ_SECONDS) $(FUZZ_ARGS) \
			$(FUZZ_DIR)/$(t)/corpus $(FUZZ_SRC)/corpus/$(t);)

# Each target briefly from its seeds alone (a scratch corpus, emptied
# first): a crash, a leak or a sanitizer report fails it, and its log is
# shown; otherwise the last status line (coverage, corpus, speed).
fuzz-smoke: fuzz-build
	@set -e; $(foreach t,$(FUZZ_TARGETS),\
		rm -rf $(FUZZ_DIR)/$(t)/smoke; mkdir -p $(FUZZ_DIR)/$(t)/smoke; \
		if ! $($(t)-run) -max_total_time=$(FUZZ_SMOKE_SECONDS) \
			$(FUZZ_DIR)/$(t)/smoke $(FUZZ_SRC)/corpus/$(t) >$(FUZZ_DIR)/$(t)/smoke.log 2>&1; then \
			tail -n 60 $(FUZZ_DIR)/$(t)/smoke.log; echo "fuzz-smoke: $(t) FAILED"; exit 1; fi; \
		printf '%-22s %s\n' $(t) "$$(grep -E '^#[0-9]+' $(FUZZ_DIR)/$(t)/smoke.log | tail -n 1)";)
