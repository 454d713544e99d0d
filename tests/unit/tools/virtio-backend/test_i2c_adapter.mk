# /dev/i2c-N behind our back end's i2c_bus, against a fake i2c-dev (the
# open and ioctl calls answered by the test): QEMU's virt machine has no
# I2C adapter for dom0, so this is the only test of that path.
test_i2c_adapter-src := ../tools/virtio-backend/i2c_adapter.c ../tools/virtio-backend/log.c
test_i2c_adapter-cppflags := -I$(SRCDIR)/tools/virtio-backend
$(O)/unit/tools/virtio-backend/test_i2c_adapter: $(wildcard $(SRCDIR)/tools/virtio-backend/*.h)
