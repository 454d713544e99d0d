# Test guests: a tiny AArch64 EL1 library (guests/lib) and one Image per
# directory guests/<name>/ holding *.c, built into $(O)/guests/<name>.bin
# (raw arm64 Image, what a hypervisor loads) and $(O)/guests/<name>.elf.
#
# Included by the top Makefile, which provides SRCDIR, O, CROSS_COMPILE and
# the quiet-build helpers Q and say (V=1 shows the commands).
# `make guests` builds them; `all` does not. GUEST_BINS lists the images
# for the targets that need them (the system tests).

GUEST_DIR := $(SRCDIR)/guests
GUEST_OUT := $(O)/guests
GUEST_CC := $(CROSS_COMPILE)gcc
GUEST_OBJCOPY := $(CROSS_COMPILE)objcopy

# Xen's public ABI comes from the hypervisor's own headers (<public/xen.h>,
# ...), so a guest and the hypervisor cannot disagree on a number or layout.
GUEST_CPPFLAGS := -nostdinc -isystem $(shell $(GUEST_CC) -print-file-name=include 2>/dev/null) \
	-I$(GUEST_DIR)/lib -I$(SRCDIR)/hypervisor/include
# -mstrict-align: the first instructions run with the MMU off, where every
#  access is Device memory and a misaligned one faults.
# -fno-tree-loop-distribute-patterns: keeps memset/memcpy from calling themselves.
# -fpie / -static-pie: start.S relocates the image to wherever it was loaded.
GUEST_CFLAGS := -std=c11 -ffreestanding -fno-builtin -O2 -g -Wall -Wextra -Werror \
	-Wstrict-prototypes -Wmissing-prototypes -Wshadow -Wvla \
	-fno-common -fno-stack-protector -fpie -fno-omit-frame-pointer \
	-fno-tree-loop-distribute-patterns -ffunction-sections -fdata-sections \
	-mgeneral-regs-only -mno-outline-atomics -mstrict-align \
	-mbranch-protection=none -mcmodel=small -march=armv8-a
GUEST_ASFLAGS := -march=armv8-a
GUEST_LDFLAGS := -nostdlib -static-pie -Wl,--gc-sections \
	-Wl,-T,$(GUEST_DIR)/lib/guest.lds -Wl,--build-id=none \
	-Wl,-z,noexecstack -Wl,--no-warn-rwx-segments

# Every directory with C files except lib/ is a guest.
GUEST_NAMES := $(sort $(filter-out lib,$(notdir $(patsubst %/,%,$(dir \
	$(wildcard $(GUEST_DIR)/*/*.c))))))
GUEST_BINS := $(patsubst %,$(GUEST_OUT)/%.bin,$(GUEST_NAMES))
GUEST_ELFS := $(GUEST_BINS:.bin=.elf)

# The library is compiled once and linked whole into every guest;
# --gc-sections drops what a guest does not use.
GUEST_LIB_SRCS := $(sort $(wildcard $(GUEST_DIR)/lib/*.c $(GUEST_DIR)/lib/*.S))
GUEST_LIB_OBJS := $(patsubst $(GUEST_DIR)/%,$(GUEST_OUT)/%.o,$(GUEST_LIB_SRCS))

$(GUEST_OUT)/%.c.o: $(GUEST_DIR)/%.c
	@mkdir -p $(dir $@)
	$(call say,CC,guests/$*.c)
	$(Q)$(GUEST_CC) $(GUEST_CPPFLAGS) $(GUEST_CFLAGS) -MMD -MP -MF $(@:.o=.d) -c $< -o $@

$(GUEST_OUT)/%.S.o: $(GUEST_DIR)/%.S
	@mkdir -p $(dir $@)
	$(call say,AS,guests/$*.S)
	$(Q)$(GUEST_CC) $(GUEST_CPPFLAGS) $(GUEST_ASFLAGS) -D__ASSEMBLY__ -MMD -MP -MF $(@:.o=.d) -c $< -o $@

define GUEST_template
GUEST_OBJS_$(1) := $$(patsubst $$(GUEST_DIR)/%,$$(GUEST_OUT)/%.o,$$(sort $$(wildcard $$(GUEST_DIR)/$(1)/*.c)))
$$(GUEST_OUT)/$(1).elf: $$(GUEST_OBJS_$(1)) $$(GUEST_LIB_OBJS) $$(GUEST_DIR)/lib/guest.lds
	$$(call say,LD,guests/$(1).elf)
	$$(Q)$$(GUEST_CC) $$(GUEST_CFLAGS) $$(GUEST_LDFLAGS) $$(GUEST_LIB_OBJS) $$(GUEST_OBJS_$(1)) -o $$@
-include $$(GUEST_OBJS_$(1):.o=.d)
endef
$(foreach g,$(GUEST_NAMES),$(eval $(call GUEST_template,$(g))))

$(GUEST_OUT)/%.bin: $(GUEST_OUT)/%.elf
	$(call say,OBJCOPY,guests/$*.bin)
	$(Q)$(GUEST_OBJCOPY) -O binary $< $@

-include $(GUEST_LIB_OBJS:.o=.d)

.PHONY: guests
guests: $(GUEST_BINS)
