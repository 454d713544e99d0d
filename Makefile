# Proxenos top-level build.
#
#   make                  build build/proxenos.elf and build/proxenos.bin
#   make O=<dir>          build out of tree: every generated file goes to <dir>
#   make CONFIG=<name>    start <dir> from config/<name>.mk (default: defconfig)
#   make run              boot the default demo on QEMU
#   make test             unit tests (cmocka) + system tests (pytest + QEMU)
#   make unit | systest   one half of the above
#   make tools            our dom0 VirtIO back ends ($(O)/tools/, docs/virtio.md)
#   make coverage         unit tests with gcov: line coverage of each common/ file
#   make bench            Proxenos vs Xen 4.17 figures (QUICK=1: the short set)
#   make fuzz             the libFuzzer targets, each FUZZ_SECONDS=600 (docs/fuzzing.md)
#   make misra            cppcheck MISRA addon over the hypervisor sources
#   make setup            install whatever is missing (scripts/setup.sh)
#   make fresh-check      make run and make test on a fresh Debian 12 root (root only)
#   make xen-reference XEN_SRC=<dir>  build the full-config Xen 4.17 reference

SRCDIR := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))
O ?= $(SRCDIR)/build
override O := $(abspath $(O))

# V=1 shows the full commands.
ifeq ($(V),1)
  Q :=
  say = @true
else
  Q := @
  say = @printf '  %-7s %s\n' $(1) $(2)
endif

.DEFAULT_GOAL := all
.SUFFIXES:
.DELETE_ON_ERROR:

# ---------------------------------------------------------------------------
# Configuration: a build directory keeps the configuration it was started
# with in $(O)/.config; naming CONFIG= on the command line replaces it.
CONFIG ?= defconfig
CONFIG_SRC := $(SRCDIR)/config/$(CONFIG).mk
ifeq ($(origin CONFIG),command line)
  $(shell mkdir -p $(O) && (cmp -s $(CONFIG_SRC) $(O)/.config || cp $(CONFIG_SRC) $(O)/.config))
endif
ifeq ($(wildcard $(O)/.config),)
  $(shell mkdir -p $(O) && cp $(CONFIG_SRC) $(O)/.config)
endif
include $(O)/.config

GEN := $(O)/include/generated
CONFIG_H := $(GEN)/config.h
$(CONFIG_H): $(O)/.config $(SRCDIR)/scripts/mkconfig.sh
	@mkdir -p $(GEN)
	sh $(SRCDIR)/scripts/mkconfig.sh $< > $@

# ---------------------------------------------------------------------------
# Hypervisor
ARCH := $(CONFIG_ARCH)
CROSS_COMPILE ?= aarch64-linux-gnu-
HYP_CC := $(CROSS_COMPILE)gcc
HYP_OBJCOPY := $(CROSS_COMPILE)objcopy
HYP := $(SRCDIR)/hypervisor

hyp-src-y :=
include $(HYP)/arch/$(ARCH)/sources.mk
include $(HYP)/common/sources.mk
include $(HYP)/drivers/sources.mk

HYP_CPPFLAGS := -nostdinc -isystem $(shell $(HYP_CC) -print-file-name=include 2>/dev/null) \
	-I$(HYP)/include -I$(HYP)/arch/$(ARCH)/include -I$(O)/include \
	-include $(CONFIG_H) -D__PROXENOS__
HYP_CFLAGS := -std=c11 -ffreestanding -fno-builtin -O2 -g -Wall -Wextra -Werror \
	-Wstrict-prototypes -Wmissing-prototypes -Wshadow -Wvla \
	-fno-common -fno-stack-protector -fno-pie -fno-omit-frame-pointer \
	-fno-strict-aliasing -ffunction-sections
include $(HYP)/arch/$(ARCH)/flags.mk
HYP_LDFLAGS := -nostdlib -static -no-pie -Wl,--gc-sections -Wl,-T,$(O)/hyp.lds \
	-Wl,--build-id=sha1 -Wl,-z,noexecstack -Wl,--no-warn-rwx-segments

HYP_OBJS := $(patsubst %,$(O)/hyp/%.o,$(hyp-src-y))
-include $(HYP_OBJS:.o=.d)

