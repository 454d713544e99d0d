# The whole virtio-blk device of our back end (register file, a worker
# thread per queue, the blk device type) driven through its registers, on
# a fake guest RAM and a temporary image.
test_vdev-src := ../tools/virtio-backend/vdev.c ../tools/virtio-backend/virtio_mmio.c \
	../tools/virtio-backend/virtqueue.c ../tools/virtio-backend/blk.c \
	../tools/virtio-backend/blk_dev.c ../tools/virtio-backend/vdev_types.c \
	../tools/virtio-backend/net.c ../tools/virtio-backend/net_dev.c \
	../tools/virtio-backend/tap.c \
	../tools/virtio-backend/i2c_dev.c ../tools/virtio-backend/vi2c.c \
	../tools/virtio-backend/i2c_adapter.c ../tools/virtio-backend/i2c_eeprom.c \
	../tools/virtio-backend/gpio_dev.c ../tools/virtio-backend/vgpio.c \
	../tools/virtio-backend/gpio_cdev.c ../tools/virtio-backend/gpio_sim.c \
	../tools/virtio-backend/log.c
test_vdev-cppflags := -I$(SRCDIR)/tools/virtio-backend -pthread
$(O)/unit/tools/virtio-backend/test_vdev: $(UNIT_DIR)/tools/virtio-backend/vq_env.h \
	$(wildcard $(SRCDIR)/tools/virtio-backend/*.h)
