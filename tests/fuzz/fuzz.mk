# libFuzzer over the boot-input parsers: the device-tree reader, the
# boot-info scan and the command line (tests/fuzz/fuzz_fdt.c). Not part of
# `make test`:
#     make fuzz                   build, seed, run for FUZZ_SECONDS (600)
#     make fuzz FUZZ_SECONDS=60   shorter
#     make fuzz-build             only build $(O)/fuzz/fuzz_fdt
# The corpus grows in $(O)/fuzz/corpus (seeded from the unit-test DTBs);
# crashes are written to $(O)/fuzz/crash-* and reproduce with
#     $(O)/fuzz/fuzz_fdt $(O)/fuzz/crash-<id>

FUZZ_CC ?= clang
FUZZ_SECONDS ?= 600
# Extra libFuzzer flags, e.g. FUZZ_ARGS="-jobs=4 -workers=4".
FUZZ_ARGS ?=
FUZZ_DIR := $(O)/fuzz
FUZZ_SEEDS := $(wildcard $(SRCDIR)/tests/unit/common/data/*.dtb)
FUZZ_DICT := $(SRCDIR)/tests/fuzz/fdt.dict
# The arm64 walk of the GIC, timer and PSCI nodes and GIC interrupt
# specifiers are fuzzed with the rest (the boot tree is Arm's), so the
# harness is built, on the host, for Arm's guest ABI (include/public/arch.h).
fuzz-hyp-src := common/fdt/fdt_token.c common/fdt/fdt_check.c common/fdt/fdt.c \
	common/fdt/fdt_addr.c common/boot/bootinfo.c common/boot/cmdline.c \
	arch/arm64/bootinfo_devices.c arch/arm64/fdt_irq_gic.c
FUZZ_SRCS := $(SRCDIR)/tests/fuzz/fuzz_fdt.c $(addprefix $(HYP)/,$(fuzz-hyp-src))
FUZZ_CPPFLAGS := -I$(HYP)/include -I$(HYP)/arch/arm64/include -I$(O)/include -include $(CONFIG_H) \
	-DPROXENOS_HOST_TEST -D_GNU_SOURCE -DXEN_GUEST_ABI_ARM
FUZZ_CFLAGS := -std=c11 -g -O1 -Wall -Wextra -Werror -fno-omit-frame-pointer \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all

$(FUZZ_DIR)/fuzz_fdt: $(FUZZ_SRCS) $(CONFIG_H) $(shell find $(HYP)/include -name '*.h')
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CPPFLAGS) $(FUZZ_CFLAGS) $(FUZZ_SRCS) -o $@

# Seeds are copied in once; the corpus then belongs to the fuzzer.
$(FUZZ_DIR)/corpus/.seeded: $(FUZZ_SEEDS)
	@mkdir -p $(dir $@)
	cp $(FUZZ_SEEDS) $(dir $@)
	@touch $@

.PHONY: fuzz fuzz-build
fuzz-build: $(FUZZ_DIR)/fuzz_fdt

fuzz: $(FUZZ_DIR)/fuzz_fdt $(FUZZ_DIR)/corpus/.seeded
	cd $(FUZZ_DIR) && ./fuzz_fdt -max_total_time=$(FUZZ_SECONDS) -dict=$(FUZZ_DICT) \
		-max_len=16384 -artifact_prefix=$(FUZZ_DIR)/ -print_final_stats=1 \
		$(FUZZ_ARGS) corpus
