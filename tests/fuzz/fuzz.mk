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

# The hypercall-level targets (fuzz_control, fuzz_hypercall,
# fuzz_evtchn_gnttab) link one world: the real dispatcher, which reaches
# every handler, and all those handlers call, on the real heap; the
# scheduler and the debug console are the shared fakes. fuzz_env.c makes
# their dom0 and domU and checks that every input gives everything back.
# One list, so that a file a handler starts to need is added once.
fuzz-world-src := common/hypercall/hypercall.c common/hypercall/multicall.c \
	common/hypercall/hvm_op.c common/hypercall/physdev_op.c common/hypercall/platform_op.c \
	common/hypercall/xen_version.c common/sched/sched_op.c common/domain/vcpu_op.c \
	common/domain/runstate.c common/domain/domain_shutdown.c \
	common/control/control_bitmap.c common/control/control_caller.c common/control/control_domain_info.c \
	common/control/control_sched.c common/control/domctl.c common/control/domctl_createdomain.c \
	common/control/domctl_devices.c common/control/domctl_lifecycle.c common/control/domctl_memory.c \
	common/control/domctl_vcpu.c common/control/domctl_vcpu_context.c common/control/sysctl.c \
	common/control/sysctl_console.c common/control/sysctl_physinfo.c \
	common/domain/domain.c common/domain/domain_ref.c common/domain/domain_pause.c \
	common/domain/domain_notify.c common/domain/domain_pv.c \
	common/domain/shared_info.c common/domain/wallclock.c common/domain/guest_ram.c \
	common/event/evtchn.c common/event/evtchn_port.c common/event/evtchn_ops.c common/event/evtchn_xen.c \
	common/event/evtchn_2l.c common/event/evtchn_fifo.c common/event/evtchn_abi.c common/event/evtchn_domain.c \
	common/grant/gnttab.c common/grant/gnttab_map.c common/grant/gnttab_copy.c \
	common/memory/memory_op.c common/memory/memory_reservation.c common/memory/foreign_map.c \
	common/memory/memory_resource.c common/memory/pv_mem.c common/memory/guest_access.c \
	common/memory/bootmem.c common/memory/page_alloc.c common/memory/alloc_count.c common/memory/xmalloc.c common/memory/paging_pool.c \
	common/console/console_io.c common/console/guest_console.c common/console/ratelimit.c \
	common/sched/cpupool.c common/sched/sched_params.c \
	common/core/timer.c common/sched/watchdog.c common/core/softirq.c common/core/smp.c common/lib/rangeset.c \
	common/boot/hostinfo.c common/boot/build_id.c common/console/console.c common/lib/vsnprintf.c \
	common/boot/dom0less_build.c common/boot/dom0less_evtchn.c common/boot/dom0less_evtchn_rebind.c common/event/evtchn_static.c common/boot/dom0less_config.c common/boot/dom0less_virtio.c common/boot/dom0less_virtio_dom0.c common/boot/boot_ranges.c common/boot/bootinfo.c \
	common/boot/static_mem.c common/boot/static_shm.c common/boot/static_shm_domain.c \
	common/boot/domain_fdt.c common/fdt/fdt.c common/fdt/fdt_token.c common/fdt/fdt_check.c \
	common/fdt/fdt_addr.c common/fdt/fdt_write.c arch/arm64/kernel_image.c \
	common/ioreq/dm_op.c common/ioreq/ioreq_server.c common/ioreq/ioreq_send.c common/ioreq/ioreq_reserve.c \
	../tests/unit/common/fake_sched.c ../tests/unit/common/fake_console_api.c \
	../tests/fuzz/fuzz_env.c
fuzz-world-cppflags := -I$(HYP)/common/domain -I$(HYP)/common/event -I$(HYP)/common/control \
	-I$(HYP)/common/ioreq

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