$(O)/hyp/%.c.o: $(HYP)/%.c $(CONFIG_H)
	@mkdir -p $(dir $@)
	$(call say,CC,$(patsubst $(HYP)/%,%,$<))
	$(Q)$(HYP_CC) $(HYP_CPPFLAGS) $(HYP_CFLAGS) -MMD -MP -MF $(@:.o=.d) -c $< -o $@

$(O)/hyp/%.S.o: $(HYP)/%.S $(CONFIG_H)
	@mkdir -p $(dir $@)
	$(call say,AS,$(patsubst $(HYP)/%,%,$<))
	$(Q)$(HYP_CC) $(HYP_CPPFLAGS) $(HYP_ASFLAGS) -D__ASSEMBLY__ -MMD -MP -MF $(@:.o=.d) -c $< -o $@

$(O)/hyp.lds: $(HYP)/arch/$(ARCH)/proxenos.lds.S $(CONFIG_H)
	$(call say,LDS,$(notdir $@))
	$(Q)$(HYP_CC) $(HYP_CPPFLAGS) -D__ASSEMBLY__ -E -P -x c $< -o $@

$(O)/proxenos.elf: $(HYP_OBJS) $(O)/hyp.lds
	$(call say,LD,$(notdir $@))
	$(Q)$(HYP_CC) $(HYP_CFLAGS) $(HYP_LDFLAGS) $(HYP_OBJS) -o $@

$(O)/proxenos.bin: $(O)/proxenos.elf
	$(call say,OBJCOPY,$(notdir $@))
	$(Q)$(HYP_OBJCOPY) -O binary $< $@

.PHONY: all
all: $(O)/proxenos.elf $(O)/proxenos.bin

# ---------------------------------------------------------------------------
# Host unit tests, fuzzing, system tests
include $(SRCDIR)/tests/unit/unit.mk
-include $(SRCDIR)/tests/fuzz/fuzz.mk
-include $(SRCDIR)/guests/guests.mk

PYTHON := /usr/bin/python3
SETUP := $(SRCDIR)/scripts/setup.sh

.PHONY: setup run test unit systest clean
setup:
	@sh $(SETUP)

# make run: Debian's Linux as dom0 with a shell on hvc0, booted as Xen 4.17
# is (hypervisor as -kernel, Linux and its initramfs as guest-loader
# modules), and beside it a busybox Linux dom0less domU with a shell on its
# vpl011. Ctrl-a three times moves the console input along (docs/dom0.md).
# dom0 carries Debian's Xen 4.17 toolstack and starts it before its shell
# (xenstored, xen-init-dom0, xenconsoled; docs/toolstack.md), with the
# example domU of tools/examples/debian-domu.cfg for `xl create -c`.
# make run TOOLSTACK=0: a plain busybox dom0 instead (a faster boot).
TOOLSTACK ?= 1
CACHE_DIR := $(or $(PROXENOS_CACHE),$(HOME)/.cache/proxenos)
# make tools: our VirtIO back ends for dom0 (docs/virtio.md), in $(O)/tools/.
include $(SRCDIR)/tools/virtio-backend/backend.mk
RUN_DIR := $(O)/run
RUN_KERNEL := $(CACHE_DIR)/linux/Image
RUN_APPEND := dom0_mem=512M console=dtuart dtuart=/pl011@9000000
RUN_SHELL := echo "shell on $$(tty); exit powers the domain off"; setsid cttyhack sh
RUN_DOM0 := $(RUN_DIR)/$(if $(filter 1,$(TOOLSTACK)),dom0-toolstack,dom0).cpio.gz

$(RUN_DIR)/%.cpio.gz: $(SRCDIR)/scripts/mkinitramfs.sh
	$(call say,GEN,$(notdir $@))
	$(Q)sh $< --marker "Proxenos demo: $* busybox init running" --run '$(RUN_SHELL)' $@

# It also carries our virtio-blk back end, started by /init, and the example
# domU with a VirtIO disk (tools/examples/virtio-domu.cfg; docs/virtio.md).
# RUN_BUILD= (below) takes the back end as built too.
RUN_BUILD := all
RUN_VIRTIO := $(O)/tools/virtio-blk-backend
$(RUN_DIR)/dom0-toolstack.cpio.gz: $(SRCDIR)/scripts/mkinitramfs-toolstack.sh $(SRCDIR)/scripts/mkinitramfs.sh \
		$(SRCDIR)/tools/dom0/init $(SRCDIR)/tools/examples/debian-domu.cfg \
		$(SRCDIR)/tools/examples/virtio-domu.cfg $(SRCDIR)/tools/domu/virtio-demo \
		$(if $(RUN_BUILD),$(RUN_VIRTIO)) $(CACHE_DIR)/toolstack/version
	$(call say,GEN,$(notdir $@))
	$(Q)sh $< --marker "Proxenos demo: dom0 busybox init running" --run '$(RUN_SHELL)' \
		--virtio $(RUN_VIRTIO) $@

