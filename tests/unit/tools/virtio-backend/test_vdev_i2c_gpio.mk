# The i2c and gpio device types of our back end (i2c_dev.c, gpio_dev.c) in
# the shared transport (vdev.c) with its worker threads, driven through
# their registers on a fake guest RAM and the simulated EEPROM and chip.
test_vdev_i2c_gpio-src := ../tools/virtio-backend/vdev.c ../tools/virtio-backend/virtio_mmio.c \
	../tools/virtio-backend/virtqueue.c ../tools/virtio-backend/log.c \
	../tools/virtio-backend/i2c_dev.c ../tools/virtio-backend/vi2c.c \
	../tools/virtio-backend/i2c_eeprom.c ../tools/virtio-backend/i2c_adapter.c \
	../tools/virtio-backend/gpio_dev.c ../tools/virtio-backend/vgpio.c \
	../tools/virtio-backend/gpio_cdev.c ../tools/virtio-backend/gpio_sim.c
test_vdev_i2c_gpio-cppflags := -I$(SRCDIR)/tools/virtio-backend -pthread
$(O)/unit/tools/virtio-backend/test_vdev_i2c_gpio: $(UNIT_DIR)/tools/virtio-backend/vq_env.h \
	$(wildcard $(SRCDIR)/tools/virtio-backend/*.h)
