# Linux's GPIO character device (uAPI v2) behind our back end's gpio_chip,
# against a fake chip that answers the open, ioctl, read and poll calls.
test_gpio_cdev-src := ../tools/virtio-backend/gpio_cdev.c ../tools/virtio-backend/log.c
test_gpio_cdev-cppflags := -I$(SRCDIR)/tools/virtio-backend -pthread
$(O)/unit/tools/virtio-backend/test_gpio_cdev: $(wildcard $(SRCDIR)/tools/virtio-backend/*.h)
