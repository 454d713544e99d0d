# Our own VirtIO back ends for an arm64 dom0 (docs/virtio.md), built into
# $(O)/tools/. Included by the top Makefile, which provides SRCDIR, O,
# CROSS_COMPILE, CACHE_DIR and the quiet-build helpers.
#
# They are linked dynamically against Debian's Xen 4.17 libraries, those of
# the toolstack root dom0 carries: scripts/setup.sh caches a sysroot of
# Debian's arm64 libc6-dev, linux-libc-dev and libxen-dev with that root's
# libraries behind the link names ($(CACHE_DIR)/sysroot-arm64).

VBE_DIR := $(SRCDIR)/tools/virtio-backend
VBE_OUT := $(O)/tools/obj/virtio-backend
VBE_SYSROOT ?= $(CACHE_DIR)/sysroot-arm64
VBE_CC := $(CROSS_COMPILE)gcc --sysroot=$(VBE_SYSROOT)
VBE_CFLAGS := -std=c11 -O2 -g -Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes \
	-Wshadow -Wvla -fno-common -D_GNU_SOURCE -pthread
VBE_LDLIBS := -lxendevicemodel -lxenforeignmemory -lxenevtchn -lxenstore -pthread

# The host-testable part (guest memory behind guest_mem.h) and the Xen part.
# One program serves every device type (vdev.h says how a type plugs in);
# it is also installed as virtio-<type>-backend, which needs no --type.
VBE_SRCS := virtqueue.c virtio_mmio.c vdev.c vdev_types.c log.c \
	blk.c blk_dev.c \
	i2c_dev.c vi2c.c i2c_adapter.c i2c_eeprom.c \
	gpio_dev.c vgpio.c gpio_cdev.c gpio_sim.c \
	net.c net_dev.c tap.c \
	devargs.c dom0less_dt.c dom0less_conf.c dom0less_plan.c \
	gmem_xen.c xen_glue.c serve.c xs_backend.c dom0less.c main.c
VBE_OBJS := $(patsubst %.c,$(VBE_OUT)/%.o,$(VBE_SRCS))
VBE_BIN := $(O)/tools/virtio-backend
VBE_TYPES := blk net i2c gpio
VBE_NAMED := $(foreach t,$(VBE_TYPES),$(O)/tools/virtio-$(t)-backend)

$(VBE_OUT)/%.o: $(VBE_DIR)/%.c
	@mkdir -p $(dir $@)
	@[ -e $(VBE_SYSROOT)/usr/include/xendevicemodel.h ] || \
		{ echo "no arm64 sysroot at $(VBE_SYSROOT): run make setup" >&2; exit 1; }
	$(call say,CC,tools/virtio-backend/$*.c)
	$(Q)$(VBE_CC) $(VBE_CFLAGS) -MMD -MP -MF $(@:.o=.d) -c $< -o $@

$(VBE_BIN): $(VBE_OBJS)
	$(call say,LD,tools/virtio-backend)
	$(Q)$(VBE_CC) $(VBE_CFLAGS) $(VBE_OBJS) -o $@ $(VBE_LDLIBS)

# Copies rather than links: the tests put single files into initramfs
# images, and a copy needs nothing beside it.
$(VBE_NAMED): $(VBE_BIN)
	$(call say,CP,$(patsubst $(O)/%,%,$@))
	$(Q)cp $< $@

-include $(VBE_OBJS:.o=.d)

.PHONY: tools
tools: $(VBE_BIN) $(VBE_NAMED)