# setup first, then a new make: on a fresh machine the cross compiler that
# this make's variables asked for at start-up did not exist yet. RUN_BUILD=
# (empty) boots the image already in $(O) without rebuilding it (RUN_BUILD is
# set above, before the dom0 image's prerequisites use it).
run: setup
	@$(MAKE) --no-print-directory $(RUN_BUILD) $(RUN_DOM0) $(RUN_DIR)/domu.cpio.gz
	@echo "Proxenos demo: dom0 (Linux, hvc0) and domU1 (Linux, vpl011); Ctrl-a three" \
		"times switches input; debug keys h m r q on Proxenos; Ctrl-a x leaves QEMU"
	@[ "$(filter 1,$(TOOLSTACK))" != 1 ] || echo "Proxenos demo: dom0 runs Debian's Xen 4.17" \
		"tools: xl list, xl info, xl create -c /etc/xen/debian-domu.cfg (docs/toolstack.md);" \
		"a VirtIO disk: xl create -c /etc/xen/virtio-domu.cfg (docs/virtio.md)"
	sh $(SRCDIR)/scripts/qemu.sh --image $(O)/proxenos.bin --smp 4 --mem 2G \
		--append "$(RUN_APPEND)" \
		--guest-kernel $(RUN_KERNEL) --guest-args "console=hvc0 earlycon=xen" \
		--guest-initrd $(RUN_DOM0) \
		--domu $(RUN_KERNEL) --domu-args "console=ttyAMA0" \
		--domu-initrd $(RUN_DIR)/domu.cpio.gz --domu-mem 256 --domu-cpus 1

test: setup
	@$(MAKE) --no-print-directory all guests tools unit-build
	@sh $(SRCDIR)/scripts/run-tests.sh $(O)

systest: all guests tools
	PROXENOS_BUILD=$(O) $(PYTHON) -m pytest -q $(SRCDIR)/tests/system

clean:
	rm -rf $(O)

# The README's two commands on a minimal Debian 12 root made by debootstrap,
# from a clean clone of HEAD (scripts/fresh-machine.sh; not part of test).
.PHONY: fresh-check
fresh-check: setup
	@sh $(SRCDIR)/scripts/fresh-machine.sh

# Benchmarks side by side with Xen 4.17 (docs/benchmarks.md); not part of `test`.
# Debian's Xen is a release build, so Proxenos is measured as one too.
BENCH_ARGS := $(if $(filter 1,$(QUICK)),--quick)
BENCH_BUILD := $(O)/bench-release
.PHONY: bench
bench: setup
	@$(MAKE) --no-print-directory O=$(BENCH_BUILD) CONFIG=release all guests tools
	PROXENOS_BUILD=$(BENCH_BUILD) $(PYTHON) $(SRCDIR)/bench/bench.py $(BENCH_ARGS)

# The full-config Xen 4.17 (static memory and shm, boot-time cpupools,
# IOREQ, every scheduler) from Xen's own source, built outside this tree
# into $(CACHE_DIR)/xen-full (scripts/build-xen-reference.sh,
# docs/testing.md). Nothing here needs it: tests/system/test_static_xen.py
# runs the static trees on it, and skips without it.
.PHONY: xen-reference
xen-reference:
	sh $(SRCDIR)/scripts/build-xen-reference.sh "$(XEN_SRC)"

# MISRA C:2012 over the hypervisor sources as compiled (docs/misra/README.md).
.PHONY: misra
misra: $(CONFIG_H)
	@$(PYTHON) $(SRCDIR)/scripts/misra.py --srcdir $(SRCDIR) --outdir $(O)/misra \
		--cc '$(HYP_CC)' --cppflags '$(HYP_CPPFLAGS)' --cflags '$(HYP_CFLAGS)' \
		$(addprefix $(HYP)/,$(filter %.c,$(hyp-src-y)))
