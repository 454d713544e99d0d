# The option words of the discovery mode (backend-args and configuration
# lines) read into a device's options, for each type and malformed.
test_devargs-src := ../tools/virtio-backend/devargs.c
test_devargs-cppflags := -I$(SRCDIR)/tools/virtio-backend
$(O)/unit/tools/virtio-backend/test_devargs: $(wildcard $(SRCDIR)/tools/virtio-backend/*.h)
